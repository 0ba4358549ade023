/**
 * 真实性抽查 sampling (SPEC §9.4, Art. 21), pure: the same seed and the same ordered list of sale
 * ids always give the same sample, so a recorded draw can be reproduced by anyone, years later.
 * No Math.random, no clock, no database.
 */

/** How big a sample: a fixed count, or a percentage (basis points) with a minimum count. */
export type SizeRule = { count: number } | { percentBp: number; minimum: number };

/** The sample size for a population of `n` (never more than `n`). Integer arithmetic only. */
export function sampleSize(rule: SizeRule, n: number): number {
  if (n <= 0) return 0;
  if ('count' in rule) return Math.max(0, Math.min(n, Math.floor(rule.count)));
  const byPercent = Math.ceil((n * rule.percentBp) / 10_000);
  return Math.min(n, Math.max(rule.minimum, byPercent));
}

/** cyrb128: a string → four 32-bit words (the PRNG's state). */
function hashSeed(seed: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32 (Small Fast Counting): a seeded generator of unsigned 32-bit integers. */
export function createPrng(seed: string): () => number {
  let [a, b, c, d] = hashSeed(seed);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of a fresh state are weakly mixed.
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** A uniform integer in [0, bound) by rejection (no modulo bias). */
function uniformBelow(next: () => number, bound: number): number {
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
  for (;;) {
    const x = next();
    if (x < limit) return x % bound;
  }
}

/**
 * Draws `size` distinct sale ids from `ids` (a partial Fisher–Yates shuffle driven by the seed)
 * and returns them in the order they have in `ids`.
 */
export function drawSample(ids: readonly number[], size: number, seed: string): number[] {
  const n = ids.length;
  const k = Math.max(0, Math.min(n, Math.floor(size)));
  const idx = Array.from({ length: n }, (_, i) => i);
  const next = createPrng(seed);
  for (let i = 0; i < k; i++) {
    const j = i + uniformBelow(next, n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((x, y) => x - y)
    .map((i) => ids[i]);
}
