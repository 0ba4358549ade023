import { z } from 'zod';
import { IdIn } from '../../http/ids.js';
import { itemList } from '../../http/lists.js';
import { CADENCES } from './cadence.rules.js';

/** Subscriptions, deliveries, receipts, rankings, job runs and definition versions (issue 16, decision 0040). */

const Condition = z.strictObject({
  measure: z.string().min(1).max(60),
  comparator: z.enum(['lt', 'gt']),
  /** An integer in the measure's unit: basis points for a rate (8000 = 80.00%), 分, counts, ×10⁴, hundredths. */
  threshold: z.number().int().min(-1e15).max(1e15),
});

export const SubscriptionBody = z.strictObject({
  code: z.string().regex(/^[A-Z0-9-]{1,40}$/),
  /** Another member of staff (report.manage over them); absent: the caller. */
  staffId: IdIn.optional(),
  condition: Condition.nullable().optional(),
});

export const SubscriptionItem = z.object({
  id: z.number(),
  staffId: z.number(),
  staffName: z.string(),
  staffNo: z.string(),
  nodeName: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  condition: Condition.nullable(),
  /** The condition as people read it (完成率 < 80.00%). */
  conditionZh: z.string().nullable(),
  conditionEn: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export const SubscriptionListOut = itemList(SubscriptionItem);

export const DeliveryItem = z.object({
  id: z.number(),
  issueId: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  periodLabel: z.string(),
  version: z.number(),
  sent: z.boolean(),
  measured: z.number().nullable(),
  lines: z.number(),
  deliveredAt: z.string(),
  readAt: z.string().nullable(),
});
export const DeliveryListOut = itemList(DeliveryItem);
export const LimitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const ReceiptItem = z.object({
  id: z.number(),
  staffName: z.string(),
  staffNo: z.string(),
  nodeName: z.string(),
  sent: z.boolean(),
  measured: z.number().nullable(),
  lines: z.number(),
  deliveredAt: z.string(),
  readAt: z.string().nullable(),
  condition: Condition.nullable(),
});
export const ReceiptListOut = itemList(ReceiptItem);

export const Measure = z.object({ key: z.string(), zh: z.string(), en: z.string(), unit: z.enum(['count', 'qty1e4', 'points', 'bp', 'fen']) });
export const MeasureListOut = itemList(Measure);

const RankLevel = z.enum(['branch', 'subbranch', 'outlet', 'person']);
export const RankingQuery = z.strictObject({
  measure: z.string().min(1).max(60).optional(),
  n: z.coerce.number().int().min(1).max(24).default(6),
  /** 分行 / 支行 / 网点 / 人员: below the branch only for reports made from the ledger. */
  level: RankLevel.default('branch'),
});
export const RankingOut = z.object({
  code: z.string(),
  level: RankLevel,
  levels: z.array(RankLevel),
  measure: z.string().nullable(),
  measures: z.array(Measure),
  periods: z.array(z.object({ issueId: z.number(), periodKey: z.string(), periodLabel: z.string(), version: z.number(), of: z.number() })),
  rows: z.array(
    z.object({
      nodeId: z.number(),
      nodeName: z.string(),
      points: z.array(z.object({ value: z.number(), rank: z.number() }).nullable()),
      change: z.number().nullable(),
    }),
  ),
});

export const JobRunItem = z.object({
  id: z.number(),
  job: z.string(),
  instance: z.string(),
  status: z.enum(['running', 'ok', 'failed', 'abandoned']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  done: z.number(),
  failed: z.number(),
  failures: z.array(z.object({ period: z.string(), error: z.string() })),
  error: z.string().nullable(),
  retried: z.number(),
});
export const JobRunListOut = itemList(JobRunItem);

export const DefinitionVersionBody = z.strictObject({
  nameZh: z.string().trim().min(2).max(100).optional(),
  nameEn: z.string().trim().min(2).max(200).optional(),
  due: z.strictObject({ afterWorkingDays: z.number().int().min(0).max(60), time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/) }).optional(),
  ownerDept: z.string().trim().min(1).max(100).optional(),
  reason: z.string().trim().min(2).max(500),
});
export const DefinitionVersionItem = z.object({
  id: z.number(),
  version: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  cadence: z.enum(CADENCES),
  due: z.object({ afterWorkingDays: z.number(), time: z.string() }).nullable(),
  ownerDept: z.string(),
  validFrom: z.string(),
  reason: z.string(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export const DefinitionVersionListOut = itemList(DefinitionVersionItem);
