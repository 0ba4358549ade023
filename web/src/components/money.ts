/**
 * Amounts as a Chinese bank writes them, from integer 分 (never binary floating point):
 * 1,234,567.89 元, 50,000.00 万元.
 */

function group(intPart: bigint): string {
  return intPart.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `fen / 10^shift` rounded half-up to 2 decimals, grouped by thousands. */
function scaled(fen: number | string | bigint, shift: number): string {
  let v = BigInt(fen);
  const neg = v < 0n;
  if (neg) v = -v;
  // Hundredths of the target unit: 分 → 元 is /100 (shift 2), 分 → 万元 is /10^6 (shift 6).
  const div = 10n ** BigInt(shift - 2);
  const hundredths = div === 1n ? v : (v + div / 2n) / div;
  const s = `${group(hundredths / 100n)}.${(hundredths % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** 分 → "1,234,567.89"（元） */
export function yuanOf(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '-' : scaled(fen, 2);
}

/** 分 → "50,000.00"（万元） */
export function wanOf(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '-' : scaled(fen, 6);
}

/** 分 → "1,234.56 元" below 1 万元, else "123.46 万元" (AUM, holdings). */
export function fmtMoney(fen: number | null | undefined, unit: { yuan: string; wan: string }): string {
  if (fen === null || fen === undefined) return '-';
  return Math.abs(fen) < 1_000_000 ? `${yuanOf(fen)} ${unit.yuan}` : `${wanOf(fen)} ${unit.wan}`;
}

/** 元 typed in a form (up to 2 decimals) → integer 分; undefined when empty. */
export function fenOfYuan(v: number | string | null | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const s = String(v).trim();
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return Math.round(Number(s) * 100);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
}

/** 万元 typed in a form (up to 6 decimals) → integer 分. */
export function fenOfWan(v: number | string | null | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(String(v).trim());
  if (!m) return Math.round(Number(v) * 1_000_000);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0') || '0');
}

/** 分 → 万元 as a plain number for an InputNumber (exact to the 分; saved back through fenOfWan). */
export function wanNumber(fen: number | null | undefined): number | undefined {
  if (fen === null || fen === undefined) return undefined;
  const v = BigInt(fen);
  return Number(`${v / 1_000_000n}.${(v % 1_000_000n).toString().padStart(6, '0')}`);
}
