import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Subscriptions to reports, their deliveries with read receipts, and the report jobs' run history
 * (issue 16, migration 0038, decision 0040).
 */
export const reportSubscriptions = pgTable(
  'report_subscriptions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    staffId: integer('staff_id').notNull(),
    definitionCode: text('definition_code').notNull(),
    /** Conditional delivery: the measure of the report, `lt` / `gt`, and the integer threshold (all null: always). */
    measure: text('measure'),
    comparator: text('comparator', { enum: ['lt', 'gt'] }),
    threshold: bigint('threshold', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('report_subscriptions_active_uq')
      .on(t.staffId, t.definitionCode)
      .where(sql`active`),
    index('report_subscriptions_code_idx')
      .on(t.definitionCode)
      .where(sql`active`),
  ],
);

/** One issue version delivered to one subscription (sent, or held by its condition); read_at is the receipt. */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    subscriptionId: integer('subscription_id').notNull(),
    issueId: integer('issue_id').notNull(),
    staffId: integer('staff_id').notNull(),
    sent: boolean('sent').notNull(),
    /** The subscription's measure over the subscriber's lines at delivery (null: unconditional). */
    measured: bigint('measured', { mode: 'number' }),
    /** How many of the issue's lines lie in the subscriber's subtree. */
    lines: integer('lines').notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('report_deliveries_uq').on(t.subscriptionId, t.issueId), index('report_deliveries_staff_idx').on(t.staffId, t.id), index('report_deliveries_issue_idx').on(t.issueId)],
);

export const REPORT_JOB_RUN_STATUSES = ['running', 'ok', 'failed', 'abandoned'] as const;

/** One run of a report job (production, delivery): when, how long, what it did and what failed. */
export const reportJobRuns = pgTable(
  'report_job_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    job: text('job').notNull(),
    instance: text('instance').notNull(),
    status: text('status', { enum: REPORT_JOB_RUN_STATUSES }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    done: integer('done').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    failures: jsonb('failures')
      .notNull()
      .default(sql`'[]'::jsonb`),
    error: text('error'),
  },
  (t) => [index('report_job_runs_job_idx').on(t.job, t.startedAt)],
);
