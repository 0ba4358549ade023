import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** What a phase goal (阶段目标) counts over its timetable: modules/projects/projects.rules.ts. */
export const GOAL_MEASURES = ['projects', 'activities', 'attendees', 'surveyed', 'leads', 'won', 'vip', 'points'] as const;
/** A project team's roles (Art. 10–13): who introduces, who sells, the co-organising outlet's AM. */
export const MEMBER_ROLES = ['leader', 'corporate_am', 'personal_am', 'product_manager', 'outlet_am'] as const;
/** Activities of Art. 11: introduction, door-to-door visit, 理财沙龙, roadshow, wealth report. */
export const ACTIVITY_KINDS = ['introduction', 'visit', 'salon', 'roadshow', 'wealth_report'] as const;
export const ACTIVITY_STATUSES = ['planned', 'held', 'cancelled'] as const;
export const RSVPS = ['pending', 'accepted', 'declined'] as const;
/** Who a 营销方案 is for (Art. 12). */
export const PLAN_SEGMENTS = ['executive', 'middle_manager', 'high_end'] as const;

/** 阶段目标: the committee's goal for a branch over a timetable (SPEC §4). */
export const phaseGoals = pgTable(
  'phase_goals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    title: text('title').notNull(),
    measure: text('measure', { enum: GOAL_MEASURES }).notNull(),
    /** A count, or hundredths of a point when the measure is points. */
    targetValue: bigint('target_value', { mode: 'number' }).notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('phase_goals_node_idx').on(t.nodeId, t.startsOn)],
);

/** 营销项目: one branch working one target unit, with one co-organising outlet (协办网点). */
export const projects = pgTable(
  'projects',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer('node_id').notNull(),
    companyId: integer('company_id').notNull(),
    name: text('name').notNull(),
    phaseGoalId: integer('phase_goal_id'),
    coOutletNodeId: integer('co_outlet_node_id').notNull(),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    /** 项目编号 of an import: re-importing the same file adds nothing. */
    sourceKey: text('source_key'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('projects_source_key_uq').on(t.sourceKey)],
);

/** A team member in a role; leaving sets left_at (the history stays). */
export const projectMembers = pgTable(
  'project_members',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull(),
    staffId: integer('staff_id').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [index('project_members_staff_idx').on(t.staffId)],
);

/** 营销活动 of a project. */
export const activities = pgTable(
  'activities',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull(),
    kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    place: text('place'),
    status: text('status', { enum: ACTIVITY_STATUSES }).notNull().default('planned'),
    outcome: text('outcome'),
    sourceKey: text('source_key'),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('activities_project_idx').on(t.projectId, t.startsAt), uniqueIndex('activities_source_key_uq').on(t.sourceKey)],
);

/** An invited person: RSVP and attendance (checked in by QR or by hand). */
export const activityInvitees = pgTable(
  'activity_invitees',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    activityId: integer('activity_id').notNull(),
    personId: integer('person_id').notNull(),
    rsvp: text('rsvp', { enum: RSVPS }).notNull().default('pending'),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull(),
    invitedBy: integer('invited_by'),
    /** The invitation's QR code (random, unguessable): scanned at the door by a team member's phone. */
    checkinCode: text('checkin_code').notNull(),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkInMethod: text('check_in_method', { enum: ['qr', 'manual'] }),
    checkedInBy: integer('checked_in_by'),
  },
  (t) => [uniqueIndex('activity_invitees_uq').on(t.activityId, t.personId), uniqueIndex('activity_invitees_code_uq').on(t.checkinCode), index('activity_invitees_person_idx').on(t.personId)],
);

/** 售后移交 (Art. 14): a won client handed to an outlet AM with a follow-up task and its feedback. */
export const handovers = pgTable(
  'handovers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id'),
    leadId: integer('lead_id'),
    saleId: integer('sale_id'),
    personId: integer('person_id'),
    companyId: integer('company_id'),
    nodeId: integer('node_id').notNull(),
    outletNodeId: integer('outlet_node_id').notNull(),
    fromStaffId: integer('from_staff_id'),
    toStaffId: integer('to_staff_id').notNull(),
    task: text('task').notNull(),
    dueOn: date('due_on').notNull(),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    feedback: text('feedback'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('handovers_to_idx').on(t.toStaffId, t.status)],
);

/** 营销方案 for one person of a project: anchor product + bundle + allocation; a change is a new version. */
export const marketingPlans = pgTable(
  'marketing_plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull(),
    personId: integer('person_id').notNull(),
    segment: text('segment', { enum: PLAN_SEGMENTS }).notNull(),
    templateCode: text('template_code').notNull(),
    anchorProductId: integer('anchor_product_id').notNull(),
    bundleProductIds: integer('bundle_product_ids').array().notNull().default([]),
    /** Basis points per asset class, totalling 10000. */
    allocation: jsonb('allocation').notNull(),
    advice: text('advice').notNull(),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('marketing_plans_version_uq').on(t.projectId, t.personId, t.version)],
);
