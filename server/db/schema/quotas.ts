import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { departments, orgNodes } from './org.js';
import { productLines, products } from './scoring.js';
import { staff } from './staff.js';

/**
 * Sales quotas (营销任务/考核目标, SPEC §10, Art. 16–18) and the year-end assessment (Art. 22–23).
 * Called "quotas" in code: `targets` is the target client list (目标客户名单, SPEC §3).
 */

/**
 * The yearly target of a retail product line per branch (零售产品条线考评指标): the figure the
 * 10 % proposal helper derives departments' quotas from (Art. 18). Quantity × 10⁴ in `unit`.
 */
export const quotaLineTargets = pgTable(
  'quota_line_targets',
  {
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    year: integer('year').notNull(),
    lineCode: text('line_code')
      .notNull()
      .references(() => productLines.code),
    quantity1e4: bigint('quantity_1e4', { mode: 'number' }).notNull(),
    /** The unit of the line target (件 / 户 / 万元 …): the helper proposes for the line's products in this unit. */
    unit: text('unit').notNull(),
    note: text('note'),
    updatedBy: integer('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.year, t.lineCode] })],
);

export const QUOTA_PLAN_STATES = ['draft', 'approved'] as const;
export type QuotaPlanState = (typeof QUOTA_PLAN_STATES)[number];

/**
 * A branch's quota plan for a year: the committee approves it as a whole (four-eyes: not the
 * last editor). Any change after approval puts it back to draft; each approval is kept as a
 * numbered version (quota_plan_versions) — the assessment reads the latest approved version.
 */
export const quotaPlans = pgTable(
  'quota_plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    year: integer('year').notNull(),
    state: text('state', { enum: QUOTA_PLAN_STATES }).notNull().default('draft'),
    /** The number of the latest approved version (0: never approved). */
    approvedVersion: integer('approved_version').notNull().default(0),
    lastEditedBy: integer('last_edited_by'),
    lastEditedAt: timestamp('last_edited_at', { withTimezone: true }),
    approvedBy: integer('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('quota_plans_node_year_uq').on(t.nodeId, t.year)],
);

export const QUOTA_SOURCES = ['manual', 'proposal', 'import'] as const;

/**
 * One quota: department × product × year, optionally narrowed to one person (staff_id) or one
 * outlet (outlet_node_id) of the department where the branch breaks its quotas down. Only the
 * department-level rows (neither set) drive the 50 % gate.
 */
export const quotas = pgTable(
  'quotas',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    planId: integer('plan_id')
      .notNull()
      .references(() => quotaPlans.id),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    year: integer('year').notNull(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    staffId: integer('staff_id').references(() => staff.id),
    outletNodeId: integer('outlet_node_id').references(() => orgNodes.id),
    /** Quantity in the product's unit × 10⁴, like sales.quantity_1e4. */
    quantity1e4: bigint('quantity_1e4', { mode: 'number' }).notNull(),
    source: text('source', { enum: QUOTA_SOURCES }).notNull().default('manual'),
    note: text('note'),
    updatedBy: integer('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('quotas_key_uq').on(t.nodeId, t.year, t.departmentId, t.productId, t.staffId, t.outletNodeId).nullsNotDistinct(),
    index('quotas_plan_idx').on(t.planId),
    check('quotas_one_narrowing', sql`${t.staffId} IS NULL OR ${t.outletNodeId} IS NULL`),
    check('quotas_quantity_nonneg', sql`${t.quantity1e4} >= 0`),
  ],
);

/** An approved version of a plan: the quotas as approved, frozen (history, SPEC §10). */
export const quotaPlanVersions = pgTable(
  'quota_plan_versions',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => quotaPlans.id),
    versionNo: integer('version_no').notNull(),
    /** [{ departmentId, productId, staffId, outletNodeId, quantity1e4 }] sorted. */
    quotas: jsonb('quotas').notNull(),
    lastEditedBy: integer('last_edited_by'),
    approvedBy: integer('approved_by').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.versionNo] })],
);

/**
 * Award rules (奖励标准, Art. 17–18) as configuration, effective from a year: for year Y the set
 * with the latest effective_year ≤ Y on the branch, else on the nearest ancestor (a province-wide
 * default). Validated by assessment.schemas.ts.
 */
export const awardRuleSets = pgTable(
  'award_rule_sets',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    effectiveYear: integer('effective_year').notNull(),
    rules: jsonb('rules').notNull(),
    updatedBy: integer('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('award_rule_sets_node_year_uq').on(t.nodeId, t.effectiveYear)],
);

/** superseded: a final run the committee set aside when it reopened the year (kept, readable). */
export const ASSESSMENT_STATES = ['draft', 'approved', 'locked', 'superseded'] as const;
/** The states of a final result: one per branch and year; sales of the year are refused once locked. */
export const FINAL_ASSESSMENT_STATES = ['approved', 'locked'] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];

/**
 * A year-end assessment run (Art. 22–23): its inputs (hashed, so approval can tell whether the
 * data moved since), its explained result, and its state draft → approved (committee, four-eyes:
 * not the person who ran it) → locked (paid out by HR and finance; nothing changes after).
 */
export const assessmentRuns = pgTable(
  'assessment_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    year: integer('year').notNull(),
    state: text('state', { enum: ASSESSMENT_STATES }).notNull().default('draft'),
    /** The reward pool (奖励总额) in 分. */
    poolFen: bigint('pool_fen', { mode: 'number' }).notNull(),
    /** The gate in basis points (5000 = 50 %). */
    gateBp: integer('gate_bp').notNull(),
    /** The approved quota version used (null: no approved plan, so no gate). */
    quotaVersion: integer('quota_version'),
    ruleSetId: integer('rule_set_id'),
    /** sha256 of the canonical inputs. */
    inputsHash: text('inputs_hash').notNull(),
    inputs: jsonb('inputs').notNull(),
    result: jsonb('result').notNull(),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: integer('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    lockedBy: integer('locked_by'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    /** The audit head when the run was approved (an anchor, decision 0016). */
    auditSeq: bigint('audit_seq', { mode: 'number' }),
    auditHash: text('audit_hash'),
    /** Set when the committee reopened the year (assessment.reopen): who, when and why. */
    supersededBy: integer('superseded_by'),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    supersedeReason: text('supersede_reason'),
  },
  (t) => [
    index('assessment_runs_node_year_idx').on(t.nodeId, t.year),
    // One approved (or locked) result per branch and year; superseded runs stay beside it.
    uniqueIndex('assessment_runs_final_uq')
      .on(t.nodeId, t.year)
      .where(sql`state IN ('approved', 'locked')`),
  ],
);

/**
 * The figures of a run per department and person (staff_id null: the department's own part —
 * points no person was named for, and a department without person-level points keeps it all).
 */
export const assessmentRunLines = pgTable(
  'assessment_run_lines',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    departmentId: integer('department_id').notNull(),
    staffId: integer('staff_id'),
    /** Points before the gate, in hundredths. */
    pointsHundredths: bigint('points_hundredths', { mode: 'number' }).notNull(),
    /** Points that count after the 50 % gate. */
    countedHundredths: bigint('counted_hundredths', { mode: 'number' }).notNull(),
    /** Share of the reward pool, in 分. */
    rewardFen: bigint('reward_fen', { mode: 'number' }).notNull(),
    /** Special and key-project awards (Art. 17), in 分, outside the pool. */
    specialFen: bigint('special_fen', { mode: 'number' }).notNull().default(0),
  },
  (t) => [unique('assessment_run_lines_uq').on(t.runId, t.departmentId, t.staffId).nullsNotDistinct()],
);
