import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corporateClients } from './customers.js';
import { orgNodes } from './org.js';

/**
 * The distribution key of the province-scoped facts (migration 0039, decision 0043,
 * server/db/distribution.ts): the tier-1 branch of the row's node. NOT NULL in the database; the
 * database fills it when a writer leaves it out (a BEFORE INSERT trigger from node_id or sale_id),
 * so Drizzle treats it as defaulted and inserts may omit it.
 */
const provinceKey = () =>
  integer('province_id')
    .notNull()
    .default(sql`NULL`);

/** Product lines (理财, 基金, 保险 …) are data; `retail` lines carry the yearly targets (SPEC §10). */
export const productLines = pgTable('product_lines', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  retail: boolean('retail').notNull().default(true),
  sort: integer('sort').notNull().default(0),
});

/** A product (SPEC §6) with its host department (产品主办部门) named by department code. */
export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    lineCode: text('line_code')
      .notNull()
      .references(() => productLines.code),
    /** Department code (e.g. PF) resolved in each branch to that branch's department. */
    hostDepartmentCode: text('host_department_code').notNull(),
    /** 件 / 户 / 万元 / 张 / 笔 … */
    unit: text('unit').notNull(),
    /** Personal housing mortgage: subject to the development rule (SPEC §8). */
    mortgage: boolean('mortgage').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('products_code_uq').on(t.code)],
);

/**
 * Unit score versions (SPEC §6): a sale uses the version in force on its sale date — the row with
 * the latest `effective_from` on or before it. History is kept; rows are never edited.
 */
export const productScores = pgTable(
  'product_scores',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** Points per unit of business volume, in hundredths (12.50 points → 1250). */
    scoreHundredths: bigint('score_hundredths', { mode: 'number' }).notNull(),
    effectiveFrom: date('effective_from').notNull(),
    note: text('note'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('product_scores_uq').on(t.productId, t.effectiveFrom)],
);

/** The 20/80 split (SPEC §7) as effective-dated configuration, in basis points (2000 = 20 %). */
export const splitRules = pgTable('split_rules', {
  effectiveFrom: date('effective_from').primaryKey(),
  hostBp: integer('host_bp').notNull(),
  participantsBp: integer('participants_bp').notNull(),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 楼盘 financed by the bank (SPEC §8). */
export const developments = pgTable(
  'developments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    developerId: integer('developer_id')
      .notNull()
      .references(() => corporateClients.id),
    /** The branch whose statement shows the development. */
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    /** sole: the bank is the only development lender (≥ 85 %); partial: ≥ its loan share. */
    lenderMode: text('lender_mode', { enum: ['sole', 'partial'] }).notNull(),
    /** The bank's share of the development loan in basis points (partial lenders). */
    loanShareBp: integer('loan_share_bp'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('developments_code_uq').on(t.code)],
);

/** Cumulative mortgage households of a development as of a date (updated over time). */
export const developmentFigures = pgTable(
  'development_figures',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    developmentId: integer('development_id')
      .notNull()
      .references(() => developments.id),
    asOf: date('as_of').notNull(),
    totalHouseholds: integer('total_households').notNull(),
    bankHouseholds: integer('bank_households').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('development_figures_uq').on(t.developmentId, t.asOf)],
);

/**
 * A cross-sale (SPEC §7). The source transaction id makes re-sending harmless.
 *
 * sales, sale_departments, sale_people and ledger_entries carry no per-row FOREIGN KEY: their
 * references are enforced by statement-level triggers that check a whole COPY or INSERT with one
 * anti-join per reference (migration 0009, decision 0013) — per-row RI triggers made a bulk load
 * five times slower. A dangling reference is still refused by the database, with SQLSTATE 23503.
 */
export const sales = pgTable(
  'sales',
  {
    /** From the sequence sales_id_seq (a partitioned table has no identity on PostgreSQL 15). */
    id: integer('id')
      .notNull()
      .default(sql`nextval('sales_id_seq')`),
    /** Unique per province across every month: enforced in sale_keys (below). */
    sourceId: text('source_id').notNull(),
    /** → products.id */
    productId: integer('product_id').notNull(),
    /** The buyer (→ individuals.id) and/or the corporate client (→ corporate_clients.id) the sale came through. */
    personId: integer('person_id'),
    companyId: integer('company_id'),
    projectId: integer('project_id'),
    /** → developments.id */
    developmentId: integer('development_id'),
    saleDate: date('sale_date').notNull(),
    /** Quantity in the product's unit, in ten-thousandths (1.5 万元 → 15000). */
    quantity1e4: bigint('quantity_1e4', { mode: 'number' }).notNull(),
    /** → departments.id */
    hostDepartmentId: integer('host_department_id').notNull(),
    /** The branch (省分行/二级分行, → org_nodes.id) whose statement the sale belongs to. */
    nodeId: integer('node_id').notNull(),
    provinceId: provinceKey(),
    /**
     * Set when the sale is found false (compliance spot check, SPEC §9) or withdrawn: it keeps its
     * row and its history, scores nothing from then on (its ledger lines are reversed).
     */
    struckAt: timestamp('struck_at', { withTimezone: true }),
    struckReason: text('struck_reason'),
    /**
     * sha256 of the content as first sent, normalised (sales.content.ts): a re-send with the same
     * fingerprint is a duplicate; another is compared field by field (SALE.CONFLICT). A correction
     * leaves it as it was. NULL on sales recorded before it (migration 0020): compared field by field.
     */
    contentSha256: text('content_sha256'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Partitioned by month on sale_date (migration 0049): every key holds the partition column.
    primaryKey({ name: 'sales_pkey', columns: [t.id, t.provinceId, t.saleDate] }),
    index('sales_node_date_idx').on(t.nodeId, t.saleDate),
    index('sales_development_idx').on(t.developmentId),
  ],
);

/**
 * One narrow row per sale, unpartitioned (migration 0049): what `sales`, partitioned by month, cannot
 * hold — the source id unique per province across every month (a re-sent file records nothing), and the
 * sale found by id alone with one index probe (the children's reference checks). Written by a statement
 * trigger on `sales` from every path; never written by the application.
 */
export const saleKeys = pgTable(
  'sale_keys',
  {
    saleId: integer('sale_id').notNull(),
    provinceId: integer('province_id').notNull(),
    sourceId: text('source_id').notNull(),
    /** The sale's partition: a look-up by source id reads the sale in its month only. */
    saleDate: date('sale_date').notNull(),
    /** The fingerprint as first sent (sales.content_sha256), compared without reading the sale. */
    contentSha256: text('content_sha256'),
  },
  (t) => [primaryKey({ name: 'sale_keys_pkey', columns: [t.saleId, t.provinceId] }), uniqueIndex('sales_source_uq').on(t.sourceId, t.provinceId)],
);

/** Participating departments of a sale (the host is not one of them), with negotiated ratios. */
export const saleDepartments = pgTable(
  'sale_departments',
  {
    /** → sales.id */
    saleId: integer('sale_id').notNull(),
    /** → departments.id */
    departmentId: integer('department_id').notNull(),
    /** Negotiated share of the participants' 80 % as a percentage, in basis points; null = a weight or equal. */
    ratioBp: integer('ratio_bp'),
    /** The same share written as a weight (1:2 → 1 and 2), kept exactly; null = a percentage or equal (decision 0026). */
    weight: integer('weight'),
    provinceId: provinceKey(),
  },
  (t) => [primaryKey({ name: 'sale_departments_pk', columns: [t.saleId, t.departmentId, t.provinceId] })],
);

/** People on a sale, each in a department (host or participant), with role and contribution. */
export const salePeople = pgTable(
  'sale_people',
  {
    /** → sales.id */
    saleId: integer('sale_id').notNull(),
    /** → staff.id */
    staffId: integer('staff_id').notNull(),
    /** → departments.id */
    departmentId: integer('department_id').notNull(),
    /** e.g. 营销人员 / 介绍人 / 产品经理 */
    role: text('role').notNull(),
    /** Share within the department as a percentage, in basis points; null = a weight or equal. */
    contributionBp: integer('contribution_bp'),
    /** The same share written as a weight (1:2), kept exactly; null = a percentage or equal (decision 0026). */
    weight: integer('weight'),
    provinceId: provinceKey(),
  },
  (t) => [primaryKey({ name: 'sale_people_pk', columns: [t.saleId, t.staffId, t.departmentId, t.provinceId] })],
);

/**
 * The points ledger (SPEC §7, §9.5): append-only. A department-level entry has no staff id; a
 * person-level entry carries both. Corrections are a reversal (negative) plus a new entry.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    /** → sales.id (statement-level check, see sales) */
    saleId: integer('sale_id').notNull(),
    nodeId: integer('node_id').notNull(),
    provinceId: provinceKey(),
    /** First day of the month the entry belongs to. */
    period: date('period').notNull(),
    kind: text('kind', { enum: ['allocation', 'reversal', 'void'] }).notNull(),
    departmentId: integer('department_id').notNull(),
    staffId: integer('staff_id'),
    pointsHundredths: bigint('points_hundredths', { mode: 'number' }).notNull(),
    /** What produced it: score version, split rule, mortgage verdict — for the trace. */
    ruleVersion: text('rule_version').notNull(),
    reversesId: bigint('reverses_id', { mode: 'number' }),
    /**
     * Set on an adjustment: an entry for a sale of a locked month, written into the open month
     * (`period`) instead (SPEC §9): the locked month it corrects.
     */
    adjustsPeriod: date('adjusts_period'),
    /** A person line's role on the sale (sale_people.role), so the statement's roles are totals too. */
    role: text('role'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ledger_entries_pkey', columns: [t.id, t.provinceId] }),
    index('ledger_sale_idx').on(t.saleId),
    index('ledger_node_period_idx').on(t.nodeId, t.period),
    // The later corrections of a locked month, shown on its statement.
    index('ledger_adjusts_idx')
      .on(t.nodeId, t.adjustsPeriod)
      .where(sql`adjusts_period IS NOT NULL`),
    // … and the corrections written IN a month (migration 0046, decision 0048).
    index('ledger_written_adjusts_idx')
      .on(t.nodeId, t.period)
      .where(sql`adjusts_period IS NOT NULL`),
  ],
);

/**
 * What each sale was last scored with: its rule key (score version and value, split rule, mortgage
 * verdict — ledger.sql.ts). A recompute re-allocates only the sales whose key changed since; the
 * sale-editing paths rescore their sales themselves. No row = never scored.
 */
export const saleScoring = pgTable(
  'sale_scoring',
  {
    saleId: integer('sale_id').notNull(),
    provinceId: provinceKey(),
    ruleKey: text('rule_key').notNull(),
    /**
     * Whether the sale's quantity is in completion_totals now (not struck, not voided): what the
     * scoring statement compares with to add or take out the sale (decision 0018).
     */
    counted: boolean('counted').notNull().default(false),
  },
  (t) => [primaryKey({ name: 'sale_scoring_pkey', columns: [t.saleId, t.provinceId] })],
);

/**
 * Statement totals kept as the ledger is written (same transaction, same statement): per branch,
 * month and grain — B branch, D department, P person (k1 staff, k2 department), O the person's
 * role there (role), J project (0 = none), R product, V development — the points, the voided points and the number of sales with a
 * live line. The draft statement reads these instead of summing the ledger.
 */
export const statementTotals = pgTable(
  'statement_totals',
  {
    nodeId: integer('node_id').notNull(),
    provinceId: provinceKey(),
    period: date('period').notNull(),
    grain: text('grain', { enum: ['B', 'D', 'P', 'O', 'J', 'R', 'V'] }).notNull(),
    k1: integer('k1').notNull(),
    k2: integer('k2').notNull().default(0),
    /** Grain O only: the role (营销人员, 介绍人 …) person k1 played in department k2; '' elsewhere. */
    role: text('role').notNull().default(''),
    pointsHundredths: bigint('points_hundredths', { mode: 'number' }).notNull().default(0),
    voidedHundredths: bigint('voided_hundredths', { mode: 'number' }).notNull().default(0),
    sales: integer('sales').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'statement_totals_pk', columns: [t.nodeId, t.period, t.grain, t.k1, t.k2, t.role, t.provinceId] })],
);

/**
 * Quota completion kept as the ledger is written (decision 0018, SPEC §10): per branch, grain,
 * key, month of the sale and department × product, the quantity (× 10⁴) and the number of sales
 * counted — the sales that are neither struck nor voided by the mortgage rule. Grains: D the
 * department (host or participant, once; k = 0), P a person credited to the department (k =
 * staff id), O an org node below the branch whose subtree holds a person credited to the
 * department (k = node id: the person's node and its ancestors below the branch, so any outlet
 * quota reads one key). Written by the scoring
 * statement (ledger.sql.ts) and around the edits that change what a counted sale credits
 * (quotas/completion.ts); no period lock: completion follows the sale's month, whatever its state.
 */
export const completionTotals = pgTable(
  'completion_totals',
  {
    nodeId: integer('node_id').notNull(),
    provinceId: provinceKey(),
    grain: text('grain', { enum: ['D', 'P', 'O'] }).notNull(),
    k: integer('k').notNull().default(0),
    /** First day of the sale's month. */
    period: date('period').notNull(),
    departmentId: integer('department_id').notNull(),
    productId: integer('product_id').notNull(),
    quantity1e4: bigint('quantity_1e4', { mode: 'number' }).notNull().default(0),
    sales: integer('sales').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'completion_totals_pk', columns: [t.nodeId, t.grain, t.k, t.period, t.departmentId, t.productId, t.provinceId] })],
);

/**
 * Points per department × person × product, by the month the entry was written in (as statement
 * totals count them): the ledger's non-void lines summed, kept by the scoring statement (decision
 * 0018) so the line filters of the rankings and the drill-down read totals, not the ledger.
 * staff_id 0 = the department's own lines (no person). A locked month never changes (LK001).
 */
export const productPointsTotals = pgTable(
  'product_points_totals',
  {
    nodeId: integer('node_id').notNull(),
    provinceId: provinceKey(),
    period: date('period').notNull(),
    departmentId: integer('department_id').notNull(),
    staffId: integer('staff_id').notNull().default(0),
    productId: integer('product_id').notNull(),
    pointsHundredths: bigint('points_hundredths', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'product_points_totals_pk', columns: [t.nodeId, t.period, t.departmentId, t.staffId, t.productId, t.provinceId] }),
    // A person's points by month (workbench; migration 0046, decision 0048).
    index('product_points_totals_staff_idx').on(t.staffId, t.period),
  ],
);
