/**
 * Dashboard arithmetic (SPEC §10, §13), pure: periods, completion percentages and rankings.
 * Exact integers throughout: basis points are floored, never rounded up past a line.
 */

export interface MonthRange {
  /** 'YYYY-MM' */
  from: string;
  to: string;
  months: string[];
}

/** A year, or a month range (both ends included); undefined when neither is well formed. */
export function periodRange(q: { year?: number; from?: string; to?: string }): MonthRange | undefined {
  let from: string;
  let to: string;
  if (q.from || q.to) {
    if (!q.from || !q.to || q.year !== undefined || q.from > q.to) return undefined;
    from = q.from;
    to = q.to;
  } else if (q.year !== undefined) {
    from = `${q.year}-01`;
    to = `${q.year}-12`;
  } else return undefined;
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const cur = `${y}-${String(m).padStart(2, '0')}`;
    months.push(cur);
    if (cur === to || months.length > 1200) break;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return { from, to, months };
}

/** floor(done × 10000 / quota) in basis points; null without a positive quota. */
export function completionBp(done1e4: number, quota1e4: number | null): number | null {
  if (quota1e4 === null || quota1e4 <= 0) return null;
  return Number((BigInt(done1e4) * 10_000n) / BigInt(quota1e4));
}

/** done ≥ share × quota, exactly (share in basis points); null without a quota. */
export function reached(done1e4: number, quota1e4: number | null, shareBp: number): boolean | null {
  if (quota1e4 === null) return null;
  return BigInt(done1e4) * 10_000n >= BigInt(shareBp) * BigInt(quota1e4);
}

/**
 * Standard competition ranking (1, 2, 2, 4) by points, highest first; equal points keep the
 * order of `id` (smaller first) and share a rank.
 */
export function rankByPoints<T extends { id: number; pointsHundredths: number }>(items: readonly T[]): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => b.pointsHundredths - a.pointsHundredths || a.id - b.id);
  let rank = 0;
  return sorted.map((x, i) => {
    if (i === 0 || x.pointsHundredths !== sorted[i - 1].pointsHundredths) rank = i + 1;
    return { ...x, rank };
  });
}

/** part ÷ whole in basis points, floored; 0 when the whole is not positive. */
export function shareBp(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number((BigInt(part) * 10_000n) / BigInt(whole));
}
