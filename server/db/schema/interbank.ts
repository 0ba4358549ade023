import { bigint, boolean, customType, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Migration 0029 (issue 14, SPEC §11): the inter-bank cooperation platform drive. */

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const FI_KINDS = ['association', 'rural_commercial', 'rural_cooperative', 'rural_credit_coop', 'village_bank', 'city_bank', 'joint_stock_branch', 'policy_bank', 'other'] as const;
export type FiKind = (typeof FI_KINDS)[number];
export const FI_STATUSES = ['active', 'merged', 'closed'] as const;
export const SIGNING_KINDS = ['framework', 'product'] as const;
export type SigningKind = (typeof SIGNING_KINDS)[number];
export const PROSPECT_STAGES = ['contacted', 'negotiating', 'approving', 'ready', 'signed', 'dropped'] as const;
export const LANDING_STAGES = ['intent', 'testing', 'contracting', 'landed', 'dropped'] as const;
export const POOL_RESOURCES = ['net_interest_margin', 'intermediate_income', 'interbank_volume', 'other'] as const;
export const SUBMISSION_KINDS = ['targets', 'visits', 'progress'] as const;

/** 金融机构客户: a financial institution; `parentId` is its association (e.g. 省农信联社). */
export const fiInstitutions = pgTable(
  'fi_institutions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: FI_KINDS }).notNull(),
    parentId: integer('parent_id'),
    status: text('status', { enum: FI_STATUSES }).notNull().default('active'),
    uscc: text('uscc'),
    note: text('note'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('fi_institutions_code_uq').on(t.code), index('fi_institutions_parent_idx').on(t.parentId)],
);

/** 管辖: the tier-2 branch an institution belongs to and its 联动负责人, effective-dated (history kept). */
export const fiJurisdictions = pgTable(
  'fi_jurisdictions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    institutionId: integer('institution_id').notNull(),
    nodeId: integer('node_id').notNull(),
    leaderStaffId: integer('leader_staff_id'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    reason: text('reason'),
    setBy: integer('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('fi_jurisdictions_from_uq').on(t.institutionId, t.validFrom), index('fi_jurisdictions_node_idx').on(t.nodeId, t.validFrom)],
);

/**
 * 签约: a framework (框架协议) or product (产品协议) agreement. Append-only: a correction is a new row
 * with `supersedesId` and a reason, the old row becomes 'superseded'. `recordedAt` is the signing
 * time the incentive pool orders by.
 */
export const fiSignings = pgTable(
  'fi_signings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    institutionId: integer('institution_id').notNull(),
    nodeId: integer('node_id').notNull(),
    kind: text('kind', { enum: SIGNING_KINDS }).notNull(),
    productName: text('product_name'),
    sidedness: text('sidedness', { enum: ['bilateral', 'unilateral'] })
      .notNull()
      .default('bilateral'),
    signedOn: date('signed_on').notNull(),
    status: text('status', { enum: ['active', 'superseded', 'void'] })
      .notNull()
      .default('active'),
    supersedesId: integer('supersedes_id'),
    correctionReason: text('correction_reason'),
    note: text('note'),
    sourceKey: text('source_key'),
    recordedBy: integer('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('fi_signings_institution_idx').on(t.institutionId, t.signedOn), index('fi_signings_node_idx').on(t.nodeId, t.signedOn)],
);

/** 意向客户: one pipeline row per institution. */
export const fiProspects = pgTable('fi_prospects', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  institutionId: integer('institution_id').notNull(),
  nodeId: integer('node_id').notNull(),
  stage: text('stage', { enum: PROSPECT_STAGES }).notNull(),
  nextStep: text('next_step'),
  nextStepOn: date('next_step_on'),
  note: text('note'),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** 拜访记录. */
export const fiVisits = pgTable('fi_visits', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  institutionId: integer('institution_id').notNull(),
  nodeId: integer('node_id').notNull(),
  visitedOn: date('visited_on').notNull(),
  peopleMet: text('people_met').notNull(),
  ourPeople: text('our_people'),
  summary: text('summary').notNull(),
  sourceKey: text('source_key'),
  recordedBy: integer('recorded_by'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});

/** Agreement documents, visit photos (checked, downscaled, EXIF time) and submission attachments. */
export const fiFiles = pgTable(
  'fi_files',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    ownerKind: text('owner_kind', { enum: ['signing', 'visit', 'submission'] }).notNull(),
    ownerId: integer('owner_id').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    uploadedBy: integer('uploaded_by'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('fi_files_owner_idx').on(t.ownerKind, t.ownerId)],
);

/** 金融科技产品落地 at a signed institution. */
export const fiLandings = pgTable('fi_landings', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  institutionId: integer('institution_id').notNull(),
  nodeId: integer('node_id').notNull(),
  product: text('product').notNull(),
  stage: text('stage', { enum: LANDING_STAGES }).notNull(),
  stageOn: date('stage_on').notNull(),
  note: text('note'),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** 考核口径 (framework / product weights in basis points, summing to 10000), effective-dated. */
export const fiCalibers = pgTable('fi_calibers', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  frameworkBp: integer('framework_bp').notNull(),
  productBp: integer('product_bp').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  setBy: integer('set_by'),
  setAt: timestamp('set_at', { withTimezone: true }).notNull(),
});

/** Completion steps for branches without a coverage plan, effective-dated. */
export const fiStepRules = pgTable('fi_step_rules', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  steps: jsonb('steps').$type<{ signings: number; bp: number }[]>().notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  setBy: integer('set_by'),
  setAt: timestamp('set_at', { withTimezone: true }).notNull(),
});

/** 覆盖计划 of a tier-2 branch for a year, in versions. */
export const fiPlans = pgTable(
  'fi_plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    year: integer('year').notNull(),
    nodeId: integer('node_id').notNull(),
    planCount: integer('plan_count').notNull(),
    version: integer('version').notNull(),
    reason: text('reason'),
    setBy: integer('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('fi_plans_version_uq').on(t.year, t.nodeId, t.version)],
);

export interface PlanAdjustmentLine {
  nodeId: number;
  planCount: number;
  adjustedCount: number;
}

/** 计划调整: benchmark ÷ own × plan per branch, with the rounding rule, as of a date. */
export const fiPlanAdjustments = pgTable('fi_plan_adjustments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  year: integer('year').notNull(),
  asOf: date('as_of').notNull(),
  benchmarkName: text('benchmark_name').notNull(),
  benchmarkCount: integer('benchmark_count').notNull(),
  ownCount: integer('own_count').notNull(),
  rounding: text('rounding', { enum: ['half_up', 'up', 'down'] }).notNull(),
  lines: jsonb('lines').$type<PlanAdjustmentLine[]>().notNull(),
  reason: text('reason'),
  madeBy: integer('made_by'),
  madeAt: timestamp('made_at', { withTimezone: true }).notNull(),
});

/** 激励资源池 of a quarter. Amounts are integers in the pool's unit (分 for money). */
export const fiPools = pgTable('fi_pools', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  quarter: text('quarter').notNull(),
  resource: text('resource', { enum: POOL_RESOURCES }).notNull(),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  totalAmount: bigint('total_amount', { mode: 'number' }).notNull(),
  grantAmount: bigint('grant_amount', { mode: 'number' }).notNull(),
  grantedAmount: bigint('granted_amount', { mode: 'number' }).notNull().default(0),
  signingKinds: text('signing_kinds').notNull().default('framework,product'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const fiGrants = pgTable(
  'fi_grants',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    poolId: integer('pool_id').notNull(),
    signingId: integer('signing_id').notNull(),
    nodeId: integer('node_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    seq: integer('seq').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    // 0030: a grant returned to the pool (signing voided) is kept, marked.
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnedBy: integer('returned_by'),
    returnReason: text('return_reason'),
  },
  (t) => [uniqueIndex('fi_grants_signing_uq').on(t.poolId, t.signingId), uniqueIndex('fi_grants_seq_uq').on(t.poolId, t.seq)],
);

/** 周快照: the frozen briefing figures of a week (ending Sunday, Beijing time). */
export const fiWeeklySnapshots = pgTable(
  'fi_weekly_snapshots',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    weekEnd: date('week_end').notNull(),
    data: jsonb('data').notNull(),
    requirements: text('requirements'),
    requirementsBy: integer('requirements_by'),
    requirementsAt: timestamp('requirements_at', { withTimezone: true }),
    takenBy: integer('taken_by'),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('fi_weekly_snapshots_week_uq').on(t.weekEnd)],
);

/** One tier-2 branch's line of a weekly snapshot (rankings, trends, the 60 % flag). */
export const fiSnapshotLines = pgTable(
  'fi_snapshot_lines',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    weekEnd: date('week_end').notNull(),
    nodeId: integer('node_id').notNull(),
    institutions: integer('institutions').notNull(),
    signed: integer('signed').notNull(),
    framework: integer('framework').notNull(),
    productOnly: integer('product_only').notNull(),
    coverageBp: integer('coverage_bp').notNull(),
    scoreBp: integer('score_bp'),
    planCount: integer('plan_count'),
    flagged: boolean('flagged').notNull(),
  },
  (t) => [uniqueIndex('fi_snapshot_lines_uq').on(t.weekEnd, t.nodeId), index('fi_snapshot_lines_node_idx').on(t.nodeId, t.weekEnd)],
);

/** 每周督导报送 of a flagged branch. */
export const fiSubmissions = pgTable(
  'fi_submissions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    weekEnd: date('week_end').notNull(),
    kind: text('kind', { enum: SUBMISSION_KINDS }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: integer('submitted_by'),
    content: text('content'),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('fi_submissions_uq').on(t.nodeId, t.weekEnd, t.kind)],
);
