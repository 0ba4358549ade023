import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, allocateEqually, AllocationError, formatHundredths } from './allocation.js';

const obj = (m: Map<string, bigint>) => Object.fromEntries([...m].map(([k, v]) => [k, Number(v)]));

describe('largest-remainder allocation (SPEC §7)', () => {
  it('worked example: 100.00 points split three ways equally', () => {
    // 10000 / 3 = 3333.33…: each gets 33.33, the spare 0.01 goes to the code that sorts first.
    expect(obj(allocateEqually(10000, ['B', 'A', 'C']))).toEqual({ A: 3334, B: 3333, C: 3333 });
  });

  it('worked example: the 20/80 split of 12.35 points with participants 50/30/20', () => {
    // host 20% of 1235 = 247; participants 80% = 988 × 50/30/20 = 494, 296.4, 197.6 → 494, 296, 198
    const depts = allocate(1235, [
      { key: 'HOST', weight: 2000 },
      { key: 'P1', weight: 4000 },
      { key: 'P2', weight: 2400 },
      { key: 'P3', weight: 1600 },
    ]);
    expect(obj(depts)).toEqual({ HOST: 247, P1: 494, P2: 296, P3: 198 });
  });

  it('largest remainder wins the spare hundredth, not the largest part', () => {
    // 1.00 over weights 1,1,1,7 (10 total): 0.1,0.1,0.1,0.7 exact — nothing spare
    expect(
      obj(
        allocate(100, [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
          { key: 'c', weight: 1 },
          { key: 'd', weight: 7 },
        ]),
      ),
    ).toEqual({ a: 10, b: 10, c: 10, d: 70 });
    // 0.05 over 1:1:1 → 1.666… each: floors 1,1,1 = 3, spare 2 → ties → a, b
    expect(
      obj(
        allocate(5, [
          { key: 'c', weight: 1 },
          { key: 'b', weight: 1 },
          { key: 'a', weight: 1 },
        ]),
      ),
    ).toEqual({ a: 2, b: 2, c: 1 });
    // 0.10 over 2:3:5 with 0.07 → 1.4, 2.1, 3.5 → floors 1,2,3 (6), spare 1 → c (.5)
    expect(
      obj(
        allocate(7, [
          { key: 'a', weight: 2 },
          { key: 'b', weight: 3 },
          { key: 'c', weight: 5 },
        ]),
      ),
    ).toEqual({ a: 1, b: 2, c: 4 });
  });

  it('zero weights get nothing; an all-zero split of a positive amount is refused', () => {
    expect(
      obj(
        allocate(100, [
          { key: 'a', weight: 0 },
          { key: 'b', weight: 3 },
        ]),
      ),
    ).toEqual({ a: 0, b: 100 });
    expect(() => allocate(100, [{ key: 'a', weight: 0 }])).toThrow(AllocationError);
    expect(obj(allocate(0, [{ key: 'a', weight: 0 }]))).toEqual({ a: 0 });
    expect(() => allocate(-1, [{ key: 'a', weight: 1 }])).toThrow(AllocationError);
    expect(() => allocate(1.5, [{ key: 'a', weight: 1 }])).toThrow(AllocationError);
    expect(() =>
      allocate(1, [
        { key: 'a', weight: 1 },
        { key: 'a', weight: 1 },
      ]),
    ).toThrow(AllocationError);
  });

  it('formats hundredths exactly', () => {
    expect(formatHundredths(12345n)).toBe('123.45');
    expect(formatHundredths(5)).toBe('0.05');
    expect(formatHundredths(-5n)).toBe('-0.05');
  });

  const sharesArb = fc
    .uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.nat({ max: 1_000_000 }) }), { selector: (s) => s.key, minLength: 1, maxLength: 12 })
    .filter((s) => s.some((x) => x.weight > 0));
  const amountArb = fc.bigInt({ min: 0n, max: 10n ** 15n });

  it('property: parts always add up exactly to the amount and are never negative', () => {
    fc.assert(
      fc.property(amountArb, sharesArb, (amount, shares) => {
        const parts = [...allocate(amount, shares).values()];
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
        expect(parts.every((p) => p >= 0n)).toBe(true);
      }),
    );
  });

  it('property: independent of input order and deterministic', () => {
    fc.assert(
      fc.property(amountArb, sharesArb, fc.nat(), (amount, shares, seed) => {
        const shuffled = [...shares].sort((a, b) => ((a.key.charCodeAt(0) * 31 + seed) % 7) - ((b.key.charCodeAt(0) * 31 + seed) % 7));
        expect(obj(allocate(amount, shuffled))).toEqual(obj(allocate(amount, shares)));
        expect(obj(allocate(amount, shares))).toEqual(obj(allocate(amount, shares)));
      }),
    );
  });

  it('property: each part is within one hundredth of its exact share, and more weight never gets less', () => {
    fc.assert(
      fc.property(amountArb, sharesArb, (amount, shares) => {
        const res = allocate(amount, shares);
        const sum = shares.reduce((a, s) => a + BigInt(s.weight), 0n);
        for (const s of shares) {
          const part = res.get(s.key)!;
          const floor = (amount * BigInt(s.weight)) / sum;
          expect(part === floor || part === floor + 1n).toBe(true);
        }
        for (const a of shares) for (const b of shares) if (a.weight > b.weight) expect(res.get(a.key)! >= res.get(b.key)!).toBe(true);
      }),
    );
  });
});
