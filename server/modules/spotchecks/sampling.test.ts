import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrng, drawSample, sampleSize } from './sampling.js';

/** Distinct, ascending ids as the database lists a month's sales. */
const idList = (min: number, max: number) => fc.uniqueArray(fc.integer({ min: 1, max: 10_000_000 }), { minLength: min, maxLength: max }).map((a) => a.sort((x, y) => x - y));

describe('spot-check sampling (SPEC §9.4: the seed is recorded, the sample reproducible)', () => {
  it('same seed + same ordered ids → the same sample', () => {
    fc.assert(
      fc.property(idList(0, 300), fc.nat(400), fc.string({ maxLength: 40 }), (ids, k, seed) => {
        expect(drawSample(ids, k, seed)).toEqual(drawSample([...ids], k, seed));
      }),
    );
  });

  it('a sample is k distinct members of the list, in list order', () => {
    fc.assert(
      fc.property(idList(0, 300), fc.nat(400), fc.string({ maxLength: 40 }), (ids, k, seed) => {
        const s = drawSample(ids, k, seed);
        expect(s).toHaveLength(Math.min(k, ids.length));
        expect(new Set(s).size).toBe(s.length);
        const pos = s.map((id) => ids.indexOf(id));
        expect(pos.every((p) => p >= 0)).toBe(true);
        expect([...pos].sort((a, b) => a - b)).toEqual(pos);
      }),
    );
  });

  it('different seeds → different samples (large enough population)', () => {
    // C(200, 5) ≈ 2.5e9 samples: two seeds coinciding would be a defect, not chance.
    fc.assert(
      fc.property(idList(200, 400), fc.integer({ min: 5, max: 40 }), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (ids, k, a, b) => {
        fc.pre(a !== b);
        expect(drawSample(ids, k, a)).not.toEqual(drawSample(ids, k, b));
      }),
    );
  });

  it('is fixed for a fixed seed (a recorded draw stays reproducible across releases)', () => {
    const ids = Array.from({ length: 50 }, (_, i) => 1000 + i);
    expect(drawSample(ids, 5, 'S-2026-10')).toEqual(drawSample(ids, 5, 'S-2026-10'));
    const next = createPrng('linkage');
    const first = [next(), next(), next()];
    const again = createPrng('linkage');
    expect([again(), again(), again()]).toEqual(first);
    expect(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('every member is about equally likely (no modulo bias, no favourite positions)', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const hits = new Map<number, number>();
    for (let s = 0; s < 5000; s++) for (const id of drawSample(ids, 3, `seed-${s}`)) hits.set(id, (hits.get(id) ?? 0) + 1);
    // Expected 1500 each; ±15 % is far beyond chance (σ ≈ 32).
    for (const id of ids) expect(Math.abs((hits.get(id) ?? 0) - 1500)).toBeLessThan(225);
  });

  it('sample size: a count, or a percentage with a minimum, never more than the population', () => {
    expect(sampleSize({ count: 5 }, 100)).toBe(5);
    expect(sampleSize({ count: 500 }, 100)).toBe(100);
    expect(sampleSize({ percentBp: 1000, minimum: 3 }, 100)).toBe(10); // 10 %
    expect(sampleSize({ percentBp: 1000, minimum: 3 }, 11)).toBe(3); // ceil(1.1) = 2 < minimum 3
    expect(sampleSize({ percentBp: 550, minimum: 0 }, 101)).toBe(6); // ceil(5.555)
    expect(sampleSize({ percentBp: 1000, minimum: 30 }, 20)).toBe(20);
    expect(sampleSize({ count: 5 }, 0)).toBe(0);
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 10_000 }), fc.nat(1000), (n, bp, min) => {
        const k = sampleSize({ percentBp: bp, minimum: min }, n);
        expect(k).toBeLessThanOrEqual(n);
        expect(k).toBeGreaterThanOrEqual(Math.min(n, min));
        expect(k * 10_000).toBeGreaterThanOrEqual(Math.min(n * bp, n * 10_000));
      }),
    );
  });
});
