import { describe, expect, it } from 'vitest';
import { type Assignee, assignLeads, canMove, escalationLevel, handlingRateBp, nextEscalationAt, teamSale } from './leads.rules.js';

const am = (staffId: number, staffNo: string, open = 0, capacity = 10): Assignee => ({ staffId, staffNo, open, capacity });

describe('lead stages', () => {
  it('move forward, may skip, may be lost from any open stage, and end at won or lost', () => {
    expect(canMove('new', 'contacted')).toBe(true);
    expect(canMove('new', 'won')).toBe(true);
    expect(canMove('proposal', 'lost')).toBe(true);
    expect(canMove('proposal', 'contacted')).toBe(false);
    expect(canMove('contacted', 'contacted')).toBe(false);
    expect(canMove('won', 'lost')).toBe(false);
    expect(canMove('lost', 'new')).toBe(false);
  });
});

describe('capacity-aware round-robin', () => {
  it('goes to the least loaded first, ties to the staff number that sorts first', () => {
    expect(assignLeads(4, [am(2, '44110002'), am(1, '44110001'), am(3, '44110003', 1)])).toEqual([1, 2, 1, 2]);
  });

  it('weighs load by capacity with integers, and sends leads to the pool when everyone is full', () => {
    // A at 0/2, B at 0/4: A, B (1/4 < 1/2), B (2/4 = 1/2: tie → A sorts first)…
    expect(assignLeads(7, [am(1, 'A', 0, 2), am(2, 'B', 0, 4)])).toEqual([1, 2, 2, 1, 2, 2, null]);
    expect(assignLeads(2, [])).toEqual([null, null]);
    expect(assignLeads(1, [am(1, 'A', 5, 5), am(2, 'B', 0, 0)])).toEqual([null]);
  });

  it('leaves equal-capacity managers at most one apart, whatever their order and the count', () => {
    for (let n = 0; n < 60; n++) {
      const people = [am(3, 'C', 2, 1000), am(1, 'A', 0, 1000), am(2, 'B', 5, 1000), am(4, 'D', 0, 1000)];
      const got = assignLeads(n, people);
      const open = new Map(people.map((p) => [p.staffId, p.open]));
      for (const id of got) open.set(id!, open.get(id!)! + 1);
      const counts = [...open.values()];
      // Managers who started lower are filled up first; once level, they stay within one.
      if (n >= 12) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(people[1].open).toBe(0); // the input is not changed
    }
  });
});

describe('the escalation ladder', () => {
  const t0 = new Date('2026-12-01T02:00:00Z');
  const at = (days: number, hours = 0) => new Date(t0.getTime() + days * 86_400_000 + hours * 3_600_000);

  it('reminds the owner at 3 days, the manager at 5, returns to the pool at 7', () => {
    expect(escalationLevel(t0, at(2, 23))).toBe(0);
    expect(escalationLevel(t0, at(3))).toBe(1);
    expect(escalationLevel(t0, at(4, 23))).toBe(1);
    expect(escalationLevel(t0, at(5))).toBe(2);
    expect(escalationLevel(t0, at(7))).toBe(3);
    expect(escalationLevel(t0, at(30))).toBe(3);
  });

  it('says when the next step falls due', () => {
    expect(nextEscalationAt(t0, 0)).toEqual(at(3));
    expect(nextEscalationAt(t0, 1)).toEqual(at(5));
    expect(nextEscalationAt(t0, 2)).toEqual(at(7));
    expect(nextEscalationAt(t0, 3)).toBeNull();
  });
});

describe('商机处理率', () => {
  it('is handled ÷ received in basis points, rounded half up with integers', () => {
    expect(handlingRateBp(2, 3)).toBe(6667);
    expect(handlingRateBp(1, 3)).toBe(3333);
    expect(handlingRateBp(1, 8)).toBe(1250);
    expect(handlingRateBp(1, 20_000)).toBe(1); // 0.5 bp rounds up
    expect(handlingRateBp(0, 0)).toBeNull();
  });
});

describe('a project lead’s sale from the team', () => {
  const team = [
    { staffNo: 'C1', role: 'corporate_am' as const, departmentCode: 'CORP' },
    { staffNo: 'P1', role: 'personal_am' as const, departmentCode: 'CC' },
    { staffNo: 'O1', role: 'outlet_am' as const, departmentCode: 'PF' },
    { staffNo: 'L1', role: 'leader' as const, departmentCode: 'CORP' },
  ];
  it('puts the openers and sellers on the sale, each in their department, the host left to the rule', () => {
    expect(teamSale(team, 'PF', { ownerStaffNo: 'P1', departmentCode: 'PF' })).toEqual({
      departments: [
        { code: 'CORP', ratio: null },
        { code: 'CC', ratio: null },
      ],
      people: [
        { staffNo: 'C1', departmentCode: 'CORP', role: '介绍人', contribution: null },
        { staffNo: 'P1', departmentCode: 'CC', role: '客户经理', contribution: null },
      ],
    });
  });
  it('adds a holder from outside the team in the lead’s department', () => {
    expect(teamSale(team.slice(0, 1), 'PF', { ownerStaffNo: 'X9', departmentCode: 'PF' }).people.map((p) => `${p.staffNo}@${p.departmentCode}`)).toEqual(['C1@CORP', 'X9@PF']);
  });
});
