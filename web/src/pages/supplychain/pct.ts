/** Basis points as a percentage with two decimals ('—' without a value): 300 → 3.00%. */
export const pct = (bp: number | null | undefined): string => (bp === null || bp === undefined ? '—' : `${(bp / 100).toFixed(2)}%`);
