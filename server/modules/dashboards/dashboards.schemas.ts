import { z } from 'zod';
import { Id } from '../../http/ids.js';
import { PointsOut } from '../statements/statement.schemas.js';

/**
 * Dashboards API shapes (SPEC §10, §13). Points leave as "123.45" AND integer hundredths,
 * quantities as a decimal string AND × 10⁴, percentages as integer basis points — never a float.
 * The 50 % and 100 % reference lines are drawn by the console; `reached50` / `reached100` say
 * where each figure stands against them (exact integer comparisons).
 */

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10');

/** Filters shared by every board: branch (in scope), product line, and a year or a month range. */
export const BoardQuery = z.strictObject({
  nodeId: Id,
  /** A whole year … */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /** … or a month range, both ends included. */
  from: Month.optional(),
  to: Month.optional(),
  lineCode: z.string().min(1).max(32).optional(),
});
export type BoardQueryT = z.infer<typeof BoardQuery>;

export const RankingQuery = BoardQuery.extend({
  /** How many people to list (default 100). */
  limit: z.coerce.number().int().min(1).max(5000).optional(),
}).strict();

/** Drill-down: no nodeId → the branches in scope; nodeId → its departments; + departmentId → its people. */
export const DrillQuery = z.strictObject({
  nodeId: Id.optional(),
  departmentId: Id.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  from: Month.optional(),
  to: Month.optional(),
  lineCode: z.string().min(1).max(32).optional(),
});
export type DrillQueryT = z.infer<typeof DrillQuery>;

const Node = z.object({ id: z.number(), code: z.string(), name: z.string() });
const Period = z.object({ from: z.string(), to: z.string(), months: z.array(z.string()) });

export const CompletionRowOut = z.object({
  quotaId: z.number().nullable(),
  departmentId: z.number(),
  departmentCode: z.string(),
  departmentName: z.string(),
  productId: z.number(),
  productCode: z.string(),
  productName: z.string(),
  lineCode: z.string(),
  unit: z.string(),
  staffId: z.number().nullable(),
  staffNo: z.string().nullable(),
  staffName: z.string().nullable(),
  outletNodeId: z.number().nullable(),
  outletName: z.string().nullable(),
  /** null: no quota set for this department × product (completion shown, no percentage). */
  quota: z.string().nullable(),
  quota1e4: z.number().nullable(),
  completion: z.string(),
  completion1e4: z.number(),
  sales: z.number(),
  /** floor(completion × 10000 / quota); null without a quota or with a quota of 0. */
  completionBp: z.number().nullable(),
  reached50: z.boolean().nullable(),
  reached100: z.boolean().nullable(),
});

export const CompletionOut = z.object({
  node: Node,
  year: z.number(),
  period: Period,
  lineCode: z.string().nullable(),
  plan: z.object({ state: z.enum(['draft', 'approved']), approvedVersion: z.number() }),
  rows: z.array(CompletionRowOut),
  departments: z.array(z.object({ departmentId: z.number(), departmentCode: z.string(), departmentName: z.string(), quotas: z.number(), reached50: z.number(), reached100: z.number() })),
});
export type CompletionOutT = z.infer<typeof CompletionOut>;

const Ranked = <T extends z.ZodRawShape>(shape: T) => PointsOut.extend({ rank: z.number(), ...shape });

export const RankingsOut = z.object({
  node: Node,
  period: Period,
  lineCode: z.string().nullable(),
  /** statement_totals (no line filter) or the ledger by product line. */
  source: z.enum(['statement_totals', 'ledger']),
  total: PointsOut,
  departments: z.array(Ranked({ departmentId: z.number(), code: z.string(), name: z.string() })),
  people: z.array(Ranked({ staffId: z.number(), staffNo: z.string(), name: z.string(), departmentName: z.string().nullable(), nodeName: z.string() })),
});
export type RankingsOutT = z.infer<typeof RankingsOut>;

export const TrendOut = z.object({
  node: Node,
  period: Period,
  lineCode: z.string().nullable(),
  months: z.array(PointsOut.extend({ month: z.string(), voided: PointsOut, sales: z.number() })),
  total: PointsOut,
});
export type TrendOutT = z.infer<typeof TrendOut>;

export const DrillOut = z.object({
  level: z.enum(['branches', 'departments', 'people']),
  period: Period,
  lineCode: z.string().nullable(),
  node: Node.nullable(),
  department: z.object({ id: z.number(), code: z.string(), name: z.string() }).nullable(),
  total: PointsOut,
  /** people level: the department's points no person was named for. */
  departmentLevel: PointsOut.nullable(),
  items: z.array(PointsOut.extend({ id: z.number(), code: z.string(), name: z.string(), shareBp: z.number() })),
});
export type DrillOutT = z.infer<typeof DrillOut>;
