import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nominationRefusal } from './targets.policy.js';
import { diffVersions, type ListEntry, nextEntries, reviewStatus } from './targets.rules.js';

const entry = (companyId: number, criteria: string[] = ['CORP.HAS_LOAN']): ListEntry => ({ companyId, criteria, reason: null, nominationId: null });

describe('list versions (SPEC §3)', () => {
  it('next version = previous + approved adds − approved removes; the later decision wins', () => {
    const next = nextEntries(
      [entry(1), entry(2), entry(3)],
      [
        { nominationId: 10, companyId: 4, action: 'add', reason: null },
        { nominationId: 11, companyId: 2, action: 'remove', reason: '已结清贷款' },
        { nominationId: 12, companyId: 5, action: 'add', reason: null },
        { nominationId: 13, companyId: 5, action: 'remove', reason: '重复' },
      ],
    );
    expect(next.map((e) => e.companyId)).toEqual([1, 3, 4]);
    expect(next.find((e) => e.companyId === 4)!.nominationId).toBe(10);
  });

  it('diff: added, removed and changed criteria, each sorted', () => {
    const d = diffVersions([entry(1), entry(2), entry(3, ['A', 'B'])], [entry(3, ['B', 'C']), entry(4), entry(1)]);
    expect(d.added.map((e) => e.companyId)).toEqual([4]);
    expect(d.removed.map((e) => e.companyId)).toEqual([2]);
    expect(d.changed).toEqual([{ from: entry(3, ['A', 'B']), to: entry(3, ['B', 'C']), criteriaAdded: ['C'], criteriaRemoved: ['A'] }]);
  });

  it('property: applying the diff to the old version gives the new one', () => {
    const list = fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 30 }).map((ids) => ids.map((id) => entry(id)));
    fc.assert(
      fc.property(list, list, (a, b) => {
        const d = diffVersions(a, b);
        const removed = new Set(d.removed.map((e) => e.companyId));
        const rebuilt = [...a.filter((e) => !removed.has(e.companyId)), ...d.added].map((e) => e.companyId).sort((x, y) => x - y);
        expect(rebuilt).toEqual(b.map((e) => e.companyId).sort((x, y) => x - y));
      }),
    );
  });
});

describe('review dates', () => {
  it('reminders: due within 30 days or overdue', () => {
    expect(reviewStatus('2026-12-25', '2026-11-25')).toEqual({ due: true, daysLeft: 30, overdue: false });
    expect(reviewStatus('2026-12-26', '2026-11-25')).toEqual({ due: false, daysLeft: 31, overdue: false });
    expect(reviewStatus('2026-11-24', '2026-11-25')).toEqual({ due: true, daysLeft: -1, overdue: true });
    expect(reviewStatus(null, '2026-11-25').due).toBe(false);
  });
});

describe('who may nominate (Art. 7–8)', () => {
  const base = {
    departmentId: 1101,
    branchPath: '/1/2/11/',
    client: { departmentId: 1101, accountManagerId: 500, nodePath: '/1/2/11/30/' },
    caller: { staffId: 400, departmentId: 1101, isAdmin: false },
  };
  it('a member of the managing department may; others may not unless admin or the client’s AM', () => {
    expect(nominationRefusal(base)).toBeNull();
    expect(nominationRefusal({ ...base, caller: { staffId: 400, departmentId: 1102, isAdmin: false } })).toBe('TARGET.NOT_YOUR_DEPARTMENT');
    expect(nominationRefusal({ ...base, caller: { staffId: 500, departmentId: null, isAdmin: false } })).toBeNull();
    expect(nominationRefusal({ ...base, client: { ...base.client, departmentId: 1102 } })).toBe('TARGET.NOT_MANAGED');
    expect(nominationRefusal({ ...base, client: { ...base.client, departmentId: 1102 }, caller: { ...base.caller, isAdmin: true } })).toBeNull();
    expect(nominationRefusal({ ...base, client: { ...base.client, nodePath: '/1/2/12/' }, caller: { ...base.caller, isAdmin: true } })).toBe('TARGET.NOT_MANAGED');
  });
});
