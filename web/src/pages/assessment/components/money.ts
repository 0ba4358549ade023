/**
 * 元 typed by a person → integer 分, exactly (no floating point): "100,000.00" → 10000000.
 * undefined when it is not an amount ≥ 0 with two decimals at most.
 */
export function fenOfYuanText(v: string | null | undefined): number | undefined {
  const s = String(v ?? '').replace(/[,，\s]/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** part ÷ whole in basis points, floored, with integers only (BigInt); null without a whole. */
export function shareBpOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Number((BigInt(part) * 10_000n) / BigInt(whole));
}
