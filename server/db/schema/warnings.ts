import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Migration 0036 (SPEC §12, seed 002): post-loan early warning (贷后监测预警). */

/** 预警指标: one effective-dated version per row (code + version); rules in warnings.rules.ts. */
export const ewIndicators = pgTable(
  'ew_indicators',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    source: text('source').notNull(),
    kind: text('kind', { enum: ['threshold', 'change', 'boolean'] }).notNull(),
    op: text('op', { enum: ['gt', 'gte', 'lt', 'lte'] }),
    threshold: bigint('threshold', { mode: 'number' }),
    windowDays: integer('window_days'),
    severity: text('severity', { enum: ['low', 'medium', 'high'] }).notNull(),
    ownerRole: text('owner_role').notNull(),
    active: boolean('active').notNull().default(true),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    reason: text('reason'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('ew_indicators_version_uq').on(t.code, t.version), uniqueIndex('ew_indicators_from_uq').on(t.code, t.validFrom)],
);

/** 数据源: one integer per day, data item and loan client (分, days, counts, 1/0). */
export const ewFeed = pgTable(
  'ew_feed',
  {
    day: date('day').notNull(),
    source: text('source').notNull(),
    clientId: integer('client_id').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.source, t.clientId] }), index('ew_feed_client_idx').on(t.clientId, t.day)],
);

/** 担保关系: a company or a person guarantees a loan client. */
export const ewGuarantees = pgTable('ew_guarantees', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  clientId: integer('client_id').notNull(),
  guarantorCompanyId: integer('guarantor_company_id'),
  guarantorPersonId: integer('guarantor_person_id'),
  contractNo: text('contract_no'),
  since: date('since'),
  until: date('until'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});

export const ewRuns = pgTable(
  'ew_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    day: date('day').notNull(),
    evaluated: integer('evaluated').notNull().default(0),
    hits: integer('hits').notNull().default(0),
    newWarnings: integer('new_warnings').notNull().default(0),
    merged: integer('merged').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    runBy: text('run_by').notNull(),
  },
  (t) => [uniqueIndex('ew_runs_day_uq').on(t.day)],
);

export const ewRunCounts = pgTable(
  'ew_run_counts',
  {
    runId: integer('run_id').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    evaluated: integer('evaluated').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.indicatorId] })],
);

/** 预警触发记录: a hit and its inputs, so a warning explains itself. */
export const ewHits = pgTable(
  'ew_hits',
  {
    day: date('day').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    clientId: integer('client_id').notNull(),
    runId: integer('run_id').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    baseValue: bigint('base_value', { mode: 'number' }),
    baseDay: date('base_day'),
    warningId: integer('warning_id'),
  },
  (t) => [primaryKey({ columns: [t.day, t.indicatorId, t.clientId] }), index('ew_hits_warning_idx').on(t.warningId)],
);

/** 预警: one open warning per client and indicator code (merged), its handling state and escalation. */
export const ewWarnings = pgTable(
  'ew_warnings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    clientId: integer('client_id').notNull(),
    indicatorCode: text('indicator_code').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    severity: text('severity', { enum: ['low', 'medium', 'high'] }).notNull(),
    nodeId: integer('node_id').notNull(),
    amStaffId: integer('am_staff_id'),
    status: text('status', { enum: ['open', 'acknowledged', 'visited', 'closed'] })
      .notNull()
      .default('open'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    firstDay: date('first_day').notNull(),
    lastDay: date('last_day').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: integer('closed_by'),
  },
  (t) => [index('ew_warnings_node_idx').on(t.nodeId, t.status), index('ew_warnings_am_idx').on(t.amStaffId, t.status), index('ew_warnings_first_idx').on(t.indicatorCode, t.firstDay)],
);

/** Who receives a warning and why (managing AM, graph neighbours' AMs, escalation leaders). */
export const ewRecipients = pgTable(
  'ew_recipients',
  {
    warningId: integer('warning_id').notNull(),
    staffId: integer('staff_id').notNull(),
    reason: text('reason', { enum: ['manager', 'related_company', 'owner', 'guarantor', 'escalation'] }).notNull(),
    via: text('via'),
    addedOn: date('added_on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.warningId, t.staffId, t.reason] }), index('ew_recipients_staff_idx').on(t.staffId)],
);

/** 处置记录: acknowledge, visit (findings), close, escalate, and the scheduler's escalations. */
export const ewActions = pgTable(
  'ew_actions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    warningId: integer('warning_id').notNull(),
    kind: text('kind', { enum: ['acknowledge', 'visit', 'close', 'escalate', 'auto_escalate'] }).notNull(),
    note: text('note'),
    visitedOn: date('visited_on'),
    level: integer('level'),
    staffId: integer('staff_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ew_actions_warning_idx').on(t.warningId, t.id)],
);

export const ewEscalationSteps = pgTable('ew_escalation_steps', {
  level: integer('level').primaryKey(),
  afterDays: integer('after_days').notNull(),
  target: text('target', { enum: ['subbranch', 'branch'] }).notNull(),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
