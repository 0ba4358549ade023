import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxOf, minMax, minOf, pushAll } from './numbers.js';

describe('shared/numbers: min, max and append without spreading (issue 10, finding 6)', () => {
  it('agrees with Math.min / Math.max on small lists, NaN and empty included', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), (xs) => {
        expect(minOf(xs)).toBe(Math.min(...xs));
        expect(maxOf(xs)).toBe(Math.max(...xs));
        expect(minMax(xs)).toEqual([Math.min(...xs), Math.max(...xs)]);
      }),
    );
    expect(minOf([])).toBe(Infinity);
    expect(maxOf([])).toBe(-Infinity);
    expect(minOf(new Set([3, 1, 2]))).toBe(1);
  });

  it('works at 1 M elements, where the spread throws RangeError', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.min(...big)).toThrow(RangeError);
    expect(minOf(big)).toBe(0);
    expect(maxOf(big)).toBe(big.reduce((a, b) => (a > b ? a : b)));
    expect(minMax(big)).toEqual([minOf(big), maxOf(big)]);
    const target = [1];
    expect(() => target.push(...big)).toThrow(RangeError);
    expect(pushAll(target, big)).toBe(target);
    expect(target).toHaveLength(1_000_001);
    expect(target[1_000_000]).toBe(big[999_999]);
  });
});
