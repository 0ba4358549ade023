import { z } from 'zod';
import { itemList, pagedList } from '../../http/lists.js';
import { OPS, RECIPIENT_REASONS, RULE_KINDS, SEVERITIES, WARNING_STATUSES } from './warnings.rules.js';

/** Request and response schemas of post-loan early warning (SPEC §12). */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Page = { page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) };
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const WarningQuery = z.strictObject({
  ...Page,
  mine: Bool.optional(),
  status: z.enum([...WARNING_STATUSES, 'pending']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  indicator: z.string().max(16).optional(),
  client: z.string().trim().max(60).optional(),
  overdue: Bool.optional(),
  nodeId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});

const WarningRow = z.object({
  id: z.number(),
  clientId: z.number(),
  clientName: z.string(),
  uscc: z.string(),
  indicatorCode: z.string(),
  indicatorZh: z.string(),
  indicatorEn: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(WARNING_STATUSES),
  escalationLevel: z.number(),
  firstDay: z.string(),
  lastDay: z.string(),
  occurrences: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  amStaffId: z.number().nullable(),
  amName: z.string().nullable(),
  updatedAt: z.coerce.date(),
  overdue: z.boolean(),
  nextEscalationOn: z.string().nullable(),
});
export const WarningListOut = pagedList(WarningRow);

export const WarningOut = WarningRow.extend({
  loanBalanceFen: z.coerce.number().nullable(),
  creditLineFen: z.coerce.number().nullable(),
  legalRepresentative: z.string().nullable(),
  hits: z.array(z.object({ day: z.string(), value: z.number(), baseValue: z.number().nullable(), baseDay: z.string().nullable(), version: z.number(), explanation: Bilingual })),
  recipients: z.array(
    z.object({ staffId: z.number(), name: z.string(), staffNo: z.string(), nodeName: z.string(), reason: z.enum(RECIPIENT_REASONS), via: z.string().nullable(), addedOn: z.string() }),
  ),
  actions: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(['acknowledge', 'visit', 'close', 'escalate', 'auto_escalate']),
      note: z.string().nullable(),
      visitedOn: z.string().nullable(),
      level: z.number().nullable(),
      staffId: z.number().nullable(),
      staffName: z.string().nullable(),
      at: z.coerce.date(),
    }),
  ),
  holdings: z.array(z.object({ personName: z.string(), role: z.string(), productCode: z.string(), productName: z.string(), amountFen: z.number().nullable() })),
});

export const NoteBody = z.strictObject({ note: z.string().trim().max(1000).nullable().default(null) });
export const VisitBody = z.strictObject({ visitedOn: Day, note: z.string().trim().min(1).max(2000) });
export const CloseBody = z.strictObject({ note: z.string().trim().min(1).max(1000) });

export const StatusQuery = z.strictObject({ by: z.enum(['branch', 'subbranch', 'outlet', 'am']).default('branch') });
export const StatusOut = z.object({
  by: z.string(),
  items: z.array(
    z.object({
      groupId: z.number(),
      groupName: z.string(),
      parentName: z.string(),
      total: z.number(),
      open: z.number(),
      acknowledged: z.number(),
      visited: z.number(),
      closed: z.number(),
      escalated: z.number(),
      overdue: z.number(),
      highOpen: z.number(),
      clients: z.number(),
    }),
  ),
});

export const CoverageQuery = z.strictObject({ ...Page });
export const CoverageOut = pagedList(
  z.object({
    clientId: z.number(),
    clientName: z.string(),
    nodeName: z.string(),
    loanBalanceFen: z.number().nullable(),
    openWarnings: z.number(),
    people: z.number(),
    products: z.number(),
    productNames: z.string(),
  }),
);

const IndicatorRow = z.object({
  id: z.number(),
  code: z.string(),
  version: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  source: z.string(),
  kind: z.enum(RULE_KINDS),
  op: z.enum(OPS).nullable(),
  threshold: z.number().nullable(),
  windowDays: z.number().nullable(),
  severity: z.enum(SEVERITIES),
  ownerRole: z.string(),
  active: z.boolean(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  reason: z.string().nullable(),
});
export const IndicatorListOut = itemList(IndicatorRow.extend({ lastMonth: z.number(), openNow: z.number(), lastMonthLabel: z.string(), rule: Bilingual }));
export const IndicatorOut = IndicatorRow;
export const IndicatorQuery = z.strictObject({ history: Bool.optional() });
export const IndicatorParams = z.strictObject({ code: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/) });
export const IndicatorBody = z.strictObject({
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(120),
  source: z.string().max(40),
  kind: z.enum(RULE_KINDS),
  op: z.enum(OPS).nullable().default(null),
  threshold: z.number().int().min(-1e15).max(1e15).nullable().default(null),
  windowDays: z.number().int().min(1).max(366).nullable().default(null),
  severity: z.enum(SEVERITIES),
  ownerRole: z.string().max(40).default('corporate_am'),
  active: z.boolean().default(true),
  validFrom: Day,
  reason: z.string().trim().min(1).max(200),
});

const Step = z.object({ level: z.number().int().min(1).max(2), afterDays: z.number().int().min(1).max(365), target: z.enum(['subbranch', 'branch']) });
export const StepsBody = z.strictObject({ items: z.array(Step).min(1).max(2) });
export const StepsOut = itemList(Step);

export const FeedBody = z.strictObject({
  day: Day,
  items: z
    .array(z.strictObject({ uscc: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/), source: z.string().max(40), value: z.number().int().min(-1e15).max(1e15) }))
    .min(1)
    .max(50_000),
});
export const FeedOut = z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() });

export const RunBody = z.strictObject({ day: Day });
export const RunOut = z.object({
  runId: z.number(),
  day: z.string(),
  evaluated: z.number(),
  hits: z.number(),
  newWarnings: z.number(),
  merged: z.number(),
  recipients: z.number(),
  digests: z.number(),
});
export const RunListOut = itemList(
  z.object({
    id: z.number(),
    day: z.string(),
    evaluated: z.number(),
    hits: z.number(),
    newWarnings: z.number(),
    merged: z.number(),
    startedAt: z.coerce.date(),
    finishedAt: z.coerce.date().nullable(),
    runBy: z.string(),
  }),
);
export const SourcesOut = itemList(z.object({ code: z.string(), zh: z.string(), en: z.string(), unit: z.string() }));

export type WarningRowT = z.infer<typeof WarningRow>;
export type WarningOutT = z.infer<typeof WarningOut>;
export type IndicatorRowT = z.infer<typeof IndicatorRow>;
export type StatusRowT = z.infer<typeof StatusOut>['items'][number];
export type CoverageRowT = z.infer<typeof CoverageOut>['items'][number];
export type RunRowT = z.infer<typeof RunListOut>['items'][number];
