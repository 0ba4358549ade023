import { bigint, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { departments, orgNodes } from './org.js';
import { staff } from './staff.js';

/** Client types (SPEC §2) are data: company, institution, government body, school, hospital … */
export const clientTypes = pgTable('client_types', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
});

/** Industries (GB/T 4754 sections) are data. */
export const industries = pgTable('industries', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
});

/**
 * 对公客户 (SPEC §2). Money in 分 (bigint). The facts the Article 9 criteria read are columns
 * when every client has them and `facts` (catalogued keys, validated on write) for the rest.
 */
export const corporateClients = pgTable(
  'corporate_clients',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** 统一社会信用代码, GB 32100-2015, checksum-validated; the natural key. */
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    typeCode: text('type_code')
      .notNull()
      .references(() => clientTypes.code),
    industryCode: text('industry_code').references(() => industries.code),
    /** The org node that manages the client (branch, sub-branch or outlet). */
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    departmentId: integer('department_id').references(() => departments.id),
    accountManagerId: integer('account_manager_id').references(() => staff.id),
    legalRepresentative: text('legal_representative'),
    address: text('address'),
    /** 授信额度 (分) */
    creditLineFen: bigint('credit_line_fen', { mode: 'number' }),
    /** 贷款余额 (分): a client with a loan has > 0 */
    loanBalanceFen: bigint('loan_balance_fen', { mode: 'number' }),
    /** 年销售额 (分) */
    annualSalesFen: bigint('annual_sales_fen', { mode: 'number' }),
    /** 全省纳税排名 */
    provincialTaxRank: integer('provincial_tax_rank'),
    listed: boolean('listed').notNull().default(false),
    /** The other criteria facts, keyed by the facts catalogue (customers/facts.ts). */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('corporate_clients_uscc_uq').on(t.uscc),
    index('corporate_clients_node_idx').on(t.nodeId),
    index('corporate_clients_name_idx').on(t.name),
    index('corporate_clients_am_idx').on(t.accountManagerId),
  ],
);

/** 个人客户 (SPEC §2). The ID number is stored whole and leaves the server masked unless revealed. */
export const individuals = pgTable(
  'individuals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** 居民身份证号码, GB 11643-1999, checksum-validated; the natural key. */
    idNumber: text('id_number').notNull(),
    /** Last four characters of the ID number and phone, for search without revealing them. */
    idSuffix: text('id_suffix').notNull(),
    name: text('name').notNull(),
    gender: text('gender', { enum: ['M', 'F'] }),
    birthDate: date('birth_date'),
    phone: text('phone'),
    phoneSuffix: text('phone_suffix'),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    /** 专属客户经理 */
    dedicatedAmId: integer('dedicated_am_id').references(() => staff.id),
    /** 金融资产 AUM (分) */
    aumFen: bigint('aum_fen', { mode: 'number' }).notNull().default(0),
    vipTier: text('vip_tier'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('individuals_id_number_uq').on(t.idNumber),
    index('individuals_node_idx').on(t.nodeId),
    index('individuals_name_idx').on(t.name),
    index('individuals_id_suffix_idx').on(t.idSuffix),
    index('individuals_phone_suffix_idx').on(t.phoneSuffix),
  ],
);

export const PERSON_ROLES = ['legal_rep', 'executive', 'middle', 'staff', 'shareholder'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Company ↔ person (SPEC §2): many-to-many, each link with a role and dates. */
export const companyPeople = pgTable(
  'company_people',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    companyId: integer('company_id')
      .notNull()
      .references(() => corporateClients.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => individuals.id, { onDelete: 'cascade' }),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    /** 职务 as written, e.g. 财务总监 */
    title: text('title'),
    since: date('since'),
    until: date('until'),
  },
  (t) => [uniqueIndex('company_people_uq').on(t.companyId, t.personId, t.role), index('company_people_person_idx').on(t.personId)],
);

/** Company ↔ company: group parent and subsidiary. */
export const companyLinks = pgTable(
  'company_links',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    parentId: integer('parent_id')
      .notNull()
      .references(() => corporateClients.id, { onDelete: 'cascade' }),
    childId: integer('child_id')
      .notNull()
      .references(() => corporateClients.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['group'] })
      .notNull()
      .default('group'),
    since: date('since'),
  },
  (t) => [uniqueIndex('company_links_uq').on(t.parentId, t.childId), index('company_links_child_idx').on(t.childId)],
);

/** What a person holds at the bank (SPEC §2): product, amount or quantity, since. */
export const holdings = pgTable(
  'holdings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    personId: integer('person_id')
      .notNull()
      .references(() => individuals.id, { onDelete: 'cascade' }),
    /** Product code; the catalogue of products arrives with scoring (SPEC §6). */
    productCode: text('product_code').notNull(),
    productName: text('product_name').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    quantity: integer('quantity'),
    since: date('since'),
  },
  (t) => [uniqueIndex('holdings_uq').on(t.personId, t.productCode)],
);
