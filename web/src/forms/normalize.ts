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
/** A name or a free-text field: full-width ASCII made half-width, CJK punctuation kept. */
export const normalizeText = onText(freeText);
