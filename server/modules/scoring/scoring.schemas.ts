import { z } from 'zod';

/** Points leave the server as a two-decimal string AND integer hundredths — never a float. */
export const PointsOut = z.object({
  /** e.g. "33.34" */
  points: z.string(),
  /** e.g. 3334 */
  pointsHundredths: z.number().int(),
});
export const withPoints = <T extends z.ZodRawShape>(shape: T) => PointsOut.extend(shape);

export const SaleSplitOut = z.object({
  id: z.number(),
  sourceId: z.string(),
  saleDate: z.string(),
  nodeId: z.number(),
  /** The branch's 机构号. */
  nodeCode: z.string(),
  product: z.object({ id: z.number(), code: z.string(), name: z.string(), unit: z.string(), mortgage: z.boolean() }),
  quantity: z.string(),
  projectId: z.number().nullable(),
  developmentId: z.number().nullable(),
  total: PointsOut,
  voided: PointsOut,
  ruleVersion: z.string().nullable(),
  departments: z.array(
    withPoints({ departmentId: z.number(), code: z.string(), name: z.string(), host: z.boolean(), ratioBp: z.number().nullable(), weight: z.number().nullable(), voided: PointsOut }),
  ),
  people: z.array(
    withPoints({
      staffId: z.number(),
      staffNo: z.string(),
      name: z.string(),
      departmentId: z.number(),
      departmentCode: z.string(),
      role: z.string(),
      contributionBp: z.number().nullable(),
      weight: z.number().nullable(),
      voided: PointsOut,
    }),
  ),
});

/** Response schemas of /api/scoring, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const SplitRuleOut = z.object({
  effectiveFrom: z.string(),
  hostBp: z.number(),
  participantsBp: z.number(),
  createdBy: z.number().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.date(),
});

export const TraceOut = PointsOut.extend({
  id: z.number(),
  kind: z.enum(['allocation', 'reversal', 'void']),
  period: z.string(),
  departmentId: z.number(),
  staffId: z.number().nullable(),
  ruleVersion: z.string(),
  reversesId: z.number().nullable(),
  createdAt: z.string(),
});

/** One sale's split with its ledger trace. */
export const SplitTraceOut = SaleSplitOut.extend({ entries: z.array(TraceOut) });
