import { describe, expect, it } from 'vitest';
import { percentOf, proposeQuotas, quotaQuantity1e4 } from './quotas.rules.js';

describe('quota quantities', () => {
  it('reads "120", "1.5", "1,000" and 0; refuses negatives and a fifth decimal', () => {
    expect([quotaQuantity1e4('120'), quotaQuantity1e4('1.5'), quotaQuantity1e4('1,000'), quotaQuantity1e4(0)]).toEqual([1_200_000, 15_000, 10_000_000, 0]);
    expect([quotaQuantity1e4('-1'), quotaQuantity1e4('1.00001'), quotaQuantity1e4('abc')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('the 10 % proposal helper (Art. 18)', () => {
  it('10 % of the line target, half-up to 10⁻⁴ of a unit', () => {
    expect(percentOf(10_000_000, 1000)).toBe(1_000_000); // 1000 → 100
    expect(percentOf(5, 1000)).toBe(1); // 0.0005 × 10 % = 0.00005 → 0.0001
    expect(percentOf(4, 1000)).toBe(0);
  });

  it('proposes the figure for each department × product in the target’s unit, skips other units, flags quotas on file', () => {
    const r = proposeQuotas({
      lineTarget: { quantity1e4: 10_000_000, unit: '张' },
      percentBp: 1000,
      products: [
        { id: 2, unit: '张' },
        { id: 1, unit: '张' },
        { id: 3, unit: '户' },
      ],
      departmentIds: [1104, 1101, 1104],
      existing: new Map([['1101/2', 50_000]]),
    });
    expect(r.quantity1e4).toBe(1_000_000);
    expect(r.lines.map((l) => [l.departmentId, l.productId, l.quantity1e4, l.existing1e4])).toEqual([
      [1101, 1, 1_000_000, null],
      [1101, 2, 1_000_000, 50_000],
      [1104, 1, 1_000_000, null],
      [1104, 2, 1_000_000, null],
    ]);
    expect(r.skipped.map((s) => s.productId)).toEqual([3]);
    expect(r.skipped[0].reason.zh).toContain('“户”');
  });
});
