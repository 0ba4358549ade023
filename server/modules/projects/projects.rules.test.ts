import { describe, expect, it } from 'vitest';
import { allocationProblem, funnel, goalProgress, goalTimetable, PLAN_TEMPLATES, rateBp, teamProblems, whiteSpace } from './projects.rules.js';

describe('project rules', () => {
  it('needs a corporate AM and a personal AM or product manager on a team', () => {
    expect(teamProblems([{ staffId: 1, role: 'corporate_am' }])).toEqual(['PROJECT.TEAM_NEEDS_PERSONAL']);
    expect(
      teamProblems([
        { staffId: 1, role: 'product_manager' },
        { staffId: 2, role: 'outlet_am' },
      ]),
    ).toEqual(['PROJECT.TEAM_NEEDS_CORPORATE']);
    expect(
      teamProblems([
        { staffId: 1, role: 'corporate_am' },
        { staffId: 2, role: 'product_manager' },
      ]),
    ).toEqual([]);
  });

  it('floors rates in basis points and has no rate over nothing', () => {
    expect(rateBp(2, 3)).toBe(6666);
    expect(rateBp(0, 0)).toBeNull();
    const f = funnel({ known: 10, invited: 3, attended: 2, surveyed: 1, lead: 1, won: 1, vip: 0 });
    expect(f[0]).toEqual({ stage: 'known', count: 10, fromPreviousBp: null, fromKnownBp: null });
    expect(f[2]).toEqual({ stage: 'attended', count: 2, fromPreviousBp: 6666, fromKnownBp: 2000 });
  });

  it('meets a goal exactly at its target, and reads the timetable in days', () => {
    expect(goalProgress(9, 10)).toEqual({ actual: 9, target: 10, progressBp: 9000, met: false });
    expect(goalProgress(10, 10).met).toBe(true);
    expect(goalTimetable('2026-12-01', '2026-12-31', '2026-11-30')).toEqual({ state: 'upcoming', daysLeft: 31 });
    expect(goalTimetable('2026-12-01', '2026-12-31', '2026-12-31')).toEqual({ state: 'running', daysLeft: 0 });
    expect(goalTimetable('2026-12-01', '2026-12-31', '2027-01-01')).toEqual({ state: 'ended', daysLeft: 0 });
  });

  it('accepts an allocation only of known classes totalling exactly 100 %', () => {
    for (const t of PLAN_TEMPLATES) expect(allocationProblem(t.allocation as Record<string, number>)).toBeNull();
    expect(allocationProblem({ deposit: 3333, wealth: 3333, fund: 3333 })).toBe('PLAN.ALLOCATION_TOTAL');
    expect(allocationProblem({ deposit: 10000.5 })).toBe('PLAN.ALLOCATION_CLASS');
    expect(allocationProblem({ bitcoin: 10000 })).toBe('PLAN.ALLOCATION_CLASS');
  });

  it('marks white space per person and counts holders per line', () => {
    const g = whiteSpace(
      [
        { personId: 1, lines: ['CARD', 'FUND'] },
        { personId: 2, lines: ['CARD'] },
      ],
      ['CARD', 'FUND', 'INS'],
    );
    expect(g.rows).toEqual([
      { personId: 1, cells: [true, true, false], gaps: 1 },
      { personId: 2, cells: [true, false, false], gaps: 2 },
    ]);
    expect(g.columns).toEqual([
      { line: 'CARD', holders: 2, gaps: 0 },
      { line: 'FUND', holders: 1, gaps: 1 },
      { line: 'INS', holders: 0, gaps: 2 },
    ]);
  });
});
