import { z } from 'zod';
import { isIsoDay } from './products.rules.js';

/** A calendar day, 2026-11-22. */
export const Day = z.string().refine(isIsoDay, '日期格式应为 YYYY-MM-DD（如 2026-11-22）');

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, '只能包含字母、数字、下划线、点和短横线');
/** A unit score as a decimal string ("12.50") or number; two decimals at most. */
export const ScoreInput = z.union([z.string().trim().min(1).max(20), z.number()]);

export const ProductLineOut = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), retail: z.boolean(), sort: z.number() });
export const PutLineBody = z.strictObject({
  nameZh: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().min(1).max(80),
  /** Retail lines carry the yearly targets (SPEC §10). */
  retail: z.boolean().default(true),
  sort: z.number().int().min(0).max(1_000_000).default(0),
});
export const LineParams = z.strictObject({ code });

export const ProductOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  lineCode: z.string(),
  lineName: z.string(),
  /** Department code resolved in each branch (PF → that branch's 个人金融部). */
  hostDepartmentCode: z.string(),
  /** The name the branches give that code (个人金融部), for people; null when no branch has it. */
  hostDepartmentName: z.string().nullable(),
  unit: z.string(),
  mortgage: z.boolean(),
  active: z.boolean(),
  /** The unit score in force on the day asked (today by default), "12.50"; null when none. */
  score: z.string().nullable(),
  scoreFrom: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ProductOutT = z.infer<typeof ProductOut>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ProductQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  /** Code or name, partial. */
  q: z.string().trim().max(50).optional(),
  lineCode: z.string().trim().max(32).optional(),
  active: bool.optional(),
  /** The day whose score versions are shown; today (Beijing) by default. */
  date: Day.optional(),
});
export type ProductFilter = z.infer<typeof ProductQuery>;

export const CreateProductBody = z.strictObject({
  code,
  name: z.string().trim().min(1).max(50),
  lineCode: code,
  hostDepartmentCode: code,
  /** 件 / 户 / 万元 / 张 / 笔 … */
  unit: z.string().trim().min(1).max(10),
  mortgage: z.boolean().default(false),
  /** The first unit score version, optional. */
  score: z.strictObject({ score: ScoreInput, effectiveFrom: Day, note: z.string().trim().max(200).nullish() }).optional(),
});

export const UpdateProductBody = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  lineCode: code.optional(),
  hostDepartmentCode: code.optional(),
  unit: z.string().trim().min(1).max(10).optional(),
  mortgage: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const ScoreBody = z.strictObject({
  /** Points per unit, e.g. "12.50". */
  score: ScoreInput,
  /** The first day the version is in force. */
  effectiveFrom: Day,
  note: z.string().trim().max(200).nullish(),
});

export const ScoreOut = z.object({
  id: z.number(),
  productId: z.number(),
  score: z.string(),
  scoreHundredths: z.number(),
  effectiveFrom: z.string(),
  /** The last day in force (the day before the next version), null while open-ended. */
  effectiveTo: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: z.number().nullable(),
  createdAt: z.date(),
});

export const CreatedScoreOut = ScoreOut.extend({
  /** Sales already recorded in the version's days, scored again in the same transaction. */
  rescoredSales: z.number(),
});

export const DateQuery = z.strictObject({ date: Day.optional() });
