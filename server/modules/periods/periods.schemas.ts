import { z } from 'zod';
import { Id } from '../../http/ids.js';
import { PERIOD_STATES } from '../../db/schema/periods.js';
import { withPoints } from '../scoring/scoring.schemas.js';
import { StatementOut } from '../statements/statement.schemas.js';

export { StatementParams as PeriodParams } from '../statements/statement.schemas.js';

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10');

const Who = z.object({ id: z.number(), name: z.string() }).nullable();

export const PeriodOut = z.object({
  nodeId: z.number(),
  nodeCode: z.string(),
  nodeName: z.string(),
  month: z.string(),
  period: z.string(),
  /** draft → published → submitted → audited → locked (approval locks). */
  state: z.enum(PERIOD_STATES),
  /** The day the scheduler publishes the month (the configured working day of the next month). */
  scheduledPublicationDay: z.string(),
  publicationOverdue: z.enum(['jobs_disabled', 'not_run_yet']).nullable(),
  publishedAt: z.string().nullable(),
  publishedBy: Who,
  /** Objections are accepted until this instant (inclusive). */
  windowClosesAt: z.string().nullable(),
  windowOpen: z.boolean(),
  windowClosedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  submittedBy: Who,
  auditedAt: z.string().nullable(),
  auditedBy: Who,
  approvedAt: z.string().nullable(),
  approvedBy: Who,
  lockedAt: z.string().nullable(),
  lockedBy: Who,
  openObjections: z.number(),
  actions: z.array(z.object({ action: z.enum(['publish', 'submit', 'audit', 'approve']), permission: z.string(), allowed: z.boolean() })),
});

export const PeriodListQuery = z.strictObject({ month: Month, nodeId: Id.optional() });

export const PeriodListOut = z.object({
  items: z.array(
    z.object({
      nodeId: z.number(),
      nodeCode: z.string(),
      nodeName: z.string(),
      level: z.string(),
      month: z.string(),
      state: z.enum(PERIOD_STATES),
      publishedAt: z.string().nullable(),
      windowClosesAt: z.string().nullable(),
      lockedAt: z.string().nullable(),
      openObjections: z.number(),
    }),
  ),
});

/** A sale's figures on the notice: its points and its lines per department and person. */
const SaleFiguresOut = withPoints({
  lines: z.array(
    withPoints({
      departmentId: z.number(),
      departmentName: z.string(),
      /** null = the department's retained points. */
      staffId: z.number().nullable(),
      staffNo: z.string().nullable(),
      staffName: z.string().nullable(),
    }),
  ),
});

/** A numbered version of the notice (issue 12 rule 2): 1 at publication, one per upheld correction. */
export const NoticeVersionOut = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: Who,
  objectionId: z.number().nullable(),
  reason: z.string(),
  /** Per changed sale: its figures before and after, and why. */
  changes: z.array(z.object({ saleId: z.number(), sourceId: z.string(), before: SaleFiguresOut, after: SaleFiguresOut, reason: z.string() })),
});

export const NoticeOut = z.object({
  bankName: z.string(),
  period: PeriodOut,
  statement: StatementOut,
  /** The current version's number and day (Beijing, YYYY-MM-DD). */
  version: z.number().int(),
  versionDate: z.string(),
  /** Every version, oldest first. */
  versions: z.array(NoticeVersionOut),
});

export const NoticeListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(24) });
export const NoticeListOut = z.object({
  items: z.array(
    z.object({
      nodeId: z.number(),
      nodeCode: z.string(),
      nodeName: z.string(),
      month: z.string(),
      state: z.enum(PERIOD_STATES),
      publishedAt: z.string(),
      windowClosesAt: z.string(),
      /** Objections are still taken. */
      windowOpen: z.boolean(),
    }),
  ),
});
