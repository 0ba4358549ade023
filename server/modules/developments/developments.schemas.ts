import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { Day } from '../products/products.schemas.js';

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, '只能包含字母、数字、下划线、点和短横线');
/** A percentage with at most two decimals: "60", "62.5", 62.5. */
const Percent = z.union([z.string().trim().min(1).max(10), z.number()]);

export const FigureOut = z.object({
  id: z.number(),
  asOf: z.string(),
  totalHouseholds: z.number(),
  bankHouseholds: z.number(),
  /** bank / total, "85.00" (%), truncated; null with no households. */
  ratio: z.string().nullable(),
  /** Exactly at the threshold counts (SPEC §8). */
  meetsThreshold: z.boolean(),
  createdBy: z.number().nullable(),
  createdAt: z.date(),
});

export const DevelopmentOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  developerId: z.number(),
  developerName: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  lenderMode: z.enum(['sole', 'partial']),
  /** The bank's share of the development loan, "60.00" (%); null for a sole lender. */
  loanShare: z.string().nullable(),
  loanShareBp: z.number().nullable(),
  /** The mortgage threshold, "85.00" (%) for a sole lender, the loan share otherwise. */
  threshold: z.string(),
  thresholdBp: z.number(),
  /** The latest cumulative figures, null before the first. */
  latest: FigureOut.nullable(),
  createdAt: z.date(),
});

export const DevelopmentQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Code or name, partial. */
  q: z.string().trim().max(50).optional(),
  nodeId: Id.optional(),
  developerId: Id.optional(),
});

export const CreateDevelopmentBody = z.strictObject({
  /** 楼盘编号 */
  code,
  name: z.string().trim().min(1).max(100),
  /** A corporate client (the developer). */
  developerId: IdIn,
  /** The branch whose statement shows the development. */
  nodeId: IdIn,
  lenderMode: z.enum(['sole', 'partial']),
  /** Partial lenders: the bank's share of the development loan in %, two decimals at most. */
  loanShare: Percent.nullish(),
});

export const UpdateDevelopmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  developerId: IdIn.optional(),
  lenderMode: z.enum(['sole', 'partial']).optional(),
  loanShare: Percent.nullish(),
});

export const FigureBody = z.strictObject({
  /** Cumulative as of this day. */
  asOf: Day,
  totalHouseholds: z.number().int().min(0).max(1_000_000),
  bankHouseholds: z.number().int().min(0).max(1_000_000),
});
