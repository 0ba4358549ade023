import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { DEPT_KINDS, NOMINATION_STATUSES, TARGET_DEPT_KINDS } from '../../db/schema/index.js';

const id = Id;
const reason = z.string().trim().max(500);

export const IdParams = z.strictObject({ id });
export const ListParams = z.strictObject({ nodeId: id, departmentId: id });
export const VersionParams = ListParams.extend({ versionNo: z.coerce.number().int().min(1).max(1_000_000) });

export const NominateBody = z.strictObject({
  companyId: IdIn,
  /** The nominating department (公司业务部 / 机构业务部 / 房地产信贷部 of a branch): its kind picks the criteria. */
  departmentId: IdIn,
  /** 纳入 (add) or 移出 (remove); add by default. */
  action: z.enum(['add', 'remove']).default('add'),
  /** Required for removals, and for additions meeting no criterion but "other". */
  reason: reason.nullish(),
});

export const DecisionBody = z.strictObject({ reason: reason.nullish() });

export const NominationQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  nodeId: id.optional(),
  departmentId: id.optional(),
  status: z.enum(NOMINATION_STATUSES).optional(),
  companyId: id.optional(),
});

export const EvaluationQuery = z.strictObject({ companyId: id, departmentId: id, reason: reason.optional() });

const FactUsedOut = z.object({ key: z.string(), labelZh: z.string(), labelEn: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullable() });

export const CriterionResultOut = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  met: z.boolean(),
  /** The facts the criterion read, with their values (amounts in 分). */
  facts: z.array(FactUsedOut),
  explanation: z.object({ zh: z.string(), en: z.string() }),
});

export const EvaluationOut = z.object({
  /** The day whose criteria were applied. */
  on: z.string(),
  departmentKind: z.enum(TARGET_DEPT_KINDS),
  met: z.array(z.string()),
  results: z.array(CriterionResultOut),
});

export const PreviewOut = EvaluationOut.extend({
  company: z.object({ id: z.number(), name: z.string(), uscc: z.string() }),
  departmentId: z.number(),
});

export const NominationOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  departmentKind: z.enum(DEPT_KINDS),
  companyId: z.number(),
  companyName: z.string(),
  uscc: z.string(),
  action: z.enum(['add', 'remove']),
  status: z.enum(NOMINATION_STATUSES),
  reason: z.string().nullable(),
  /** Codes of the criteria met at nomination. */
  met: z.array(z.string()),
  evaluation: EvaluationOut,
  nominatedById: z.number(),
  nominatedByName: z.string(),
  nominatedAt: z.date(),
  decidedById: z.number().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.date().nullable(),
  decisionReason: z.string().nullable(),
  /** The list version that took the decision in, once cut. */
  versionId: z.number().nullable(),
  versionNo: z.number().nullable(),
});

export const CutBody = z.strictObject({ note: z.string().trim().max(500).nullish() });

export const VersionOut = z.object({
  id: z.number(),
  versionNo: z.number(),
  note: z.string().nullable(),
  createdById: z.number(),
  createdByName: z.string(),
  createdAt: z.date(),
  /** Next periodic review (Art. 8). */
  reviewDueOn: z.string().nullable(),
  entryCount: z.number(),
  addedCount: z.number(),
  removedCount: z.number(),
});

const CriterionName = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });

export const EntryOut = z.object({
  companyId: z.number(),
  name: z.string(),
  uscc: z.string(),
  criteria: z.array(z.string()),
  criteriaNames: z.array(CriterionName),
  reason: z.string().nullable(),
  nominationId: z.number().nullable(),
});

export const VersionsOut = z.object({
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  departmentKind: z.enum(TARGET_DEPT_KINDS),
  items: z.array(VersionOut),
});

export const VersionEntriesOut = VersionOut.extend({
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  items: z.array(EntryOut),
});

export const DiffQuery = z.strictObject({
  /** Version number; 0 is the empty list before version 1. */
  from: z.coerce.number().int().min(0).max(1_000_000),
  to: z.coerce.number().int().min(0).max(1_000_000),
});

const DiffEntry = z.object({ companyId: z.number(), name: z.string(), uscc: z.string(), criteria: z.array(z.string()), criteriaNames: z.array(CriterionName) });

export const DiffOut = z.object({
  from: z.number(),
  to: z.number(),
  added: z.array(DiffEntry),
  removed: z.array(DiffEntry),
  changed: z.array(
    z.object({
      companyId: z.number(),
      name: z.string(),
      uscc: z.string(),
      criteria: z.array(z.string()),
      before: z.array(z.string()),
      criteriaAdded: z.array(z.string()),
      criteriaRemoved: z.array(z.string()),
    }),
  ),
});

export const ListsQuery = z.strictObject({ nodeId: id.optional() });

export const ListOut = z.object({
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  departmentKind: z.string(),
  versionId: z.number().nullable(),
  versionNo: z.number().nullable(),
  reviewDueOn: z.string().nullable(),
  entryCount: z.number(),
  /** Nominations awaiting the committee. */
  pendingCount: z.number(),
  /** Approved nominations waiting for the next version. */
  approvedWaiting: z.number(),
  due: z.boolean(),
  daysLeft: z.number().nullable(),
  overdue: z.boolean(),
});

export const RemindersOut = z.object({ today: z.string(), windowDays: z.number(), items: z.array(ListOut) });
