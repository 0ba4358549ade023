import { codeText, freeText, numberText, upperCodeText } from '../../../shared/normalize';

/**
 * antd `Form.Item normalize` functions: what a person types with a Chinese IME (full-width digits,
 * letters and punctuation) becomes what the imports would read from the same text (issue 12:
 * "forms normalise full-width input exactly as imports do"). Non-strings pass through untouched.
 */
const onText =
  (f: (s: string) => string) =>
  <T>(value: T): T =>
    (typeof value === 'string' ? f(value) : value) as T;

/** 工号, 机构号, 部门代码, 交易流水号. */
export const normalizeCode = onText(codeText);
/** 统一社会信用代码 (USCC): half-width capitals. */
export const normalizeUscc = onText(upperCodeText);
/** An amount or a quantity typed as text: １２．５ → 12.5, 1，234 → 1234. */
export const normalizeNumber = onText(numberText);
/**
 * A name or a free-text field: full-width ASCII made half-width, CJK punctuation kept. It runs on
 * every keystroke, so one trailing blank is kept (else "Foshan B…" could never be typed); the
 * server trims what it is sent.
 */
export const normalizeText = onText((s) => {
  const text = freeText(s);
  return text && /[\s\u3000]$/.test(s) ? `${text} ` : text;
});

/**
 * An antd InputNumber `parser`: its own drops every character that is not ASCII, so a full-width
 * １２．５ would read as nothing; this reads it as the imports do (12.5, thousands separators gone).
 */
export function parseNumberInput<T extends string | number = string>(s: string | undefined): T {
  // rc-input-number reads whatever its parser returns as a decimal string (getMiniDecimal), even
  // where its typing says number: text is exact, and an empty field stays empty rather than 0.
  return numberText(s ?? '') as unknown as T;
}
