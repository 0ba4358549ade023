/**
 * The mortgage threshold of a development (SPEC §8, Art. 20), in exact integers. Pure.
 * The scoring engine applies the rule to sales; this shows it beside the figures.
 */

/** Sole development lender: the bank's mortgage households must be ≥ 85 % of the total. */
export const SOLE_LENDER_THRESHOLD_BP = 8500;

/** The threshold in basis points: 85 % for a sole lender, the bank's loan share otherwise. */
export function thresholdBp(lenderMode: 'sole' | 'partial', loanShareBp: number | null): number {
  return lenderMode === 'sole' ? SOLE_LENDER_THRESHOLD_BP : (loanShareBp ?? 0);
}

/** bank / total ≥ threshold, exactly (exactly at the threshold counts); no households → not met. */
export function meetsThreshold(bank: number, total: number, threshold: number): boolean {
  if (total <= 0) return false;
  return bank * 10_000 >= threshold * total;
}

/** The ratio in basis points, truncated (display only; the verdict uses meetsThreshold). */
export function ratioBp(bank: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.floor((bank * 10_000) / total);
}
