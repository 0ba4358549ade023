import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, preparedRows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { nextMonthStart } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { pts } from '../scoring/split.service.js';
import { completionStatement } from '../quotas/completion.js';
import { admitBranch, inBranchScope, scopedBranch } from '../quotas/quotas.policy.js';
import { fmtQty } from '../quotas/quotas.service.js';
import { completionBp, type MonthRange, periodRange, rankByPoints, reached, shareBp } from './dashboards.rules.js';
import type { BoardQueryT, CompletionOutT, DrillOutT, DrillQueryT, RankingsOutT, TrendOutT } from './dashboards.schemas.js';
import { assertOnline, yearOf } from '../../db/partitions.js';

/**
 * Every board is ONE statement (decision 0053): the branch (for the response and the scope check),
 * the figures from the maintained totals and the names they need, as JSON columns of one row. The
 * scope is checked on the branch the statement read, before anything is built from the rest.
 */

/** The filter's months, or 400 DASHBOARD.BAD_PERIOD. */
export function rangeOf(q: { year?: number; from?: string; to?: string }): MonthRange {
  const r = periodRange(q);
  if (!r) throw new AppError('DASHBOARD.BAD_PERIOD');
  return r;
}
const periodOut = (r: MonthRange) => ({ from: r.from, to: r.to, months: r.months });
const nodeOut = (n: BranchRow) => ({ id: n.id, code: n.code, name: n.name });
/** statement_totals / ledger periods of the range (first days of the months). */
const periodsSql = (r: MonthRange, col: SQL) => sql`${col} >= ${`${r.from}-01`}::date AND ${col} <= ${`${r.to}-01`}::date`;

/** The board's branch as its statement reads it. */
interface BranchRow {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}
/** Who reads: the caller (scope checked on the branch the statement reads) or a branch already checked. */
type Reader = { auth: AuthContext } | { node: BranchRow };
const asReader = (x: AuthContext | BranchRow): Reader => ('staffId' in x ? { auth: x } : { node: x });
const branchCte = (nodeId: number) => sql`SELECT id, code, name, level, path FROM org_nodes WHERE id = ${nodeId}`;

/** The branch of the statement's row, after scopedBranch's checks (404, 400, 403) for a caller. */
function admitted(who: Reader, read: BranchRow | null): BranchRow {
  return 'auth' in who ? admitBranch(who.auth, 'dashboard.read', read) : who.node;
}

/**
 * The filter's months. A bad period is reported after the branch's own checks, as when the branch
 * was read first (one more statement, on the error path only).
 */
async function rangeFor(db: DbOrTx, who: Reader, nodeId: number, q: { year?: number; from?: string; to?: string }, oneYear: boolean): Promise<MonthRange> {
  const r = periodRange(q);
  if (r && (!oneYear || r.from.slice(0, 4) === r.to.slice(0, 4))) {
    await assertOnline(db, yearOf(r.from), yearOf(r.to));
    return r;
  }
  if ('auth' in who) await scopedBranch(db, who.auth, 'dashboard.read', nodeId);
  rangeOf(q);
  throw new AppError('DASHBOARD.ONE_YEAR');
}

/** Runs a board's one statement: `WITH b AS (the branch), …ctes SELECT (branch) AS branch, …columns`. */
async function boardRow<T>(db: DbOrTx, nodeId: number | null, ctes: SQL[], columns: SQL): Promise<T & { branch: BranchRow | null }> {
  const withs = nodeId === null ? ctes : [sql`b AS (${branchCte(nodeId)})`, ...ctes];
  const branch = nodeId === null ? sql`NULL::json` : sql`(SELECT row_to_json(b) FROM b)`;
  const [row] = await preparedRows<T & { branch: BranchRow | null }>(db, sql`${withs.length ? sql`WITH ${sql.join(withs, sql`, `)}` : sql``} SELECT ${branch} AS branch, ${columns}`);
  return row;
}

// ---- completion against quota --------------------------------------------------------------------

interface QuotaJson {
  id: number;
  department_id: number;
  dept_code: string;
  dept_name: string;
  product_id: number;
  product_code: string;
  product_name: string;
  line_code: string;
  unit: string;
  staff_id: number | null;
  staff_no: string | null;
  staff_name: string | null;
  outlet_node_id: number | null;
  outlet_name: string | null;
  quantity_1e4: number | string;
}
interface FactJson {
  grain: 'D' | 'P' | 'O';
  department_id: number;
  product_id: number;
  k: number;
  qty: number | string;
  sales: number;
}
type Named = { id: number; code: string; name: string };

/**
 * Completion by department × product against the year's quota (SPEC §10), plus person and outlet
 * quotas where the branch set them. Completion comes from completion_totals (quotas/completion.ts)
 * over the filter's months; percentages against the yearly quota, floored to the basis point.
 * One statement: the branch, the plan's state, the quotas with their names, the completion facts
 * (people and outlets: those the quotas name) and the names of departments and products with
 * completion (for the rows without a quota).
 */
export async function completionBoard(db: DbOrTx, by: AuthContext | BranchRow, q: BoardQueryT): Promise<CompletionOutT> {
  const who = asReader(by);
  const nodeId = 'node' in who ? who.node.id : q.nodeId;
  const r = await rangeFor(db, who, nodeId, q, true);
  const year = Number(r.from.slice(0, 4));
  const lineCode = q.lineCode ?? null;
  const facts = completionStatement({
    nodeId,
    from: `${r.from}-01`,
    to: nextMonthStart(r.to),
    lineCode,
    staffKeys: sql`SELECT staff_id FROM ql WHERE staff_id IS NOT NULL`,
    outletKeys: sql`SELECT outlet_node_id FROM ql WHERE outlet_node_id IS NOT NULL`,
  });
  const row = await boardRow<{
    plan: { state: 'draft' | 'approved'; approved_version: number } | null;
    quotas: QuotaJson[] | null;
    facts: FactJson[] | null;
    depts: Named[] | null;
    prods: (Named & { line_code: string; unit: string })[] | null;
  }>(
    db,
    nodeId,
    [
      sql`ql AS (SELECT q.id, q.department_id, d.code AS dept_code, d.name AS dept_name, q.product_id, p.code AS product_code, p.name AS product_name, p.line_code, p.unit,
                        q.staff_id, st.staff_no, st.name AS staff_name, q.outlet_node_id, o.name AS outlet_name, q.quantity_1e4
                 FROM quotas q JOIN departments d ON d.id = q.department_id JOIN products p ON p.id = q.product_id
                 LEFT JOIN staff st ON st.id = q.staff_id LEFT JOIN org_nodes o ON o.id = q.outlet_node_id
                 WHERE q.node_id = ${nodeId} AND q.year = ${year} ${lineCode ? sql`AND p.line_code = ${lineCode}` : sql``})`,
      sql`f AS (${facts})`,
    ],
    sql`(SELECT row_to_json(x) FROM (SELECT state, approved_version FROM quota_plans WHERE node_id = ${nodeId} AND year = ${year}) x) AS plan,
        (SELECT json_agg(ql ORDER BY ql.dept_code, ql.product_code, ql.staff_id NULLS FIRST, ql.outlet_node_id NULLS FIRST, ql.id) FROM ql) AS quotas,
        (SELECT json_agg(f) FROM f) AS facts,
        (SELECT json_agg(x) FROM (SELECT id, code, name FROM departments WHERE id IN (SELECT department_id FROM f WHERE grain = 'D')) x) AS depts,
        (SELECT json_agg(x) FROM (SELECT id, code, name, line_code, unit FROM products WHERE id IN (SELECT product_id FROM f WHERE grain = 'D')) x) AS prods`,
  );
  const node = admitted(who, row.branch);
  const list = row.quotas ?? [];
  const factOf = new Map((row.facts ?? []).map((f) => [`${f.grain}/${f.department_id}/${f.product_id}/${f.k}`, f]));
  const rowsOut: CompletionOutT['rows'] = list.map((x) => {
    const key =
      x.staff_id !== null
        ? `P/${x.department_id}/${x.product_id}/${x.staff_id}`
        : x.outlet_node_id !== null
          ? `O/${x.department_id}/${x.product_id}/${x.outlet_node_id}`
          : `D/${x.department_id}/${x.product_id}/0`;
    const f = factOf.get(key);
    const done = f ? Number(f.qty) : 0;
    const quota1e4 = Number(x.quantity_1e4);
    return {
      quotaId: x.id,
      departmentId: x.department_id,
      departmentCode: x.dept_code,
      departmentName: x.dept_name,
      productId: x.product_id,
      productCode: x.product_code,
      productName: x.product_name,
      lineCode: x.line_code,
      unit: x.unit,
      staffId: x.staff_id,
      staffNo: x.staff_no,
      staffName: x.staff_name,
      outletNodeId: x.outlet_node_id,
      outletName: x.outlet_name,
      quota: fmtQty(quota1e4),
      quota1e4,
      completion: fmtQty(done),
      completion1e4: done,
      sales: f ? Number(f.sales) : 0,
      completionBp: completionBp(done, quota1e4),
      reached50: reached(done, quota1e4, 5000),
      reached100: reached(done, quota1e4, 10_000),
    };
  });
  // Department × product completions without a quota: shown, without a percentage.
  const withQuota = new Set(list.filter((x) => x.staff_id === null && x.outlet_node_id === null).map((x) => `${x.department_id}/${x.product_id}`));
  const orphans = (row.facts ?? []).filter((f) => f.grain === 'D' && !withQuota.has(`${f.department_id}/${f.product_id}`));
  if (orphans.length) {
    const d = new Map((row.depts ?? []).map((x) => [x.id, x]));
    const p = new Map((row.prods ?? []).map((x) => [x.id, x]));
    for (const o of orphans) {
      const done = Number(o.qty);
      rowsOut.push({
        quotaId: null,
        departmentId: o.department_id,
        departmentCode: d.get(o.department_id)?.code ?? '',
        departmentName: d.get(o.department_id)?.name ?? '',
        productId: o.product_id,
        productCode: p.get(o.product_id)?.code ?? '',
        productName: p.get(o.product_id)?.name ?? '',
        lineCode: p.get(o.product_id)?.line_code ?? '',
        unit: p.get(o.product_id)?.unit ?? '',
        staffId: null,
        staffNo: null,
        staffName: null,
        outletNodeId: null,
        outletName: null,
        quota: null,
        quota1e4: null,
        completion: fmtQty(done),
        completion1e4: done,
        sales: Number(o.sales),
        completionBp: null,
        reached50: null,
        reached100: null,
      });
    }
    rowsOut.sort(
      (a, b) => a.departmentCode.localeCompare(b.departmentCode) || a.productCode.localeCompare(b.productCode) || (a.staffId ?? 0) - (b.staffId ?? 0) || (a.outletNodeId ?? 0) - (b.outletNodeId ?? 0),
    );
  }
  const summary = new Map<number, CompletionOutT['departments'][number]>();
  for (const x of rowsOut) {
    if (x.quotaId === null || x.staffId !== null || x.outletNodeId !== null) continue;
    const s = summary.get(x.departmentId) ?? { departmentId: x.departmentId, departmentCode: x.departmentCode, departmentName: x.departmentName, quotas: 0, reached50: 0, reached100: 0 };
    s.quotas += 1;
    if (x.reached50) s.reached50 += 1;
    if (x.reached100) s.reached100 += 1;
    summary.set(x.departmentId, s);
  }
  const plan = row.plan;
  return {
    node: nodeOut(node),
    year,
    period: periodOut(r),
    lineCode,
    plan: { state: plan?.state ?? 'draft', approvedVersion: plan ? Number(plan.approved_version) : 0 },
    rows: rowsOut,
    departments: [...summary.values()].sort((a, b) => a.departmentCode.localeCompare(b.departmentCode)),
  };
}

// ---- points: rankings, trend, drill-down -------------------------------------------------------------

interface PointsBreakdown {
  source: 'statement_totals' | 'ledger';
  total: number;
  /** department id → points */
  departments: Map<number, number>;
  /** points per person and the department they were credited in */
  people: { staffId: number; departmentId: number; pts: number }[];
}

/**
 * Points of a branch over the months of the filter, by department and by person, as a CTE `pb`
 * (`pbOf` reads its JSON back). Without a line filter they come from statement_totals (grains B,
 * D, P — what the monthly statements show); with one, from product_points_totals (the ledger's
 * lines per department × person × product, kept as it is written — decision 0018; `source` stays
 * 'ledger': the same figures the ledger sums to). Both by the month an entry was written in, as
 * the statements count them. `depts` / `staff`: subqueries naming the ids the breakdown holds.
 */
function pointsCte(nodeId: number, r: MonthRange, lineCode: string | null) {
  if (!lineCode)
    return {
      cte: sql`pb AS (SELECT grain AS g, k1, k2, sum(points_hundredths)::bigint AS pts FROM statement_totals
                      WHERE node_id = ${nodeId} AND ${periodsSql(r, sql`period`)} AND grain IN ('B', 'D', 'P')
                      GROUP BY grain, k1, k2)`,
      depts: sql`SELECT k1 FROM pb WHERE g = 'D'`,
      staff: sql`SELECT k1 FROM pb WHERE g = 'P'`,
    };
  return {
    cte: sql`pb AS (SELECT 'L' AS g, t.department_id AS k1, nullif(t.staff_id, 0) AS k2, sum(t.points_hundredths)::bigint AS pts
                    FROM product_points_totals t
                    WHERE t.node_id = ${nodeId} AND ${periodsSql(r, sql`t.period`)} AND t.product_id IN (SELECT id FROM products WHERE line_code = ${lineCode})
                    GROUP BY t.department_id, t.staff_id)`,
    depts: sql`SELECT k1 FROM pb`,
    staff: sql`SELECT k2 FROM pb WHERE k2 IS NOT NULL`,
  };
}
const pbColumn = sql`(SELECT json_agg(json_build_array(g, k1, k2, pts)) FROM pb) AS pb`;
type PbJson = [string, number, number | null, number | string][] | null;

function pbOf(t: PbJson, lineCode: string | null): PointsBreakdown {
  const l = t ?? [];
  if (!lineCode)
    return {
      source: 'statement_totals',
      total: l.filter((x) => x[0] === 'B').reduce((s, x) => s + Number(x[3]), 0),
      departments: new Map(l.filter((x) => x[0] === 'D' && Number(x[3]) !== 0).map((x) => [Number(x[1]), Number(x[3])])),
      people: l.filter((x) => x[0] === 'P' && Number(x[3]) !== 0).map((x) => ({ staffId: Number(x[1]), departmentId: Number(x[2]), pts: Number(x[3]) })),
    };
  const departments = new Map<number, number>();
  for (const x of l) departments.set(Number(x[1]), (departments.get(Number(x[1])) ?? 0) + Number(x[3]));
  for (const [k, v] of departments) if (v === 0) departments.delete(k);
  return {
    source: 'ledger',
    total: l.reduce((s, x) => s + Number(x[3]), 0),
    departments,
    people: l.filter((x) => x[2] !== null && Number(x[3]) !== 0).map((x) => ({ staffId: Number(x[2]), departmentId: Number(x[1]), pts: Number(x[3]) })),
  };
}

const namesOf = (list: Named[] | null) => new Map((list ?? []).map((d) => [d.id, d]));

/** Rankings of departments and people by points (销售PK, SPEC §10, §13). One statement: branch, points, names. */
export async function rankings(db: DbOrTx, by: AuthContext | BranchRow, q: BoardQueryT & { limit?: number }): Promise<RankingsOutT> {
  const who = asReader(by);
  const nodeId = 'node' in who ? who.node.id : q.nodeId;
  const r = await rangeFor(db, who, nodeId, q, false);
  const lineCode = q.lineCode ?? null;
  const p = pointsCte(nodeId, r, lineCode);
  const row = await boardRow<{ pb: PbJson; depts: Named[] | null; people: { id: number; staff_no: string; name: string; dept: string | null; node_name: string }[] | null }>(
    db,
    nodeId,
    [p.cte],
    sql`${pbColumn},
        (SELECT json_agg(x) FROM (SELECT id, code, name FROM departments WHERE id IN (${p.depts})) x) AS depts,
        (SELECT json_agg(x) FROM (SELECT s.id, s.staff_no, s.name, d.name AS dept, n.name AS node_name FROM staff s JOIN org_nodes n ON n.id = s.node_id
                                  LEFT JOIN departments d ON d.id = s.department_id WHERE s.id IN (${p.staff})) x) AS people`,
  );
  const node = admitted(who, row.branch);
  const b = pbOf(row.pb, lineCode);
  const perPerson = new Map<number, number>();
  for (const x of b.people) perPerson.set(x.staffId, (perPerson.get(x.staffId) ?? 0) + x.pts);
  const depts = namesOf(row.depts);
  const staffOf = new Map((row.people ?? []).map((x) => [x.id, x]));
  const deptRanks = rankByPoints([...b.departments.entries()].map(([id, h]) => ({ id, pointsHundredths: h })));
  const peopleRanks = rankByPoints([...perPerson.entries()].map(([id, h]) => ({ id, pointsHundredths: h }))).slice(0, q.limit ?? 100);
  return {
    node: nodeOut(node),
    period: periodOut(r),
    lineCode,
    source: b.source,
    total: pts(b.total),
    departments: deptRanks.map((x) => ({ rank: x.rank, departmentId: x.id, code: depts.get(x.id)?.code ?? '', name: depts.get(x.id)?.name ?? '', ...pts(x.pointsHundredths) })),
    people: peopleRanks.map((x) => {
      const s = staffOf.get(x.id);
      return { rank: x.rank, staffId: x.id, staffNo: s?.staff_no ?? '', name: s?.name ?? '', departmentName: s?.dept ?? null, nodeName: s?.node_name ?? '', ...pts(x.pointsHundredths) };
    }),
  };
}

/** Points per month (trend), with the voided points and the sales of each month. One statement. */
export async function trend(db: DbOrTx, by: AuthContext | BranchRow, q: BoardQueryT): Promise<TrendOutT> {
  const who = asReader(by);
  const nodeId = 'node' in who ? who.node.id : q.nodeId;
  const r = await rangeFor(db, who, nodeId, q, false);
  const lineCode = q.lineCode ?? null;
  const grain = lineCode ? sql`grain = 'R' AND k1 IN (SELECT id FROM products WHERE line_code = ${lineCode})` : sql`grain = 'B'`;
  const row = await boardRow<{ t: [string, number | string, number | string, number | string][] | null }>(
    db,
    nodeId,
    [],
    sql`(SELECT json_agg(json_build_array(month, pts, voided, sales)) FROM (
          SELECT to_char(period, 'YYYY-MM') AS month, sum(points_hundredths)::bigint AS pts, sum(voided_hundredths)::bigint AS voided, sum(sales)::bigint AS sales
          FROM statement_totals WHERE node_id = ${nodeId} AND ${periodsSql(r, sql`period`)} AND ${grain}
          GROUP BY period) x) AS t`,
  );
  const node = admitted(who, row.branch);
  const byMonth = new Map((row.t ?? []).map((x) => [x[0], x]));
  const months = r.months.map((m) => {
    const x = byMonth.get(m);
    return { month: m, ...pts(Number(x?.[1] ?? 0)), voided: pts(Number(x?.[2] ?? 0)), sales: Number(x?.[3] ?? 0) };
  });
  return { node: nodeOut(node), period: periodOut(r), lineCode, months, total: pts(months.reduce((s, m) => s + m.pointsHundredths, 0)) };
}

/** Drill-down branch → departments → people (SPEC §10): each level adds up to the one above. One statement a level. */
export async function drill(db: DbOrTx, auth: AuthContext, q: DrillQueryT): Promise<DrillOutT> {
  // The period first, then the scope (as before: drill has always checked them in this order).
  const r = rangeOf(q);
  await assertOnline(db, yearOf(r.from), yearOf(r.to));
  const lineCode = q.lineCode ?? null;
  const item = (id: number, code: string, name: string, h: number, whole: number) => ({ id, code, name, ...pts(h), shareBp: shareBp(h, whole) });
  if (q.nodeId === undefined) {
    if (q.departmentId !== undefined) throw new AppError('REQUEST.INVALID', { departmentId: 'needs nodeId' });
    const grain = lineCode ? sql`t.grain = 'R' AND t.k1 IN (SELECT id FROM products WHERE line_code = ${lineCode})` : sql`t.grain = 'B'`;
    const list = await preparedRows<{ id: number; code: string; name: string; pts: number | string }>(
      db,
      sql`SELECT n.id, n.code, n.name, coalesce(sum(t.points_hundredths), 0)::bigint AS pts
          FROM org_nodes n LEFT JOIN statement_totals t ON t.node_id = n.id AND ${periodsSql(r, sql`t.period`)} AND ${grain}
          WHERE n.level IN ('province', 'branch') AND n.active AND ${inBranchScope(auth, 'dashboard.read', sql`n.path`)}
          GROUP BY n.id, n.code, n.name, n.path ORDER BY n.path`,
    );
    const total = list.reduce((s, x) => s + Number(x.pts), 0);
    const items = rankByPoints(list.map((x) => ({ id: x.id, pointsHundredths: Number(x.pts) }))).map((x) => {
      const n = list.find((y) => y.id === x.id)!;
      return item(n.id, n.code, n.name, x.pointsHundredths, total);
    });
    return { level: 'branches', period: periodOut(r), lineCode, node: null, department: null, total: pts(total), departmentLevel: null, items };
  }
  const who: Reader = { auth };
  const p = pointsCte(q.nodeId, r, lineCode);
  const deptId = q.departmentId;
  const row = await boardRow<{ pb: PbJson; depts: Named[] | null; dept: Named | null; staff: { id: number; staff_no: string; name: string }[] | null }>(
    db,
    q.nodeId,
    [p.cte],
    deptId === undefined
      ? sql`${pbColumn}, (SELECT json_agg(x) FROM (SELECT id, code, name FROM departments WHERE id IN (${p.depts})) x) AS depts`
      : sql`${pbColumn},
            (SELECT row_to_json(x) FROM (SELECT id, code, name FROM departments WHERE id = ${deptId} AND node_id = ${q.nodeId}) x) AS dept,
            (SELECT json_agg(x) FROM (SELECT id, staff_no, name FROM staff WHERE id IN (${p.staff})) x) AS staff`,
  );
  const node = admitted(who, row.branch);
  const b = pbOf(row.pb, lineCode);
  if (deptId === undefined) {
    const names = namesOf(row.depts);
    const items = rankByPoints([...b.departments.entries()].map(([id, h]) => ({ id, pointsHundredths: h }))).map((x) =>
      item(x.id, names.get(x.id)?.code ?? '', names.get(x.id)?.name ?? '', x.pointsHundredths, b.total),
    );
    return { level: 'departments', period: periodOut(r), lineCode, node: nodeOut(node), department: null, total: pts(b.total), departmentLevel: null, items };
  }
  const dept = row.dept;
  if (!dept) throw new AppError('DEPT.NOT_FOUND');
  const deptTotal = b.departments.get(dept.id) ?? 0;
  const mine = b.people.filter((x) => x.departmentId === dept.id);
  const staffOf = new Map((row.staff ?? []).map((s) => [s.id, s]));
  const items = rankByPoints(mine.map((x) => ({ id: x.staffId, pointsHundredths: x.pts }))).map((x) =>
    item(x.id, staffOf.get(x.id)?.staff_no ?? '', staffOf.get(x.id)?.name ?? '', x.pointsHundredths, deptTotal),
  );
  const peopleSum = mine.reduce((s, x) => s + x.pts, 0);
  return {
    level: 'people',
    period: periodOut(r),
    lineCode,
    node: nodeOut(node),
    department: { id: dept.id, code: dept.code, name: dept.name },
    total: pts(deptTotal),
    departmentLevel: pts(deptTotal - peopleSum),
    items,
  };
}
