import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ErrorCode } from '../../../shared/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { corporateClients, departments, orgNodes, staff, targetListVersions, targetNominations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt, canAt } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { inPaths } from '../org/org.queries.js';
import { type Criterion, type CriterionResult, evaluate, isOtherRule, metCodes } from './criteria.rules.js';
import { criteriaInForce, type TargetDeptKind } from './criteria.service.js';
import { assertCanReadList, isAdminAt, listReadPaths, nominationRefusal } from './targets.policy.js';
import { type ClientRef, getClientOr404, getListDeptOr404, type ListDept, type ListState, listState, lockList } from './targets.queries.js';
import { clock } from '../../calendar/index.js';

const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** The evaluation stored with a nomination: which Article 9 criteria were met, from which facts. */
export interface Evaluation {
  /** The day whose criteria were applied. */
  on: string;
  departmentKind: TargetDeptKind;
  met: string[];
  results: CriterionResult[];
}

/** Evaluates a client against its department's criteria in force on `on` (SPEC §3). */
export function evaluationOf(criteria: readonly Criterion[], kind: TargetDeptKind, client: ClientRef, on: string, reason: string | null): Evaluation {
  const results = evaluate(criteria, client.facts, { otherReason: reason });
  return { on, departmentKind: kind, met: metCodes(results), results };
}

export interface NominationInput {
  client: ClientRef;
  dept: ListDept;
  action: 'add' | 'remove';
  reason: string | null;
}

/**
 * Every rule a nomination must pass, in the order a person would fix them: who may nominate the
 * client, where it stands on the list, and the written reason (removals always; additions when no
 * criterion but "other" is met). Returns the refusal, or the evaluation to store.
 */
export function checkNomination(
  input: NominationInput,
  ctx: { auth: AuthContext; callerDepartmentId: number | null; state: ListState; criteria: readonly Criterion[]; on: string },
): { error: ErrorCode; details?: unknown } | { evaluation: Evaluation } {
  const { client, dept, action } = input;
  const reason = input.reason?.trim() || null;
  if (!canAt(ctx.auth, 'target.nominate', dept.nodePath)) return { error: 'AUTH.OUT_OF_SCOPE' };
  const refusal = nominationRefusal({
    departmentId: dept.id,
    branchPath: dept.nodePath,
    client: { departmentId: client.departmentId, accountManagerId: client.accountManagerId, nodePath: client.nodePath },
    caller: { staffId: ctx.auth.staffId, departmentId: ctx.callerDepartmentId, isAdmin: isAdminAt(ctx.auth, dept.nodePath) },
  });
  if (refusal) return { error: refusal };
  if (ctx.state.pending.has(client.id)) return { error: 'TARGET.ALREADY_NOMINATED' };
  if (action === 'add' && ctx.state.onList.has(client.id)) return { error: 'TARGET.ALREADY_ON_LIST' };
  if (action === 'remove' && !ctx.state.onList.has(client.id)) return { error: 'TARGET.NOT_ON_LIST' };
  const evaluation = evaluationOf(ctx.criteria, dept.kind, client, ctx.on, reason);
  if (!reason) {
    if (action === 'remove') return { error: 'TARGET.REASON_REQUIRED', details: { action } };
    // "Other" is met only with a written reason: without one, some rule-based criterion must be met.
    const otherCodes = new Set(ctx.criteria.filter((c) => isOtherRule(c.rule)).map((c) => c.code));
    if (!evaluation.met.some((c) => !otherCodes.has(c))) return { error: 'TARGET.REASON_REQUIRED', details: { met: [] } };
  }
  return { evaluation };
}

export async function callerDepartment(db: DbOrTx, staffId: number): Promise<number | null> {
  const [s] = await db.select({ departmentId: staff.departmentId }).from(staff).where(eq(staff.id, staffId)).limit(1);
  return s?.departmentId ?? null;
}

/** Writes checked nominations with their audit entries, inside the caller's transaction. */
export async function insertNominations(tx: DbOrTx, actor: Actor & { id: number }, items: (NominationInput & { evaluation: Evaluation })[]) {
  if (items.length === 0) return [];
  const created = await tx
    .insert(targetNominations)
    .values(
      items.map((i) => ({
        nodeId: i.dept.nodeId,
        departmentId: i.dept.id,
        companyId: i.client.id,
        action: i.action,
        status: 'nominated' as const,
        reason: i.reason?.trim() || null,
        evaluation: i.evaluation,
        nominatedBy: actor.id,
        nominatedAt: clock.now(),
      })),
    )
    .returning({ id: targetNominations.id, companyId: targetNominations.companyId, departmentId: targetNominations.departmentId });
  await appendAudit(
    tx,
    actor,
    created.map((c, k) => ({
      action: 'target.nominate',
      entity: 'target_nomination',
      entityId: c.id,
      nodeId: items[k].dept.nodeId,
      after: { companyId: c.companyId, uscc: items[k].client.uscc, departmentId: c.departmentId, action: items[k].action, reason: items[k].reason, met: items[k].evaluation.met },
    })),
  );
  return created;
}

/** 提名: one client, by a department, for adding to or removing from its branch's target list. */
export async function nominate(db: Db, auth: AuthContext, body: { companyId: number; departmentId: number; action: 'add' | 'remove'; reason?: string | null }) {
  const dept = await getListDeptOr404(db, body.departmentId);
  assertCanAt(auth, 'target.nominate', dept.nodePath);
  const client = await getClientOr404(db, body.companyId);
  const id = await db.transaction(async (tx) => {
    await lockList(tx, dept.id);
    const on = clock.today();
    const input: NominationInput = { client, dept, action: body.action, reason: body.reason ?? null };
    const checked = checkNomination(input, {
      auth,
      callerDepartmentId: await callerDepartment(tx, auth.staffId),
      state: await listState(tx, dept.nodeId, dept.id),
      criteria: await criteriaInForce(tx, dept.kind, on),
      on,
    });
    if ('error' in checked) throw new AppError(checked.error, checked.details);
    const [created] = await insertNominations(tx, { id: auth.staffId, name: auth.name }, [{ ...input, evaluation: checked.evaluation }]);
    return created.id;
  });
  return nominationDetail(db, auth, id);
}

/** A preview of the evaluation a nomination would store, without nominating. */
export async function previewEvaluation(db: Db, auth: AuthContext, q: { companyId: number; departmentId: number; reason?: string }) {
  const dept = await getListDeptOr404(db, q.departmentId);
  assertCanReadList(auth, dept.nodePath);
  const client = await getClientOr404(db, q.companyId);
  if (!client.nodePath.startsWith(dept.nodePath)) throw new AppError('TARGET.NOT_MANAGED');
  const on = clock.today();
  return {
    company: { id: client.id, name: client.name, uscc: client.uscc },
    departmentId: dept.id,
    ...evaluationOf(await criteriaInForce(db, dept.kind, on), dept.kind, client, on, q.reason ?? null),
  };
}

const nominator = alias(staff, 'nominator');
const decider = alias(staff, 'decider');

const nominationColumns = {
  id: targetNominations.id,
  nodeId: targetNominations.nodeId,
  nodeName: orgNodes.name,
  nodePath: orgNodes.path,
  departmentId: targetNominations.departmentId,
  departmentName: departments.name,
  departmentKind: departments.kind,
  companyId: targetNominations.companyId,
  companyName: corporateClients.name,
  uscc: corporateClients.uscc,
  action: targetNominations.action,
  status: targetNominations.status,
  reason: targetNominations.reason,
  evaluation: targetNominations.evaluation,
  nominatedById: targetNominations.nominatedBy,
  nominatedByName: nominator.name,
  nominatedAt: targetNominations.nominatedAt,
  decidedById: targetNominations.decidedBy,
  decidedByName: decider.name,
  decidedAt: targetNominations.decidedAt,
  decisionReason: targetNominations.decisionReason,
  versionId: targetNominations.versionId,
  versionNo: targetListVersions.versionNo,
};

function nominationQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(nominationColumns)
    .from(targetNominations)
    .innerJoin(orgNodes, eq(orgNodes.id, targetNominations.nodeId))
    .innerJoin(departments, eq(departments.id, targetNominations.departmentId))
    .innerJoin(corporateClients, eq(corporateClients.id, targetNominations.companyId))
    .innerJoin(nominator, eq(nominator.id, targetNominations.nominatedBy))
    .leftJoin(decider, eq(decider.id, targetNominations.decidedBy))
    .leftJoin(targetListVersions, eq(targetListVersions.id, targetNominations.versionId))
    .where(where);
}

type NominationRow = Awaited<ReturnType<typeof nominationQuery>>[number];

function present(r: NominationRow) {
  const ev = r.evaluation as Evaluation;
  const { nodePath: _p, evaluation: _e, ...rest } = r;
  return { ...rest, met: ev.met, evaluation: ev };
}

/** The nominee page (SPEC §3): met and unmet criteria with the facts, and the decision. */
export async function nominationDetail(db: Db, auth: AuthContext, id: number) {
  const [r] = await nominationQuery(db, eq(targetNominations.id, id));
  if (!r) throw new AppError('TARGET.NOMINATION_NOT_FOUND');
  assertCanReadList(auth, r.nodePath);
  return present(r);
}

/** Nominations in the caller's scope, newest first, filtered by list, status or client. */
export async function listNominations(
  db: Db,
  auth: AuthContext,
  q: { nodeId?: number; departmentId?: number; status?: 'nominated' | 'approved' | 'rejected' | 'withdrawn'; companyId?: number; page: number; pageSize: number },
) {
  const where = and(
    inPaths(orgNodes.path, listReadPaths(auth)),
    q.nodeId ? eq(targetNominations.nodeId, q.nodeId) : undefined,
    q.departmentId ? eq(targetNominations.departmentId, q.departmentId) : undefined,
    q.status ? eq(targetNominations.status, q.status) : undefined,
    q.companyId ? eq(targetNominations.companyId, q.companyId) : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(targetNominations).innerJoin(orgNodes, eq(orgNodes.id, targetNominations.nodeId)).where(where);
  const page = await nominationQuery(db, where)
    .orderBy(desc(targetNominations.nominatedAt), desc(targetNominations.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { total, items: page.map(present) };
}

/**
 * The committee's decision on one nomination (SPEC §3: approved / rejected with reason). Deciding
 * twice is refused (TARGET.ALREADY_DECIDED); nobody decides their own nomination.
 */
export async function decide(db: Db, auth: AuthContext, id: number, decision: 'approved' | 'rejected', reason: string | null | undefined) {
  const [n] = await db
    .select({
      id: targetNominations.id,
      nodeId: targetNominations.nodeId,
      departmentId: targetNominations.departmentId,
      status: targetNominations.status,
      nominatedBy: targetNominations.nominatedBy,
      path: orgNodes.path,
    })
    .from(targetNominations)
    .innerJoin(orgNodes, eq(orgNodes.id, targetNominations.nodeId))
    .where(eq(targetNominations.id, id));
  if (!n) throw new AppError('TARGET.NOMINATION_NOT_FOUND');
  assertCanAt(auth, 'target.review', n.path);
  if (n.status !== 'nominated') throw new AppError('TARGET.ALREADY_DECIDED', { status: n.status });
  if (n.nominatedBy === auth.staffId) throw new AppError('TARGET.SELF_REVIEW');
  const why = reason?.trim() || null;
  if (decision === 'rejected' && !why) throw new AppError('TARGET.REASON_REQUIRED', { decision });
  await db.transaction(async (tx) => {
    await lockList(tx, n.departmentId);
    const done = await tx
      .update(targetNominations)
      .set({ status: decision, decidedBy: auth.staffId, decidedAt: clock.now(), decisionReason: why })
      .where(and(eq(targetNominations.id, id), eq(targetNominations.status, 'nominated')))
      .returning({ id: targetNominations.id });
    // Someone else decided between the read and the lock.
    if (done.length === 0) throw new AppError('TARGET.ALREADY_DECIDED');
    await appendAudit(tx, actorOf(auth), {
      action: decision === 'approved' ? 'target.approve' : 'target.reject',
      entity: 'target_nomination',
      entityId: id,
      nodeId: n.nodeId,
      before: { status: 'nominated' },
      after: { status: decision, reason: why },
    });
  });
  return nominationDetail(db, auth, id);
}

/** The nominator (or an administrator of the scope) takes back an undecided nomination. */
export async function withdraw(db: Db, auth: AuthContext, id: number, reason: string | null | undefined) {
  const [n] = await db
    .select({ status: targetNominations.status, nodeId: targetNominations.nodeId, departmentId: targetNominations.departmentId, nominatedBy: targetNominations.nominatedBy, path: orgNodes.path })
    .from(targetNominations)
    .innerJoin(orgNodes, eq(orgNodes.id, targetNominations.nodeId))
    .where(eq(targetNominations.id, id));
  if (!n) throw new AppError('TARGET.NOMINATION_NOT_FOUND');
  assertCanAt(auth, 'target.nominate', n.path);
  if (n.nominatedBy !== auth.staffId && !isAdminAt(auth, n.path)) throw new AppError('TARGET.NOT_NOMINATOR');
  if (n.status !== 'nominated') throw new AppError('TARGET.ALREADY_DECIDED', { status: n.status });
  await db.transaction(async (tx) => {
    await lockList(tx, n.departmentId);
    const done = await tx
      .update(targetNominations)
      .set({ status: 'withdrawn', decidedBy: auth.staffId, decidedAt: clock.now(), decisionReason: reason?.trim() || null })
      .where(and(eq(targetNominations.id, id), eq(targetNominations.status, 'nominated')))
      .returning({ id: targetNominations.id });
    if (done.length === 0) throw new AppError('TARGET.ALREADY_DECIDED');
    await appendAudit(tx, actorOf(auth), { action: 'target.withdraw', entity: 'target_nomination', entityId: id, nodeId: n.nodeId, before: { status: 'nominated' }, after: { status: 'withdrawn' } });
  });
  return nominationDetail(db, auth, id);
}
