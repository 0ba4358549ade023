import { z } from 'zod';
import { PointsOut, SaleSplitOut } from '../statements/statement.schemas.js';

/** Response schemas of /api/scoring, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const SplitRuleOut = z.object({ effectiveFrom: z.string(), hostBp: z.number(), participantsBp: z.number(), createdBy: z.number().nullable(), createdAt: z.date() });

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
