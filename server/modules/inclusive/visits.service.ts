import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { monthEnd, monthStart, previousMonth } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { actorOf, assertNode, assertStaff, nodeInScope } from './inclusive.access.js';
import { type OutletLine, outletPerformance } from './performance.service.js';
import { type ActionState, actionState, type MonthTally, suggestVisits, tallyMonths, type VisitCategory } from './performance.rules.js';

/**
 * 蹲点调研 (seed 002: "每月定期到经营快贷发展较好、一般、较差的三类不同网点进行蹲点调研"): a month's
 * visits planned to outlets (suggested from last month's ranking: top, middle, bottom), each with
 * a leader; the visit recorded (date, participants, findings, problems) with follow-up actions that
 * have owners and due dates and are tracked to closure. Every outlet and person named is checked
 * against the caller's performance.manage scope; every change is audited on the outlet.
 */

export interface VisitAction {
  id: number;
  action: string;
  ownerStaffId: number;
  ownerName: string;
  dueOn: string;
  status: 'open' | 'closed';
  state: ActionState;
  closedOn: string | null;
  closingNote: string | null;
}
export interface Visit {
  id: number;
  month: string;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  parentName: string | null;
  category: VisitCategory;
  leaderStaffId: number;
  leaderName: string;
  plannedOn: string | null;
  status: 'planned' | 'done' | 'cancelled';
  visitedOn: string | null;
  participants: string | null;
  findings: string | null;
  problems: string | null;
  note: string | null;
  actions: VisitAction[];
}

async function visitsWhere(db: DbOrTx, auth: AuthContext, where: ReturnType<typeof sql>, today: string): Promise<Visit[]> {
  const list = await rows<Omit<Visit, 'actions'>>(
    db,
    sql`SELECT v.id, v.month, v.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", p.name AS "parentName", v.category, v.leader_staff_id AS "leaderStaffId",
               l.name AS "leaderName", v.planned_on::text AS "plannedOn", v.status, v.visited_on::text AS "visitedOn", v.participants, v.findings, v.problems, v.note
          FROM incl_visits v JOIN org_nodes n ON n.id = v.node_id LEFT JOIN org_nodes p ON p.id = n.parent_id JOIN staff l ON l.id = v.leader_staff_id
         WHERE ${nodeInScope(auth, 'performance.read', sql`n.path`)} AND ${where}
         ORDER BY v.month DESC, CASE v.category WHEN 'good' THEN 1 WHEN 'average' THEN 2 ELSE 3 END, n.code LIMIT 500`,
  );
  if (list.length === 0) return [];
  const acts = await rows<Omit<VisitAction, 'state'> & { visitId: number }>(
    db,
    sql`SELECT a.id, a.visit_id AS "visitId", a.action, a.owner_staff_id AS "ownerStaffId", s.name AS "ownerName", a.due_on::text AS "dueOn", a.status,
               a.closed_on::text AS "closedOn", a.closing_note AS "closingNote"
          FROM incl_visit_actions a JOIN staff s ON s.id = a.owner_staff_id WHERE a.visit_id IN (${sql.join(
            list.map((v) => sql`${v.id}`),
            sql`, `,
          )}) ORDER BY a.due_on, a.id`,
  );
  return list.map((v) => ({
    ...v,
    actions: acts.filter((a) => a.visitId === v.id).map(({ visitId: _v, ...a }) => ({ ...a, state: actionState(a, today) })),
  }));
}

export async function listVisits(db: DbOrTx, auth: AuthContext, q: { month?: string; nodeId?: number }, today: string): Promise<Visit[]> {
  const parts = [sql`true`];
  if (q.month) parts.push(sql`v.month = ${q.month}`);
  if (q.nodeId !== undefined) {
    const node = await assertNode(db, auth, 'performance.read', q.nodeId);
    parts.push(sql`n.path LIKE ${`${node.path}%`}`);
  }
  return visitsWhere(db, auth, sql.join(parts, sql` AND `), today);
}

/** One visit in the caller's scope for `perm` (404 otherwise: nothing about another branch's visit). */
async function visitIn(db: DbOrTx, auth: AuthContext, perm: 'performance.read' | 'performance.manage', id: number, lock = false): Promise<{ id: number; nodeId: number; status: Visit['status'] }> {
  const [v] = await rows<{ id: number; nodeId: number; status: Visit['status'] }>(
    db,
    sql`SELECT v.id, v.node_id AS "nodeId", v.status FROM incl_visits v JOIN org_nodes n ON n.id = v.node_id WHERE v.id = ${id} AND ${nodeInScope(auth, perm, sql`n.path`)}
        ${lock ? sql`FOR UPDATE OF v` : sql``}`,
  );
  if (!v) throw new AppError('PERF.VISIT_NOT_FOUND', { id });
  return v;
}

export async function getVisit(db: DbOrTx, auth: AuthContext, id: number, today: string): Promise<Visit> {
  await visitIn(db, auth, 'performance.read', id);
  const [v] = await visitsWhere(db, auth, sql`v.id = ${id}`, today);
  return v;
}

export interface PlanInput {
  month: string;
  nodeId: number;
  category: VisitCategory;
  leaderStaffId: number;
  plannedOn?: string;
  note?: string;
}

export async function planVisit(db: Db, auth: AuthContext, input: PlanInput, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const outlet = await assertNode(tx, auth, 'performance.manage', input.nodeId, 'outlet');
    await assertStaff(tx, auth, 'performance.manage', input.leaderStaffId);
    const [dup] = await rows(tx, sql`SELECT 1 FROM incl_visits WHERE month = ${input.month} AND node_id = ${outlet.id} AND status <> 'cancelled' FOR UPDATE`);
    if (dup) throw new AppError('PERF.VISIT_EXISTS', { month: input.month, nodeId: outlet.id });
    const [v] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO incl_visits (month, node_id, category, leader_staff_id, planned_on, note, created_by, created_at, updated_at)
          VALUES (${input.month}, ${outlet.id}, ${input.category}, ${input.leaderStaffId}, ${input.plannedOn ?? null}::date, ${input.note ?? null}, ${auth.staffId},
                  ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'perf_visit.plan', entity: 'perf_visit', entityId: v.id, nodeId: outlet.id, after: input });
    return v.id;
  });
}

export interface RecordInput {
  visitedOn: string;
  participants: string;
  findings: string;
  problems?: string;
  actions: { action: string; ownerStaffId: number; dueOn: string }[];
}

/** Records a planned visit as done, with its follow-up actions (owners in scope). */
export async function recordVisit(db: Db, auth: AuthContext, id: number, input: RecordInput, today: string, now: Date): Promise<void> {
  if (input.visitedOn > today) throw new AppError('REQUEST.VALUE_OUT_OF_RANGE', { field: 'visitedOn' });
  await db.transaction(async (tx) => {
    const v = await visitIn(tx, auth, 'performance.manage', id, true);
    if (v.status !== 'planned') throw new AppError('PERF.VISIT_STATE', { id, status: v.status });
    for (const a of input.actions) await assertStaff(tx, auth, 'performance.manage', a.ownerStaffId);
    const at = now.toISOString();
    await tx.execute(
      sql`UPDATE incl_visits SET status = 'done', visited_on = ${input.visitedOn}::date, participants = ${input.participants}, findings = ${input.findings},
                 problems = ${input.problems ?? null}, updated_at = ${at}::timestamptz WHERE id = ${id}`,
    );
    for (const a of input.actions)
      await tx.execute(
        sql`INSERT INTO incl_visit_actions (visit_id, action, owner_staff_id, due_on, created_at, updated_at)
            VALUES (${id}, ${a.action}, ${a.ownerStaffId}, ${a.dueOn}::date, ${at}::timestamptz, ${at}::timestamptz)`,
      );
    await appendAudit(tx, actorOf(auth), { action: 'perf_visit.record', entity: 'perf_visit', entityId: id, nodeId: v.nodeId, before: { status: 'planned' }, after: input });
  });
}

export async function cancelVisit(db: Db, auth: AuthContext, id: number, reason: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const v = await visitIn(tx, auth, 'performance.manage', id, true);
    if (v.status !== 'planned') throw new AppError('PERF.VISIT_STATE', { id, status: v.status });
    await tx.execute(sql`UPDATE incl_visits SET status = 'cancelled', note = ${reason}, updated_at = ${now.toISOString()}::timestamptz WHERE id = ${id}`);
    await appendAudit(tx, actorOf(auth), { action: 'perf_visit.cancel', entity: 'perf_visit', entityId: id, nodeId: v.nodeId, before: { status: 'planned' }, after: { status: 'cancelled', reason } });
  });
}

/** Closes a follow-up action of a visit in scope, with what was done. */
export async function closeAction(db: Db, auth: AuthContext, actionId: number, closingNote: string, today: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [a] = await rows<{ visitId: number; status: string }>(tx, sql`SELECT visit_id AS "visitId", status FROM incl_visit_actions WHERE id = ${actionId} FOR UPDATE`);
    if (!a) throw new AppError('PERF.ACTION_NOT_FOUND', { id: actionId });
    const v = await visitIn(tx, auth, 'performance.manage', a.visitId).catch(() => {
      throw new AppError('PERF.ACTION_NOT_FOUND', { id: actionId });
    });
    if (a.status === 'closed') throw new AppError('PERF.ACTION_CLOSED', { id: actionId });
    await tx.execute(
      sql`UPDATE incl_visit_actions SET status = 'closed', closed_on = ${today}::date, closing_note = ${closingNote}, updated_at = ${now.toISOString()}::timestamptz WHERE id = ${actionId}`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'perf_visit.action_close',
      entity: 'perf_visit_action',
      entityId: actionId,
      nodeId: v.nodeId,
      before: { status: 'open' },
      after: { status: 'closed', closedOn: today, closingNote },
    });
  });
}

/** Planned vs done per month in scope (with open and overdue follow-ups), newest month first. */
export async function visitTally(db: DbOrTx, auth: AuthContext, today: string): Promise<MonthTally[]> {
  const scope = nodeInScope(auth, 'performance.read', sql`n.path`);
  const visits = await rows<{ month: string; status: Visit['status'] }>(db, sql`SELECT v.month, v.status FROM incl_visits v JOIN org_nodes n ON n.id = v.node_id WHERE ${scope}`);
  const actions = await rows<{ month: string; status: 'open' | 'closed'; dueOn: string }>(
    db,
    sql`SELECT v.month, a.status, a.due_on::text AS "dueOn" FROM incl_visit_actions a JOIN incl_visits v ON v.id = a.visit_id JOIN org_nodes n ON n.id = v.node_id
         WHERE ${scope} AND v.status = 'done'`,
  );
  return tallyMonths(visits, actions, today);
}

/** Suggestions for `month`: last month's outlet ranking (conversion, then amount) — top, middle, bottom. */
export async function suggestFor(
  db: DbOrTx,
  auth: AuthContext,
  month: string,
  nodeId: number | undefined,
): Promise<{ basedOn: { from: string; to: string }; items: { category: VisitCategory; outlet: OutletLine; planned: boolean }[] }> {
  const prev = previousMonth(month);
  const basedOn = { from: monthStart(prev), to: monthEnd(prev) };
  const ranked = (await outletPerformance(db, auth, { ...basedOn, nodeId })).filter((l) => l.level === 'outlet' && l.entries > 0);
  const planned = new Set((await rows<{ nodeId: number }>(db, sql`SELECT node_id AS "nodeId" FROM incl_visits WHERE month = ${month} AND status <> 'cancelled'`)).map((r) => r.nodeId));
  return { basedOn, items: suggestVisits(ranked).map((s) => ({ ...s, planned: planned.has(s.outlet.nodeId) })) };
}

/** Active staff inside the caller's performance.manage scope, to pick a leader or an owner. */
export async function pickableStaff(db: DbOrTx, auth: AuthContext, text: string | undefined): Promise<{ id: number; staffNo: string; name: string; nodeName: string }[]> {
  const q = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return rows<{ id: number; staffNo: string; name: string; nodeName: string }>(
    db,
    sql`SELECT s.id, s.staff_no AS "staffNo", s.name, n.name AS "nodeName" FROM staff s JOIN org_nodes n ON n.id = s.node_id
         WHERE s.active AND ${nodeInScope(auth, 'performance.manage', sql`n.path`)} ${q ? sql`AND (s.name LIKE ${q} OR s.staff_no LIKE ${q})` : sql``}
         ORDER BY n.path, s.staff_no LIMIT 50`,
  );
}

export async function visitOfAction(db: DbOrTx, actionId: number): Promise<number> {
  const [a] = await rows<{ visitId: number }>(db, sql`SELECT visit_id AS "visitId" FROM incl_visit_actions WHERE id = ${actionId}`);
  if (!a) throw new AppError('PERF.ACTION_NOT_FOUND', { id: actionId });
  return a.visitId;
}
