import { z } from 'zod';
import { Id } from '../../http/ids.js';

/** Request and response shapes of drill-down and export (issue 16 part B). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const DrillQuery = z
  .strictObject({ from: Day, to: Day, nodeId: Id.optional(), product: z.string().min(1).max(32).optional() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to' });
export const IdParams = z.strictObject({ id: Id });

const Figure = { sales: z.number(), pointsHundredths: z.number() };
const NodeRef = z.object({ id: z.number(), code: z.string(), name: z.string(), level: z.string() });

export const DrillOut = z.object({
  from: z.string(),
  to: z.string(),
  productCode: z.string().nullable(),
  node: NodeRef,
  crumbs: z.array(NodeRef),
  total: z.object(Figure),
  own: z.object(Figure),
  children: z.array(z.object({ nodeId: z.number(), code: z.string(), name: z.string(), level: z.string(), ...Figure })),
  people: z.array(z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), ...Figure })),
});

export const DrillPersonOut = z.object({
  from: z.string(),
  to: z.string(),
  person: z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), nodeId: z.number() }),
  crumbs: z.array(NodeRef),
  total: z.object(Figure),
  sales: z.array(
    z.object({
      saleId: z.number(),
      saleDate: z.string(),
      productCode: z.string(),
      productName: z.string(),
      unit: z.string(),
      quantity1e4: z.number(),
      pointsHundredths: z.number(),
      salePointsHundredths: z.number(),
    }),
  ),
});

export const DrillSaleOut = z.object({
  sale: z.object({
    id: z.number(),
    sourceId: z.string(),
    saleDate: z.string(),
    productCode: z.string(),
    productName: z.string(),
    unit: z.string(),
    quantity1e4: z.number(),
    nodeId: z.number(),
    nodeName: z.string(),
    hostDepartmentName: z.string(),
    struck: z.boolean(),
    struckReason: z.string().nullable(),
  }),
  crumbs: z.array(NodeRef),
  lines: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      period: z.string(),
      departmentCode: z.string(),
      departmentName: z.string(),
      staffId: z.number().nullable(),
      staffNo: z.string().nullable(),
      staffName: z.string().nullable(),
      role: z.string().nullable(),
      pointsHundredths: z.number(),
      ruleVersion: z.string(),
      reversesId: z.number().nullable(),
      createdAt: z.string(),
    }),
  ),
  hiddenLines: z.number(),
});

export const IssueTableOut = z.object({
  id: z.number(),
  periodFrom: z.string(),
  periodTo: z.string(),
  table: z
    .object({
      view: z.string(),
      columns: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), unit: z.enum(['text', 'count', 'hundredths', 'fen', 'bp', 'e4']) })),
      rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
    })
    .nullable(),
  /** Whether the export carries a 明细 sheet and the figures drill down to sales (sales and points reports). */
  drillable: z.boolean(),
});
