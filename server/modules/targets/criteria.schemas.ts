import { z } from 'zod';
import { TARGET_DEPT_KINDS } from '../../db/schema/index.js';
import { RuleSchema } from './criteria.rules.js';

/** 'YYYY-MM-DD' that is a real calendar day. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不是有效日期');

/** A stable criterion code such as CORP.CREDIT_LINE. */
export const CriterionCode = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Z][A-Z0-9_]*\.[A-Z0-9_]+$/, '代码形如 CORP.CREDIT_LINE');

export const CriteriaQuery = z.strictObject({
  departmentKind: z.enum(TARGET_DEPT_KINDS).optional(),
  /** The day to read the criteria in force on; today (Beijing) by default. */
  on: Day.optional(),
});

export const CodeParams = z.strictObject({ code: z.string().max(40) });

export const CriterionRowOut = z.object({
  id: z.number(),
  code: z.string(),
  departmentKind: z.enum(TARGET_DEPT_KINDS),
  nameZh: z.string(),
  nameEn: z.string(),
  /** The rule: { kind: gt|gte|lt|lte|eq|in|truthy|typeIs|all|any|other, … } */
  rule: z.unknown(),
  sort: z.number(),
  active: z.boolean(),
  effectiveFrom: z.string(),
  createdBy: z.number().nullable(),
  createdAt: z.date(),
});

export const CriterionOut = z.object({
  code: z.string(),
  departmentKind: z.enum(TARGET_DEPT_KINDS),
  /** Whether an active row is in force on the day asked. */
  inForce: z.boolean(),
  current: CriterionRowOut.nullable(),
  /** Every row of the code, newest first. */
  history: z.array(CriterionRowOut),
});

export const CreateCriterionBody = z.strictObject({
  code: CriterionCode,
  departmentKind: z.enum(TARGET_DEPT_KINDS),
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  rule: RuleSchema,
  sort: z.number().int().min(0).max(10_000).optional(),
  /** Not before today (Beijing). */
  effectiveFrom: Day,
});

export const ChangeCriterionBody = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(200).optional(),
    nameEn: z.string().trim().min(1).max(200).optional(),
    rule: RuleSchema.optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
    /** Not before today (Beijing); the change is a new row from this day. */
    effectiveFrom: Day,
  })
  .refine((b) => b.nameZh !== undefined || b.nameEn !== undefined || b.rule !== undefined || b.sort !== undefined || b.active !== undefined, {
    message: '至少修改一项 / change at least one field',
  });

export const DeactivateBody = z.strictObject({ effectiveFrom: Day });
