import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { itemList } from '../../http/lists.js';

/** Request and response schemas of inclusive-finance performance (SPEC §12, decision 0037). */

const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const Stamp = z.coerce.date();
const Bp = z.number().int().nullable();
const Text = (max: number) => z.string().trim().min(1).max(max);
const GroupEnum = z.enum(['priority', 'follow', 'featured']);
const MeasureEnum = z.enum(['drawn_amount', 'conversion_bp', 'drawn_count']);
const CategoryEnum = z.enum(['good', 'average', 'poor']);

export const IdParams = z.strictObject({ id: Id });
export const RangeQuery = z.strictObject({ from: Day, to: Day, nodeId: Id.optional() });

const FunnelOut = z.object({
  entries: z.number(),
  contacted: z.number(),
  interested: z.number(),
  applied: z.number(),
  drawn: z.number(),
  entriesFen: z.number(),
  contactedFen: z.number(),
  interestedFen: z.number(),
  appliedFen: z.number(),
  drawnFen: z.number(),
  contactedBp: Bp,
  interestedBp: Bp,
  appliedBp: Bp,
  drawnBp: Bp,
});
export const OutletLineOut = FunnelOut.extend({ nodeId: z.number(), code: z.string(), name: z.string(), level: z.string(), parentName: z.string().nullable() });
export const OutletsOut = itemList(OutletLineOut);
export const PeopleOut = itemList(FunnelOut.extend({ staffId: z.number().nullable(), staffNo: z.string().nullable(), name: z.string().nullable(), nodeId: z.number(), nodeName: z.string() }));

// ---- groups and the measure ----
const MembershipOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  branchNodeId: z.number(),
  branchName: z.string(),
  group: GroupEnum,
  validFrom: z.string(),
  validTo: z.string().nullable(),
  reason: z.string().nullable(),
  setBy: z.string().nullable(),
});
export const GroupsQuery = z.strictObject({ day: Day.optional() });
export const GroupsOut = z.object({
  day: z.string(),
  members: z.array(MembershipOut),
  ungrouped: z.array(z.object({ nodeId: z.number(), nodeCode: z.string(), nodeName: z.string(), branchName: z.string().nullable() })),
  history: z.array(MembershipOut),
});
export const GroupBody = z.strictObject({ nodeId: IdIn, group: GroupEnum.nullable(), validFrom: Day, reason: Text(500) });
export const MeasuresOut = itemList(
  z.object({ id: z.number(), measure: MeasureEnum, validFrom: z.string(), validTo: z.string().nullable(), reason: z.string().nullable(), setBy: z.string().nullable() }),
);
export const MeasureBody = z.strictObject({ measure: MeasureEnum, validFrom: Day, reason: Text(500) });

// ---- quarterly results ----
const HeaderOut = z.object({
  id: z.number(),
  quarter: z.string(),
  version: z.number(),
  periodFrom: z.string(),
  periodTo: z.string(),
  measure: MeasureEnum,
  reason: z.string().nullable(),
  takenBy: z.string(),
  takenAt: Stamp,
  lines: z.number(),
  flagged: z.number(),
});
export const ResultsOut = z.object({ items: z.array(HeaderOut), lastEndedQuarter: z.string() });
export const ResultOut = HeaderOut.extend({
  latestVersion: z.number(),
  items: z.array(
    z.object({
      nodeId: z.number(),
      nodeCode: z.string(),
      nodeName: z.string(),
      branchNodeId: z.number(),
      branchName: z.string(),
      group: GroupEnum,
      value: z.number(),
      tiebreak: z.number(),
      rank: z.number(),
      members: z.number(),
      flagged: z.boolean(),
      outcome: z.enum(['cut', 'tied_cut', 'kept', 'single']),
      inputs: z.object({ entries: z.number(), drawnCount: z.number(), drawnAmountFen: z.number() }),
    }),
  ),
});
export const TakeBody = z.strictObject({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/), reason: z.string().trim().max(500).optional() });

// ---- 蹲点 visits ----
const ActionOut = z.object({
  id: z.number(),
  action: z.string(),
  ownerStaffId: z.number(),
  ownerName: z.string(),
  dueOn: z.string(),
  status: z.enum(['open', 'closed']),
  state: z.enum(['open', 'overdue', 'closed']),
  closedOn: z.string().nullable(),
  closingNote: z.string().nullable(),
});
export const VisitOut = z.object({
  id: z.number(),
  month: z.string(),
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  parentName: z.string().nullable(),
  category: CategoryEnum,
  leaderStaffId: z.number(),
  leaderName: z.string(),
  plannedOn: z.string().nullable(),
  status: z.enum(['planned', 'done', 'cancelled']),
  visitedOn: z.string().nullable(),
  participants: z.string().nullable(),
  findings: z.string().nullable(),
  problems: z.string().nullable(),
  note: z.string().nullable(),
  actions: z.array(ActionOut),
});
export const VisitsQuery = z.strictObject({ month: Month.optional(), nodeId: Id.optional() });
export const VisitsOut = itemList(VisitOut);
export const TallyOut = itemList(z.object({ month: z.string(), planned: z.number(), done: z.number(), cancelled: z.number(), doneBp: Bp, openActions: z.number(), overdueActions: z.number() }));
export const SuggestQuery = z.strictObject({ month: Month, nodeId: Id.optional() });
export const SuggestOut = z.object({
  basedOn: z.object({ from: z.string(), to: z.string() }),
  items: z.array(z.object({ category: CategoryEnum, outlet: OutletLineOut, planned: z.boolean() })),
});
export const PlanBody = z.strictObject({ month: Month, nodeId: IdIn, category: CategoryEnum, leaderStaffId: IdIn, plannedOn: Day.optional(), note: z.string().trim().max(500).optional() });
export const RecordBody = z.strictObject({
  visitedOn: Day,
  participants: Text(500),
  findings: Text(4000),
  problems: z.string().trim().max(4000).optional(),
  actions: z.array(z.strictObject({ action: Text(1000), ownerStaffId: IdIn, dueOn: Day })).max(30),
});
export const CancelBody = z.strictObject({ reason: Text(500) });
export const CloseActionBody = z.strictObject({ closingNote: Text(2000) });
export const StaffQuery = z.strictObject({ q: z.string().trim().max(40).optional() });
export const StaffOut = itemList(z.object({ id: z.number(), staffNo: z.string(), name: z.string(), nodeName: z.string() }));
