/**
 * Pure rules of the inter-bank drive's figures (SPEC §11, seed 000; decision 0034). Integers only:
 * ratios are basis points (1 % = 100 bp), counts are whole institutions, and every division says how
 * it rounds. No database, no clock.
 */
import { addDays, weekday } from '../../calendar/index.js';

/** Rounding of an integer quotient: half up (default), always up, always down. */
export type Rounding = 'half_up' | 'up' | 'down';
export const ROUNDINGS: readonly Rounding[] = ['half_up', 'up', 'down'];

/** numerator ÷ denominator for non-negative integers, rounded as asked, with BigInt (exact). */
export function divide(numerator: number | bigint, denominator: number | bigint, rounding: Rounding = 'half_up'): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d <= 0n) throw new RangeError('denominator must be positive');
  if (n < 0n) throw new RangeError('numerator must not be negative');
  const q = n / d;
  const r = n % d;
  if (r === 0n) return Number(q);
  if (rounding === 'down') return Number(q);
  if (rounding === 'up') return Number(q + 1n);
  return Number(2n * r >= d ? q + 1n : q);
}

/**
 * 覆盖率 in basis points: signed × 10000 ÷ institutions, rounded half up to a whole basis point
 * (2 of 3 = 6667 bp = 66.67 %). No institutions in the jurisdiction: null (nothing to cover).
 */
export function coverageBp(signed: number, institutions: number): number | null {
  if (institutions <= 0) return null;
  return divide(BigInt(signed) * 10000n, institutions);
}

/**
 * The weekly-supervision flag: coverage strictly under the threshold, compared exactly by
 * cross-multiplication (signed × 10000 < threshold_bp × institutions), not on the rounded figure —
 * 3 of 5 = exactly 60 % is not flagged; 11999 of 20000 = 59.995 % (shown 60.00 % after rounding) is.
 * A branch with no institutions in its jurisdiction is not flagged.
 */
export function underThreshold(signed: number, institutions: number, thresholdBp: number): boolean {
  if (institutions <= 0) return false;
  return BigInt(signed) * 10000n < BigInt(thresholdBp) * BigInt(institutions);
}

/** Basis points as a percentage with two decimals, in integers: 6667 → '66.67%'. */
export function formatBp(bp: number | null): string {
  if (bp === null) return '—';
  const sign = bp < 0 ? '-' : '';
  const a = Math.abs(bp);
  return `${sign}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}%`;
}

/** Whole percent for the briefing's prose (6667 → '67%'), half up like the bank's own briefing. */
export function formatPercent(bp: number | null): string {
  return bp === null ? '—' : `${divide(bp, 100)}%`;
}

export interface Caliber {
  frameworkBp: number;
  productBp: number;
}

/**
 * 考核口径 weighted score (decision 0034): framework-agreement clients weigh `frameworkBp` (70 %),
 * product-agreement clients `productBp` (30 %), each counted against the branch's plan:
 *
 *   score_bp = (framework × frameworkBp + product × productBp) ÷ plan, rounded half up
 *
 * where `framework` = institutions with an active framework agreement and `product` = institutions
 * with an active product agreement (alone or beside a framework one). Signing every planned
 * institution on both agreements is 10000 bp (100 %); over-completion is not capped. Plan 0: null.
 */
export function weightedScoreBp(framework: number, product: number, plan: number, c: Caliber): number | null {
  if (plan <= 0) return null;
  return divide(BigInt(framework) * BigInt(c.frameworkBp) + BigInt(product) * BigInt(c.productBp), plan);
}

export interface Step {
  signings: number;
  bp: number;
}
export const DEFAULT_STEPS: readonly Step[] = [
  { signings: 1, bp: 6000 },
  { signings: 2, bp: 10000 },
];

/** Steps are increasing in signings and in bp, each bp 0–10000, at least one. */
export function stepsProblem(steps: readonly Step[]): string | null {
  if (steps.length === 0) return 'at least one step';
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!Number.isInteger(s.signings) || s.signings < 1) return `step ${i + 1}: signings must be a whole number ≥ 1`;
    if (!Number.isInteger(s.bp) || s.bp < 0 || s.bp > 10000) return `step ${i + 1}: bp must be 0–10000`;
    if (i > 0 && (s.signings <= steps[i - 1].signings || s.bp <= steps[i - 1].bp)) return `step ${i + 1}: must be above step ${i}`;
  }
  return null;
}

/** 无覆盖计划的二级分行: completion of the highest step reached by the signed count (0 below the first). */
export function stepScoreBp(signed: number, steps: readonly Step[]): number {
  let bp = 0;
  for (const s of steps) if (signed >= s.signings) bp = Math.max(bp, s.bp);
  return bp;
}

/**
 * 计划调整 (seed 000 四(二)): adjusted plan = benchmark count ÷ own count × branch plan, as one
 * integer division (benchmark × plan ÷ own) rounded once: 150 ÷ 100 × 10 = 15.
 */
export function adjustPlan(benchmarkCount: number, ownCount: number, plan: number, rounding: Rounding = 'half_up'): number {
  if (ownCount <= 0) throw new RangeError('own count must be positive');
  return divide(BigInt(benchmarkCount) * BigInt(plan), ownCount, rounding);
}

// ---- weeks ------------------------------------------------------------------------------------

/** The Sunday ending the week of a day (the day itself when it is a Sunday). */
export const weekEndOf = (day: string): string => addDays(day, 7 - weekday(day));

/** The last week that has ended on a Beijing day: the previous Sunday (yesterday on a Monday). */
export const lastEndedWeek = (today: string): string => addDays(today, -weekday(today));

export const isSunday = (day: string): boolean => weekday(day) === 7;

/**
 * When a flagged branch's weekly submission is due: in the week after the flagged one, on
 * `dueWeekday` (1 = Monday … 7 = Sunday) at `dueHour`:00 Beijing. Returned as the Beijing day and
 * hour; the caller makes the instant.
 */
export function submissionDue(flaggedWeekEnd: string, dueWeekday: number, dueHour: number): { day: string; hour: number; weekEnd: string } {
  return { day: addDays(flaggedWeekEnd, dueWeekday), hour: dueHour, weekEnd: addDays(flaggedWeekEnd, 7) };
}

export type SubmissionStatus = 'on_time' | 'late' | 'missing' | 'pending';

/** On time = submitted by the due instant (inclusive); late = after; missing = not yet and past due. */
export function submissionStatus(dueAt: Date, submittedAt: Date | null, now: Date): SubmissionStatus {
  if (submittedAt) return submittedAt.getTime() <= dueAt.getTime() ? 'on_time' : 'late';
  return now.getTime() > dueAt.getTime() ? 'missing' : 'pending';
}
