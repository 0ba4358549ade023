import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The reporting calendar (通报体系, SPEC §13, issue 16; migration 0033). A definition is versioned:
 * a change is a new row with the next version and a reason; issues name the version they were
 * produced under, so a change never alters a past issue.
 */
export const reportDefinitions = pgTable(
  'report_definitions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    category: text('category').notNull(),
    cadence: text('cadence', { enum: ['daily', 'weekly', 'ten_day', 'monthly', 'quarterly', 'twice_quarterly', 'ad_hoc'] }).notNull(),
    /** Due N working days after the period's last day, at `dueTime` (Beijing); null for ad hoc reports. */
    dueAfterWorkingDays: integer('due_after_working_days'),
    dueTime: text('due_time'),
    ownerDept: text('owner_dept').notNull(),
    sourceKind: text('source_kind', { enum: ['own', 'feed'] }).notNull(),
    /** The own-data view (`sales`, `completion` …) or the feed's name (`four-bank-deposits` …). */
    source: text('source').notNull(),
    /** Issues are produced for the periods from the one holding this day on. */
    validFrom: date('valid_from').notNull(),
    reason: text('reason').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('report_definitions_code_version_uq').on(t.code, t.version)],
);

export const REPORT_ISSUE_STATUSES = ['produced', 'waiting_feed', 'failed'] as const;
export type ReportIssueStatus = (typeof REPORT_ISSUE_STATUSES)[number];

/**
 * One issue of a report for one period, in numbered versions (1 by the scheduler, then re-runs with
 * a reason). Produced issues are frozen by trigger; a waiting or failed one becomes produced once.
 */
export const reportIssues = pgTable(
  'report_issues',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    definitionId: integer('definition_id').notNull(),
    definitionCode: text('definition_code').notNull(),
    definitionVersion: integer('definition_version').notNull(),
    periodKey: text('period_key').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    periodLabel: text('period_label').notNull(),
    version: integer('version').notNull(),
    reason: text('reason'),
    status: text('status', { enum: REPORT_ISSUE_STATUSES }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    producedAt: timestamp('produced_at', { withTimezone: true }),
    /** The frozen snapshot: what was sent, whatever the data become later. */
    data: jsonb('data'),
    waitingOn: text('waiting_on'),
    error: text('error'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('report_issues_uq').on(t.definitionCode, t.periodKey, t.version),
    index('report_issues_code_period_idx').on(t.definitionCode, t.periodFrom),
    index('report_issues_waiting_idx')
      .on(t.waitingOn, t.periodKey)
      .where(sql`status = 'waiting_feed'`),
  ],
);

/** A figure the system does not own, per feed, period, org node and measure: integers (分, counts, basis points). */
export const reportFeedRows = pgTable(
  'report_feed_rows',
  {
    feed: text('feed').notNull(),
    periodKey: text('period_key').notNull(),
    nodeId: integer('node_id').notNull(),
    measure: text('measure').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    importId: text('import_id'),
    importedBy: integer('imported_by'),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'report_feed_rows_pk', columns: [t.feed, t.periodKey, t.nodeId, t.measure] })],
);
