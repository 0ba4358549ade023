import { describe, expect, it } from 'vitest';
import { closenessBp, gradeServes, nearTier, orderConflict, planVersion, qualifyingTier, rankNear, type TierVersion, tiersInForce, unmet } from './vip.rules.js';

const W = 10_000; // 1 万元 in 分 ÷ 100: thresholds below are in 分
const tier = (code: string, rank: number, yuan: number, extra: Partial<TierVersion> = {}): TierVersion => ({
  id: rank,
  code,
  rank,
  aumThresholdFen: yuan * 100,
  minProducts: 0,
  requiredProductCode: null,
  requiredGrade: rank,
  validFrom: '2026-01-01',
  validTo: null,
  ...extra,
});
const GOLD = tier('GOLD', 1, 50_000);
const PLAT = tier('PLATINUM', 2, 500_000, { minProducts: 3 });
const DIAM = tier('DIAMOND', 3, 1_000_000, { requiredProductCode: 'WMP' });
const PB = tier('PRIVATE', 4, 6_000_000);
const ALL = [GOLD, PLAT, DIAM, PB];
const person = (yuan: number, products: string[] = ['DEBIT', 'WMP', 'FUND']) => ({ aumFen: yuan * 100, products });

describe('which tier a person is of (SPEC §5)', () => {
  it('takes the highest tier whose every criterion is met', () => {
    expect(qualifyingTier(ALL, person(7_000_000))?.code).toBe('PRIVATE');
    expect(qualifyingTier(ALL, person(1_200_000))?.code).toBe('DIAMOND');
    // AUM enough for 钻石 but no 理财 held: falls to 白金.
    expect(qualifyingTier(ALL, person(1_200_000, ['DEBIT', 'FUND', 'INS']))?.code).toBe('PLATINUM');
    // 白金 asks three products: two are not enough.
    expect(qualifyingTier(ALL, person(600_000, ['DEBIT', 'FUND']))?.code).toBe('GOLD');
    expect(qualifyingTier(ALL, person(49_999))).toBeNull();
  });
  it('exactly at the threshold qualifies; one 分 under does not', () => {
    expect(unmet(GOLD, { aumFen: 5_000_000, products: [] })).toEqual([]);
    expect(unmet(GOLD, { aumFen: 4_999_999, products: [] })).toEqual(['aum']);
    expect(unmet(DIAM, { aumFen: 0, products: [] })).toEqual(['aum', 'requiredProduct']);
    expect(unmet(PLAT, { aumFen: 50_000_000, products: ['A', 'A', 'B'] })).toEqual(['products']);
  });
  it('reads the versions in force on the day, the latest valid_from per code', () => {
    const old = tier('GOLD', 1, 50_000, { id: 10, validTo: '2026-06-30' });
    const next = tier('GOLD', 1, 80_000, { id: 11, validFrom: '2026-07-01' });
    const future = tier('PRIVATE', 4, 6_000_000, { validFrom: '2027-01-01' });
    expect(tiersInForce([old, next, future], '2026-06-30').map((t) => t.id)).toEqual([10]);
    expect(tiersInForce([old, next, future], '2026-07-01').map((t) => t.id)).toEqual([11]);
    expect(tiersInForce([old, next, future], '2027-01-01').map((t) => t.code)).toEqual(['PRIVATE', 'GOLD']);
    expect(qualifyingTier(tiersInForce([old, next], '2026-06-30'), person(60_000))?.id).toBe(10);
    expect(qualifyingTier(tiersInForce([old, next], '2026-07-01'), person(60_000))).toBeNull();
  });
});

describe('临界区间客户 (seeds 003/004)', () => {
  it('is inside the band under the next tier up, exactly at the band included', () => {
    expect(nearTier(ALL, person(40_000), 80)).toEqual({ tier: GOLD, gapFen: 10_000 * 100 });
    expect(nearTier(ALL, person(39_999), 80)).toBeNull();
    expect(nearTier(ALL, person(50_000), 80)).toBeNull(); // is 金卡, 白金 is 10 % away
    expect(nearTier(ALL, person(450_000), 80)?.tier.code).toBe('PLATINUM');
    expect(nearTier(ALL, person(450_000), 95)).toBeNull();
  });
  it('never lists a tier at or below the one the person is of', () => {
    // AUM over 钻石's threshold but without 理财: of 白金; 钻石 is not "near" (the gap is not AUM).
    expect(nearTier(ALL, person(1_100_000, ['DEBIT', 'FUND', 'INS']), 80)).toBeNull();
    expect(nearTier(ALL, person(5_000_000), 80)).toEqual({ tier: PB, gapFen: 1_000_000 * 100 });
  });
  it('ranks by gap ascending, then AUM, then id', () => {
    const list = [
      { personId: 3, gapFen: 500, aumFen: 10 },
      { personId: 1, gapFen: 100, aumFen: 10 },
      { personId: 2, gapFen: 100, aumFen: 20 },
      { personId: 0, gapFen: 100, aumFen: 20 },
    ];
    expect(rankNear(list).map((r) => r.personId)).toEqual([0, 2, 1, 3]);
  });
  it('closeness in basis points is floored', () => {
    expect(closenessBp(2 * W - 1, 2 * W)).toBe(9999);
    expect(closenessBp(8 * W, 10 * W)).toBe(8000);
  });
});

describe('account manager grade', () => {
  it('serves a tier at or above its required grade; no grade serves nothing', () => {
    expect(gradeServes(3, 3)).toBe(true);
    expect(gradeServes(5, 3)).toBe(true);
    expect(gradeServes(2, 3)).toBe(false);
    expect(gradeServes(null, 1)).toBe(false);
  });
});

describe('tier configuration', () => {
  it('refuses a higher tier asking less AUM or a lower AM grade', () => {
    expect(orderConflict(ALL, { ...PLAT, aumThresholdFen: 4_000_000 })).toBe('GOLD');
    expect(orderConflict(ALL, { ...DIAM, requiredGrade: 1 })).toBe('PLATINUM');
    expect(orderConflict(ALL, { ...PLAT, code: 'NEW' })).toBe('PLATINUM'); // same rank
    expect(orderConflict(ALL, { ...PLAT, aumThresholdFen: 600_000_00 })).toBeNull();
  });
  it('a new version closes the one before it the day before and stops at the next', () => {
    const h = [
      { id: 1, validFrom: '2026-01-01', validTo: null },
      { id: 2, validFrom: '2027-01-01', validTo: null },
    ];
    expect(planVersion(h, '2026-07-01')).toEqual({ close: { id: 1, validTo: '2026-06-30' }, validTo: '2026-12-31', replace: null });
    expect(planVersion(h, '2027-01-01')).toEqual({ close: { id: 1, validTo: '2026-12-31' }, validTo: null, replace: 2 });
    expect(planVersion([{ id: 1, validFrom: '2026-01-01', validTo: '2026-03-31' }], '2026-07-01', '2026-12-31')).toEqual({ close: null, validTo: '2026-12-31', replace: null });
  });
});
