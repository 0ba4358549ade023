/**
 * Largest-remainder allocation (SPEC §7 "Rounding", §10): splits an amount held in integer
 * hundredths (0.01 point, or 分 for money) between parts in proportion to integer weights, so
 * that the parts add up exactly to the amount. Each part first gets the floor of its exact share;
 * the spare hundredths go to the largest fractional remainders, ties to the key that sorts first.
 *
 * One function for points and money. Pure and exact: BigInt arithmetic, no floating point.
 */
export interface Share<K extends string = string> {
  key: K;
  /** A non-negative integer weight: a ratio in basis points, a percentage, a person's points … */
  weight: bigint | number;
}

export class AllocationError extends Error {
  constructor(
    readonly code: 'NEGATIVE_AMOUNT' | 'NEGATIVE_WEIGHT' | 'NO_WEIGHT' | 'DUPLICATE_KEY' | 'NOT_INTEGER',
    message: string,
  ) {
    super(message);
  }
}

const toBig = (v: bigint | number, what: string): bigint => {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new AllocationError('NOT_INTEGER', `${what} must be a safe integer, got ${v}`);
  return BigInt(v);
};

/**
 * Splits `amount` (integer hundredths, ≥ 0) over `shares`. Returns the parts in the order the
 * shares were given; the result does not depend on that order. Zero-weight parts get 0.
 * When every weight is 0 the amount cannot be split and an error is thrown.
 */
export function allocate<K extends string>(amount: bigint | number, shares: readonly Share<K>[]): Map<K, bigint> {
  const total = toBig(amount, 'amount');
  if (total < 0n) throw new AllocationError('NEGATIVE_AMOUNT', `amount must be ≥ 0, got ${total}`);
  const weights = shares.map((s) => toBig(s.weight, `weight of ${s.key}`));
  if (weights.some((w) => w < 0n)) throw new AllocationError('NEGATIVE_WEIGHT', 'weights must be ≥ 0');
  const keys = new Set(shares.map((s) => s.key));
  if (keys.size !== shares.length) throw new AllocationError('DUPLICATE_KEY', 'each part needs its own key');
  const sum = weights.reduce((a, b) => a + b, 0n);
  const out = new Map<K, bigint>();
  if (shares.length === 0) {
    if (total === 0n) return out;
    throw new AllocationError('NO_WEIGHT', 'nothing to allocate to');
  }
  if (sum === 0n) {
    if (total === 0n) {
      for (const s of shares) out.set(s.key, 0n);
      return out;
    }
    throw new AllocationError('NO_WEIGHT', 'all weights are zero');
  }
  // floor(total × w / sum) and the remainder (total × w) mod sum, compared exactly.
  const parts = shares.map((s, i) => {
    const exact = total * weights[i];
    return { key: s.key, base: exact / sum, rem: exact % sum };
  });
  let spare = total - parts.reduce((a, p) => a + p.base, 0n);
  const order = [...parts].sort((a, b) => (a.rem === b.rem ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.rem > b.rem ? -1 : 1));
  for (const p of order) {
    if (spare === 0n) break;
    if (p.rem === 0n) continue; // an exact share never takes a spare hundredth
    p.base += 1n;
    spare -= 1n;
  }
  for (const p of parts) out.set(p.key, p.base);
  return out;
}

/** Equal split: every part the same weight (SPEC §7 "equal when none are given"). */
export function allocateEqually<K extends string>(amount: bigint | number, keys: readonly K[]): Map<K, bigint> {
  return allocate(
    amount,
    keys.map((key) => ({ key, weight: 1 })),
  );
}

/** Formats integer hundredths as a decimal string: 12345n → "123.45", -5n → "-0.05". */
export function formatHundredths(v: bigint | number): string {
  const n = BigInt(v);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
