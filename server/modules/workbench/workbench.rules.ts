/**
 * The workbench's pure rules (issue 12): a person's points by product over the month and the year,
 * and their place among colleagues. Points are integer hundredths throughout.
 */

export interface ProductPointsRow {
  productId: number;
  /** First day of the month the points were written in ('2026-12-01'). */
  period: string;
  pointsHundredths: number;
}

export interface ProductTotal {
  productId: number;
  monthHundredths: number;
  yearHundredths: number;
}

/**
 * Sums a person's product lines into this month and this year (the year = every row given, so the
 * caller passes the year's rows only). Products whose month and year both net to zero drop out;
 * the list is ordered by year points, highest first, then product id.
 */
export function pointsByProduct(list: readonly ProductPointsRow[], monthStart: string): { products: ProductTotal[]; monthHundredths: number; yearHundredths: number } {
  const byProduct = new Map<number, ProductTotal>();
  for (const r of list) {
    const t = byProduct.get(r.productId) ?? { productId: r.productId, monthHundredths: 0, yearHundredths: 0 };
    t.yearHundredths += r.pointsHundredths;
    if (r.period === monthStart) t.monthHundredths += r.pointsHundredths;
    byProduct.set(r.productId, t);
  }
  const products = [...byProduct.values()].filter((t) => t.monthHundredths !== 0 || t.yearHundredths !== 0).sort((a, b) => b.yearHundredths - a.yearHundredths || a.productId - b.productId);
  return {
    products,
    monthHundredths: products.reduce((s, t) => s + t.monthHundredths, 0),
    yearHundredths: products.reduce((s, t) => s + t.yearHundredths, 0),
  };
}

export interface Ranked {
  staffId: number;
  staffNo: string;
  pointsHundredths: number;
}

/**
 * A person's rank among `people` by points, highest first; equal points go to the staff number
 * that sorts first (SPEC §7), so every place is distinct. `of` = how many were ranked. Null when
 * the person is not among them.
 */
export function rankAmong(people: readonly Ranked[], staffId: number): { rank: number; of: number } | null {
  const sorted = [...people].sort((a, b) => b.pointsHundredths - a.pointsHundredths || (a.staffNo < b.staffNo ? -1 : a.staffNo > b.staffNo ? 1 : 0));
  const i = sorted.findIndex((p) => p.staffId === staffId);
  return i < 0 ? null : { rank: i + 1, of: sorted.length };
}

/** The branch (二级分行, depth 3 of the org tree, SPEC §1) of a node, from its path; null above branches. */
export function branchPathOf(nodePath: string): string | null {
  const ids = nodePath.split('/').filter(Boolean);
  return ids.length < 3 ? null : `/${ids.slice(0, 3).join('/')}/`;
}
