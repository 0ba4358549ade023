import { z } from 'zod';
import { IdIn } from '../../http/ids.js';

/** Request and response schemas of coverage, briefings, rankings, supervision, caliber and plans (issue 14). */

export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Stamp = z.coerce.date();
const Bp = z.number().int().nullable();

export const AsOfQuery = z.strictObject({ asOf: Day.optional() });
export const WeekParams = z.strictObject({ weekEnd: Day });

const CountsOut = z.object({
  institutions: z.number(),
  signed: z.number(),
  framework: z.number(),
  productOnly: z.number(),
  product: z.number(),
  unilateral: z.number(),
  coverageBp: Bp,
});
const LineOut = CountsOut.extend({
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  flagged: z.boolean(),
  planCount: z.number().nullable(),
  scoreBasis: z.enum(['plan', 'steps']),
  scoreBp: Bp,
});
const StepOut = z.object({ signings: z.number(), bp: z.number() });
const CaliberShape = z.object({ frameworkBp: z.number(), productBp: z.number() });
const AssociationOut = CountsOut.extend({ unsigned: z.number(), names: z.array(z.string()) });

export const CoverageOut = z.object({
  asOf: z.string(),
  thresholdBp: z.number(),
  caliber: CaliberShape,
  steps: z.array(StepOut),
  provinceLevel: z.boolean(),
  province: CountsOut,
  association: AssociationOut,
  lines: z.array(LineOut),
});

export const SnapshotListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(60) });
export const SnapshotListOut = z.object({
  items: z.array(
    z.object({
      weekEnd: z.string(),
      takenAt: Stamp,
      signed: z.number(),
      institutions: z.number(),
      coverageBp: Bp,
      flagged: z.number(),
      hasRequirements: z.boolean(),
    }),
  ),
  lastEndedWeek: z.string(),
});
export const TakeBody = z.strictObject({ weekEnd: Day });

const BriefingDataOut = z.object({
  version: z.number(),
  weekEnd: z.string(),
  weekStart: z.string(),
  previousWeekEnd: z.string().nullable(),
  takenAt: z.string(),
  thresholdBp: z.number(),
  caliber: CaliberShape,
  province: CountsOut.extend({ added: z.number(), previousCoverageBp: Bp }),
  association: AssociationOut,
  lines: z.array(LineOut.extend({ added: z.number() })),
  prospectCount: z.number(),
  prospects: z.array(
    z.object({
      institutionId: z.number(),
      institutionName: z.string(),
      nodeId: z.number(),
      nodeName: z.string(),
      stage: z.string(),
      nextStep: z.string().nullable(),
      nextStepOn: z.string().nullable(),
    }),
  ),
  landings: z.array(
    z.object({
      institutionId: z.number(),
      institutionName: z.string(),
      nodeId: z.number(),
      nodeName: z.string(),
      product: z.string(),
      stage: z.string(),
      stageOn: z.string(),
      note: z.string().nullable(),
    }),
  ),
  corrections: z.array(
    z.object({
      signingId: z.number(),
      supersedesId: z.number(),
      institutionName: z.string(),
      nodeId: z.number(),
      nodeName: z.string(),
      kind: z.string(),
      signedOn: z.string(),
      previousKind: z.string(),
      previousSignedOn: z.string(),
      status: z.string(),
      reason: z.string(),
      recordedAt: z.string(),
    }),
  ),
  defaultRequirements: z.string(),
});
export const BriefingOut = z.object({
  weekEnd: z.string(),
  takenAt: Stamp,
  takenBy: z.string().nullable(),
  provinceLevel: z.boolean(),
  requirements: z.string(),
  requirementsEdited: z.boolean(),
  requirementsBy: z.string().nullable(),
  requirementsAt: Stamp.nullable(),
  paragraphs: z.array(z.string()),
  data: BriefingDataOut,
});
export const RequirementsBody = z.strictObject({ requirements: z.string().trim().min(1).max(4000) });

export const RankingsQuery = z.strictObject({ weekEnd: Day.optional(), weeks: z.coerce.number().int().min(1).max(160).default(12) });
const RankedOut = z.object({
  rank: z.number().nullable(),
  nodeId: z.number(),
  nodeName: z.string(),
  institutions: z.number(),
  signed: z.number(),
  coverageBp: z.number(),
  scoreBp: Bp,
  flagged: z.boolean(),
  weekEnd: z.string(),
});
export const RankingsOut = z.object({
  weekEnd: z.string().nullable(),
  weeks: z.array(z.string()),
  total: z.number(),
  provinceLevel: z.boolean(),
  byCoverage: z.array(RankedOut),
  byScore: z.array(RankedOut),
  series: z.array(z.object({ nodeId: z.number(), nodeName: z.string(), coverageBp: z.array(Bp), scoreBp: z.array(Bp) })),
});

export const SubmissionStatusEnum = z.enum(['on_time', 'late', 'missing', 'pending']);
export const SubmissionQuery = z.strictObject({ weekEnd: Day.optional(), nodeId: z.coerce.number().int().min(1).optional(), status: SubmissionStatusEnum.optional() });
export const SubmissionOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  weekEnd: z.string(),
  kind: z.enum(['targets', 'visits', 'progress']),
  dueAt: Stamp,
  submittedAt: Stamp.nullable(),
  submittedBy: z.string().nullable(),
  content: z.string().nullable(),
  remindedAt: Stamp.nullable(),
  status: SubmissionStatusEnum,
});
export const SubmissionListOut = z.object({ items: z.array(SubmissionOut), weeks: z.array(z.string()) });
export const SubmitBody = z.strictObject({ content: z.string().trim().min(1).max(20000) });

export const CaliberBody = z.strictObject({ frameworkBp: z.number().int().min(0).max(10000), productBp: z.number().int().min(0).max(10000), validFrom: Day });
export const CaliberOut = CaliberShape.extend({ id: z.number(), validFrom: z.string(), validTo: z.string().nullable(), setBy: z.string().nullable(), setAt: Stamp });
export const CaliberListOut = z.object({ items: z.array(CaliberOut) });
export const StepsBody = z.strictObject({
  steps: z
    .array(z.strictObject({ signings: z.number().int().min(1).max(100000), bp: z.number().int().min(0).max(10000) }))
    .min(1)
    .max(20),
  validFrom: Day,
});
export const StepsOut = z.object({ id: z.number(), steps: z.array(StepOut), validFrom: z.string(), validTo: z.string().nullable(), setBy: z.string().nullable(), setAt: Stamp });
export const StepsListOut = z.object({ items: z.array(StepsOut) });

export const YearQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100), history: z.enum(['true', 'false']).optional() });
export const PlanBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  nodeId: IdIn,
  planCount: z.number().int().min(0).max(100000),
  reason: z.string().trim().min(1).max(200),
});
export const PlanOut = z.object({
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  year: z.number(),
  planCount: z.number(),
  version: z.number(),
  reason: z.string().nullable(),
  setBy: z.string().nullable(),
  setAt: Stamp,
});
export const PlanListOut = z.object({ items: z.array(PlanOut) });
export const PlanSetOut = z.object({ outcome: z.enum(['inserted', 'updated', 'unchanged']), plan: PlanOut });

export const AdjustmentBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  asOf: Day,
  benchmarkName: z.string().trim().min(1).max(60),
  benchmarkCount: z.number().int().min(0).max(1_000_000),
  rounding: z.enum(['half_up', 'up', 'down']).default('half_up'),
  reason: z.string().trim().max(200).nullable().default(null),
});
const AdjLineOut = z.object({ nodeId: z.number(), nodeName: z.string(), planCount: z.number(), adjustedCount: z.number() });
export const AdjustmentPreviewOut = z.object({
  year: z.number(),
  asOf: z.string(),
  benchmarkName: z.string(),
  benchmarkCount: z.number(),
  ownCount: z.number(),
  rounding: z.enum(['half_up', 'up', 'down']),
  reason: z.string().nullable(),
  formula: z.string(),
  lines: z.array(AdjLineOut),
});
export const AdjustmentSavedOut = AdjustmentPreviewOut.extend({ id: z.number() });
export const AdjustmentListOut = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      year: z.number(),
      asOf: z.string(),
      benchmarkName: z.string(),
      benchmarkCount: z.number(),
      ownCount: z.number(),
      rounding: z.enum(['half_up', 'up', 'down']),
      reason: z.string().nullable(),
      madeBy: z.string().nullable(),
      madeAt: Stamp,
      lines: z.array(AdjLineOut),
    }),
  ),
});
