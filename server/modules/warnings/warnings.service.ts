import { type SQL, sql } from 'drizzle-orm';
import { minOf } from '../../../shared/numbers.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.service.js';
import type { AuthContext } from '../access/context.js';
import { addLeaders } from './warnings.escalate.js';
import { actorOf, assertWarning, inScope, reach } from './warnings.policy.js';
import type { CoverageRowT, StatusRowT, WarningOutT, WarningRowT } from './warnings.schemas.js';
import { type Action, type EscalationStep, explainHit, type IndicatorRule, isOverdue, nextEscalationDay, transition, type WarningStatus } from './warnings.rules.js';

/** The handling side of early warning (SPEC §12): lists, one warning explained, the AM's actions, the leaders' status. */

export interface WarningQuery {
  page: number;
  pageSize: number;
  mine?: boolean;
  status?: WarningStatus | 'pending';
  severity?: 'low' | 'medium' | 'high';
  indicator?: string;
  client?: string;
  overdue?: boolean;
  nodeId?: number;
}

export async function escalationSteps(db: DbOrTx): Promise<EscalationStep[]> {
  return rows<EscalationStep>(db, sql`SELECT level, after_days AS "afterDays", target FROM ew_escalation_steps ORDER BY level`);
}

const firstStepDays = (steps: EscalationStep[]) => (steps.length ? minOf(steps.map((s) => s.afterDays)) : 100000);

const ROW = sql`w.id, w.client_id AS "clientId", c.name AS "clientName", c.uscc, w.indicator_code AS "indicatorCode", i.name_zh AS "indicatorZh", i.name_en AS "indicatorEn",
  w.severity, w.status, w.escalation_level AS "escalationLevel", w.first_day::text AS "firstDay", w.last_day::text AS "lastDay", w.occurrences,
  w.node_id AS "nodeId", wn.name AS "nodeName", w.am_staff_id AS "amStaffId", am.name AS "amName", w.updated_at AS "updatedAt"`;
const FROM = sql`ew_warnings w JOIN org_nodes wn ON wn.id = w.node_id JOIN corporate_clients c ON c.id = w.client_id JOIN ew_indicators i ON i.id = w.indicator_id LEFT JOIN staff am ON am.id = w.am_staff_id`;

export async function listWarnings(db: DbOrTx, auth: AuthContext, q: WarningQuery) {
  const today = clock.today();
  const steps = await escalationSteps(db);
  const where: SQL[] = [reach(auth, 'warning.read')];
  if (q.mine) where.push(sql`EXISTS (SELECT 1 FROM ew_recipients m WHERE m.warning_id = w.id AND m.staff_id = ${auth.staffId})`);
  if (q.status === 'pending') where.push(sql`w.status <> 'closed'`);
  else if (q.status) where.push(sql`w.status = ${q.status}`);
  if (q.severity) where.push(sql`w.severity = ${q.severity}`);
  if (q.indicator) where.push(sql`w.indicator_code = ${q.indicator}`);
  if (q.client) where.push(sql`c.name LIKE ${`%${q.client}%`}`);
  if (q.overdue) where.push(sql`w.status <> 'closed' AND ${today}::date - w.first_day >= ${firstStepDays(steps)}`);
  if (q.nodeId) where.push(sql`wn.path LIKE (SELECT path FROM org_nodes WHERE id = ${q.nodeId}) || '%'`);
  const cond = sql.join(where, sql` AND `);
  const items = await rows<Omit<WarningRowT, 'overdue' | 'nextEscalationOn'>>(
    db,
    sql`SELECT ${ROW} FROM ${FROM} WHERE ${cond}
        ORDER BY (w.status = 'closed'), CASE w.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, w.last_day DESC, w.id DESC
        LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${FROM} WHERE ${cond}`);
  return {
    items: items.map((w) => ({
      ...w,
      overdue: isOverdue(w.status, w.firstDay, today, steps),
      nextEscalationOn: w.status === 'closed' ? null : nextEscalationDay(w.firstDay, w.escalationLevel, steps),
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** One warning, explained: each hit with its inputs, who received it and why, what was done, and the client's product holdings. */
export async function warningDetail(db: DbOrTx, auth: AuthContext, id: number) {
  await assertWarning(db, auth, 'warning.read', id);
  const today = clock.today();
  const steps = await escalationSteps(db);
  const [w] = await rows<Omit<WarningOutT, 'overdue' | 'nextEscalationOn' | 'hits' | 'recipients' | 'actions' | 'holdings'>>(
    db,
    sql`SELECT ${ROW}, c.loan_balance_fen AS "loanBalanceFen", c.credit_line_fen AS "creditLineFen", c.legal_representative AS "legalRepresentative" FROM ${FROM} WHERE w.id = ${id}`,
  );
  const hits = await rows<IndicatorRule & { source: string; day: string; value: number; baseValue: number | null; baseDay: string | null; version: number }>(
    db,
    sql`SELECT h.day::text AS day, h.value::float8 AS value, h.base_value::float8 AS "baseValue", h.base_day::text AS "baseDay",
               i.version, i.source, i.kind, i.op, i.threshold::float8 AS threshold, i.window_days AS "windowDays"
          FROM ew_hits h JOIN ew_indicators i ON i.id = h.indicator_id WHERE h.warning_id = ${id} ORDER BY h.day DESC LIMIT 60`,
  );
  const recipients = await rows<WarningOutT['recipients'][number]>(
    db,
    sql`SELECT r.staff_id AS "staffId", s.name, s.staff_no AS "staffNo", n.name AS "nodeName", r.reason, r.via, r.added_on::text AS "addedOn"
          FROM ew_recipients r JOIN staff s ON s.id = r.staff_id JOIN org_nodes n ON n.id = s.node_id WHERE r.warning_id = ${id}
         ORDER BY CASE r.reason WHEN 'manager' THEN 0 WHEN 'related_company' THEN 1 WHEN 'owner' THEN 2 WHEN 'guarantor' THEN 3 ELSE 4 END, s.staff_no`,
  );
  const actions = await rows<WarningOutT['actions'][number]>(
    db,
    sql`SELECT a.id, a.kind, a.note, a.visited_on::text AS "visitedOn", a.level, a.staff_id AS "staffId", s.name AS "staffName", a.at
          FROM ew_actions a LEFT JOIN staff s ON s.id = a.staff_id WHERE a.warning_id = ${id} ORDER BY a.id`,
  );
  const holdings = await rows<WarningOutT['holdings'][number]>(
    db,
    sql`SELECT p.name AS "personName", cp.role, h.product_code AS "productCode", h.product_name AS "productName", h.amount_fen::float8 AS "amountFen"
          FROM company_people cp JOIN individuals p ON p.id = cp.person_id JOIN holdings h ON h.person_id = p.id
         WHERE cp.company_id = ${w.clientId} ORDER BY p.name, h.product_code LIMIT 200`,
  );
  return {
    ...w,
    overdue: isOverdue(w.status, w.firstDay, today, steps),
    nextEscalationOn: w.status === 'closed' ? null : nextEscalationDay(w.firstDay, w.escalationLevel, steps),
    hits: hits.map((h) => ({ day: h.day, value: h.value, baseValue: h.baseValue, baseDay: h.baseDay, version: h.version, explanation: explainHit(h, h) })),
    recipients,
    actions,
    holdings,
  };
}

export interface ActionBody {
  note?: string | null;
  visitedOn?: string | null;
}

/**
 * The AM's handling: acknowledge (确认), visit with findings (走访核实), close (办结), escalate (上报).
 * A holder of warning.handle over the client's node, or a recipient, may act. The row is locked,
 * the step checked by warnings.rules.ts `transition`, the action recorded and audited.
 */
export async function act(db: Db, auth: AuthContext, id: number, action: Action, body: ActionBody) {
  const now = clock.now();
  const today = clock.today();
  await db.transaction(async (tx) => {
    const w = await assertWarning(tx, auth, 'warning.handle', id, true);
    const next = transition(w.status, action, { escalationLevel: w.escalationLevel });
    if ('error' in next) throw new AppError(next.error, { id });
    const level = action === 'escalate' ? w.escalationLevel + 1 : w.escalationLevel;
    await tx.execute(sql`UPDATE ew_warnings SET status = ${next.status}, escalation_level = ${level}, updated_at = ${now.toISOString()}::timestamptz,
        closed_at = ${action === 'close' ? now.toISOString() : null}::timestamptz, closed_by = ${action === 'close' ? auth.staffId : null}::int WHERE id = ${id}`);
    await tx.execute(sql`INSERT INTO ew_actions (warning_id, kind, note, visited_on, level, staff_id, at)
        VALUES (${id}, ${action}, ${body.note ?? null}, ${action === 'visit' ? (body.visitedOn ?? today) : null}::date, ${action === 'escalate' ? level : null}::int, ${auth.staffId}, ${now.toISOString()}::timestamptz)`);
    if (action === 'escalate') {
      await addLeaders(tx, sql`(${id})`, today);
      await tx.execute(sql`INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, created_at)
          SELECT r.staff_id, 'warning.escalated', '预警上报：' || c.name || '（' || i.name_zh || '）', 'Warning escalated: ' || c.name || ' (' || i.name_en || ')', ${`/warnings/${id}`}, ${now.toISOString()}::timestamptz
            FROM ew_recipients r JOIN ew_warnings w ON w.id = r.warning_id JOIN corporate_clients c ON c.id = w.client_id JOIN ew_indicators i ON i.id = w.indicator_id
           WHERE r.warning_id = ${id} AND r.reason = 'escalation' AND r.added_on = ${today}::date`);
    }
    await appendAudit(tx, actorOf(auth), {
      action: `warning.${action}`,
      entity: 'ew_warning',
      entityId: id,
      nodeId: w.nodeId,
      before: { status: w.status, escalationLevel: w.escalationLevel },
      after: { status: next.status, escalationLevel: level, note: body.note ?? null },
    });
  });
  return warningDetail(db, auth, id);
}

export type StatusBy = 'branch' | 'subbranch' | 'outlet' | 'am';

/**
 * 预警处理情况 for leaders: per branch, sub-branch, outlet or AM (the managing AM) of the nodes in
 * the caller's warning.read scope — open, acknowledged, visited, closed, escalated, overdue, and the
 * closing rate. Nodes above the level (a client kept by a branch directly) count under themselves.
 */
export async function handlingStatus(db: DbOrTx, auth: AuthContext, by: StatusBy) {
  const today = clock.today();
  const first = firstStepDays(await escalationSteps(db));
  const group =
    by === 'am'
      ? sql`coalesce(w.am_staff_id, 0) AS "groupId", coalesce(am.name, '（未指定）') AS "groupName", coalesce(an.name, '') AS "parentName"`
      : sql`g.id AS "groupId", g.name AS "groupName", coalesce(gp.name, '') AS "parentName"`;
  const join =
    by === 'am'
      ? sql`LEFT JOIN staff am ON am.id = w.am_staff_id LEFT JOIN org_nodes an ON an.id = am.node_id`
      : sql`JOIN LATERAL (SELECT x.id, x.name, x.parent_id FROM org_nodes x WHERE wn.path LIKE x.path || '%' ORDER BY (x.level = ${by}) DESC, length(x.path) DESC LIMIT 1) g ON true
            LEFT JOIN org_nodes gp ON gp.id = g.parent_id`;
  const items = await rows<StatusRowT>(
    db,
    sql`SELECT ${group},
          count(*)::int AS total,
          count(*) FILTER (WHERE w.status = 'open')::int AS open,
          count(*) FILTER (WHERE w.status = 'acknowledged')::int AS acknowledged,
          count(*) FILTER (WHERE w.status = 'visited')::int AS visited,
          count(*) FILTER (WHERE w.status = 'closed')::int AS closed,
          count(*) FILTER (WHERE w.escalation_level > 0 AND w.status <> 'closed')::int AS escalated,
          count(*) FILTER (WHERE w.status <> 'closed' AND ${today}::date - w.first_day >= ${first})::int AS overdue,
          count(*) FILTER (WHERE w.severity = 'high' AND w.status <> 'closed')::int AS "highOpen",
          count(DISTINCT w.client_id)::int AS clients
        FROM ew_warnings w JOIN org_nodes wn ON wn.id = w.node_id ${join}
       WHERE ${inScope(auth, 'warning.read', sql`wn.path`)}
       GROUP BY 1, 2, 3 ORDER BY overdue DESC, total DESC, 2`,
  );
  return { by, items };
}

/** 有贷户的综合产品营销情况: per loan client with a warning in scope, how many products its people hold. */
export async function productCoverage(db: DbOrTx, auth: AuthContext, q: { page: number; pageSize: number }) {
  const base = sql`FROM corporate_clients c JOIN org_nodes wn ON wn.id = c.node_id
    WHERE EXISTS (SELECT 1 FROM ew_warnings w WHERE w.client_id = c.id) AND ${inScope(auth, 'warning.read', sql`wn.path`)}`;
  const items = await rows<CoverageRowT>(
    db,
    sql`SELECT c.id AS "clientId", c.name AS "clientName", wn.name AS "nodeName", c.loan_balance_fen::float8 AS "loanBalanceFen",
          (SELECT count(*)::int FROM ew_warnings w WHERE w.client_id = c.id AND w.status <> 'closed') AS "openWarnings",
          (SELECT count(DISTINCT cp.person_id)::int FROM company_people cp WHERE cp.company_id = c.id) AS people,
          (SELECT count(DISTINCT h.product_code)::int FROM company_people cp JOIN holdings h ON h.person_id = cp.person_id WHERE cp.company_id = c.id) AS products,
          (SELECT coalesce(string_agg(DISTINCT h.product_name, '、'), '') FROM company_people cp JOIN holdings h ON h.person_id = cp.person_id WHERE cp.company_id = c.id) AS "productNames"
        ${base} ORDER BY "openWarnings" DESC, c.name LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total ${base}`);
  return { items, total, page: q.page, pageSize: q.pageSize };
}
