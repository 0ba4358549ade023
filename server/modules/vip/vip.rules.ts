import { addDays } from '../../calendar/dates.js';

/**
 * Pure rules of VIP identification (SPEC §5, Art. 15; seeds 003/004): which tier a person is of on
 * a day, the 临界区间 band under a tier and its ranking, whether an account manager's grade may
 * serve a tier, and how a new tier version fits the history. Integers only: money in 分, the band
 * in whole percent compared by cross-multiplication (no rounding).
 */

/** One version of a tier, as the rules need it; valid_to is inclusive, null = open-ended. */
export interface TierVersion {
  id: number;
  code: string;
  rank: number;
  aumThresholdFen: number;
  minProducts: number;
  requiredProductCode: string | null;
  requiredGrade: number;
  validFrom: string;
  validTo: string | null;
}

/** What the rules read of a person on a day: AUM (分) and the product codes held then. */
export interface PersonFacts {
  aumFen: number;
  products: readonly string[];
  /** Distinct products held, when `products` lists only the codes tiers require (else counted from it). */
  productCount?: number;
}

/** 客户经理等级 1–5 with their names. */
export const AM_GRADES = [
  { grade: 1, zh: '见习客户经理', en: 'Trainee' },
  { grade: 2, zh: '初级客户经理', en: 'Junior' },
  { grade: 3, zh: '中级客户经理', en: 'Intermediate' },
  { grade: 4, zh: '高级客户经理', en: 'Senior' },
  { grade: 5, zh: '资深客户经理', en: 'Principal' },
] as const;

/** True when the version is in force on the (Beijing) day. */
export const inForce = (t: Pick<TierVersion, 'validFrom' | 'validTo'>, day: string): boolean => t.validFrom <= day && (t.validTo === null || t.validTo >= day);

/** The versions in force on a day, one per code (the latest valid_from wins), best tier first. */
export function tiersInForce<T extends TierVersion>(versions: readonly T[], day: string): T[] {
  const byCode = new Map<string, T>();
  for (const v of versions) {
    if (!inForce(v, day)) continue;
    const had = byCode.get(v.code);
    if (!had || had.validFrom < v.validFrom) byCode.set(v.code, v);
  }
  return [...byCode.values()].sort((a, b) => b.rank - a.rank || a.code.localeCompare(b.code));
}

/** Which of a tier's criteria the person misses (empty = meets the tier). */
export function unmet(t: TierVersion, p: PersonFacts): ('aum' | 'products' | 'requiredProduct')[] {
  const out: ('aum' | 'products' | 'requiredProduct')[] = [];
  if (p.aumFen < t.aumThresholdFen) out.push('aum');
  if ((p.productCount ?? new Set(p.products).size) < t.minProducts) out.push('products');
  if (t.requiredProductCode && !p.products.includes(t.requiredProductCode)) out.push('requiredProduct');
  return out;
}

/** SPEC §5: the highest-ranked tier in force whose every criterion the person meets, or null. */
export function qualifyingTier<T extends TierVersion>(inForceTiers: readonly T[], p: PersonFacts): T | null {
  for (const t of [...inForceTiers].sort((a, b) => b.rank - a.rank)) if (unmet(t, p).length === 0) return t;
  return null;
}

/** A person inside the band under a tier: the tier to reach and how far (分). */
export interface NearTier<T extends TierVersion = TierVersion> {
  tier: T;
  gapFen: number;
}

/**
 * 临界区间客户 (seed 003 item 26, seed 004 item 1): the person's AUM is below a tier's threshold but
 * at least `bandPercent` % of it, and the tier ranks above the one they are of. Of several such
 * tiers, the nearest threshold (smallest gap) — the next step up. Exactly at band × threshold is
 * inside; exactly at the threshold is not near (the AUM criterion is met).
 */
export function nearTier<T extends TierVersion>(inForceTiers: readonly T[], p: PersonFacts, bandPercent: number, current: TierVersion | null = qualifyingTier(inForceTiers, p)): NearTier<T> | null {
  let best: NearTier<T> | null = null;
  for (const t of inForceTiers) {
    if (current && t.rank <= current.rank) continue;
    if (p.aumFen >= t.aumThresholdFen) continue;
    if (p.aumFen * 100 < t.aumThresholdFen * bandPercent) continue;
    const gapFen = t.aumThresholdFen - p.aumFen;
    if (!best || gapFen < best.gapFen || (gapFen === best.gapFen && t.rank < best.tier.rank)) best = { tier: t, gapFen };
  }
  return best;
}

/** Closeness in basis points of the threshold reached, floored (9,950 = 99.50 %). */
export const closenessBp = (aumFen: number, thresholdFen: number): number => Math.floor((aumFen * 10000) / thresholdFen);

/** The 临界 list's order: smallest gap first, then larger AUM, then the person's id (stable). */
export function rankNear<R extends { gapFen: number; aumFen: number; personId: number }>(list: readonly R[]): R[] {
  return [...list].sort((a, b) => a.gapFen - b.gapFen || b.aumFen - a.aumFen || a.personId - b.personId);
}

/** Art. 15: a tier is served by an AM whose grade is at least the tier's required grade. */
export function gradeServes(amGrade: number | null, requiredGrade: number): boolean {
  return amGrade !== null && amGrade >= requiredGrade;
}

/** A tier's settings as configured (a version without id and dates). */
export interface TierSettings {
  code: string;
  rank: number;
  aumThresholdFen: number;
  minProducts: number;
  requiredProductCode: string | null;
  requiredGrade: number;
}

/**
 * Tiers must be ordered: a higher rank asks at least the AUM and the AM grade of every lower rank
 * in force at the same time. Returns the first code the candidate contradicts, or null.
 */
export function orderConflict(others: readonly TierSettings[], c: TierSettings): string | null {
  for (const o of others) {
    if (o.code === c.code) continue;
    if (o.rank === c.rank) return o.code;
    const [lo, hi] = o.rank < c.rank ? [o, c] : [c, o];
    if (hi.aumThresholdFen < lo.aumThresholdFen || hi.requiredGrade < lo.requiredGrade) return o.code;
  }
  return null;
}

/** Same settings (what a re-import compares: nothing changes when nothing differs). */
export const sameSettings = (a: TierSettings, b: TierSettings): boolean =>
  a.code === b.code &&
  a.rank === b.rank &&
  a.aumThresholdFen === b.aumThresholdFen &&
  a.minProducts === b.minProducts &&
  (a.requiredProductCode ?? null) === (b.requiredProductCode ?? null) &&
  a.requiredGrade === b.requiredGrade;

/** How a new version from `from` fits a code's history: the version it closes and where it ends. */
export interface VersionPlan {
  /** The version in force the day before `from`, closed at from − 1 (or null). */
  close: { id: number; validTo: string } | null;
  /** The new version's last day: the day before the next later version, else its own end. */
  validTo: string | null;
  /** A version starting the same day, replaced in place (allowed for today or later only). */
  replace: number | null;
}

/**
 * Effective dating (history kept): a version from `from` closes the one in force before it the day
 * before, and runs until the next later version starts (or `validTo` if given and earlier). Nothing
 * is deleted; a version starting on the same day is replaced.
 */
export function planVersion(history: readonly Pick<TierVersion, 'id' | 'validFrom' | 'validTo'>[], from: string, validTo: string | null = null): VersionPlan {
  const same = history.find((h) => h.validFrom === from) ?? null;
  const before = history.filter((h) => h.validFrom < from).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
  const after = history.filter((h) => h.validFrom > from).sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  const dayBefore = addDays(from, -1);
  const close = before && (before.validTo === null || before.validTo >= from) ? { id: before.id, validTo: dayBefore } : null;
  let end = validTo;
  if (after) {
    const stop = addDays(after.validFrom, -1);
    if (end === null || end > stop) end = stop;
  }
  return { close, validTo: end, replace: same?.id ?? null };
}
