import { z } from 'zod';
import { itemList } from '../../http/lists.js';
import { PERIOD_STATES } from '../../db/schema/periods.js';
import { Id } from '../../http/ids.js';
import { PointsOut, SaleSplitOut, withPoints } from '../scoring/scoring.schemas.js';

// The points shapes belong to scoring (its routes answer with them too); re-exported for the
// statements' callers.
export { PointsOut, SaleSplitOut };

export const StatementParams = z.strictObject({
  nodeId: Id,
  /** 2026-10 */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10'),
});
export const DeptDrillParams = StatementParams.extend({ departmentId: Id }).strict();
export const PersonDrillParams = StatementParams.extend({ staffId: Id }).strict();

/** A correction of a locked month, written into a later open month (SPEC §9.5). */
const AdjustmentOut = withPoints({
  saleId: z.number(),
  sourceId: z.string(),
  adjustsMonth: z.string(),
  writtenMonth: z.string(),
  /** 机构号 of the branch the entry is written in. */
  branchCode: z.string(),
  departmentId: z.number(),
  departmentCode: z.string(),
  departmentName: z.string(),
  staffId: z.number().nullable(),
  staffNo: z.string().nullable(),
  staffName: z.string().nullable(),
  voided: PointsOut,
});

export const StatementOut = z.object({
  node: z.object({ id: z.number(), code: z.string(), name: z.string() }),
  month: z.string(),
  period: z.string(),
  state: z.enum(PERIOD_STATES),
  totals: z.object({ total: PointsOut, voided: PointsOut, departmentLevel: PointsOut, people: PointsOut, sales: z.number() }),
  /** Statement lines: each with the branch's 机构号 (branchCode) and the codes of what it names, beside ids and names. */
  departments: z.array(withPoints({ branchCode: z.string(), departmentId: z.number(), code: z.string(), name: z.string(), voided: PointsOut, sales: z.number() })),
  people: z.array(
    withPoints({
      branchCode: z.string(),
      staffId: z.number(),
      staffNo: z.string(),
      name: z.string(),
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      roles: z.array(z.string()),
      voided: PointsOut,
      sales: z.number(),
    }),
  ),
  projects: z.array(withPoints({ branchCode: z.string(), projectId: z.number().nullable(), projectName: z.string().nullable(), voided: PointsOut, sales: z.number() })),
  products: z.array(withPoints({ branchCode: z.string(), productId: z.number(), code: z.string(), name: z.string(), unit: z.string(), voided: PointsOut, sales: z.number() })),
  adjustments: z.array(AdjustmentOut),
  laterAdjustments: z.array(AdjustmentOut),
  developments: z.array(
    z.object({
      branchCode: z.string(),
      developmentId: z.number(),
      code: z.string(),
      name: z.string(),
      lenderMode: z.enum(['sole', 'partial']),
      thresholdBp: z.number().nullable(),
      ratioBp: z.number().nullable(),
      totalHouseholds: z.number().nullable(),
      bankHouseholds: z.number().nullable(),
      asOf: z.string().nullable(),
      verdict: z.enum(['pass', 'void']),
      reason: z.string(),
      mortgageSales: z.number(),
      points: PointsOut,
      voided: PointsOut,
    }),
  ),
});

export const DrillOut = itemList(SaleSplitOut);
export const RecomputeOut = z.object({ entries: z.number(), reversed: z.number(), written: z.number(), sales: z.number() });

export const NodeParams = z.strictObject({ nodeId: Id });
/** The months with scored sales, newest first: where the statements page opens. */
export const MonthsOut = itemList(z.object({ month: z.string(), sales: z.number(), total: PointsOut }));
/** A province's month by branch (its own line first), each with the month's state. */
export const BranchesOut = itemList(z.object({ nodeId: z.number(), code: z.string(), name: z.string(), state: z.enum(PERIOD_STATES), total: PointsOut, voided: PointsOut, sales: z.number() }));
