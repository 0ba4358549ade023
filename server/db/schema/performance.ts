import { bigint, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Migration 0035 (SPEC §12, seed 002, decision 0037): inclusive-finance branch performance. */

/** 优先发展行 / 跟进发展行 / 特色行. */
export const PERF_GROUPS = ['priority', 'follow', 'featured'] as const;
export type PerfGroup = (typeof PERF_GROUPS)[number];
/** What "worst" is measured by (the seed names no measure; decision 0037). */
export const PERF_MEASURES = ['drawn_amount', 'conversion_bp', 'drawn_count'] as const;
export type PerfMeasure = (typeof PERF_MEASURES)[number];
export const VISIT_CATEGORIES = ['good', 'average', 'poor'] as const;
export type VisitCategory = (typeof VISIT_CATEGORIES)[number];
export const VISIT_STATUSES = ['planned', 'done', 'cancelled'] as const;

/** A sub-branch's group, effective-dated: a change closes the open row the day before. */
export const inclGroupMembers = pgTable(
  'incl_group_members',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    branchNodeId: integer('branch_node_id').notNull(),
    groupCode: text('group_code', { enum: PERF_GROUPS }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    reason: text('reason'),
    setBy: integer('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('incl_group_members_node_idx').on(t.nodeId, t.validFrom)],
);

export const inclMeasures = pgTable(
  'incl_measures',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    measure: text('measure', { enum: PERF_MEASURES }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    reason: text('reason'),
    setBy: integer('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('incl_measures_from_uq').on(t.validFrom)],
);

/** One taking of a quarter's grouping rule: frozen (trigger); a re-run is the next version. */
export const inclQuarterResults = pgTable(
  'incl_quarter_results',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    quarter: text('quarter').notNull(),
    version: integer('version').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    measure: text('measure', { enum: PERF_MEASURES }).notNull(),
    reason: text('reason'),
    takenBy: integer('taken_by'),
    takenByName: text('taken_by_name').notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('incl_quarter_results_uq').on(t.quarter, t.version)],
);

export const inclQuarterLines = pgTable(
  'incl_quarter_lines',
  {
    resultId: integer('result_id').notNull(),
    nodeId: integer('node_id').notNull(),
    branchNodeId: integer('branch_node_id').notNull(),
    groupCode: text('group_code', { enum: PERF_GROUPS }).notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    tiebreak: bigint('tiebreak', { mode: 'number' }).notNull(),
    rank: integer('rank').notNull(),
    members: integer('members').notNull(),
    flagged: boolean('flagged').notNull(),
    outcome: text('outcome').notNull(),
    inputs: jsonb('inputs').notNull(),
  },
  (t) => [primaryKey({ name: 'incl_quarter_lines_pk', columns: [t.resultId, t.nodeId] })],
);

/** 蹲点调研: one planned or recorded visit to an outlet in a month. */
export const inclVisits = pgTable(
  'incl_visits',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    month: text('month').notNull(),
    nodeId: integer('node_id').notNull(),
    category: text('category', { enum: VISIT_CATEGORIES }).notNull(),
    leaderStaffId: integer('leader_staff_id').notNull(),
    plannedOn: date('planned_on', { mode: 'string' }),
    status: text('status', { enum: VISIT_STATUSES }).notNull().default('planned'),
    visitedOn: date('visited_on', { mode: 'string' }),
    participants: text('participants'),
    findings: text('findings'),
    problems: text('problems'),
    note: text('note'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  () => [],
);

export const inclVisitActions = pgTable(
  'incl_visit_actions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    visitId: integer('visit_id').notNull(),
    action: text('action').notNull(),
    ownerStaffId: integer('owner_staff_id').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    closedOn: date('closed_on', { mode: 'string' }),
    closingNote: text('closing_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('incl_visit_actions_visit_idx').on(t.visitId)],
);
