import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { Day } from '../products/products.schemas.js';
import { DEFAULT_ROLE, MAX_WEIGHT_TOTAL, normaliseRole, percentBp, quantity1e4, type SaleInput } from './sales.rules.js';

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, '只能包含字母、数字、下划线、点和短横线');

/** A percentage ("60", 62.5): two decimals at most, 0–100 → basis points. */
const Percent = z.union([z.string().trim().min(1).max(10), z.number()]).transform((v, ctx) => {
  const bp = percentBp(v);
  if (bp === undefined) {
    ctx.addIssue({ code: 'custom', message: '百分比应为0–100之间的数，最多两位小数 / a percentage 0–100, two decimals at most' });
    return z.NEVER;
  }
  return bp;
});

/** A ratio written as a weight (1:2 → weight 1 and weight 2): an integer 1–10,000, kept exactly (decision 0026). */
const Weight = z.number().int().min(1).max(MAX_WEIGHT_TOTAL).describe('协商比例的权重（整数，如 1:2 写作 1 和 2）；与 ratio 二选一 / the share as an integer weight (1:2 → 1 and 2); instead of ratio');

const Quantity = z.union([z.string().trim().min(1).max(24), z.number()]).transform((v, ctx) => {
  const q = quantity1e4(v);
  if (q === undefined) {
    ctx.addIssue({ code: 'custom', message: '数量应为大于0且不超过100,000,000的数，最多四位小数 / a quantity above 0 and at most 100,000,000, four decimals at most' });
    return z.NEVER;
  }
  return q;
});

/** One cross-sale as core banking sends it (SPEC §7). */
export const SaleBody = z.strictObject({
  /** 交易流水号: unique; re-sending it changes nothing. */
  sourceId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/, '交易流水号只能包含字母、数字和 _ . : / -'),
  productCode: code,
  /** 客户身份证号码 (the buyer) and/or 统一社会信用代码 (the company); at least one. */
  idNumber: z
    .string()
    .trim()
    .max(18)
    .transform((s) => s.toUpperCase())
    .nullish(),
  uscc: z
    .string()
    .trim()
    .max(18)
    .transform((s) => s.toUpperCase())
    .nullish(),
  /** 项目编号 (cross-marketing project, SPEC §4), optional. */
  projectId: IdIn.nullish(),
  /** 楼盘编号: required for a mortgage product. */
  developmentCode: code.nullish(),
  saleDate: Day,
  /** In the product's unit ("1.5" 万元, 1 户). */
  quantity: Quantity,
  /** 机构号 of the branch the sale belongs to; default: the first person's branch, else the caller's. */
  branchCode: code.nullish(),
  /** Default: the product's host department. */
  hostDepartmentCode: code.nullish(),
  /**
   * Participating departments (not the host), with optional negotiated ratios: either `ratio`, a
   * percentage (all of them totalling 100), or `weight`, an integer (1:2 → 1 and 2; 3:1:1), the
   * same kind for every department of the sale. Neither: equal split.
   */
  departments: z
    .array(z.strictObject({ code, ratio: Percent.nullish(), weight: Weight.nullish() }))
    .max(30)
    .default([])
    .describe(
      '参与部门及协商比例：ratio 为百分比（合计100），或 weight 为整数权重（1:2 即 1 和 2），同一笔销售只用一种；都不填则平均分配 / participants with either ratio (percent, totalling 100) or weight (integers, 1:2 → 1 and 2), one kind per sale; none: equal',
    ),
  /** People on the sale, each credited to the host or a participant, with optional contribution in %. */
  people: z
    .array(
      z.strictObject({
        staffNo: code,
        departmentCode: code.nullish(),
        role: z.string().trim().min(1).max(20).default(DEFAULT_ROLE),
        contribution: Percent.nullish(),
        weight: Weight.nullish(),
      }),
    )
    .max(100)
    .default([])
    .describe('营销人员：contribution 为部门内百分比（合计100），或 weight 为整数权重；同一部门只用一种 / people with contribution (percent) or weight (integer), one kind per department'),
});
export type SaleBodyT = z.infer<typeof SaleBody>;

/** The request body → the input the checks take (the import builds the same). */
export function toSaleInput(b: SaleBodyT): SaleInput {
  return {
    sourceId: b.sourceId,
    productCode: b.productCode,
    idNumber: b.idNumber || null,
    uscc: b.uscc || null,
    projectId: b.projectId ?? null,
    developmentCode: b.developmentCode ?? null,
    saleDate: b.saleDate,
    quantity1e4: b.quantity,
    branchCode: b.branchCode ?? null,
    hostDepartmentCode: b.hostDepartmentCode ?? null,
    departments: b.departments.map((d) => ({ code: d.code.toUpperCase(), ratioBp: d.ratio ?? null, weight: d.weight ?? null })),
    people: b.people.map((p) => ({
      staffNo: p.staffNo,
      departmentCode: p.departmentCode?.toUpperCase() ?? null,
      role: normaliseRole(p.role),
      contributionBp: p.contribution ?? null,
      weight: p.weight ?? null,
    })),
  };
}

export const BatchBody = z.strictObject({ sales: z.array(SaleBody).min(1).max(5000) });

export const RecordOut = z.object({ status: z.enum(['created', 'duplicate']), saleId: z.number(), sourceId: z.string() });
export const BatchOut = z.object({ created: z.number(), duplicates: z.number(), results: z.array(RecordOut) });

export const SaleOut = z.object({
  id: z.number(),
  sourceId: z.string(),
  saleDate: z.string(),
  productId: z.number(),
  productCode: z.string(),
  productName: z.string(),
  unit: z.string(),
  mortgage: z.boolean(),
  quantity: z.string(),
  quantity1e4: z.number(),
  personId: z.number().nullable(),
  personName: z.string().nullable(),
  /** Masked: 4406**********1234. */
  personIdNumber: z.string().nullable(),
  companyId: z.number().nullable(),
  companyName: z.string().nullable(),
  companyUscc: z.string().nullable(),
  projectId: z.number().nullable(),
  developmentId: z.number().nullable(),
  developmentCode: z.string().nullable(),
  developmentName: z.string().nullable(),
  hostDepartmentId: z.number(),
  hostDepartmentCode: z.string(),
  hostDepartmentName: z.string(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  /** Unit score in force on the sale date ("12.50") and the sale's points = quantity × score. */
  unitScore: z.string().nullable(),
  points: z.string().nullable(),
  /** ratioBp/ratio: a percentage; weight: the integer weight as written (1:2); all null: equal. */
  departments: z.array(z.object({ departmentId: z.number(), code: z.string(), name: z.string(), ratioBp: z.number().nullable(), ratio: z.string().nullable(), weight: z.number().nullable() })),
  people: z.array(
    z.object({
      staffId: z.number(),
      staffNo: z.string(),
      name: z.string(),
      departmentId: z.number(),
      departmentCode: z.string(),
      departmentName: z.string(),
      role: z.string(),
      contributionBp: z.number().nullable(),
      contribution: z.string().nullable(),
      weight: z.number().nullable(),
    }),
  ),
  createdBy: z.number().nullable(),
  createdAt: z.date(),
});

export const SaleQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  /** 2026-10 */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10')
    .optional(),
  dateFrom: Day.optional(),
  dateTo: Day.optional(),
  /** The branch. */
  nodeId: Id.optional(),
  productId: Id.optional(),
  productCode: z.string().trim().max(32).optional(),
  /** Host or participant. */
  departmentId: Id.optional(),
  /** A person on the sale. */
  staffId: Id.optional(),
  developmentId: Id.optional(),
  /** Source transaction id, partial. */
  q: z.string().trim().max(64).optional(),
  /** Only the sales the caller took part in (readable without sale.read). */
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type SaleFilter = z.infer<typeof SaleQuery>;
