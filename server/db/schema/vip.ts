import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** 贵宾客户准入标准 (SPEC §5): one version of a tier, in force from valid_from to valid_to (inclusive). */
export const vipTiers = pgTable(
  'vip_tiers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** Higher is better: a person is of the highest tier whose criteria they meet. */
    rank: integer('rank').notNull(),
    /** 金融资产 (AUM) at least this, in 分. */
    aumThresholdFen: bigint('aum_threshold_fen', { mode: 'number' }).notNull(),
    /** 产品覆盖度: distinct products held at least this many. */
    minProducts: integer('min_products').notNull().default(0),
    /** A product the person must hold (e.g. DEBIT, the card the service is tied to), or none. */
    requiredProductCode: text('required_product_code'),
    /** The lowest 客户经理等级 that may serve the tier (1 见习 … 5 资深). */
    requiredGrade: integer('required_grade').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    note: text('note'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('vip_tiers_code_from_uq').on(t.code, t.validFrom)],
);

/** 客户经理等级: effective-dated; a new grade closes the previous one the day before. */
export const amGrades = pgTable(
  'am_grades',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    staffId: integer('staff_id').notNull(),
    grade: integer('grade').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    note: text('note'),
    setBy: integer('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('am_grades_staff_from_uq').on(t.staffId, t.validFrom)],
);

/** 筛选结果: a person reached through a project, screened on a day against the tiers then in force. */
export const vipScreenings = pgTable(
  'vip_screenings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    personId: integer('person_id').notNull(),
    projectId: integer('project_id').notNull(),
    nodeId: integer('node_id').notNull(),
    screenedOn: date('screened_on').notNull(),
    aumFen: bigint('aum_fen', { mode: 'number' }).notNull(),
    products: integer('products').notNull(),
    tierId: integer('tier_id'),
    tierCode: text('tier_code'),
    screenedBy: integer('screened_by'),
    screenedAt: timestamp('screened_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('vip_screenings_uq').on(t.personId, t.projectId, t.screenedOn), index('vip_screenings_node_idx').on(t.nodeId, t.screenedOn)],
);

/** 贵宾登记建档 → 签约一对一维护 → 配备专职客户经理 (Art. 15). One active registration a person. */
export const vipRegistrations = pgTable(
  'vip_registrations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    personId: integer('person_id').notNull(),
    tierId: integer('tier_id').notNull(),
    tierCode: text('tier_code').notNull(),
    projectId: integer('project_id').notNull(),
    nodeId: integer('node_id').notNull(),
    aumFen: bigint('aum_fen', { mode: 'number' }).notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    registeredBy: integer('registered_by').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: integer('signed_by'),
    amStaffId: integer('am_staff_id'),
    amAssignedAt: timestamp('am_assigned_at', { withTimezone: true }),
    amAssignedBy: integer('am_assigned_by'),
    status: text('status', { enum: ['active', 'ended'] })
      .notNull()
      .default('active'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: integer('ended_by'),
    endReason: text('end_reason'),
  },
  (t) => [index('vip_registrations_project_idx').on(t.projectId), index('vip_registrations_node_idx').on(t.nodeId, t.registeredAt)],
);
