import { index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A lead's stages, in order (won and lost are final): modules/leads/leads.rules.ts moves them. */
export const LEAD_STAGES = ['new', 'contacted', 'proposal', 'won', 'lost'] as const;
/** Where a lead came from. */
export const LEAD_SOURCES = ['survey', 'referral', 'activity', 'manual', 'import'] as const;

/**
 * 商机 (SPEC §4, issue 13). A lead belongs to a branch (node_id: the branch whose departments work
 * it), is routed to a department, and is held by one account manager — or by nobody, which is the
 * department's pool. touched_at drives the escalation ladder; every step is a lead_events row.
 */
export const leads = pgTable(
  'leads',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    departmentId: integer('department_id').notNull(),
    ownerStaffId: integer('owner_staff_id'),
    productId: integer('product_id'),
    personId: integer('person_id'),
    companyId: integer('company_id'),
    /** The person's name as the source gave it (a referral may name someone not yet on file). */
    contactName: text('contact_name').notNull(),
    source: text('source', { enum: LEAD_SOURCES }).notNull(),
    /** Idempotence of imports and surveys: the same source key never makes a second lead. */
    sourceKey: text('source_key'),
    stage: text('stage', { enum: LEAD_STAGES }).notNull().default('new'),
    lostReason: text('lost_reason'),
    note: text('note'),
    escalationLevel: smallint('escalation_level').notNull().default(0),
    /** Set when the ladder returned it to the pool (7 days untouched); kept for the record. */
    flaggedAt: timestamp('flagged_at', { withTimezone: true }),
    saleId: integer('sale_id'),
    /** The marketing project (and activity) that produced the lead: its team fills the won sale. */
    projectId: integer('project_id'),
    activityId: integer('activity_id'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    touchedAt: timestamp('touched_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('leads_source_key_uq').on(t.sourceKey),
    index('leads_owner_idx').on(t.ownerStaffId, t.stage),
    index('leads_department_idx').on(t.departmentId, t.stage),
    index('leads_node_created_idx').on(t.nodeId, t.createdAt),
  ],
);

/** What happened to a lead, in order: created, assigned, stage, escalated, returned, note. */
export const leadEvents = pgTable(
  'lead_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    leadId: integer('lead_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** null: the system (the escalation job, the assignment rule). */
    actorStaffId: integer('actor_staff_id'),
    kind: text('kind').notNull(),
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [index('lead_events_lead_idx').on(t.leadId, t.id)],
);

/** How many open leads an account manager may hold; absent = the default setting. */
export const leadCapacities = pgTable('lead_capacities', {
  staffId: integer('staff_id').primaryKey(),
  capacity: integer('capacity').notNull(),
});
