/**
 * Identity numbers of clients (SPEC §2): 统一社会信用代码 and 居民身份证号码, their check
 * characters, what can be derived from them, and how they are masked. Pure: no database, no clock
 * (the caller passes "today").
 */

// ---- 统一社会信用代码, GB 32100-2015 -----------------------------------------------------------

/** The 31 characters of GB 32100-2015 (no I, O, S, V, Z), in value order 0–30. */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th (check) character for the first 17; undefined when a character is outside the charset. */
export function usccCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]);
    if (v < 0) return undefined;
    sum += v * USCC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USCC_CHARSET[c === 31 ? 0 : c];
}

/** Upper-cases and strips blanks: what a user types becomes what we store. */
export function normaliseUscc(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** GB 32100-2015: 18 characters of the charset with a correct check character. */
export function isValidUscc(raw: string): boolean {
  const s = normaliseUscc(raw);
  if (!/^[0-9A-HJ-NP-RT-UW-Y]{18}$/.test(s)) return false;
  return usccCheckChar(s.slice(0, 17)) === s[17];
}

// ---- 居民身份证号码, GB 11643-1999 -------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The 18th (check) character for the first 17 digits. */
export function idCheckChar(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export interface IdNumberInfo {
  /** Normalised: upper-case X. */
  idNumber: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  /** The 17th digit: odd = male, even = female. */
  gender: 'M' | 'F';
  /** 6-digit administrative division code. */
  regionCode: string;
}

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'checksum';

/**
 * Checks an 18-digit 居民身份证号码 (GB 11643-1999): format, a non-zero province code, a real birth
 * date not after `today` ('YYYY-MM-DD'), the check character. Lower-case x is accepted.
 */
export function parseIdNumber(raw: string, today: string): { ok: true; info: IdNumberInfo } | { ok: false; problem: IdNumberProblem } {
  const s = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, problem: 'format' };
  if (s.startsWith('00') || Number(s.slice(0, 2)) < 11) return { ok: false, problem: 'region' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (y < 1800 || !isRealDate(y, m, d) || birthDate > today) return { ok: false, problem: 'birth_date' };
  if (idCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, info: { idNumber: s, birthDate, gender: Number(s[16]) % 2 === 1 ? 'M' : 'F', regionCode: s.slice(0, 6) } };
}

export function isValidIdNumber(raw: string, today: string): boolean {
  return parseIdNumber(raw, today).ok;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** Builds a valid ID number from region, birth date and a 3-digit sequence (seeds, tests). */
export function makeIdNumber(regionCode: string, birthDate: string, seq: number): string {
  const body = `${regionCode}${birthDate.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  return body + idCheckChar(body)!;
}

/** The words the UI and the import error report use for each problem. */
export const ID_PROBLEM_TEXT: Record<IdNumberProblem, { zh: string; en: string }> = {
  format: { zh: '身份证号码应为18位（最后一位可为X）', en: 'must be 18 characters (the last may be X)' },
  region: { zh: '身份证号码的地区码不正确', en: 'has an invalid region code' },
  birth_date: { zh: '身份证号码中的出生日期不正确', en: 'has an invalid birth date' },
  checksum: { zh: '身份证号码校验位不正确', en: 'has a wrong check digit' },
};

// ---- masking (SPEC §1: personal data masked unless the role needs it) ---------------------------

/** 440106199001011234 → 4401**********1234: the first and last four stay visible. */
export function maskIdNumber(id: string | null): string | null {
  if (!id) return id;
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 13812345678 → 138****5678. */
export function maskPhoneNumber(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
