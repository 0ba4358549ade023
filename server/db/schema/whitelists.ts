import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Migration 0034 (SPEC §12, seed 002, decision 0036): inclusive-finance whitelists (经营快贷白名单).
 * A batch of pre-approved small-business clients is imported (or admitted by the supply-chain
 * programme), distributed first to outlets by the client's settlement outlet, then within an outlet
 * to staff; each staff member works "my whitelist clients" and records every contact.
 */

/** Where a batch or an entry came from: a file through the import framework, the supply-chain programme, or code. */
export const WHITELIST_SOURCES = ['import', 'supply_chain', 'manual'] as const;
export type WhitelistSource = (typeof WHITELIST_SOURCES)[number];

/** 未联系 → 已联系 → 有意向 → 已申请 → 已提款; 已拒绝 (with a reason) from any open state. */
export const WHITELIST_STATUSES = ['not_contacted', 'contacted', 'interested', 'applied', 'drawn', 'refused'] as const;
export type WhitelistStatus = (typeof WHITELIST_STATUSES)[number];

/** How an outlet shares its entries among its staff (distribution.rules.ts). */
export const WHITELIST_STAFF_RULES = ['weights', 'round_robin', 'keep_am'] as const;
export type WhitelistStaffRule = (typeof WHITELIST_STAFF_RULES)[number];

/** 统一社会信用代码 (a company) or 居民身份证号 (an individual business owner). */
export const WHITELIST_ID_KINDS = ['uscc', 'id_card'] as const;
export type WhitelistIdKind = (typeof WHITELIST_ID_KINDS)[number];

export const WHITELIST_CHANNELS = ['phone', 'visit', 'counter', 'sms', 'wechat', 'other'] as const;
export type WhitelistChannel = (typeof WHITELIST_CHANNELS)[number];

export const WHITELIST_OUTCOMES = ['no_answer', 'suspected_fraud', 'not_interested', 'interested', 'applied', 'drawn', 'refused', 'callback', 'other'] as const;
export type WhitelistOutcome = (typeof WHITELIST_OUTCOMES)[number];

/** The department kinds that match a whitelist against their own clients (seed 002: 私人银行部, 银行卡部, 结现部). */
export const WHITELIST_CAMPAIGN_KINDS = ['private_banking', 'card_merchant', 'settlement'] as const;
export type WhitelistCampaignKind = (typeof WHITELIST_CAMPAIGN_KINDS)[number];

/** 白名单批次: one list as delivered; `ownerNodeId` is the sub-branch (or higher) whose scope it was imported in. */
export const whitelistBatches = pgTable(
  'whitelist_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    ownerNodeId: integer('owner_node_id').notNull(),
    source: text('source', { enum: WHITELIST_SOURCES }).notNull(),
    /** e.g. the supply-chain programme id that admitted the clients. */
    sourceRef: text('source_ref'),
    note: text('note'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('whitelist_batches_code_uq').on(t.code), index('whitelist_batches_owner_idx').on(t.ownerNodeId)],
);

/**
 * 白名单客户: one pre-approved client in a batch. `outletNodeId` is where it was distributed (an outlet,
 * or the owning sub-branch when the settlement outlet is unknown or not an outlet); `staffId` who works it.
 */
export const whitelistEntries = pgTable(
  'whitelist_entries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    batchId: integer('batch_id').notNull(),
    clientName: text('client_name').notNull(),
    idKind: text('id_kind', { enum: WHITELIST_ID_KINDS }).notNull(),
    /** USCC or ID number, normalised (upper case); the natural key inside a batch. */
    idNo: text('id_no').notNull(),
    corporateClientId: integer('corporate_client_id'),
    individualId: integer('individual_id'),
    phone: text('phone'),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    product: text('product').notNull(),
    expiresOn: date('expires_on').notNull(),
    /** The outlet where the client settles (结算网点), as delivered; null when its code matched nothing. */
    settlementNodeId: integer('settlement_node_id'),
    settlementCode: text('settlement_code'),
    outletNodeId: integer('outlet_node_id'),
    staffId: integer('staff_id'),
    status: text('status', { enum: WHITELIST_STATUSES }).notNull().default('not_contacted'),
    refusalReason: text('refusal_reason'),
    source: text('source', { enum: WHITELIST_SOURCES }).notNull(),
    sourceRef: text('source_ref'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    statusAt: timestamp('status_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('whitelist_entries_batch_id_no_uq').on(t.batchId, t.idNo),
    index('whitelist_entries_outlet_idx').on(t.outletNodeId, t.status),
    index('whitelist_entries_staff_idx').on(t.staffId, t.status),
    index('whitelist_entries_id_no_idx').on(t.idNo),
  ],
);

/** 联系记录: append-only; each contact may move the entry's status (`statusAfter`). */
export const whitelistContacts = pgTable(
  'whitelist_contacts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    entryId: integer('entry_id').notNull(),
    staffId: integer('staff_id').notNull(),
    contactedAt: timestamp('contacted_at', { withTimezone: true }).notNull(),
    channel: text('channel', { enum: WHITELIST_CHANNELS }).notNull(),
    outcome: text('outcome', { enum: WHITELIST_OUTCOMES }).notNull(),
    statusAfter: text('status_after', { enum: WHITELIST_STATUSES }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('whitelist_contacts_entry_idx').on(t.entryId, t.contactedAt), index('whitelist_contacts_staff_idx').on(t.staffId, t.contactedAt)],
);

/** How an outlet shares entries among its staff; `weights` maps staff id → capacity weight. */
export const whitelistOutletRules = pgTable('whitelist_outlet_rules', {
  nodeId: integer('node_id').primaryKey(),
  rule: text('rule', { enum: WHITELIST_STAFF_RULES }).notNull(),
  weights: jsonb('weights').$type<Record<string, number>>().notNull().default({}),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** 部门比对名单: the entries a department matched against its own clients, worked as its campaign. */
export const whitelistCampaigns = pgTable(
  'whitelist_campaigns',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    batchId: integer('batch_id').notNull(),
    departmentId: integer('department_id').notNull(),
    kind: text('kind', { enum: WHITELIST_CAMPAIGN_KINDS }).notNull(),
    name: text('name').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('whitelist_campaigns_batch_dept_uq').on(t.batchId, t.departmentId, t.kind)],
);

export const whitelistCampaignMembers = pgTable(
  'whitelist_campaign_members',
  {
    campaignId: integer('campaign_id').notNull(),
    entryId: integer('entry_id').notNull(),
    /** Why it matched, e.g. "私人银行客户 王*（AUM 820万元）". */
    reason: text('reason').notNull(),
  },
  (t) => [uniqueIndex('whitelist_campaign_members_uq').on(t.campaignId, t.entryId), index('whitelist_campaign_members_entry_idx').on(t.entryId)],
);
