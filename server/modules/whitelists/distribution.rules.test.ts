import { describe, expect, it } from 'vitest';
import { outletFor, planByWeights, planKeepAm, planRoundRobin, planStaff, summarise, weightsFor } from './distribution.rules.js';

const owner = { id: 100, path: '/1/2/11/100/' };
const entries = (n: number, amount = (i: number) => (i + 1) * 10_000_00) => Array.from({ length: n }, (_, i) => ({ id: i + 1, amountFen: amount(i) }));

describe('outletFor', () => {
  it('takes the settlement outlet inside the owner subtree, otherwise the owner', () => {
    const base = { settlementNodeId: 101, settlementLevel: 'outlet', settlementPath: '/1/2/11/100/101/', settlementActive: true };
    expect(outletFor(base, owner)).toBe(101);
    expect(outletFor({ ...base, settlementNodeId: null }, owner)).toBe(100);
    expect(outletFor({ ...base, settlementLevel: 'subbranch' }, owner)).toBe(100);
    expect(outletFor({ ...base, settlementActive: false }, owner)).toBe(100);
    expect(outletFor({ ...base, settlementPath: '/1/2/12/200/201/' }, owner)).toBe(100);
  });
});

describe('planByWeights', () => {
  it('splits counts by largest remainder of the weights and spreads the amounts', () => {
    const plan = planByWeights(entries(10), [
      { id: 1, weight: 2 },
      { id: 2, weight: 1 },
      { id: 3, weight: 0 },
    ]);
    const s = summarise(plan, entries(10));
    // 10 × 2/3 = 6.67 → 7, 10 × 1/3 = 3.33 → 3; weight 0 takes nothing
    expect(s.map((x) => [x.staffId, x.count])).toEqual([
      [1, 7],
      [2, 3],
    ]);
    expect(s.reduce((a, x) => a + x.amountFen, 0)).toBe(entries(10).reduce((a, e) => a + e.amountFen, 0));
    // the largest pre-approval goes first, to the person with the biggest share
    expect(plan.assign.get(10)).toBe(1);
    expect(plan.unassigned).toEqual([]);
  });

  it('equal weights: counts differ by at most one, amounts balanced better than dealing in order', () => {
    const list = entries(9);
    const s = summarise(
      planByWeights(list, [
        { id: 1, weight: 1 },
        { id: 2, weight: 1 },
        { id: 3, weight: 1 },
      ]),
      list,
    );
    expect(s.map((x) => x.count)).toEqual([3, 3, 3]);
    const amounts = s.map((x) => x.amountFen);
    expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(30_000_00);
  });

  it('leaves everything unassigned when nobody can take work', () => {
    expect(planByWeights(entries(3), [{ id: 1, weight: 0 }]).unassigned).toEqual([1, 2, 3]);
    expect(planByWeights(entries(3), []).unassigned).toEqual([1, 2, 3]);
  });
});

describe('planRoundRobin', () => {
  it('deals in arrival order starting with the least loaded person', () => {
    const plan = planRoundRobin(entries(5), [
      { id: 1, weight: 1, current: 4 },
      { id: 2, weight: 1, current: 0 },
      { id: 3, weight: 0, current: 0 },
    ]);
    expect([...plan.assign.entries()]).toEqual([
      [1, 2],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 2],
    ]);
  });
});

describe('planKeepAm', () => {
  it('keeps the existing account manager when he works at the outlet, shares the rest by weight', () => {
    const list = [
      { id: 1, amountFen: 100, amId: 7 },
      { id: 2, amountFen: 100, amId: 99 }, // AM elsewhere
      { id: 3, amountFen: 100, amId: null },
      { id: 4, amountFen: 100, amId: 7 },
    ];
    const plan = planKeepAm(list, [
      { id: 7, weight: 1 },
      { id: 8, weight: 1 },
    ]);
    expect(plan.assign.get(1)).toBe(7);
    expect(plan.assign.get(4)).toBe(7);
    expect(new Set([plan.assign.get(2), plan.assign.get(3)])).toEqual(new Set([7, 8]));
    expect(planStaff('keep_am', list, [{ id: 8, weight: 1 }]).assign.get(1)).toBe(8);
  });
});

describe('weightsFor', () => {
  it('defaults to 1 and refuses negative or fractional weights', () => {
    expect(weightsFor([1, 2, 3], { '2': 3, '3': -2 })).toEqual([
      { id: 1, weight: 1 },
      { id: 2, weight: 3 },
      { id: 3, weight: 0 },
    ]);
  });
});
