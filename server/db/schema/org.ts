import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** SPEC §1: 总行 → 省分行 → 二级分行 → 支行 → 网点. */
export const ORG_LEVELS = ['head', 'province', 'branch', 'subbranch', 'outlet'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const orgNodes = pgTable(
  'org_nodes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** 机构号 as the bank writes it; the natural key of imports. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: text('level', { enum: ORG_LEVELS }).notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => orgNodes.id),
    /** Materialised path of ids, e.g. `/1/2/15/`: a subtree is `path LIKE '/1/2/%'`. */
    path: text('path').notNull(),
    /**
     * The node's province (tier-1 branch): itself for a province or the root, else its parent's —
     * kept by a trigger (migration 0039), never moved. The distribution key of the province-scoped
     * facts (server/db/distribution.ts).
     */
    provinceId: integer('province_id')
      .notNull()
      .default(sql`NULL`),
    address: text('address'),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('org_nodes_code_uq').on(t.code), index('org_nodes_parent_idx').on(t.parentId), index('org_nodes_path_idx').on(t.path)],
);

/** The kinds of department SPEC §1 names; `other` for what a bank adds. */
export const DEPT_KINDS = ['corporate', 'institutional', 'real_estate', 'personal_finance', 'e_banking', 'credit_card', 'private_banking', 'hr', 'finance', 'compliance', 'tech', 'other'] as const;
export type DeptKind = (typeof DEPT_KINDS)[number];

/** Departments are data per branch (SPEC §1): a bank adds or renames them. */
export const departments = pgTable(
  'departments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: DEPT_KINDS }).notNull(),
    /** The committee office sits in 个人金融部 (Art. 6); stored, not assumed. */
    committeeOffice: boolean('committee_office').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_node_code_uq').on(t.nodeId, t.code)],
);
