/**
 * What people type, made canonical — the one set of rules shared by the imports (server) and the
 * console's forms, so a 工号, a USCC or an amount typed with a Chinese IME's full-width characters
 * (４４１１００１４, ９１４４０６０…, １２．５) means the same in a form as in an Excel sheet.
 * Pure: no I/O.
 */

// U+3000 ideographic space, NBSP, zero-width characters and the BOM count as blanks.
const BLANKS = /[\u3000\u00a0\u2000-\u200b\u202f\u205f\ufeff]/g;

/** Full-width letters, digits and punctuation → half-width (NFKC), blanks made spaces, trimmed. */
export function halfWidth(s: string): string {
  return s.normalize('NFKC').replace(BLANKS, ' ').trim();
}

/** A code (工号, 机构号, 部门代码, USCC): NFKC half-width, no blanks at all. */
export function codeText(s: string): string {
  return halfWidth(s).replace(/\s+/g, '');
}

/** An upper-cased code: a USCC is written in capitals (91440604MA4UH1234X). */
export function upperCodeText(s: string): string {
  return codeText(s).toUpperCase();
}

/**
 * A number as typed: full-width digits and the full-width or ideographic point (１２．５, 12。5)
 * made half-width, thousands separators (1,234 / 1，234) and blanks removed. The result is still
 * text: the caller parses it into integer units, never a float.
 */
export function numberText(s: string): string {
  return halfWidth(s.replace(/[。．]/g, '.'))
    .replace(/[,\s]/g, '')
    .replace(/^\+/, '');
}

/**
 * Free text such as a name: inner runs of blanks collapsed, full-width ASCII letters and digits
 * made half-width — but CJK punctuation such as （） kept, as a bank writes 佛山分行（营业部）.
 */
export function freeText(s: string): string {
  return s
    .replace(BLANKS, ' ')
    .trim()
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ');
}
