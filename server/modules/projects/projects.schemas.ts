import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { itemList, pagedList } from '../../http/lists.js';
import { ACTIVITY_KINDS, ACTIVITY_STATUSES, GOAL_MEASURES, MEMBER_ROLES, PLAN_SEGMENTS, RSVPS } from '../../db/schema/projects.js';
import { FUNNEL_STAGES } from './projects.rules.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// ---- phase goals -------------------------------------------------------------------------------
export const GoalBody = z.strictObject({
  nodeId: IdIn,
  title: text(80),
  measure: z.enum(GOAL_MEASURES),
  /** A count; for points, hundredths of a point. */
  targetValue: z.number().int().min(1).max(1_000_000_000_000),
  startsOn: Day,
  endsOn: Day,
});
export const GoalOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  title: z.string(),
  measure: z.enum(GOAL_MEASURES),
  targetValue: z.number(),
  startsOn: z.string(),
  endsOn: z.string(),
  actual: z.number(),
  progressBp: z.number(),
  met: z.boolean(),
  state: z.enum(['upcoming', 'running', 'ended']),
  daysLeft: z.number(),
});
export const GoalListOut = itemList(GoalOut);

// ---- projects and teams ------------------------------------------------------------------------
export const MemberIn = z.strictObject({ staffId: IdIn, role: z.enum(MEMBER_ROLES) });
export const CreateProjectBody = z.strictObject({
  companyId: IdIn,
  name: z.string().trim().max(80).nullish(),
  phaseGoalId: IdIn.nullish(),
  coOutletNodeId: IdIn,
  members: z.array(MemberIn).min(2).max(30),
});
export const TeamBody = z.strictObject({ members: z.array(MemberIn).min(2).max(30), reason: z.string().trim().max(200).nullish() });

export const MemberOut = z.object({
  staffId: z.number(),
  staffNo: z.string(),
  name: z.string(),
  role: z.enum(MEMBER_ROLES),
  departmentId: z.number().nullable(),
  departmentCode: z.string().nullable(),
  departmentName: z.string().nullable(),
  nodeName: z.string(),
  joinedAt: z.string(),
});

export const ProjectOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  companyId: z.number(),
  companyName: z.string(),
  name: z.string(),
  phaseGoalId: z.number().nullable(),
  coOutletNodeId: z.number(),
  coOutletCode: z.string(),
  coOutletName: z.string(),
  status: z.enum(['active', 'closed']),
  createdAt: z.string(),
  member: z.boolean(),
  mayWork: z.boolean(),
  mayManage: z.boolean(),
});
export const ProjectDetailOut = ProjectOut.extend({ team: z.array(MemberOut) });

export const ProjectQuery = z.strictObject({
  q: z.string().trim().max(60).optional(),
  status: z.enum(['active', 'closed']).optional(),
  mine: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const ProjectListOut = pagedList(ProjectOut.extend({ teamSize: z.number(), activities: z.number(), openLeads: z.number(), wonLeads: z.number(), pointsHundredths: z.number() }));

// ---- activities --------------------------------------------------------------------------------
export const ActivityBody = z.strictObject({
  kind: z.enum(ACTIVITY_KINDS),
  title: text(80),
  startsAt: z.iso.datetime({ offset: true }),
  place: z.string().trim().max(120).nullish(),
});
export const ActivityPatch = z.strictObject({
  status: z.enum(ACTIVITY_STATUSES).optional(),
  outcome: z.string().trim().max(1000).nullish(),
  place: z.string().trim().max(120).nullish(),
});
export const ActivityOut = z.object({
  id: z.number(),
  projectId: z.number(),
  projectName: z.string(),
  companyName: z.string(),
  kind: z.enum(ACTIVITY_KINDS),
  title: z.string(),
  startsAt: z.string(),
  place: z.string().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  outcome: z.string().nullable(),
  invited: z.number(),
  accepted: z.number(),
  declined: z.number(),
  attended: z.number(),
});
export const ActivityListOut = itemList(ActivityOut);

export const InviteBody = z.strictObject({ personIds: z.array(IdIn).min(1).max(2000) });
export const RsvpBody = z.strictObject({ rsvp: z.enum(RSVPS) });
export const InviteeOut = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  /** Masked like every client list. */
  phone: z.string().nullable(),
  title: z.string().nullable(),
  rsvp: z.enum(RSVPS),
  invitedAt: z.string(),
  checkedInAt: z.string().nullable(),
  checkInMethod: z.enum(['qr', 'manual']).nullable(),
  checkedInBy: z.string().nullable(),
  /** The path the invitation's QR code opens (team only). */
  checkinPath: z.string().nullable(),
});
export const ActivityDetailOut = ActivityOut.extend({ invitees: z.array(InviteeOut), mayWork: z.boolean() });

export const CheckInOut = z.object({
  activityId: z.number(),
  activityTitle: z.string(),
  personName: z.string(),
  already: z.boolean(),
  checkedInAt: z.string(),
  attended: z.number(),
  invited: z.number(),
});

// ---- the unit's people (to invite) -------------------------------------------------------------
export const UnitPeopleQuery = z.strictObject({ q: z.string().trim().max(60).optional(), activityId: Id.optional() });
export const UnitPersonOut = z.object({ personId: z.number(), name: z.string(), role: z.string(), title: z.string().nullable(), invited: z.boolean() });
export const UnitPeopleOut = itemList(UnitPersonOut);

// ---- the board ---------------------------------------------------------------------------------
export const BoardOut = z.object({
  project: ProjectDetailOut,
  funnel: z.array(z.object({ stage: z.enum(FUNNEL_STAGES), count: z.number(), fromPreviousBp: z.number().nullable(), fromKnownBp: z.number().nullable() })),
  timeline: z.array(ActivityOut),
  whiteSpace: z.object({
    lines: z.array(z.object({ code: z.string(), name: z.string(), holders: z.number(), gaps: z.number() })),
    rows: z.array(z.object({ personId: z.number(), name: z.string(), cells: z.array(z.boolean()), gaps: z.number() })),
    people: z.number(),
    shown: z.number(),
  }),
  points: z.object({
    totalHundredths: z.number(),
    sales: z.number(),
    byMonth: z.array(z.object({ period: z.string(), pointsHundredths: z.number(), sales: z.number() })),
  }),
  leads: z.object({ open: z.number(), won: z.number(), lost: z.number() }),
  handovers: z.object({ open: z.number(), done: z.number() }),
});

// ---- 营销方案 ------------------------------------------------------------------------------------
export const PlanBody = z.strictObject({
  personId: IdIn,
  segment: z.enum(PLAN_SEGMENTS),
  templateCode: text(16),
  anchorProductCode: text(32),
  bundleProductCodes: z.array(text(32)).max(10),
  allocation: z.record(z.string(), z.number().int()),
  advice: text(2000),
});
export const PlanOut = z.object({
  id: z.number(),
  projectId: z.number(),
  personId: z.number(),
  personName: z.string(),
  segment: z.enum(PLAN_SEGMENTS),
  templateCode: z.string(),
  anchorProduct: z.object({ code: z.string(), name: z.string() }),
  bundle: z.array(z.object({ code: z.string(), name: z.string() })),
  allocation: z.record(z.string(), z.number()),
  advice: z.string(),
  version: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export const PlanListOut = itemList(PlanOut);
export const TemplateListOut = itemList(
  z.object({
    code: z.string(),
    segment: z.enum(PLAN_SEGMENTS),
    zh: z.string(),
    en: z.string(),
    anchor: z.string(),
    bundle: z.array(z.string()),
    allocation: z.record(z.string(), z.number()),
    adviceZh: z.string(),
  }),
);

// ---- 售后移交 -------------------------------------------------------------------------------------
export const HandoverBody = z.strictObject({
  leadId: IdIn,
  toStaffId: IdIn,
  task: text(300),
  dueOn: Day,
});
export const FeedbackBody = z.strictObject({ feedback: text(1000) });
export const HandoverOut = z.object({
  id: z.number(),
  projectId: z.number().nullable(),
  projectName: z.string().nullable(),
  leadId: z.number().nullable(),
  saleId: z.number().nullable(),
  clientName: z.string(),
  outletName: z.string(),
  fromName: z.string().nullable(),
  toStaffId: z.number(),
  toName: z.string(),
  task: z.string(),
  dueOn: z.string(),
  status: z.enum(['open', 'done']),
  overdue: z.boolean(),
  feedback: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
export const HandoverListOut = itemList(HandoverOut);
export const HandoverQuery = z.strictObject({ view: z.enum(['mine', 'all']).default('mine'), projectId: Id.optional() });
export const ReceiversOut = itemList(z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), nodeName: z.string() }));
export const CandidatesOut = itemList(z.object({ companyId: z.number(), name: z.string(), nodeId: z.number(), nodeName: z.string(), activeProjectId: z.number().nullable() }));
