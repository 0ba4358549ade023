import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { clock, monthStart, nextMonthStart } from '../../calendar/index.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import { branchOf, getNodeOr404, inPaths } from '../org/org.queries.js';
import { pts } from '../scoring/split.service.js';
import { canAtBranch } from '../quotas/quotas.policy.js';
import { completionBoard } from '../dashboards/dashboards.service.js';
import { TRANSITIONS } from '../periods/periods.rules.js';
import { branchPathOf, pointsByProduct, rankAmong } from './workbench.rules.js';
import type { WorkbenchOutT } from './workbench.schemas.js';

const MAX_SALES = 50;
/** Failed imports older than this are no longer a to-do. */
const IMPORT_DAYS = 30;

type Todo = WorkbenchOutT['todos'][number];

/**
 * 首页 for the signed-in person (issue 12): my points this month and year by product, my sales of
 * the month, my rank in my department and branch, my department's quotas against the 50 % line, my
 * open objections and the to-dos of my roles. "This month" is the Beijing month of the one clock.
 * Everything is the caller's own, or counted inside the scope of the permission the work needs.
 */
export async function workbench(db: DbOrTx, auth: AuthContext): Promise<WorkbenchOutT> {
  const month = clock.thisMonth();
  const year = Number(month.slice(0, 4));
  const from = monthStart(month);
  const to = nextMonthStart(month);
  const [me] = await rows<{ node_id: number; node_name: string; department_id: number | null; department_name: string | null }>(
    db,
    sql`SELECT s.node_id, n.name AS node_name, s.department_id, d.name AS department_name
        FROM staff s JOIN org_nodes n ON n.id = s.node_id LEFT JOIN departments d ON d.id = s.department_id WHERE s.id = ${auth.staffId}`,
  );
  const node = await getNodeOr404(db, me.node_id);
  const branch = await branchOf(db, node);

  const [points, sales, rank, quotas, objections, todos] = await Promise.all([
    myPoints(db, auth.staffId, year, from),
    mySales(db, auth.staffId, from, to),
    myRanks(db, auth.staffId, me.department_id, me.department_name, branch, from),
    myQuotas(db, auth, me.department_id, branch, year),
    myObjections(db, auth.staffId),
    myTodos(db, auth, from),
  ]);
  return {
    month,
    year,
    me: {
      staffId: auth.staffId,
      staffNo: auth.staffNo,
      name: auth.name,
      nodeName: me.node_name,
      departmentId: me.department_id,
      departmentName: me.department_name,
      branchId: branch.id,
      branchName: branch.name,
    },
    points,
    ...sales,
    rank,
    quotas,
    objections,
    todos,
  };
}

/** product_points_totals (the ledger's lines per person × product, by the month written in). */
async function myPoints(db: DbOrTx, staffId: number, year: number, monthFrom: string) {
  // The products' names ride along (one statement, not two: on PGlite every statement queues, decision 0051).
  const list = await rows<{ product_id: number; period: string; pts: number | string; code: string; name: string }>(
    db,
    sql`SELECT t.product_id, t.period::text AS period, sum(t.points_hundredths)::bigint AS pts, p.code, p.name
        FROM product_points_totals t JOIN products p ON p.id = t.product_id
        WHERE t.staff_id = ${staffId} AND t.period >= ${`${year}-01-01`}::date AND t.period < ${`${year + 1}-01-01`}::date
        GROUP BY t.product_id, t.period, p.code, p.name`,
  );
  const sum = pointsByProduct(
    list.map((r) => ({ productId: Number(r.product_id), period: r.period, pointsHundredths: Number(r.pts) })),
    monthFrom,
  );
  const names = new Map(list.map((r) => [Number(r.product_id), r]));
  return {
    month: pts(sum.monthHundredths),
    year: pts(sum.yearHundredths),
    products: sum.products.map((p) => ({
      productId: p.productId,
      productCode: names.get(p.productId)?.code ?? '',
      productName: names.get(p.productId)?.name ?? '',
      month: pts(p.monthHundredths),
      year: pts(p.yearHundredths),
    })),
  };
}

/** The sales dated this month on which I am one of the people, with my net points on each. */
async function mySales(db: DbOrTx, staffId: number, from: string, to: string) {
  const where = sql`sp.staff_id = ${staffId} AND s.sale_date >= ${from}::date AND s.sale_date < ${to}::date`;
  const [list, [{ total }]] = await Promise.all([
    rows<{ id: number; source_id: string; sale_date: string; product_name: string; client_name: string | null; role: string; mine: number | string | null }>(
      db,
      sql`SELECT s.id, s.source_id, s.sale_date::text AS sale_date, p.name AS product_name, coalesce(i.name, c.name) AS client_name, sp.role,
                 (SELECT sum(e.points_hundredths) FROM ledger_entries e WHERE e.sale_id = s.id AND e.staff_id = ${staffId} AND e.kind <> 'void')::bigint AS mine
          FROM sale_people sp JOIN sales s ON s.id = sp.sale_id JOIN products p ON p.id = s.product_id
          LEFT JOIN individuals i ON i.id = s.person_id LEFT JOIN corporate_clients c ON c.id = s.company_id
          WHERE ${where} ORDER BY s.sale_date DESC, s.id DESC LIMIT ${MAX_SALES}`,
    ),
    rows<{ total: number }>(db, sql`SELECT count(DISTINCT s.id)::int AS total FROM sale_people sp JOIN sales s ON s.id = sp.sale_id WHERE ${where}`),
  ]);
  return {
    sales: list.map((r) => ({
      id: Number(r.id),
      sourceId: r.source_id,
      saleDate: r.sale_date,
      productName: r.product_name,
      clientName: r.client_name,
      mine: pts(Number(r.mine ?? 0)),
      role: r.role,
    })),
    salesTotal: Number(total),
  };
}

/** This month's points of the active people of a group (`who` filters staff s), for ranking. */
async function monthPointsOf(db: DbOrTx, who: SQL, from: string) {
  const list = await rows<{ id: number; staff_no: string; pts: number | string | null }>(
    db,
    sql`SELECT s.id, s.staff_no, (SELECT sum(t.points_hundredths) FROM product_points_totals t WHERE t.staff_id = s.id AND t.period = ${from}::date)::bigint AS pts
        FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND ${who}`,
  );
  return list.map((r) => ({ staffId: Number(r.id), staffNo: r.staff_no, pointsHundredths: Number(r.pts ?? 0) }));
}

async function myRanks(db: DbOrTx, staffId: number, departmentId: number | null, departmentName: string | null, branch: { path: string; name: string }, from: string) {
  const branchPath = branchPathOf(branch.path) ?? branch.path;
  const [dept, br] = await Promise.all([departmentId === null ? null : monthPointsOf(db, sql`s.department_id = ${departmentId}`, from), monthPointsOf(db, inPaths(sql`n.path`, [branchPath]), from)]);
  const d = dept ? rankAmong(dept, staffId) : null;
  const b = rankAmong(br, staffId);
  return { department: d && { ...d, name: departmentName ?? '' }, branch: b && { ...b, name: branch.name } };
}

/** My department's rows of the branch's completion board (the same figures as 营销看板), and my personal quota. */
async function myQuotas(db: DbOrTx, auth: AuthContext, departmentId: number | null, branch: Awaited<ReturnType<typeof branchOf>>, year: number) {
  if (departmentId === null || !canAtBranch(auth, 'dashboard.read', branch.path)) return null;
  const board = await completionBoard(db, branch, { nodeId: branch.id, year });
  return board.rows.filter((r) => r.quotaId !== null && r.departmentId === departmentId && r.outletNodeId === null && (r.staffId === null || r.staffId === auth.staffId));
}

async function myObjections(db: DbOrTx, staffId: number) {
  const list = await rows<{ id: number; period: string; target_kind: string; sale_id: number | null; reason: string; raised_at: Date | string; node_name: string }>(
    db,
    sql`SELECT o.id, o.period::text AS period, o.target_kind, o.sale_id, o.reason, o.raised_at, n.name AS node_name
        FROM objections o JOIN org_nodes n ON n.id = o.node_id WHERE o.raised_by = ${staffId} AND o.status = 'open' ORDER BY o.raised_at DESC LIMIT 50`,
  );
  return list.map((o) => ({
    id: Number(o.id),
    month: o.period.slice(0, 7),
    targetKind: o.target_kind,
    saleId: o.sale_id === null ? null : Number(o.sale_id),
    reason: o.reason,
    raisedAt: new Date(o.raised_at).toISOString(),
    nodeName: o.node_name,
  }));
}

const countOf = async (db: DbOrTx, q: SQL) => Number((await rows<{ n: number }>(db, q))[0]?.n ?? 0);

/**
 * The to-dos of the caller's roles: one entry per kind of work a permission gives (count 0 when
 * nothing waits), counted inside that permission's scope; failed imports of my own when any.
 */
async function myTodos(db: DbOrTx, auth: AuthContext, monthFrom: string): Promise<Todo[]> {
  const now = clock.now();
  const out: Promise<Todo | null>[] = [];
  const scoped = (perm: Parameters<typeof scopePaths>[1]) => scopePaths(auth, perm);
  const add = (paths: string[], kind: Todo['kind'], link: string, q: (inScope: SQL) => SQL) => {
    if (paths.length) out.push(countOf(db, q(inPaths(sql`n.path`, paths))).then((count) => ({ kind, count, link })));
  };
  add(
    scoped('objection.answer'),
    'objections',
    '/objections?status=open',
    (inScope) => sql`SELECT count(*)::int AS n FROM objections o JOIN org_nodes n ON n.id = o.node_id WHERE o.status = 'open' AND ${inScope}`,
  );
  for (const action of ['publish', 'submit', 'audit', 'approve'] as const) {
    const t = TRANSITIONS[action];
    // A month is published once it has ended; submitted once its objection window has closed.
    const due = action === 'publish' ? sql`AND p.period < ${monthFrom}::date` : action === 'submit' ? sql`AND p.window_closes_at <= ${now.toISOString()}::timestamptz` : sql``;
    add(scoped(t.permission), action, '/periods', (inScope) => sql`SELECT count(*)::int AS n FROM periods p JOIN org_nodes n ON n.id = p.node_id WHERE p.state = ${t.from} ${due} AND ${inScope}`);
  }
  add(
    scoped('period.audit'),
    'samples',
    '/periods',
    (inScope) => sql`SELECT count(*)::int AS n FROM spot_check_items i JOIN spot_checks c ON c.id = i.spot_check_id JOIN org_nodes n ON n.id = c.node_id
                     JOIN periods p ON p.node_id = c.node_id AND p.period = c.period
                     WHERE i.result = 'pending' AND p.state = 'submitted' AND ${inScope}`,
  );
  add(
    scoped('target.review'),
    'nominations',
    '/targets/review',
    (inScope) => sql`SELECT count(*)::int AS n FROM target_nominations t JOIN org_nodes n ON n.id = t.node_id WHERE t.status = 'nominated' AND ${inScope}`,
  );
  const since = new Date(now.getTime() - IMPORT_DAYS * 86_400_000).toISOString();
  out.push(
    countOf(db, sql`SELECT count(*)::int AS n FROM imports WHERE created_by = ${auth.staffId} AND status = 'failed' AND created_at >= ${since}::timestamptz`).then((count) =>
      count > 0 ? { kind: 'imports' as const, count, link: '/imports' } : null,
    ),
  );
  return (await Promise.all(out)).filter((x): x is Todo => x !== null);
}
