import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { SaleSplitOut } from '../scoring/scoring.schemas.js';
import { SaleBody } from './sales.schemas.js';

/**
 * The one-sale form's body (issue 12): a sale as POST /api/sales takes it, where the client may be
 * named by its id from the client picker instead of its ID number / USCC (never shown in full).
 */
export const FormSaleBody = SaleBody.extend({
  /** 个人客户 id (from /api/sales/pickers/clients): stands for its ID number. */
  personId: IdIn.nullish(),
  /** 对公客户 id: stands for its USCC. */
  companyId: IdIn.nullish(),
});
export type FormSaleBodyT = z.infer<typeof FormSaleBody>;

export const SalePreviewOut = z.object({
  /** duplicate: the source id is recorded with the same content; the split is the recorded one. */
  status: z.enum(['created', 'duplicate']),
  saleId: z.number().nullable(),
  /** 2026-11: the month the points are booked in (the open month when the sale's is frozen). */
  period: z.string().nullable(),
  split: SaleSplitOut,
});

/** A proposed correction, in the recording API's terms (as an objection's answer carries it). */
export const CorrectionPreviewBody = z.strictObject({
  quantity: SaleBody.shape.quantity.optional(),
  departments: SaleBody.shape.departments.unwrap().optional(),
  people: SaleBody.shape.people.unwrap().optional(),
});

export const CorrectionPreviewOut = z.object({
  saleId: z.number(),
  before: z.object({ totalHundredths: z.number().int() }),
  after: z.object({ totalHundredths: z.number().int() }),
  lines: z.array(
    z.object({
      kind: z.enum(['department', 'person']),
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      staffId: z.number().nullable(),
      staffNo: z.string().nullable(),
      name: z.string(),
      beforeHundredths: z.number().int(),
      afterHundredths: z.number().int(),
    }),
  ),
});

export const PickerQuery = z.strictObject({ q: z.string().max(60).optional(), nodeId: Id.optional() });

export const PickDepartmentOut = z.object({ id: z.number(), code: z.string(), name: z.string(), nodeId: z.number(), nodeCode: z.string(), nodeName: z.string() });
export const PickStaffOut = z.object({
  id: z.number(),
  staffNo: z.string(),
  name: z.string(),
  departmentId: z.number().nullable(),
  departmentCode: z.string().nullable(),
  departmentName: z.string().nullable(),
  nodeName: z.string(),
});
export const PickClientOut = z.object({
  kind: z.enum(['individual', 'company']),
  id: z.number(),
  name: z.string(),
  /** The USCC, or the ID number masked (4406**********1234). */
  code: z.string(),
  nodeName: z.string(),
});
