import { z } from 'zod';
import { CompletionRowOut } from '../dashboards/dashboards.schemas.js';
import { PointsOut } from '../scoring/scoring.schemas.js';

/**
 * 首页 workbench (issue 12): the signed-in person's own figures and the work waiting for them.
 * Points as "123.45" AND integer hundredths, percentages as basis points — never a float.
 */

const ProductPoints = z.object({ productId: z.number(), productCode: z.string(), productName: z.string(), month: PointsOut, year: PointsOut });

const MySale = z.object({
  /** The sale's id: its split is /sales/:id. */
  id: z.number(),
  sourceId: z.string(),
  saleDate: z.string(),
  productName: z.string(),
  clientName: z.string().nullable(),
  /** My net points on this sale so far (this month's ledger lines and any later correction). */
  mine: PointsOut,
  role: z.string(),
});

const Rank = z.object({ rank: z.number(), of: z.number(), name: z.string() }).nullable();

export const TODO_KINDS = ['objections', 'publish', 'submit', 'audit', 'approve', 'samples', 'nominations', 'imports'] as const;

const Todo = z.object({
  kind: z.enum(TODO_KINDS),
  count: z.number(),
  /** Where in the console the work is done. */
  link: z.string(),
});

export const WorkbenchOut = z.object({
  /** Beijing month and year the figures are for ('2026-12', 2026). */
  month: z.string(),
  year: z.number(),
  me: z.object({
    staffId: z.number(),
    staffNo: z.string(),
    name: z.string(),
    nodeName: z.string(),
    departmentId: z.number().nullable(),
    departmentName: z.string().nullable(),
    branchId: z.number().nullable(),
    branchName: z.string().nullable(),
  }),
  points: z.object({ month: PointsOut, year: PointsOut, products: z.array(ProductPoints) }),
  /** My sales dated this month, newest first (at most 50; `salesTotal` counts them all). */
  sales: z.array(MySale),
  salesTotal: z.number(),
  /** By this month's points; equal points to the staff number that sorts first. */
  rank: z.object({ department: Rank, branch: Rank }),
  /**
   * My department's quotas this year (and mine, where a personal quota is set), against the 50 %
   * line; null when the branch's quotas are outside my reading (dashboard.read) or I have no department.
   */
  quotas: z.array(CompletionRowOut).nullable(),
  /** Objections I raised that are still open. */
  objections: z.array(z.object({ id: z.number(), month: z.string(), targetKind: z.string(), saleId: z.number().nullable(), reason: z.string(), raisedAt: z.string(), nodeName: z.string() })),
  /** The work my roles give me, each with the number waiting and the console page. */
  todos: z.array(Todo),
});
export type WorkbenchOutT = z.infer<typeof WorkbenchOut>;
