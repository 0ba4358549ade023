import { describe, expect, it } from 'vitest';
import { crossCheck, hundredthsText, isNonPerforming, latestMaturity, limitFor, marginFor, marginReleased, monthStart, nplLevel, nplRatioBp, orderWindow, shouldSuspend } from './supplychain.rules.js';

const YUAN = 100;
const base = { orderRatioBp: 3000, householdCapFen: 2_000_000 * YUAN, householdUsedFen: 0, programmeRemainingFen: 400_000_000 * YUAN };

describe('limitFor: min(recommended, 30 % of orders, household cap, programme remaining)', () => {
  it('30 % of orders binds: recommended 800,000 元, orders 2,100,000 元 → 630,000 元', () => {
    // 2,100,000 × 30 % = 630,000 < 800,000 recommended < 2,000,000 cap.
    const d = limitFor({ ...base, recommendedFen: 800_000 * YUAN, orders12mFen: 2_100_000 * YUAN });
    expect(d).toMatchObject({ limitFen: 630_000 * YUAN, rule: 'orders' });
    expect(d.candidates).toEqual({ recommended: 80_000_000, orders: 63_000_000, household_cap: 200_000_000, programme_remaining: 40_000_000_000 });
  });
  it('recommended binds when below 30 % of orders', () => {
    expect(limitFor({ ...base, recommendedFen: 500_000 * YUAN, orders12mFen: 2_100_000 * YUAN })).toMatchObject({ limitFen: 50_000_000, rule: 'recommended' });
  });
  it('the household cap binds: recommended 3,000,000, orders 12,000,000 (30 % = 3,600,000), cap 2,000,000', () => {
    expect(limitFor({ ...base, recommendedFen: 3_000_000 * YUAN, orders12mFen: 12_000_000 * YUAN })).toMatchObject({ limitFen: 200_000_000, rule: 'household_cap' });
    // The same household already holds 1,500,000: 500,000 left.
    expect(limitFor({ ...base, householdUsedFen: 1_500_000 * YUAN, recommendedFen: 3_000_000 * YUAN, orders12mFen: 12_000_000 * YUAN })).toMatchObject({
      limitFen: 50_000_000,
      rule: 'household_cap',
    });
  });
  it('the programme remaining binds, and 0 left grants 0', () => {
    expect(limitFor({ ...base, programmeRemainingFen: 123_456, recommendedFen: 800_000 * YUAN, orders12mFen: 2_100_000 * YUAN })).toMatchObject({ limitFen: 123_456, rule: 'programme_remaining' });
    expect(limitFor({ ...base, programmeRemainingFen: 0, recommendedFen: 1, orders12mFen: 100 })).toMatchObject({ limitFen: 0, rule: 'programme_remaining' });
  });
  it('30 % rounds down to the fen; a tie names the earlier rule', () => {
    // 333 fen × 30 % = 99.9 → 99.
    expect(limitFor({ ...base, recommendedFen: 1000, orders12mFen: 333 })).toMatchObject({ limitFen: 99, rule: 'orders' });
    // 1,000,000 × 30 % = 300,000 = recommended: 'recommended'.
    expect(limitFor({ ...base, recommendedFen: 30_000_000, orders12mFen: 100_000_000 })).toMatchObject({ limitFen: 30_000_000, rule: 'recommended' });
  });
});

describe('months and the order window', () => {
  it('the 12 months before the application month', () => {
    expect(orderWindow('2026-11-20')).toEqual({ from: '2025-11-01', to: '2026-10-01' });
    expect(orderWindow('2026-01-05')).toEqual({ from: '2025-01-01', to: '2025-12-01' });
    expect(monthStart('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('the latest maturity: one year, end of month clamped', () => {
    expect(latestMaturity('2026-12-07', 12)).toBe('2027-12-07');
    expect(latestMaturity('2028-02-29', 12)).toBe('2029-02-28');
    expect(latestMaturity('2026-08-31', 6)).toBe('2027-02-28');
  });
});

describe('crossCheck', () => {
  it('lists each month; beyond tolerance when |e − p| × 10000 > tol × p', () => {
    const w = { from: '2026-01-01', to: '2026-04-01' };
    const e = new Map([
      ['2026-01-01', 105_000],
      ['2026-02-01', 105_001],
      ['2026-03-01', 10],
    ]);
    const p = new Map([
      ['2026-01-01', 100_000],
      ['2026-02-01', 100_000],
      ['2026-04-01', 50],
    ]);
    const r = crossCheck(e, p, w, 500);
    // Jan: 5,000 × 10000 = 5 × 10^7 = 500 × 100,000 → not beyond (exactly 5 %). Feb: 5,001 → beyond.
    // Mar: provider 0, enterprise 10 → beyond. Apr: enterprise 0, provider 50 → |−50| × 10000 > 500 × 50 → beyond.
    expect(r.map((m) => [m.month, m.diffFen, m.beyond])).toEqual([
      ['2026-01-01', 5000, false],
      ['2026-02-01', 5001, true],
      ['2026-03-01', 10, true],
      ['2026-04-01', -50, true],
    ]);
  });
});

describe('margin', () => {
  it('5 % of each draw, half up; released in proportion to principal repaid, all at a zero balance', () => {
    expect(marginFor(63_000_000, 500)).toBe(3_150_000);
    expect(marginFor(10, 500)).toBe(1); // 0.5 → 1
    expect(marginFor(9, 500)).toBe(0); // 0.45 → 0
    expect(marginReleased(3_150_000, 63_000_000, 21_000_000, 42_000_000)).toBe(1_050_000);
    expect(marginReleased(3_150_000, 63_000_000, 0, 63_000_000)).toBe(0);
    expect(marginReleased(3_150_000, 63_000_000, 63_000_000, 0)).toBe(3_150_000);
    expect(marginReleased(1, 3, 1, 2)).toBe(0);
  });
});

describe('NPL ratio: exact integer thresholds', () => {
  // Balance 10,000,000.00 元 = 1,000,000,000 fen. 2 % of it = 20,000,000 fen; 3 % = 30,000,000 fen.
  const B = 1_000_000_000;
  it('1.99 % normal, 2.00 % warns, 2.99…% warns, 3.00 % suspends', () => {
    expect(nplLevel(19_900_000, B, 200, 300)).toBe('normal');
    expect(nplLevel(19_999_999, B, 200, 300)).toBe('normal'); // 1.9999999 %
    expect(nplLevel(20_000_000, B, 200, 300)).toBe('warn');
    expect(nplLevel(29_999_999, B, 200, 300)).toBe('warn');
    expect(nplLevel(30_000_000, B, 200, 300)).toBe('suspend');
    expect(nplLevel(0, 0, 200, 300)).toBe('normal');
    expect(nplRatioBp(19_999_999, B)).toBe(199);
    expect(nplRatioBp(30_000_000, B)).toBe(300);
    expect(nplRatioBp(1, 0)).toBeNull();
  });
  it('suspends an active programme unless a reassessment accepted this ratio', () => {
    expect(shouldSuspend('suspend', 'active', 300, null)).toBe(true);
    expect(shouldSuspend('suspend', 'suspended', 300, null)).toBe(false);
    expect(shouldSuspend('warn', 'active', 250, null)).toBe(false);
    expect(shouldSuspend('suspend', 'active', 310, 310)).toBe(false);
    expect(shouldSuspend('suspend', 'active', 311, 310)).toBe(true);
  });
  it('non-performing: overdue more than 90 days', () => {
    expect(isNonPerforming(90, 90)).toBe(false);
    expect(isNonPerforming(91, 90)).toBe(true);
  });
});

describe('hundredthsText: 分 as 元 and basis points as % in integers', () => {
  it('writes two decimals without a float', () => {
    expect(hundredthsText(63_000_000)).toBe('630000.00');
    expect(hundredthsText(322)).toBe('3.22');
    expect(hundredthsText(5)).toBe('0.05');
    expect(hundredthsText(0)).toBe('0.00');
    expect(hundredthsText(-199)).toBe('-1.99');
  });
});
