import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corporateClients } from './customers.js';
import { departments, orgNodes } from './org.js';
import { staff } from './staff.js';

/** The departments that keep a target list (SPEC §3, Art. 9). */
export const TARGET_DEPT_KINDS = ['corporate', 'institutional', 'real_estate'] as const;

/**
 * One Article 9 criterion as configuration: a rule kind over client facts with editable
 * parameters. Effective-dated: a change is a new row; the row in force on a date is the one with
 * the latest `effective_from` on or before it.
 */
export const targetCriteria = pgTable(
  'target_criteria',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Stable code of the criterion, e.g. CORP.CREDIT_LINE */
    code: text('code').notNull(),
    departmentKind: text('department_kind', { enum: TARGET_DEPT_KINDS }).notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** The rule: { kind, ...params } — evaluated by targets/criteria.rules.ts */
    rule: jsonb('rule').$type<Record<string, unknown>>().notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    effectiveFrom: date('effective_from').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('target_criteria_code_from_uq').on(t.code, t.effectiveFrom)],
);

export const NOMINATION_STATUSES = ['nominated', 'approved', 'rejected', 'withdrawn'] as const;

/** A department proposes adding (or removing) a client to its branch's target list. */
export const targetNominations = pgTable(
  'target_nominations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** The branch whose list it is (省分行 or 二级分行). */
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => corporateClients.id),
    action: text('action', { enum: ['add', 'remove'] })
      .notNull()
      .default('add'),
    status: text('status', { enum: NOMINATION_STATUSES }).notNull().default('nominated'),
    /** Reason for the "other" criterion or for a removal. */
    reason: text('reason'),
    /** The criteria evaluation at nomination time: which were met and from which facts. */
    evaluation: jsonb('evaluation').$type<unknown>().notNull(),
    nominatedBy: integer('nominated_by')
      .notNull()
      .references(() => staff.id),
    nominatedAt: timestamp('nominated_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer('decided_by').references(() => staff.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    /** The list version that took this decision in; null until a version is cut. */
    versionId: integer('version_id'),
  },
  (t) => [index('target_nominations_list_idx').on(t.nodeId, t.departmentId, t.status), index('target_nominations_company_idx').on(t.companyId)],
);

/** A version of one branch department's approved target list. */
export const targetListVersions = pgTable(
  'target_list_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    versionNo: integer('version_no').notNull(),
    note: text('note'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the list is next due for its periodic review (Art. 8). */
    reviewDueOn: date('review_due_on'),
  },
  (t) => [uniqueIndex('target_list_versions_uq').on(t.nodeId, t.departmentId, t.versionNo)],
);

/** The clients on a version, with the criteria they met when they were approved. */
export const targetListEntries = pgTable(
  'target_list_entries',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => targetListVersions.id, { onDelete: 'cascade' }),
    companyId: integer('company_id')
      .notNull()
      .references(() => corporateClients.id),
    criteria: jsonb('criteria').$type<string[]>().notNull(),
    reason: text('reason'),
    nominationId: integer('nomination_id'),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.companyId] })],
);
