import { z } from 'zod';
import { itemList } from '../../http/lists.js';
import { Id, IdIn } from '../../http/ids.js';
import { QUOTA_PLAN_STATES, QUOTA_SOURCES } from '../../db/schema/quotas.js';

/** Quotas API shapes (SPEC §10). Quantities leave as a decimal string AND integer × 10⁴ — never a float. */

export const Year = z.coerce.number().int().min(2000).max(2100);

/** A quantity in the product's unit: "120", "1.5" or a number; ≥ 0, four decimals at most. */
export const QuantityIn = z.union([z.string().max(24), z.number()]);

export const QuotaListQuery = z.strictObject({
  nodeId: Id,
  year: Year,
  departmentId: Id.optional(),
  productId: Id.optional(),
  lineCode: z.string().max(32).optional(),
  /** department: department-level rows only; detail: person/outlet rows only; all (default). */
  level: z.enum(['all', 'department', 'detail']).optional(),
});

export const QuotaIdParams = z.strictObject({ id: Id });

export const QuotaCreateBody = z.strictObject({
  nodeId: IdIn,
  year: z.number().int().min(2000).max(2100),
  departmentId: IdIn,
  productId: IdIn,
  /** Narrow the quota to one person of the department … */
  staffId: IdIn.nullable().optional(),
  /** … or to one sub-branch / outlet of the branch. */
  outletNodeId: IdIn.nullable().optional(),
  quantity: QuantityIn,
  note: z.string().max(200).nullable().optional(),
});

export const QuotaUpdateBody = z.strictObject({
  quantity: QuantityIn.optional(),
  note: z.string().max(200).nullable().optional(),
});

const Who = z.object({ id: z.number(), name: z.string() }).nullable();

export const QuotaOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  /** 机构号 of the branch. */
  nodeCode: z.string(),
  year: z.number(),
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
  outletCode: z.string().nullable(),
  outletName: z.string().nullable(),
  /** e.g. "120.5" */
  quantity: z.string(),
  quantity1e4: z.number(),
  source: z.enum(QUOTA_SOURCES),
  note: z.string().nullable(),
  updatedBy: Who,
  updatedAt: z.string(),
});
export type QuotaOutT = z.infer<typeof QuotaOut>;

export const PlanOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  /** draft (edits waiting for approval, or never approved) / approved */
  state: z.enum(QUOTA_PLAN_STATES),
  approvedVersion: z.number(),
  lastEditedBy: Who,
  lastEditedAt: z.string().nullable(),
  approvedBy: Who,
  approvedAt: z.string().nullable(),
  quotas: z.number(),
  versions: z.array(z.object({ versionNo: z.number(), approvedBy: Who, approvedAt: z.string(), quotas: z.number() })),
});

export const QuotaListOut = z.object({ plan: PlanOut, items: z.array(QuotaOut) });

export const PlanParams = z.strictObject({ nodeId: Id, year: Year });
export const VersionParams = z.strictObject({ nodeId: Id, year: Year, versionNo: Id });

const VersionLine = z.object({
  branchCode: z.string(),
  departmentId: z.number(),
  departmentCode: z.string(),
  productId: z.number(),
  productCode: z.string(),
  staffId: z.number().nullable(),
  staffNo: z.string().nullable(),
  outletNodeId: z.number().nullable(),
  outletCode: z.string().nullable(),
});

export const VersionOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  versionNo: z.number(),
  approvedBy: Who,
  approvedAt: z.string(),
  lastEditedBy: Who,
  /** The version's lines, with codes beside ids: 机构号, department and product codes, staff number, outlet 机构号. */
  quotas: z.array(VersionLine.extend({ quantity: z.string(), quantity1e4: z.number() })),
  /** What changed against the previous approved version. */
  changes: z.array(
    VersionLine.extend({
      change: z.enum(['added', 'removed', 'changed']),
      before1e4: z.number().nullable(),
      after1e4: z.number().nullable(),
    }),
  ),
});

export const LineTargetQuery = z.strictObject({ nodeId: Id, year: Year });
export const LineTargetBody = z.strictObject({
  nodeId: IdIn,
  year: z.number().int().min(2000).max(2100),
  lineCode: z.string().min(1).max(32),
  quantity: QuantityIn,
  /** 件 / 户 / 万元 …; defaults to the unit most of the line's products use. */
  unit: z.string().min(1).max(16).optional(),
  note: z.string().max(200).nullable().optional(),
});
export const LineTargetOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  lineCode: z.string(),
  lineName: z.string(),
  retail: z.boolean(),
  quantity: z.string(),
  quantity1e4: z.number(),
  unit: z.string(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export const LineTargetListOut = itemList(LineTargetOut);

export const ProposalQuery = z.strictObject({
  nodeId: Id,
  year: Year,
  lineCode: z.string().min(1).max(32),
  /** Default 1000 bp (10 %, Art. 18). */
  percentBp: z.coerce.number().int().min(1).max(10_000).optional(),
});
export const ProposalBody = z.strictObject({
  nodeId: IdIn,
  year: z.number().int().min(2000).max(2100),
  lineCode: z.string().min(1).max(32),
  percentBp: z.number().int().min(1).max(10_000).optional(),
  /** Apply only to these departments (default: every proposed one). */
  departmentIds: z.array(IdIn).max(200).optional(),
});
export const ProposalOut = z.object({
  nodeId: z.number(),
  year: z.number(),
  lineCode: z.string(),
  lineTarget: z.object({ quantity: z.string(), quantity1e4: z.number(), unit: z.string() }),
  percentBp: z.number(),
  quantity: z.string(),
  quantity1e4: z.number(),
  rule: z.object({ zh: z.string(), en: z.string() }),
  lines: z.array(
    z.object({
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      productId: z.number(),
      productCode: z.string(),
      productName: z.string(),
      unit: z.string(),
      quantity: z.string(),
      quantity1e4: z.number(),
      /** The quota on file, kept as it is when the proposal is applied. */
      existing1e4: z.number().nullable(),
    }),
  ),
  skipped: z.array(z.object({ productId: z.number(), productCode: z.string(), productName: z.string(), reason: z.object({ zh: z.string(), en: z.string() }) })),
  /** Set when applied: how many quotas were written. */
  applied: z.number().optional(),
});

export const ExportQuery = z.strictObject({ nodeId: Id, year: Year });
