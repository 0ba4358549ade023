import { describe, expect, it } from 'vitest';
import { actionState, applyQuarterRule, lastEndedQuarter, type Member, rateBp, suggestVisits, tallyMonths, tiebreakOf, valueOf } from './performance.rules.js';

const m = (nodeId: number, group: Member['group'], drawnAmountFen: number, drawnCount = 1, entries = 10, branchNodeId = 11): Member => ({
  nodeId,
  branchNodeId,
  group,
  inputs: { entries, drawnCount, drawnAmountFen },
});

describe('rateBp', () => {
  it('rounds half up in exact integers', () => {
    expect(rateBp(1, 3)).toBe(3333);
    expect(rateBp(2, 3)).toBe(6667);
    expect(rateBp(1, 8)).toBe(1250);
    // 1 ÷ 16000 = 0.625 bp → 1; 1 ÷ 40000 = 0.25 bp → 0; exactly half (1 ÷ 20000) rounds up.
    expect(rateBp(1, 16000)).toBe(1);
    expect(rateBp(1, 40000)).toBe(0);
    expect(rateBp(1, 20000)).toBe(1);
    expect(rateBp(5, 5)).toBe(10000);
    expect(rateBp(0, 7)).toBe(0);
  });
  it('is null for no denominator and refuses fractions and negatives', () => {
    expect(rateBp(0, 0)).toBeNull();
    expect(() => rateBp(0.5, 2)).toThrow(RangeError);
    expect(() => rateBp(-1, 2)).toThrow(RangeError);
  });
});

describe('lastEndedQuarter', () => {
  it('is the quarter before the day’s own', () => {
    expect(lastEndedQuarter('2026-12-07').label).toBe('2026-Q3');
    expect(lastEndedQuarter('2026-10-01')).toMatchObject({ label: '2026-Q3', from: '2026-07-01', to: '2026-09-30' });
    expect(lastEndedQuarter('2027-01-01')).toMatchObject({ label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(lastEndedQuarter('2026-03-31').label).toBe('2025-Q4');
  });
});

describe('measures', () => {
  it('reads the configured measure and breaks ties with the next one', () => {
    const i = { entries: 8, drawnCount: 3, drawnAmountFen: 150_000_00 };
    expect(valueOf('drawn_amount', i)).toBe(150_000_00);
    expect(valueOf('drawn_count', i)).toBe(3);
    expect(valueOf('conversion_bp', i)).toBe(3750);
    expect(tiebreakOf('drawn_amount', i)).toBe(3750);
    expect(tiebreakOf('conversion_bp', i)).toBe(150_000_00);
    expect(valueOf('conversion_bp', { entries: 0, drawnCount: 0, drawnAmountFen: 0 })).toBe(0);
  });
});

describe('the quarterly grouping rule', () => {
  it('flags the one worst member of each group, per tier-2 branch', () => {
    const lines = applyQuarterRule('drawn_amount', [
      m(101, 'priority', 500),
      m(102, 'priority', 300),
      m(103, 'priority', 900),
      m(104, 'follow', 50),
      m(105, 'follow', 70),
      m(201, 'priority', 10, 1, 10, 12),
      m(202, 'priority', 20, 1, 10, 12),
    ]);
    const flagged = lines.filter((l) => l.flagged).map((l) => [l.nodeId, l.outcome]);
    expect(flagged).toEqual([
      [102, 'cut'],
      [104, 'cut'],
      [201, 'cut'],
    ]);
    expect(lines.filter((l) => l.branchNodeId === 11 && l.group === 'priority').map((l) => [l.nodeId, l.rank, l.members])).toEqual([
      [103, 1, 3],
      [101, 2, 3],
      [102, 3, 3],
    ]);
  });

  it('breaks a tie on the measure by the tiebreak measure', () => {
    // Same amount; 101 converted 1 of 10, 102 converted 1 of 5: 101 is worse.
    const lines = applyQuarterRule('drawn_amount', [m(101, 'featured', 400, 1, 10), m(102, 'featured', 400, 1, 5), m(103, 'featured', 800)]);
    expect(lines.find((l) => l.flagged)).toMatchObject({ nodeId: 101, outcome: 'cut', tiebreak: 1000 });
    expect(lines.find((l) => l.nodeId === 102)).toMatchObject({ rank: 2, flagged: false, tiebreak: 2000 });
  });

  it('flags every member still tied on both measures, and shares their rank', () => {
    const lines = applyQuarterRule('drawn_count', [m(101, 'follow', 100, 2), m(102, 'follow', 100, 2), m(103, 'follow', 100, 5)]);
    expect(lines.map((l) => [l.nodeId, l.rank, l.outcome])).toEqual([
      [103, 1, 'kept'],
      [101, 2, 'tied_cut'],
      [102, 2, 'tied_cut'],
    ]);
    const allTied = applyQuarterRule('drawn_count', [m(101, 'follow', 0, 0), m(102, 'follow', 0, 0)]);
    expect(allTied.every((l) => l.outcome === 'tied_cut' && l.rank === 1)).toBe(true);
  });

  it('does not flag a group of one, and an empty group yields nothing', () => {
    const lines = applyQuarterRule('conversion_bp', [m(101, 'featured', 0, 0), m(102, 'priority', 5), m(103, 'priority', 6, 2)]);
    expect(lines.find((l) => l.nodeId === 101)).toMatchObject({ outcome: 'single', flagged: false, members: 1, rank: 1 });
    expect(lines.filter((l) => l.group === 'follow')).toEqual([]);
    expect(applyQuarterRule('conversion_bp', [])).toEqual([]);
  });

  it('refuses a sub-branch in two groups', () => {
    expect(() => applyQuarterRule('drawn_amount', [m(101, 'priority', 1), m(101, 'follow', 2)])).toThrow(/two groups/);
  });
});

describe('蹲点 suggestions', () => {
  const outlets = (n: number) => Array.from({ length: n }, (_, i) => ({ nodeId: 1001 + i }));
  it('takes the top, the middle and the bottom of the ranking', () => {
    expect(suggestVisits(outlets(5)).map((s) => [s.category, s.outlet.nodeId])).toEqual([
      ['good', 1001],
      ['average', 1003],
      ['poor', 1005],
    ]);
    expect(suggestVisits(outlets(4)).map((s) => s.outlet.nodeId)).toEqual([1001, 1002, 1004]);
  });
  it('copes with fewer than three outlets', () => {
    expect(suggestVisits([])).toEqual([]);
    expect(suggestVisits(outlets(1))).toEqual([{ category: 'average', outlet: { nodeId: 1001 } }]);
    expect(suggestVisits(outlets(2)).map((s) => s.category)).toEqual(['good', 'poor']);
  });
});

describe('follow-ups and the month tally', () => {
  it('an action is overdue after its due day until closed', () => {
    expect(actionState({ status: 'open', dueOn: '2026-12-10' }, '2026-12-10')).toBe('open');
    expect(actionState({ status: 'open', dueOn: '2026-12-10' }, '2026-12-11')).toBe('overdue');
    expect(actionState({ status: 'closed', dueOn: '2026-12-10' }, '2026-12-11')).toBe('closed');
  });
  it('counts planned (not cancelled) against done per month, newest first', () => {
    const t = tallyMonths(
      [
        { month: '2026-11', status: 'done' },
        { month: '2026-11', status: 'done' },
        { month: '2026-11', status: 'planned' },
        { month: '2026-11', status: 'cancelled' },
        { month: '2026-12', status: 'planned' },
      ],
      [
        { month: '2026-11', status: 'open', dueOn: '2026-12-01' },
        { month: '2026-11', status: 'open', dueOn: '2026-12-31' },
        { month: '2026-11', status: 'closed', dueOn: '2026-11-30' },
      ],
      '2026-12-07',
    );
    expect(t).toEqual([
      { month: '2026-12', planned: 1, done: 0, cancelled: 0, doneBp: 0, openActions: 0, overdueActions: 0 },
      { month: '2026-11', planned: 3, done: 2, cancelled: 1, doneBp: 6667, openActions: 1, overdueActions: 1 },
    ]);
  });
});
