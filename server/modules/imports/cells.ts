import { z } from 'zod';
import { type CellRaw, normCode, normHeader, normPhone, normText, parseAmountFen, parseBool, parseDate, parseInteger } from './normalize.js';

/** What a cell check returns for a cell its schema refuses. */
export const CELL_INVALID: unique symbol = Symbol('cell invalid');

/** A cell schema with a plain-JS twin of its safeParse: the value zod would give, or CELL_INVALID. */
export type CheckedCell<T extends z.ZodType = z.ZodType> = T & { cellCheck?: (raw: CellRaw) => unknown };

/**
 * Zod cell schemas for import columns: each normalises the raw cell first (normalize.ts), then
 * checks it. A preprocess step that cannot understand the cell yields undefined, which the schema
 * refuses — so every bad cell is named in the error report. `accepts` is the schema's check in
 * plain JS: zod's safeParse per cell was a tenth of reading a 100,000-row sheet, so parseCells
 * calls the twin (the same normalisation, then `accepts`) where there is one; cells.test.ts holds
 * the two to the same answer on every kind of cell.
 */
export const cellSchema = <T extends z.ZodType>(fn: (raw: CellRaw) => unknown, schema: T, accepts?: (v: unknown) => boolean): CheckedCell<T> => {
  const out = z.preprocess((v: unknown) => fn(v as CellRaw), schema) as unknown as CheckedCell<T>;
  if (accepts)
    out.cellCheck = (raw) => {
      const v = fn(raw);
      return accepts(v) ? v : CELL_INVALID;
    };
  return out;
};
const pre = cellSchema;

const isStr = (v: unknown): v is string => typeof v === 'string';
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PHONE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A code such as 工号, 机构号, 部门代码: half-width letters, digits, - _ . only. */
export const codeCell = (max = 32) => pre(normCode, z.string().min(1).max(max).regex(CODE), (v) => isStr(v) && v.length >= 1 && v.length <= max && CODE.test(v));

/** Free text (names, addresses): trimmed, CJK punctuation kept. */
export const textCell = (max: number) => pre(normText, z.string().min(1).max(max), (v) => isStr(v) && v.length >= 1 && v.length <= max);

/** A mainland mobile number: 11 digits starting 1[3-9]. */
export const phoneCell = () => pre(normPhone, z.string().regex(PHONE), (v) => isStr(v) && PHONE.test(v));

export const emailCell = () =>
  pre(
    (v) => normCode(v)?.toLowerCase(),
    z.string().max(120).regex(EMAIL),
    (v) => isStr(v) && v.length <= 120 && EMAIL.test(v),
  );

export const intCell = (min = -2_147_483_648, max = 2_147_483_647) => pre(parseInteger, z.number().int().min(min).max(max), (v) => isInt(v) && v >= min && v <= max);

/** 'YYYY-MM-DD' from any date form normalize.ts knows. */
export const dateCell = () => pre(parseDate, z.string(), isStr);

/** An amount in 元 (or 万元) → integer 分. */
export const amountFenCell = () => pre(parseAmountFen, z.number().int(), isInt);

export const boolCell = () => pre(parseBool, z.boolean(), (v) => typeof v === 'boolean');

/** One of a fixed set, named in Chinese or English: { '在职': 'active', … } (matched loosely). */
export function enumCell<T extends string>(words: Record<string, T>) {
  const map = new Map(Object.entries(words).map(([k, v]) => [normHeader(k), v]));
  const values = [...new Set(Object.values(words))] as [T, ...T[]];
  const allowed = new Set<unknown>(values);
  return pre(
    (v) => map.get(normHeader(v)),
    z.enum(values),
    (v) => allowed.has(v),
  );
}

/** A list in one cell, split on commas, 、, semicolons or blanks (full-width forms included). */
export const listCell = () =>
  pre(
    (v) =>
      normText(v)
        ?.split(/[,，、;；\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    z.array(z.string().min(1)).min(1),
    (v) => Array.isArray(v) && v.length >= 1 && v.every((s) => isStr(s) && s.length >= 1),
  );
