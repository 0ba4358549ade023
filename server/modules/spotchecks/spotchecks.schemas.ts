import { z } from 'zod';
import { Id } from '../../http/ids.js';
import { PERIOD_STATES, SPOT_RESULTS } from '../../db/schema/periods.js';
import { PointsOut, StatementParams } from '../statements/statement.schemas.js';
import { percentBp } from '../sales/sales.rules.js';

export { StatementParams as SpotParams };

export const ItemParams = StatementParams.extend({ saleId: Id }).strict();
export const EvidenceParams = ItemParams.extend({ evidenceId: Id }).strict();

const Percent = z.union([z.string().trim().min(1).max(10), z.number()]).transform((v, ctx) => {
  const bp = percentBp(v);
  if (bp === undefined || bp === 0) {
    ctx.addIssue({ code: 'custom', message: '比例应为大于0、不超过100的数，最多两位小数 / a percentage above 0 and at most 100' });
    return z.NEVER;
  }
  return bp;
});

/**
 * The sample size: `count` sales, or `percent` % of the month's sales with at least `minimum`.
 * `seed` is optional: a random one is made and recorded when absent.
 */
export const DrawBody = z
  .strictObject({
    count: z.number().int().min(1).max(100_000).optional(),
    percent: Percent.optional(),
    minimum: z.number().int().min(0).max(100_000).optional(),
    seed: z.string().trim().min(1).max(64).optional(),
  })
  .refine((b) => (b.count === undefined) !== (b.percent === undefined), { message: '请填写抽查笔数或抽查比例（二选一）/ give a count or a percentage, not both' });
export type DrawBodyT = z.infer<typeof DrawBody>;

export const MarkBody = z.strictObject({
  result: z.enum(['verified', 'false']),
  /** 核实说明: required when the sale is found false. */
  note: z.string().max(2000).optional(),
});
export type MarkBodyT = z.infer<typeof MarkBody>;

export const Summary = z.object({ sampled: z.number(), verified: z.number(), false: z.number(), pending: z.number() });

const EvidenceOut = z.object({ id: z.number(), fileName: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), uploadedAt: z.string() });

export const SpotCheckOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  month: z.string(),
  /** The recorded seed: re-drawing with it over the same sales gives the same sample. */
  seed: z.string(),
  sizeRule: z.union([z.object({ count: z.number() }), z.object({ percentBp: z.number(), minimum: z.number() })]),
  populationCount: z.number(),
  sampleSize: z.number(),
  drawnBy: z.object({ id: z.number(), name: z.string() }),
  drawnAt: z.string(),
  summary: Summary,
  items: z.array(
    z.object({
      saleId: z.number(),
      sourceId: z.string(),
      saleDate: z.string(),
      productName: z.string(),
      quantity: z.string(),
      unit: z.string(),
      /** The sale's net points now (0 once found false and reversed). */
      points: PointsOut,
      struck: z.boolean(),
      result: z.enum(SPOT_RESULTS),
      note: z.string().nullable(),
      checkedBy: z.object({ id: z.number(), name: z.string() }).nullable(),
      checkedAt: z.string().nullable(),
      evidence: z.array(EvidenceOut),
    }),
  ),
});
export type SpotCheckOutT = z.infer<typeof SpotCheckOut>;

export const VerifyOut = z.object({ seed: z.string(), reproduced: z.boolean(), recorded: z.array(z.number()), redrawn: z.array(z.number()) });

export const SummaryQuery = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10') });
export const SummaryListOut = z.object({
  items: z.array(Summary.extend({ nodeId: z.number(), nodeCode: z.string(), nodeName: z.string(), month: z.string(), state: z.enum(PERIOD_STATES), drawn: z.boolean(), sales: z.number() })),
});
