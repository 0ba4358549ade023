import { describe, expect, it } from 'vitest';
import { completionBp, periodRange, rankByPoints, reached, shareBp } from './dashboards.rules.js';

describe('dashboard arithmetic', () => {
  it('a year or a month range, never both, never backwards', () => {
    expect(periodRange({ year: 2026 })?.months).toHaveLength(12);
    expect(periodRange({ from: '2025-11', to: '2026-02' })?.months).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodRange({ from: '2026-02', to: '2026-01' })).toBeUndefined();
    expect(periodRange({ year: 2026, from: '2026-01', to: '2026-02' })).toBeUndefined();
    expect(periodRange({ from: '2026-01' })).toBeUndefined();
    expect(periodRange({})).toBeUndefined();
  });

  it('percentages are floored basis points; the 50 % and 100 % lines compare exactly', () => {
    expect(completionBp(499_999, 1_000_000)).toBe(4999);
    expect(completionBp(1, 3)).toBe(3333);
    expect(completionBp(5, 0)).toBeNull();
    expect(completionBp(5, null)).toBeNull();
    expect([reached(500_000, 1_000_000, 5000), reached(499_999, 1_000_000, 5000), reached(1, null, 5000)]).toEqual([true, false, null]);
    expect(shareBp(1800, 3500)).toBe(5142);
    expect(shareBp(1, 0)).toBe(0);
  });

  it('ranks 1, 2, 2, 4 with ties in id order', () => {
    const r = rankByPoints([
      { id: 3, pointsHundredths: 100 },
      { id: 1, pointsHundredths: 500 },
      { id: 4, pointsHundredths: 100 },
      { id: 2, pointsHundredths: 50 },
    ]);
    expect(r.map((x) => [x.rank, x.id])).toEqual([
      [1, 1],
      [2, 3],
      [2, 4],
      [4, 2],
    ]);
  });
});
