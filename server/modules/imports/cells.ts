import { z } from 'zod';
import { type CellRaw, normCode, normHeader, normPhone, normText, parseAmountFen, parseBool, parseDate, parseInteger } from './normalize.js';

/**
 * Zod cell schemas for import columns: each normalises the raw cell first (normalize.ts), then
 * checks it. A preprocess step that cannot understand the cell yields undefined, which the schema
 * refuses — so every bad cell is named in the error report.
 */
const pre = <T extends z.ZodType>(fn: (raw: CellRaw) => unknown, schema: T) => z.preprocess((v: unknown) => fn(v as CellRaw), schema);

/** A code such as 工号, 机构号, 部门代码: half-width letters, digits, - _ . only. */
export const codeCell = (max = 32) =>
  pre(
    normCode,
    z
      .string()
      .min(1)
      .max(max)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  );

/** Free text (names, addresses): trimmed, CJK punctuation kept. */
export const textCell = (max: number) => pre(normText, z.string().min(1).max(max));

/** A mainland mobile number: 11 digits starting 1[3-9]. */
export const phoneCell = () => pre(normPhone, z.string().regex(/^1[3-9]\d{9}$/));

export const emailCell = () =>
  pre(
    (v) => normCode(v)?.toLowerCase(),
    z
      .string()
      .max(120)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
  );

export const intCell = (min = -2_147_483_648, max = 2_147_483_647) => pre(parseInteger, z.number().int().min(min).max(max));

/** 'YYYY-MM-DD' from any date form normalize.ts knows. */
export const dateCell = () => pre(parseDate, z.string());

/** An amount in 元 (or 万元) → integer 分. */
export const amountFenCell = () => pre(parseAmountFen, z.number().int());

export const boolCell = () => pre(parseBool, z.boolean());

/** One of a fixed set, named in Chinese or English: { '在职': 'active', … } (matched loosely). */
export function enumCell<T extends string>(words: Record<string, T>) {
  const map = new Map(Object.entries(words).map(([k, v]) => [normHeader(k), v]));
  const values = [...new Set(Object.values(words))] as [T, ...T[]];
  return pre((v) => map.get(normHeader(v)), z.enum(values));
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
  );
