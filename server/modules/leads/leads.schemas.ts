import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { pagedList } from '../../http/lists.js';
import { FormSaleBody } from '../sales/sales.form.schemas.js';
import { LEAD_SOURCES, LEAD_STAGES } from '../../db/schema/leads.js';

const Stage = z.enum(LEAD_STAGES);
const text = (max: number) => z.string().trim().min(1).max(max);

/** A lead made by hand or from a referral / an activity; surveys and imports make theirs in bulk. */
export const CreateLeadBody = z.strictObject({
  /** The department that works it; default: the product's host department in the caller's branch. */
  departmentId: IdIn.nullish(),
  productCode: z.string().trim().min(1).max(32).nullish(),
  /** 个人客户 / 对公客户 on file (from the client picker), when known. */
  personId: IdIn.nullish(),
  companyId: IdIn.nullish(),
  contactName: text(60),
  source: z.enum(['manual', 'referral', 'activity']).default('manual'),
  /** The marketing project it came from (and the activity, for source activity): the team fills the won sale. */
  projectId: IdIn.nullish(),
  activityId: IdIn.nullish(),
  note: z.string().trim().max(500).nullish(),
  /** Keep it instead of assigning by the rule (the creator takes their own referral). */
  keepMine: z.boolean().default(false),
});

export const LeadQuery = z.strictObject({
  /** mine: held by me; pool: nobody holds it; all: everything in scope. */
  view: z.enum(['mine', 'pool', 'all']).default('all'),
  stage: Stage.optional(),
  open: z.enum(['true', 'false']).optional(),
  departmentId: Id.optional(),
  nodeId: Id.optional(),
  projectId: Id.optional(),
  q: z.string().trim().max(60).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type LeadQueryT = z.infer<typeof LeadQuery>;

export const MoveBody = z.strictObject({
  stage: Stage,
  /** Required when the lead is lost (流失原因). */
  lostReason: z.string().trim().min(1).max(200).nullish(),
  note: z.string().trim().max(500).nullish(),
});

export const AssignBody = z.strictObject({ staffId: IdIn, reason: z.string().trim().max(200).nullish() });

export const AssigneesOut = z.object({ items: z.array(z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), open: z.number(), capacity: z.number() })) });

export const CapacityBody = z.strictObject({ capacity: z.number().int().min(0).max(10_000) });

/**
 * Winning a lead records its sale: product, client, the lead's department as participant and its
 * holder as the person are filled in from the lead; the caller gives what only the sale knows.
 * Departments and people, when given (non-empty), replace the filled-in ones (a team sale).
 */
export const WinBody = FormSaleBody.pick({ sourceId: true, saleDate: true, quantity: true, developmentCode: true }).extend({
  departments: FormSaleBody.shape.departments.optional(),
  people: FormSaleBody.shape.people.optional(),
});
export type WinBodyT = z.infer<typeof WinBody>;

export const LeadOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  departmentId: z.number(),
  departmentCode: z.string(),
  departmentName: z.string(),
  ownerStaffId: z.number().nullable(),
  ownerStaffNo: z.string().nullable(),
  ownerName: z.string().nullable(),
  productId: z.number().nullable(),
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  personId: z.number().nullable(),
  companyId: z.number().nullable(),
  contactName: z.string(),
  source: z.enum(LEAD_SOURCES),
  stage: Stage,
  lostReason: z.string().nullable(),
  note: z.string().nullable(),
  escalationLevel: z.number(),
  flaggedAt: z.string().nullable(),
  saleId: z.number().nullable(),
  /** The marketing project (and activity) it came from: the won sale is filled in from its team. */
  projectId: z.number().nullable(),
  projectName: z.string().nullable(),
  activityId: z.number().nullable(),
  createdAt: z.string(),
  touchedAt: z.string(),
  closedAt: z.string().nullable(),
  /** When the next escalation step falls due (open leads held by someone); the console counts down. */
  nextEscalationAt: z.string().nullable(),
});
export type LeadOutT = z.infer<typeof LeadOut>;

export const LeadEventOut = z.object({
  id: z.number(),
  at: z.string(),
  actorStaffId: z.number().nullable(),
  actorName: z.string().nullable(),
  kind: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export const LeadDetailOut = LeadOut.extend({ events: z.array(LeadEventOut) });
export const LeadListOut = pagedList(LeadOut);

export const WinOut = z.object({ lead: LeadOut, sale: z.object({ status: z.enum(['created', 'duplicate']), saleId: z.number(), sourceId: z.string() }) });

export const RateQuery = z.strictObject({
  nodeId: Id.optional(),
  /** Leads created from … to (Beijing days, inclusive). */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const RateRow = z.object({ total: z.number(), handled: z.number(), won: z.number(), rateBp: z.number().nullable(), rate: z.string().nullable() });
export const RateOut = z.object({
  all: RateRow,
  departments: z.array(RateRow.extend({ departmentId: z.number(), departmentCode: z.string(), departmentName: z.string(), nodeCode: z.string(), nodeName: z.string() })),
  people: z.array(RateRow.extend({ staffId: z.number(), staffNo: z.string(), name: z.string(), departmentCode: z.string().nullable() })),
});
