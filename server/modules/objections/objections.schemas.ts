import { z } from 'zod';
import { pagedList } from '../../http/lists.js';
import { Id, IdIn } from '../../http/ids.js';
import { OBJECTION_STATUSES, OBJECTION_TARGETS } from '../../db/schema/periods.js';
import { normaliseRole, type ParticipantInput, type PersonInput } from '../sales/sales.rules.js';
import { SaleBody } from '../sales/sales.schemas.js';
import type { SaleCorrection } from '../sales/sales.correct.js';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10');

/** The line objected to: a department's line, a person's line, or one sale of the statement. */
export const ObjectionTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('department'), departmentId: IdIn }),
  z.strictObject({ kind: z.literal('person'), staffId: IdIn, departmentId: IdIn.optional() }),
  z.strictObject({ kind: z.literal('sale'), saleId: IdIn }),
]);

export const RaiseBody = z.strictObject({
  nodeId: IdIn,
  month: Month,
  target: ObjectionTarget,
  /** 异议理由: required (checked after trimming, with its own error code). */
  reason: z.string().max(2000),
});
export type RaiseBodyT = z.infer<typeof RaiseBody>;

/** A sale correction in the recording API's own terms (codes, staff numbers, percentages). */
export const CorrectionBody = z.strictObject({
  /** The sale to correct; defaults to the objection's sale. */
  saleId: IdIn.optional(),
  quantity: SaleBody.shape.quantity.optional(),
  departments: SaleBody.shape.departments.unwrap().optional(),
  people: SaleBody.shape.people.unwrap().optional(),
});
export type CorrectionBodyT = z.infer<typeof CorrectionBody>;

export function toCorrection(b: CorrectionBodyT): SaleCorrection {
  const departments: ParticipantInput[] | undefined = b.departments?.map((d) => ({ code: d.code.toUpperCase(), ratioBp: d.ratio ?? null, weight: d.weight ?? null }));
  const people: PersonInput[] | undefined = b.people?.map((p) => ({
    staffNo: p.staffNo,
    departmentCode: p.departmentCode?.toUpperCase() ?? null,
    role: normaliseRole(p.role),
    contributionBp: p.contribution ?? null,
    weight: p.weight ?? null,
  }));
  return { quantity1e4: b.quantity, departments, people };
}

export const AnswerBody = z.strictObject({
  decision: z.enum(['upheld', 'dismissed']),
  /** 答复理由: required. */
  answer: z.string().max(2000),
  /** Only with an upheld objection. */
  correction: CorrectionBody.optional(),
});
export type AnswerBodyT = z.infer<typeof AnswerBody>;

export const ObjectionQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  nodeId: Id.optional(),
  month: Month.optional(),
  status: z.enum(OBJECTION_STATUSES).optional(),
  targetKind: z.enum(OBJECTION_TARGETS).optional(),
  /** Only the caller's own objections. */
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type ObjectionFilter = z.infer<typeof ObjectionQuery>;

const Ref = z.object({ id: z.number(), name: z.string() }).nullable();

export const ObjectionOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  month: z.string(),
  targetKind: z.enum(OBJECTION_TARGETS),
  department: z.object({ id: z.number(), code: z.string(), name: z.string() }).nullable(),
  person: z.object({ id: z.number(), staffNo: z.string(), name: z.string() }).nullable(),
  sale: z.object({ id: z.number(), sourceId: z.string(), saleDate: z.string() }).nullable(),
  reason: z.string(),
  raisedBy: Ref,
  raisedAt: z.string(),
  /** The committee office department it is assigned to. */
  assignedDepartment: Ref,
  status: z.enum(OBJECTION_STATUSES),
  answer: z.string().nullable(),
  answeredBy: Ref,
  answeredAt: z.string().nullable(),
  /** The applied correction: { saleId, before, after } with the ledger's reversal/new counts. */
  correction: z.unknown().nullable(),
});
export type ObjectionOutT = z.infer<typeof ObjectionOut>;

export const ObjectionListOut = pagedList(ObjectionOut);
