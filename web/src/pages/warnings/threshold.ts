/**
 * An indicator's threshold as a person types it, and as the server stores it (an integer in the
 * data item's unit; SPEC §12). Amounts are typed in 元 with up to two decimals and stored in 分; a
 * change is typed as a percentage with up to two decimals and stored in basis points (−50 % →
 * −5000); days and counts are whole numbers. Parsed from the text, never through a binary float.
 */
export type ThresholdUnit = 'fen' | 'days' | 'count' | 'flag';
export type ThresholdKind = 'threshold' | 'change' | 'boolean';

/** What the threshold field is typed in: 元, 天, 次 or %. */
export function inputUnitOf(kind: ThresholdKind, unit: ThresholdUnit): 'yuan' | 'days' | 'count' | 'percent' | null {
  if (kind === 'boolean') return null;
  if (kind === 'change') return 'percent';
  return unit === 'fen' ? 'yuan' : unit === 'days' ? 'days' : 'count';
}

/** Hundredths written as a decimal: 150050 → "1500.5", −5000 → "-50". */
function hundredths(n: number): string {
  const neg = n < 0;
  const a = Math.abs(n);
  const frac = a % 100;
  return `${neg ? '-' : ''}${Math.trunc(a / 100)}${frac ? `.${String(frac).padStart(2, '0').replace(/0$/, '')}` : ''}`;
}

/** A stored threshold as the field shows it. */
export function thresholdText(kind: ThresholdKind, unit: ThresholdUnit, stored: number | null): string {
  if (stored === null || kind === 'boolean') return '';
  const u = inputUnitOf(kind, unit);
  return u === 'yuan' || u === 'percent' ? hundredths(stored) : String(stored);
}

/** The typed text as the stored integer, or null when it is not a number the unit allows. */
export function parseThreshold(kind: ThresholdKind, unit: ThresholdUnit, text: string): number | null {
  const s = text.trim().replace(/,/g, '');
  const u = inputUnitOf(kind, unit);
  if (u === null) return null;
  if (u === 'days' || u === 'count') return /^\d{1,12}$/.test(s) ? Number(s) : null;
  // 元 or %: two decimals at most; a change may be negative (a fall), an amount may not.
  const m = (u === 'percent' ? /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/ : /^()(\d{1,13})(?:\.(\d{1,2}))?$/).exec(s);
  if (!m) return null;
  const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' && v !== 0 ? -v : v;
}
