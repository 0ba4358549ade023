/**
 * Cell normalisation for real bank sheets (SPEC §14): what people type into Excel in a Chinese
 * bank — full-width digits, trailing full-width spaces, 2026年10月12日, 1234.5万 — becomes one
 * canonical value. Pure: no database, no clock. Every parser returns `undefined` for "cannot
 * understand" and `null` for "empty", so the caller can name the bad cell.
 */

/** A cell as a reader hands it over: exceljs values are flattened to these. */
export type CellRaw = string | number | boolean | Date | null;

import { codeText, freeText, halfWidth } from '../../../shared/normalize.js';

export { halfWidth };

// U+3000 ideographic space, NBSP, zero-width characters and the BOM count as blanks.
const BLANKS = /[\u3000\u00a0\u2000-\u200b\u202f\u205f\ufeff]/g;

/** A Date as exceljs gives it: the wall-clock time of the cell stored in UTC fields. */
function isoDateOf(d: Date): string | undefined {
  if (Number.isNaN(d.getTime())) return undefined;
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Any cell as trimmed text (blanks included); empty → null. Numbers keep JS's shortest form. */
export function cellText(raw: CellRaw | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let s: string;
  if (raw instanceof Date) s = isoDateOf(raw) ?? '';
  else if (typeof raw === 'number') s = Number.isFinite(raw) ? numberToPlain(raw) : '';
  else if (typeof raw === 'boolean') s = raw ? 'TRUE' : 'FALSE';
  else s = raw;
  s = s.replace(BLANKS, ' ').trim();
  return s === '' ? null : s;
}

/**
 * Free text such as a name or an address: trimmed, inner runs of blanks collapsed, full-width
 * ASCII letters and digits made half-width — but CJK punctuation such as （） kept, because
 * that is how a bank writes 佛山分行（营业部）.
 */
export function normText(raw: CellRaw | undefined): string | null {
  const s = cellText(raw);
  if (s === null) return null;
  return freeText(s);
}

/** A code (工号, 机构号, 部门代码): NFKC half-width, no blanks at all. */
export function normCode(raw: CellRaw | undefined): string | null {
  const s = cellText(raw);
  if (s === null) return null;
  const out = codeText(s);
  return out === '' ? null : out;
}

/** A mobile number: half-width digits; spaces, dashes and a +86 / 86 prefix removed. */
export function normPhone(raw: CellRaw | undefined): string | null {
  const s = normCode(raw);
  if (s === null) return null;
  const digits = s.replace(/[-()（）]/g, '');
  return digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

function numberToPlain(n: number): string {
  // Excel stores 13800000000 as a double; print it without exponent when it is an integer.
  // String() prints a safe integer exactly as the locale form does, ~100× faster (-0 aside).
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 });
  return String(n);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function ymd(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Excel's 1900 date system, including its fictitious 1900-02-29 (serial 60), which we refuse. */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return undefined;
  const whole = Math.floor(serial);
  if (whole === 60) return undefined;
  const dayMs = 86_400_000;
  // Day 1 is 1900-01-01; after the phantom leap day everything shifts by one.
  const base = Date.UTC(1899, 11, whole < 60 ? 31 : 30);
  return isoDateOf(new Date(base + whole * dayMs));
}

const DATE_PATTERNS: RegExp[] = [/^(\d{4})年(\d{1,2})月(\d{1,2})日?$/, /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/];

/**
 * A date cell → 'YYYY-MM-DD'. Accepts 2026年10月12日, 2026/10/12, 2026-10-12, 2026.10.12,
 * 20261012, an Excel serial number, a Date (exceljs's UTC wall-clock) and a trailing time.
 */
export function parseDate(raw: CellRaw | undefined): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return isoDateOf(raw);
  if (typeof raw === 'number') {
    // 8-digit integers read as 20261012, everything else as a serial number.
    if (Number.isInteger(raw) && raw >= 10_000_000 && raw <= 99_991_231) return parseDate(String(raw));
    return excelSerialToDate(raw);
  }
  const text = cellText(raw);
  if (text === null) return null;
  // Drop a time part such as " 00:00:00" or "T08:00".
  const s = halfWidth(text)
    .replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '')
    .replace(/\s+/g, '');
  for (const re of DATE_PATTERNS) {
    const m = re.exec(s);
    if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  // A serial number typed as text (e.g. CSV exported from a sheet with an unformatted date).
  if (/^\d{1,7}(\.\d+)?$/.test(s)) return excelSerialToDate(Number(s));
  return undefined;
}

/** An integer (counts, sort order): '1,234' and full-width digits accepted; fractions refused. */
export function parseInteger(raw: CellRaw | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  const text = cellText(raw);
  if (text === null) return null;
  const s = halfWidth(text).replace(/[,\s]/g, '');
  if (!/^[-+]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Scales a decimal string by 10^places with string arithmetic (never a binary float):
 * ('1234.56', 2) → 123456. Returns undefined when more decimals are given than fit.
 */
export function scaleDecimal(s: string, places: number): number | undefined {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > places) return undefined;
  const digits = (m[2] + frac.padEnd(places, '0')).replace(/^0+(?=\d)/, '');
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return undefined;
  return m[1] === '-' && n !== 0 ? -n : n;
}

/**
 * An amount in 元 → integer 分: '1,234.56' → 123456, '1234.5万' → 1234500000, '¥12元' → 1200,
 * '(12.30)' → -1230 (accounting negative). Numbers from Excel are printed to their shortest
 * decimal form first, so 0.1 + 0.2 style binary noise never reaches the ledger.
 */
export function parseAmountFen(raw: CellRaw | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null;
  let text = typeof raw === 'number' ? (Number.isFinite(raw) ? numberToPlain(raw) : undefined) : cellText(raw);
  if (text === undefined) return undefined;
  if (text === null) return null;
  text = halfWidth(text).replace(/[,\s¥￥]|RMB|CNY/gi, '');
  let negative = false;
  const paren = /^\((.*)\)$/.exec(text);
  if (paren) {
    negative = true;
    text = paren[1];
  }
  let places = 2; // 元 → 分
  if (/万元?$/.test(text)) {
    places = 6; // 万元 → 分
    text = text.replace(/万元?$/, '');
  } else if (/亿元?$/.test(text)) {
    places = 10; // 亿元 → 分
    text = text.replace(/亿元?$/, '');
  } else {
    text = text.replace(/元$/, '');
  }
  if (text === '') return undefined;
  const fen = scaleDecimal(text, places);
  if (fen === undefined) return undefined;
  return negative ? -fen : fen;
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '对']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '不是']);

/** 是/否, Y/N, TRUE/FALSE, 1/0 → boolean. */
export function parseBool(raw: CellRaw | undefined): boolean | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean') return raw;
  const text = cellText(raw);
  if (text === null) return null;
  const s = halfWidth(text).toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return undefined;
}

/** A header cell made comparable: NFKC, no blanks, no required-marker '*', no "(必填)". */
export function normHeader(raw: CellRaw | undefined): string {
  const s = cellText(raw);
  if (s === null) return '';
  return halfWidth(s)
    .replace(/\((必填|选填|可选|required|optional)\)/gi, '')
    .replace(/[*\s]/g, '')
    .toLowerCase();
}
