import { z } from 'zod';
import { itemList } from '../../http/lists.js';
import { CADENCES } from './cadence.rules.js';

const Cadence = z.enum(CADENCES);
const Status = z.enum(['produced', 'waiting_feed', 'failed']);
const Timeliness = z.enum(['on_time', 'late', 'missing', 'pending']);

/** The issue of a report's latest ended period (or the lack of one: id null). */
export const LastIssue = z.object({
  id: z.number().nullable(),
  periodKey: z.string(),
  periodLabel: z.string(),
  version: z.number().nullable(),
  status: Status.nullable(),
  dueAt: z.string(),
  producedAt: z.string().nullable(),
  timeliness: Timeliness,
  waitingOn: z.string().nullable(),
});

export const CatalogueItem = z.object({
  code: z.string(),
  version: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  category: z.string(),
  categoryZh: z.string(),
  categoryEn: z.string(),
  cadence: Cadence,
  due: z.object({ afterWorkingDays: z.number(), time: z.string() }).nullable(),
  ownerDept: z.string(),
  sourceKind: z.enum(['own', 'feed']),
  /** The own-data view or the feed's name. */
  source: z.string(),
  /** The feed's Chinese name where the system knows the feed (it has an import). */
  feedZh: z.string().nullable(),
  /** The scheduler produces it: a built view, or a feed (which it may wait on). */
  producible: z.boolean(),
  since: z.string(),
  lastIssue: LastIssue.nullable(),
});
export const CatalogueOut = itemList(CatalogueItem);

export const IssueSummary = z.object({
  id: z.number(),
  code: z.string(),
  definitionVersion: z.number(),
  periodKey: z.string(),
  periodLabel: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  version: z.number(),
  reason: z.string().nullable(),
  status: Status,
  dueAt: z.string(),
  producedAt: z.string().nullable(),
  timeliness: Timeliness,
  waitingOn: z.string().nullable(),
  error: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export const IssueListOut = itemList(IssueSummary);
export const IssueListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** One issue with its frozen data, the lines filtered to the reader's subtree (a branch sees only its own). */
export const IssueOut = IssueSummary.extend({
  nameZh: z.string(),
  nameEn: z.string(),
  cadence: Cadence,
  sourceKind: z.enum(['own', 'feed']),
  source: z.string(),
  /** The snapshot: `{ view: 'sales' | 'completion' | 'feed', lines: [...] }` (null until produced). */
  data: z.unknown(),
  /** Other versions of the same period, newest first. */
  versions: z.array(z.object({ id: z.number(), version: z.number(), status: Status, producedAt: z.string().nullable(), reason: z.string().nullable() })),
});

export const CodeParams = z.strictObject({ code: z.string().regex(/^[A-Z0-9-]{1,40}$/) });
export const RerunBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export const RerunOut = z.object({ id: z.number(), version: z.number() });
