import { bigint, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgNodes } from './org.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * The life of a branch's month (SPEC §9): draft → published (公示) → submitted → audited →
 * locked. Committee approval locks the month (SPEC §9.5), so `approved` and `locked` are one
 * state; both timestamps are kept. A month without a row is a draft.
 */
export const PERIOD_STATES = ['draft', 'published', 'submitted', 'audited', 'locked'] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];

export const periods = pgTable(
  'periods',
  {
    /** The branch (省分行 or 二级分行) whose statement it is. */
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    /** First day of the month. */
    period: date('period').notNull(),
    state: text('state', { enum: PERIOD_STATES }).notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** null = published by the scheduler. */
    publishedBy: integer('published_by'),
    /** Objections are accepted until this instant (exclusive of anything later). */
    windowClosesAt: timestamp('window_closes_at', { withTimezone: true }),
    /** Set when the scheduler (or a submit) recorded that the window closed. */
    windowClosedAt: timestamp('window_closed_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: integer('submitted_by'),
    auditedAt: timestamp('audited_at', { withTimezone: true }),
    auditedBy: integer('audited_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: integer('approved_by'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    lockedBy: integer('locked_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The audit head when the month was locked (an anchor, decision 0016); printed on its notice. */
    auditSeq: bigint('audit_seq', { mode: 'number' }),
    auditHash: text('audit_hash'),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.period] }), index('periods_state_idx').on(t.state)],
);

/**
 * The numbered versions of a month's notice (issue 12 rule 2): version 1 at publication, then one
 * per objection upheld with a correction during the window, with its change list (per sale: the
 * points and lines before and after, the reason). A published month without a row is version 1.
 */
export const noticeVersions = pgTable(
  'notice_versions',
  {
    nodeId: integer('node_id').notNull(),
    period: date('period').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** null = the scheduler (version 1 published by it). */
    createdBy: integer('created_by'),
    /** The upheld objection that made this version; null for version 1. */
    objectionId: integer('objection_id'),
    reason: text('reason').notNull(),
    /** NoticeChange[] (periods/notice.versions.ts). */
    changes: jsonb('changes').notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.period, t.version] })],
);

export const OBJECTION_TARGETS = ['department', 'person', 'sale'] as const;
export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;

/** 异议 on a line of a published statement (SPEC §9.2), answered by the committee office. */
export const objections = pgTable(
  'objections',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    period: date('period').notNull(),
    targetKind: text('target_kind', { enum: OBJECTION_TARGETS }).notNull(),
    departmentId: integer('department_id'),
    staffId: integer('staff_id'),
    saleId: integer('sale_id'),
    reason: text('reason').notNull(),
    raisedBy: integer('raised_by').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    /** The branch's committee office department (departments.committee_office). */
    assignedDepartmentId: integer('assigned_department_id'),
    status: text('status', { enum: OBJECTION_STATUSES }).notNull().default('open'),
    answer: text('answer'),
    answeredBy: integer('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The sale correction an upheld objection applied: { saleId, before, after }. */
    correction: jsonb('correction'),
  },
  (t) => [index('objections_node_period_idx').on(t.nodeId, t.period), index('objections_raised_by_idx').on(t.raisedBy)],
);

/** 真实性抽查 of a branch's month (SPEC §9.4): the seed and the population make it reproducible. */
export const spotChecks = pgTable(
  'spot_checks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    period: date('period').notNull(),
    seed: text('seed').notNull(),
    /** How the size was asked for: { count } or { percentBp, minimum }. */
    sizeRule: jsonb('size_rule').notNull(),
    /** The ordered sale ids the sample was drawn from. */
    population: integer('population').array().notNull(),
    sampleSize: integer('sample_size').notNull(),
    drawnBy: integer('drawn_by').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('spot_checks_node_period_uq').on(t.nodeId, t.period)],
);

export const SPOT_RESULTS = ['pending', 'verified', 'false'] as const;

export const spotCheckItems = pgTable(
  'spot_check_items',
  {
    spotCheckId: integer('spot_check_id')
      .notNull()
      .references(() => spotChecks.id, { onDelete: 'cascade' }),
    saleId: integer('sale_id').notNull(),
    result: text('result', { enum: SPOT_RESULTS }).notNull().default('pending'),
    note: text('note'),
    checkedBy: integer('checked_by'),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.spotCheckId, t.saleId] })],
);

/** Evidence files of a checked sale (bytes in the database: one backup holds everything). */
export const spotCheckEvidence = pgTable(
  'spot_check_evidence',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    spotCheckId: integer('spot_check_id').notNull(),
    saleId: integer('sale_id').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    uploadedBy: integer('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('spot_check_evidence_item_idx').on(t.spotCheckId, t.saleId)],
);

/** In-app notifications (站内通知): one row per recipient, written set-based. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    staffId: integer('staff_id').notNull(),
    kind: text('kind').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    /** Console route to open, e.g. /periods/11/2026-10. */
    link: text('link'),
    nodeId: integer('node_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_staff_idx').on(t.staffId, t.id)],
);

/**
 * Scheduled work done once per (job, branch, month): the claim is this row, inserted in the
 * transaction that does the work, so two server processes never both do it.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    nodeId: integer('node_id').notNull(),
    period: date('period').notNull(),
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.job, t.nodeId, t.period] })],
);

/**
 * A year taken out of the online data (migration 0048, decision 0042): its month partitions of the
 * ledger and the totals were detached by `linkage detach-year`, listed in `tables`. Written by the
 * SQL function only; a read of the year answers PERIOD.ARCHIVED (db/partitions.ts).
 */
export const archivedYears = pgTable('archived_years', {
  year: integer('year').primaryKey(),
  detachedAt: timestamp('detached_at', { withTimezone: true }).notNull().defaultNow(),
  tables: text('tables').array().notNull(),
});
