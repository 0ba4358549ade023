import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The supply-chain credit programme (供应链金融，核心企业推荐; SPEC §12, seed 002; migration 0037).
 * Money in integer fen (bigint), ratios in basis points. The services query with SQL; these
 * declarations keep the table family in one place.
 */
const fen = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true });

export const scProgrammes = pgTable(
  'sc_programmes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    enterpriseName: text('enterprise_name').notNull(),
    enterpriseUscc: text('enterprise_uscc'),
    nodeId: integer('node_id').notNull(),
    ownerStaffId: integer('owner_staff_id'),
    agreementNo: text('agreement_no').notNull(),
    guaranteeNo: text('guarantee_no').notNull(),
    signedOn: date('signed_on').notNull(),
    totalCapFen: fen('total_cap_fen').notNull().default(40_000_000_000),
    householdCapFen: fen('household_cap_fen').notNull().default(200_000_000),
    orderRatioBp: integer('order_ratio_bp').notNull().default(3000),
    marginBp: integer('margin_bp').notNull().default(500),
    warnBp: integer('warn_bp').notNull().default(200),
    suspendBp: integer('suspend_bp').notNull().default(300),
    toleranceBp: integer('tolerance_bp').notNull().default(500),
    maxTermMonths: integer('max_term_months').notNull().default(12),
    nplOverdueDays: integer('npl_overdue_days').notNull().default(90),
    grantedFen: fen('granted_fen').notNull().default(0),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    suspendedAt: at('suspended_at'),
    reopenedAtBp: integer('reopened_at_bp'),
    createdBy: integer('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('sc_programmes_code_uq').on(t.code), index('sc_programmes_node_idx').on(t.nodeId)],
);

export const scClients = pgTable(
  'sc_clients',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    programmeId: integer('programme_id').notNull(),
    clientCode: text('client_code').notNull(),
    clientName: text('client_name').notNull(),
    clientKind: text('client_kind', { enum: ['farmer', 'small_business'] }).notNull(),
    householdNo: text('household_no').notNull(),
    idNo: text('id_no'),
    settlementCode: text('settlement_code'),
    score: integer('score').notNull(),
    recommendedFen: fen('recommended_fen').notNull(),
    letterNo: text('letter_no'),
    appliedOn: date('applied_on').notNull(),
    status: text('status', { enum: ['recommended', 'admitted', 'rejected'] })
      .notNull()
      .default('recommended'),
    limitFen: fen('limit_fen'),
    limitRule: text('limit_rule', { enum: ['recommended', 'orders', 'household_cap', 'programme_remaining'] }),
    limitInputs: jsonb('limit_inputs'),
    decidedBy: integer('decided_by'),
    decidedAt: at('decided_at'),
    decisionNote: text('decision_note'),
    whitelistBatchId: integer('whitelist_batch_id'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('sc_clients_code_uq').on(t.programmeId, t.clientCode), index('sc_clients_household_idx').on(t.householdNo)],
);

export const scOrders = pgTable(
  'sc_orders',
  {
    programmeId: integer('programme_id').notNull(),
    clientCode: text('client_code').notNull(),
    month: date('month').notNull(),
    source: text('source', { enum: ['enterprise', 'provider'] }).notNull(),
    amountFen: fen('amount_fen').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'sc_orders_pk', columns: [t.programmeId, t.clientCode, t.month, t.source] })],
);

export const scDraws = pgTable(
  'sc_draws',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    programmeId: integer('programme_id').notNull(),
    clientId: integer('client_id').notNull(),
    loanNo: text('loan_no').notNull(),
    amountFen: fen('amount_fen').notNull(),
    drawnOn: date('drawn_on').notNull(),
    maturityOn: date('maturity_on').notNull(),
    marginFen: fen('margin_fen').notNull(),
    marginReleasedFen: fen('margin_released_fen').notNull().default(0),
    balanceFen: fen('balance_fen').notNull(),
    repaidFen: fen('repaid_fen').notNull().default(0),
    overdueFen: fen('overdue_fen').notNull().default(0),
    overdueDays: integer('overdue_days').notNull().default(0),
    asOf: date('as_of').notNull(),
    createdBy: integer('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('sc_draws_loan_uq').on(t.loanNo), index('sc_draws_programme_idx').on(t.programmeId, t.clientId)],
);

export const scCompensations = pgTable(
  'sc_compensations',
  {
    programmeId: integer('programme_id').notNull(),
    drawId: integer('draw_id').notNull(),
    month: date('month').notNull(),
    amountFen: fen('amount_fen').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'sc_compensations_pk', columns: [t.drawId, t.month] })],
);

export const scNplDays = pgTable(
  'sc_npl_days',
  {
    programmeId: integer('programme_id').notNull(),
    day: date('day').notNull(),
    balanceFen: fen('balance_fen').notNull(),
    nplFen: fen('npl_fen').notNull(),
    ratioBp: integer('ratio_bp'),
    level: text('level', { enum: ['normal', 'warn', 'suspend'] }).notNull(),
    computedAt: at('computed_at').notNull(),
  },
  (t) => [primaryKey({ name: 'sc_npl_days_pk', columns: [t.programmeId, t.day] })],
);

export const scReassessments = pgTable('sc_reassessments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  programmeId: integer('programme_id').notNull(),
  reason: text('reason').notNull(),
  ratioBp: integer('ratio_bp'),
  requestedBy: integer('requested_by').notNull(),
  requestedAt: at('requested_at').notNull(),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] })
    .notNull()
    .default('pending'),
  decidedBy: integer('decided_by'),
  decidedAt: at('decided_at'),
  decisionNote: text('decision_note'),
});
