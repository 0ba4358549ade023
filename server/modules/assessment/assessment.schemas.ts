import { z } from 'zod';
import { itemList } from '../../http/lists.js';
import { Id, IdIn } from '../../http/ids.js';
import { PERIOD_STATES } from '../../db/schema/periods.js';
import { ASSESSMENT_STATES } from '../../db/schema/quotas.js';
import { PointsOut } from '../statements/statement.schemas.js';

/**
 * Year-end assessment API shapes (SPEC §10, Art. 17, 22, 23). Money leaves as "33333.34" AND
 * integer 分, points as "123.45" AND integer hundredths, percentages as basis points.
 */

const Text2 = z.object({ zh: z.string(), en: z.string() });
const Safe = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Art. 17 award rules as configuration (stored in award_rule_sets.rules). */
export const AwardRulesSchema = z.strictObject({
  /** 对照年初目标扣分: below `belowBp` of quota (mean per-product completion) → KPI points deducted. */
  kpiDeductions: z
    .array(z.strictObject({ belowBp: z.number().int().min(1).max(100_000), deductHundredths: Safe, label: z.string().max(40).optional() }))
    .max(10)
    .default([]),
  /** 专项奖励: at least `atLeastBp` → `amountFen` (the highest tier reached). */
  specialAwards: z
    .array(z.strictObject({ atLeastBp: z.number().int().min(0).max(100_000), amountFen: Safe, label: z.string().max(40).optional() }))
    .max(10)
    .default([]),
  /** 重点项目突破奖: split among the departments with points in the project, by those points. */
  keyProjects: z
    .array(z.strictObject({ projectId: IdIn, amountFen: Safe, label: z.string().min(1).max(40) }))
    .max(50)
    .refine((l) => new Set(l.map((k) => k.projectId)).size === l.length, '同一项目只能设置一项奖励')
    .default([]),
  /** 绩效工资归属协办行或经营行网点: list outlets' cross-sale points for HR and finance. */
  outletAttribution: z.boolean().default(true),
});

export const MoneyOut = z.object({
  /** e.g. "33333.34" (元) */
  amount: z.string(),
  /** e.g. 3333334 (分) */
  amountFen: z.number().int(),
});

const Who = z.object({ id: z.number(), name: z.string() }).nullable();

export const ResultOut = z.object({
  pool: MoneyOut,
  gateBp: z.number(),
  totals: z.object({ points: PointsOut, counted: PointsOut, gated: PointsOut, reward: MoneyOut, special: MoneyOut }),
  notes: z.array(Text2),
  /** The 50 % gate: every department × product with a quota, passed or not, with the reason. */
  gate: z.array(
    z.object({
      /** 机构号 of the run's branch. */
      branchCode: z.string(),
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      productId: z.number(),
      productCode: z.string(),
      productName: z.string(),
      unit: z.string(),
      quota: z.string(),
      quota1e4: z.number(),
      completion: z.string(),
      completion1e4: z.number(),
      completionBp: z.number().nullable(),
      passed: z.boolean(),
      points: PointsOut,
      reason: Text2,
    }),
  ),
  departments: z.array(
    z.object({
      branchCode: z.string(),
      departmentId: z.number(),
      /** The department code. */
      code: z.string(),
      name: z.string(),
      points: PointsOut,
      counted: PointsOut,
      gated: PointsOut,
      completionBp: z.number().nullable(),
      reward: MoneyOut,
      special: MoneyOut,
      kpiDeduction: PointsOut,
      notes: z.array(Text2),
    }),
  ),
  /** The payout lines: one per person (or the department's own part). */
  people: z.array(
    z.object({
      branchCode: z.string(),
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      /** null: the department's own part */
      staffId: z.number().nullable(),
      staffNo: z.string().nullable(),
      name: z.string(),
      points: PointsOut,
      counted: PointsOut,
      reward: MoneyOut,
      special: MoneyOut,
    }),
  ),
  outlets: z.array(z.object({ branchCode: z.string(), outletNodeId: z.number(), outletCode: z.string(), name: z.string(), points: PointsOut, sales: z.number(), note: Text2 })),
});
export type ResultOutT = z.infer<typeof ResultOut>;

export const RunSummaryOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  year: z.number(),
  /** draft → approved (committee) → locked (paid out); superseded: set aside when the committee reopened the year */
  state: z.enum(ASSESSMENT_STATES),
  pool: MoneyOut,
  gateBp: z.number(),
  quotaVersion: z.number().nullable(),
  ruleSetId: z.number().nullable(),
  inputsHash: z.string(),
  createdBy: Who,
  createdAt: z.string(),
  approvedBy: Who,
  approvedAt: z.string().nullable(),
  lockedBy: Who,
  lockedAt: z.string().nullable(),
  supersededBy: Who,
  supersededAt: z.string().nullable(),
  /** Why the committee reopened the year (superseded runs only). */
  supersedeReason: z.string().nullable(),
});
export const RunOut = RunSummaryOut.extend({ result: ResultOut });
export type RunOutT = z.infer<typeof RunOut>;
export const RunListOut = itemList(RunSummaryOut);

export const RunListQuery = z.strictObject({ nodeId: Id, year: z.coerce.number().int().min(2000).max(2100).optional() });
export const RunIdParams = z.strictObject({ id: Id });
export const ReopenBody = z.strictObject({
  /** Mandatory: why the committee reopens the finally assessed year (kept on the run and in the audit log). */
  reason: z.string().trim().min(2).max(500),
});

export const YearQuery = z.strictObject({ nodeId: Id, year: z.coerce.number().int().min(2000).max(2100) });
const OpenMonthOut = z.object({ nodeId: z.number(), nodeName: z.string(), month: z.string(), state: z.enum(PERIOD_STATES) });
/** Art. 22: whether the assessment period has ended (every month locked in the branches covered). */
export const YearStatusOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  /** True when a final run may be made: every month 01..12 locked in every branch covered. */
  closed: z.boolean(),
  openMonths: z.array(OpenMonthOut),
  /** Why no final run is possible yet, in words (null when closed). */
  reason: Text2.nullable(),
  finalRun: z.object({ id: z.number(), state: z.enum(ASSESSMENT_STATES) }).nullable(),
});

/** The pool as 元 text ("100000.00", "10万") or as integer 分. */
const Pool = {
  pool: z.union([z.string().max(32), z.number()]).optional(),
  poolFen: Safe.optional(),
};

export const RunBody = z.strictObject({
  nodeId: IdIn,
  year: z.number().int().min(2000).max(2100),
  ...Pool,
  /** Default 5000 (50 %). */
  gateBp: z.number().int().min(0).max(10_000).optional(),
});

export const WhatIfBody = z.strictObject({
  nodeId: IdIn,
  year: z.number().int().min(2000).max(2100),
  /** Compare against this run (default: the approved run, else the latest draft, else a fresh computation). */
  runId: IdIn.optional(),
  ...Pool,
  gateBp: z.number().int().min(0).max(10_000).optional(),
  /** Department quotas to replace (quantity) or remove (null) in the what-if. */
  quotas: z
    .array(z.strictObject({ departmentId: IdIn, productId: IdIn, quantity: z.union([z.string().max(24), z.number()]).nullable() }))
    .max(2000)
    .optional(),
});

export const WhatIfOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  /** run: the stored result of `runId`; computed: no run yet, computed from the data now. */
  base: z.object({ source: z.enum(['run', 'computed']), runId: z.number().nullable(), result: ResultOut }),
  whatIf: ResultOut,
  /** Per department, side by side. */
  departments: z.array(
    z.object({
      branchCode: z.string(),
      departmentId: z.number(),
      /** The department code. */
      code: z.string(),
      name: z.string(),
      baseCounted: PointsOut,
      whatIfCounted: PointsOut,
      baseReward: MoneyOut,
      whatIfReward: MoneyOut,
      delta: MoneyOut,
    }),
  ),
  /** Always false: a what-if writes nothing. */
  written: z.literal(false),
  /** Always true: a what-if is a trial (试算), never a final result. */
  trial: z.literal(true),
  /** 试算 / What-if */
  label: Text2,
  /** Why a final run is not yet possible (months still open), null when the year is over. */
  yearOpen: Text2.nullable(),
});

export const RulesQuery = z.strictObject({ nodeId: Id, year: z.coerce.number().int().min(2000).max(2100) });
export const RulesBody = z.strictObject({ nodeId: IdIn, effectiveYear: z.number().int().min(2000).max(2100), rules: AwardRulesSchema });
export const RuleSetOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  effectiveYear: z.number(),
  rules: AwardRulesSchema,
  updatedAt: z.string(),
});
export const RulesOut = z.object({
  /** The set in force for the year (the branch's, else the nearest ancestor's); null: the defaults apply. */
  inForce: RuleSetOut.nullable(),
  defaults: AwardRulesSchema,
  /** Every set on this node, newest first. */
  history: z.array(RuleSetOut),
});
