import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { corporateClients, targetListEntries, targetListVersions, targetNominations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { inPaths } from '../org/org.queries.js';
import { getSetting } from '../settings/settings.routes.js';
import { evaluate, metCodes } from './criteria.rules.js';
import { criteriaInForce, criterionNames } from './criteria.service.js';
import { assertCanReadList, listReadPaths } from './targets.policy.js';
import { entriesOf, findClients, getListDeptOr404, latestVersion, type ListDept, lockList } from './targets.queries.js';
import { type ApprovedChange, diffVersions, nextEntries, REMINDER_WINDOW_DAYS, reviewStatus } from './targets.rules.js';
import { addMonths, clock } from '../../calendar/index.js';

/** The list of one branch department: the department must belong to that branch. */
async function listOr404(db: Db, nodeId: number, departmentId: number): Promise<ListDept> {
  const dept = await getListDeptOr404(db, departmentId);
  if (dept.nodeId !== nodeId) throw new AppError('DEPT.NOT_FOUND', { nodeId, departmentId });
  return dept;
}

/**
 * 生成名单版本 (SPEC §3, Art. 8): the previous version's entries + approved adds − approved removes
 * since then, numbered +1, due for review after the configured months. Each entry records the
 * criteria it meets on the day of the cut (facts and criteria as of that day; "other" keeps its
 * written reason), so comparing versions shows changed criteria too. Audited.
 */
export async function cutVersion(db: Db, auth: AuthContext, nodeId: number, departmentId: number, note: string | null | undefined) {
  const dept = await listOr404(db, nodeId, departmentId);
  assertCanAt(auth, 'target.review', dept.nodePath);
  const versionId = await db.transaction(async (tx) => {
    await lockList(tx, dept.id);
    const on = clock.today();
    const prev = await latestVersion(tx, nodeId, departmentId);
    const prevEntries = prev ? await entriesOf(tx, prev.id) : [];
    const approved = await tx
      .select({ nominationId: targetNominations.id, companyId: targetNominations.companyId, action: targetNominations.action, reason: targetNominations.reason })
      .from(targetNominations)
      .where(and(eq(targetNominations.nodeId, nodeId), eq(targetNominations.departmentId, departmentId), eq(targetNominations.status, 'approved'), isNull(targetNominations.versionId)))
      .orderBy(asc(targetNominations.decidedAt), asc(targetNominations.id));
    // A periodic review may confirm an unchanged list (a new version, a new review date), but the
    // first version needs at least one approved client.
    if (approved.length === 0 && !prev) throw new AppError('TARGET.NOTHING_TO_CUT');
    const next = nextEntries(prevEntries, approved as ApprovedChange[]);
    const criteria = await criteriaInForce(tx, dept.kind, on);
    const clients = new Map((await findClients(tx, { ids: next.map((e) => e.companyId) })).map((c) => [c.id, c]));
    for (const e of next) {
      const c = clients.get(e.companyId);
      e.criteria = c ? metCodes(evaluate(criteria, c.facts, { otherReason: e.reason })) : [];
    }
    const months = await getSetting(tx, 'targets.reviewMonths');
    const [v] = await tx
      .insert(targetListVersions)
      .values({ nodeId, departmentId, versionNo: (prev?.versionNo ?? 0) + 1, note: note?.trim() || null, createdBy: auth.staffId, createdAt: clock.now(), reviewDueOn: addMonths(on, months) })
      .returning();
    for (let i = 0; i < next.length; i += 1000) {
      await tx
        .insert(targetListEntries)
        .values(next.slice(i, i + 1000).map((e) => ({ versionId: v.id, companyId: e.companyId, criteria: e.criteria, reason: e.reason, nominationId: e.nominationId })));
    }
    if (approved.length) {
      await tx
        .update(targetNominations)
        .set({ versionId: v.id })
        .where(
          inArray(
            targetNominations.id,
            approved.map((a) => a.nominationId),
          ),
        );
    }
    const diff = diffVersions(prevEntries, next);
    await appendAudit(
      tx,
      { id: auth.staffId, name: auth.name },
      {
        action: 'target.list.version',
        entity: 'target_list_version',
        entityId: v.id,
        nodeId,
        before: prev ? { versionNo: prev.versionNo, entries: prevEntries.length } : null,
        after: {
          departmentId,
          versionNo: v.versionNo,
          entries: next.length,
          added: diff.added.map((e) => e.companyId),
          removed: diff.removed.map((e) => e.companyId),
          changed: diff.changed.map((c) => c.to.companyId),
          nominations: approved.map((a) => a.nominationId),
          reviewDueOn: v.reviewDueOn,
        },
      },
    );
    return v.id;
  });
  const [summary] = (await versionSummaries(db, nodeId, departmentId)).filter((s) => s.id === versionId);
  return summary;
}

async function versionSummaries(db: Db, nodeId: number, departmentId: number) {
  const list = await rows<{
    id: number;
    versionNo: number;
    note: string | null;
    createdById: number;
    createdByName: string;
    createdAt: Date;
    reviewDueOn: string | null;
    entryCount: number;
    addedCount: number;
    removedCount: number;
  }>(
    db,
    sql`SELECT v.id, v.version_no AS "versionNo", v.note, v.created_by AS "createdById", s.name AS "createdByName", v.created_at AS "createdAt",
               v.review_due_on::text AS "reviewDueOn",
               (SELECT count(*)::int FROM target_list_entries e WHERE e.version_id = v.id) AS "entryCount",
               (SELECT count(*)::int FROM target_nominations n WHERE n.version_id = v.id AND n.action = 'add') AS "addedCount",
               (SELECT count(*)::int FROM target_nominations n WHERE n.version_id = v.id AND n.action = 'remove') AS "removedCount"
        FROM target_list_versions v JOIN staff s ON s.id = v.created_by
        WHERE v.node_id = ${nodeId} AND v.department_id = ${departmentId}
        ORDER BY v.version_no DESC`,
  );
  return list.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

/** The versions of one list, newest first. */
export async function listVersions(db: Db, auth: AuthContext, nodeId: number, departmentId: number) {
  const dept = await listOr404(db, nodeId, departmentId);
  assertCanReadList(auth, dept.nodePath);
  return { nodeId, nodeName: dept.nodeName, departmentId, departmentName: dept.name, departmentKind: dept.kind, items: await versionSummaries(db, nodeId, departmentId) };
}

async function versionByNo(db: Db, nodeId: number, departmentId: number, versionNo: number) {
  const [v] = await db
    .select()
    .from(targetListVersions)
    .where(and(eq(targetListVersions.nodeId, nodeId), eq(targetListVersions.departmentId, departmentId), eq(targetListVersions.versionNo, versionNo)));
  if (!v) throw new AppError('TARGET.VERSION_NOT_FOUND', { versionNo });
  return v;
}

/** Entries of a version with the client's name and USCC and the criteria met (code and name). */
async function namedEntries(db: Db, versionId: number) {
  const list = await db
    .select({
      companyId: targetListEntries.companyId,
      name: corporateClients.name,
      uscc: corporateClients.uscc,
      criteria: targetListEntries.criteria,
      reason: targetListEntries.reason,
      nominationId: targetListEntries.nominationId,
    })
    .from(targetListEntries)
    .innerJoin(corporateClients, eq(corporateClients.id, targetListEntries.companyId))
    .where(eq(targetListEntries.versionId, versionId))
    .orderBy(asc(corporateClients.name), asc(targetListEntries.companyId));
  return list;
}

async function withNames<T extends { criteria: string[] }>(db: Db, list: T[]) {
  const names = await criterionNames(db);
  return list.map((e) => ({ ...e, criteriaNames: e.criteria.map((c) => ({ code: c, nameZh: names.get(c)?.nameZh ?? c, nameEn: names.get(c)?.nameEn ?? c })) }));
}

/** One version's clients (SPEC §3): company name, USCC, the criteria met. */
export async function versionEntries(db: Db, auth: AuthContext, nodeId: number, departmentId: number, versionNo: number) {
  const dept = await listOr404(db, nodeId, departmentId);
  assertCanReadList(auth, dept.nodePath);
  const v = await versionByNo(db, nodeId, departmentId, versionNo);
  const [summary] = (await versionSummaries(db, nodeId, departmentId)).filter((s) => s.id === v.id);
  return { ...summary, nodeId, nodeName: dept.nodeName, departmentId, departmentName: dept.name, items: await withNames(db, await namedEntries(db, v.id)) };
}

/** Compares any two versions of one list: added, removed, and clients whose criteria changed. Version 0 is the empty list. */
export async function versionDiff(db: Db, auth: AuthContext, nodeId: number, departmentId: number, from: number, to: number) {
  const dept = await listOr404(db, nodeId, departmentId);
  assertCanReadList(auth, dept.nodePath);
  const load = async (no: number) => (no === 0 ? [] : namedEntries(db, (await versionByNo(db, nodeId, departmentId, no)).id));
  const d = diffVersions(await load(from), await load(to));
  const brief = (e: { companyId: number; name: string; uscc: string; criteria: string[] }) => ({ companyId: e.companyId, name: e.name, uscc: e.uscc, criteria: e.criteria });
  return {
    from,
    to,
    added: await withNames(db, d.added.map(brief)),
    removed: await withNames(db, d.removed.map(brief)),
    changed: d.changed.map((c) => ({ ...brief(c.to), before: c.from.criteria, criteriaAdded: c.criteriaAdded, criteriaRemoved: c.criteriaRemoved })),
  };
}

interface ListRow {
  nodeId: number;
  nodeName: string;
  departmentId: number;
  departmentName: string;
  departmentKind: string;
  versionId: number | null;
  versionNo: number | null;
  reviewDueOn: string | null;
  entryCount: number;
  pendingCount: number;
  approvedWaiting: number;
}

/** Every target list (branch × corporate department) in the caller's scope, with its latest version. */
async function listRows(db: Db, auth: AuthContext, nodeId?: number): Promise<ListRow[]> {
  return rows<ListRow>(
    db,
    sql`SELECT n.id AS "nodeId", n.name AS "nodeName", d.id AS "departmentId", d.name AS "departmentName", d.kind AS "departmentKind",
               v.id AS "versionId", v.version_no AS "versionNo", v.review_due_on::text AS "reviewDueOn",
               (SELECT count(*)::int FROM target_list_entries e WHERE e.version_id = v.id) AS "entryCount",
               (SELECT count(*)::int FROM target_nominations x WHERE x.department_id = d.id AND x.status = 'nominated') AS "pendingCount",
               (SELECT count(*)::int FROM target_nominations x WHERE x.department_id = d.id AND x.status = 'approved' AND x.version_id IS NULL) AS "approvedWaiting"
        FROM departments d
        JOIN org_nodes n ON n.id = d.node_id
        LEFT JOIN LATERAL (
          SELECT id, version_no, review_due_on FROM target_list_versions tv
          WHERE tv.node_id = d.node_id AND tv.department_id = d.id ORDER BY tv.version_no DESC LIMIT 1
        ) v ON true
        WHERE d.kind IN ('corporate', 'institutional', 'real_estate') AND d.active
          AND ${inPaths(sql`n.path`, listReadPaths(auth))}
          ${nodeId ? sql`AND n.id = ${nodeId}` : sql``}
        ORDER BY n.sort, n.id, d.id`,
  );
}

export async function listLists(db: Db, auth: AuthContext, nodeId?: number) {
  const t = clock.today();
  return { items: (await listRows(db, auth, nodeId)).map((r) => ({ ...r, ...reviewStatus(r.reviewDueOn, t) })) };
}

/** Periodic review reminders (Art. 8 定期调整): lists due for review within 30 days, or overdue. */
export async function reminders(db: Db, auth: AuthContext) {
  const t = clock.today();
  const items = (await listRows(db, auth))
    .map((r) => ({ ...r, ...reviewStatus(r.reviewDueOn, t) }))
    .filter((r) => r.due)
    .sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0) || a.nodeId - b.nodeId || a.departmentId - b.departmentId);
  return { today: t, windowDays: REMINDER_WINDOW_DAYS, items };
}
