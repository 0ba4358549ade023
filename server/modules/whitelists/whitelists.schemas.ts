import { z } from 'zod';
import { IdIn } from '../../http/ids.js';
import { itemList } from '../../http/lists.js';
import { WHITELIST_CHANNELS, WHITELIST_OUTCOMES, WHITELIST_STAFF_RULES, WHITELIST_STATUSES } from '../../db/schema/whitelists.js';

/** Request and response schemas of /api/whitelists (SPEC §12). */

const Page = { page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) };
const QueryId = z.coerce.number().int().min(1).max(2_147_483_647);
const Status = z.enum(WHITELIST_STATUSES);
const Rule = z.enum(WHITELIST_STAFF_RULES);

export const EntryQuery = z.strictObject({
  batchId: QueryId.optional(),
  nodeId: QueryId.optional(),
  staffId: QueryId.optional(),
  status: Status.optional(),
  unassigned: z.enum(['1', '0']).optional(),
  q: z.string().trim().min(1).max(40).optional(),
  ...Page,
});
export const MineQuery = z.strictObject({ status: Status.optional(), q: z.string().trim().min(1).max(40).optional(), ...Page });

const EntryBase = {
  id: z.number(),
  batchId: z.number(),
  batchCode: z.string(),
  clientName: z.string(),
  idKind: z.enum(['uscc', 'id_card']),
  idNo: z.string(),
  phone: z.string().nullable(),
  amountFen: z.number(),
  product: z.string(),
  expiresOn: z.string(),
  settlementCode: z.string().nullable(),
  nodeId: z.number().nullable(),
  nodeName: z.string().nullable(),
  staffId: z.number().nullable(),
  staffName: z.string().nullable(),
  status: Status,
  refusalReason: z.string().nullable(),
  source: z.string(),
  lastContactAt: z.string().nullable(),
  contacts: z.number(),
};
export const EntryOut = z.object(EntryBase);
export const EntryListOut = z.object({ items: z.array(EntryOut), total: z.number(), page: z.number(), pageSize: z.number() });
export const MineOut = EntryListOut.extend({ counts: z.record(z.string(), z.number()) });
export const ContactOut = z.object({
  id: z.number(),
  staffId: z.number(),
  staffName: z.string(),
  contactedAt: z.string(),
  channel: z.string(),
  outcome: z.string(),
  statusAfter: Status,
  note: z.string().nullable(),
});
export const EntryDetailOut = z.object({ ...EntryBase, contactList: z.array(ContactOut) });

export const ContactBody = z.strictObject({
  channel: z.enum(WHITELIST_CHANNELS),
  outcome: z.enum(WHITELIST_OUTCOMES),
  status: Status.optional(),
  refusalReason: z.string().trim().min(1).max(200).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
  contactedAt: z.string().datetime().optional(),
});

export const BatchOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  ownerNodeId: z.number(),
  ownerName: z.string(),
  source: z.string(),
  createdAt: z.string(),
  entries: z.number(),
  amountFen: z.number(),
  unassigned: z.number(),
  byStatus: z.record(z.string(), z.number()),
});
export const BatchListOut = itemList(BatchOut);
export const BatchOutletsOut = itemList(
  z.object({ nodeId: z.number(), code: z.string(), name: z.string(), level: z.string(), entries: z.number(), amountFen: z.number(), assigned: z.number(), contacted: z.number(), drawn: z.number() }),
);

export const DistributionBody = z.strictObject({ nodeId: IdIn.optional(), rule: Rule.optional() });
export const RebalanceBody = z.strictObject({ nodeId: IdIn.optional(), rule: Rule.optional() });
const PlanOut = z.object({
  nodeId: z.number(),
  code: z.string(),
  name: z.string(),
  level: z.string(),
  rule: Rule,
  entries: z.number(),
  amountFen: z.number(),
  unassigned: z.number(),
  people: z.array(z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), count: z.number(), amountFen: z.number(), current: z.number() })),
});
export const PreviewOut = z.object({ outlets: z.array(PlanOut) });
export const ApplyOut = z.object({ assigned: z.number(), outlets: z.array(PlanOut) });

export const RuleOut = z.object({
  nodeId: z.number(),
  name: z.string(),
  level: z.string(),
  rule: Rule,
  staff: z.array(z.object({ id: z.number(), staffNo: z.string(), name: z.string(), title: z.string().nullable(), weight: z.number() })),
});
export const RuleBody = z.strictObject({
  rule: Rule,
  weights: z.array(z.strictObject({ staffId: IdIn, weight: z.number().int().min(0).max(100) })).max(200),
});

export const MatchBody = z.strictObject({ departmentId: IdIn });
export const MatchOut = z.object({ id: z.number(), kind: z.string(), checked: z.number(), matched: z.number() });
const CampaignBase = {
  id: z.number(),
  batchId: z.number(),
  batchCode: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  kind: z.string(),
  name: z.string(),
  members: z.number(),
  createdAt: z.string(),
};
export const CampaignListOut = itemList(z.object(CampaignBase));
export const CampaignOut = z.object({
  ...CampaignBase,
  items: z.array(
    z.object({
      entryId: z.number(),
      clientName: z.string(),
      idNo: z.string(),
      amountFen: z.number(),
      product: z.string(),
      status: z.string(),
      nodeName: z.string().nullable(),
      staffName: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});

export const ExportQuery = z.strictObject({ list: z.enum(['sms', 'call']), format: z.enum(['xlsx', 'csv']).default('xlsx'), campaignId: QueryId.optional() });

export const OptionsOut = z.object({
  nodes: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), level: z.string(), parentId: z.number().nullable() })),
  departments: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string(), nodeName: z.string() })),
});
