import { departments, orgNodes } from './org.js';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Staff are the people of the bank and the users of the console; 工号 is the sign-in name. */
export const staff = pgTable(
  'staff',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** 工号: the natural key of staff imports and the username. */
    staffNo: text('staff_no').notNull(),
    name: text('name').notNull(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    departmentId: integer('department_id').references(() => departments.id),
    title: text('title'),
    phone: text('phone'),
    email: text('email'),
    active: boolean('active').notNull().default(true),
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** Sign-in attempts reserved in the current lockout window (see auth/lockout.ts). */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Start of the lockout window: failures older than LOCKOUT_MINUTES are forgotten. */
    loginWindowStart: timestamp('login_window_start', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('staff_no_uq').on(t.staffNo), index('staff_node_idx').on(t.nodeId), index('staff_dept_idx').on(t.departmentId)],
);

/** Roles are data: a bank may edit what each one may do. */
export const roles = pgTable('roles', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  permissions: jsonb('permissions').$type<string[]>().notNull(),
  sort: integer('sort').notNull().default(0),
});

/** A role held by a person over an org subtree (the scope node and everything below it). */
export const staffRoles = pgTable(
  'staff_roles',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    roleCode: text('role_code')
      .notNull()
      .references(() => roles.code),
    scopeNodeId: integer('scope_node_id')
      .notNull()
      .references(() => orgNodes.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('staff_roles_uq').on(t.staffId, t.roleCode, t.scopeNodeId), index('staff_roles_staff_idx').on(t.staffId)],
);

export const COMMITTEE_POSITIONS = ['chair', 'vice_chair', 'member', 'office'] as const;

/** 交叉营销管理委员会 membership per branch (SPEC §1, Art. 5-6). */
export const committeeMembers = pgTable(
  'committee_members',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => orgNodes.id),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    position: text('position', { enum: COMMITTEE_POSITIONS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('committee_members_uq').on(t.nodeId, t.staffId)],
);
