/**
 * TESTS ONLY — the dashboards' reads as they were before decision 0053 (one statement per board):
 * scope first (scopedBranch), then 2–6 statements per board. dashboards.same.db.test.ts compares
 * every board of the new service with these, JSON for JSON, on a seeded year.
 */
import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { nextMonthStart } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import type { OrgNode } from '../org/org.queries.js';
import { pts } from '../scoring/split.service.js';
import { completionFacts } from '../quotas/completion.js';
import { inBranchScope, scopedBranch } from '../quotas/quotas.policy.js';
import { fmtQty, quotaRows } from '../quotas/quotas.service.js';
import { completionBp, type MonthRange, periodRange, rankByPoints, reached, shareBp } from './dashboards.rules.js';
import type { BoardQueryT, CompletionOutT, DrillOutT, DrillQueryT, RankingsOutT, TrendOutT } from './dashboards.schemas.js';

/** The filter's months, or 400 DASHBOARD.BAD_PERIOD. */
export function rangeOf(q: { year?: number; from?: string; to?: string }): MonthRange {
  const r = periodRange(q);
  if (!r) throw new AppError('DASHBOARD.BAD_PERIOD');
  return r;
}
const periodOut = (r: MonthRange) => ({ from: r.from, to: r.to, months: r.months });
const nodeOut = (n: OrgNode) => ({ id: n.id, code: n.code, name: n.name });
/** statement_totals / ledger periods of the range (first days of the months). */
const periodsSql = (r: MonthRange, col: SQL) => sql`${col} >= ${`${r.from}-01`}::date AND ${col} <= ${`${r.to}-01`}::date`;

// ---- completion against quota --------------------------------------------------------------------

/**
 * Completion by department × product against the year's quota (SPEC §10), plus person and outlet
 * quotas where the branch set them. Completion is computed on read (quotas/completion.ts) over the
 * filter's months; percentages against the yearly quota, floored to the basis point.
 */
export async function completionBoard(db: DbOrTx, node: OrgNode, q: BoardQueryT): Promise<CompletionOutT> {
  const r = rangeOf(q);
  const year = Number(r.from.slice(0, 4));
  if (Number(r.to.slice(0, 4)) !== year) throw new AppError('DASHBOARD.ONE_YEAR');
  const lineCode = q.lineCode ?? null;
  // The plan's state only (not planView's version history): one small read, beside the quotas.
  const [list, [plan]] = await Promise.all([
    quotaRows(db, sql`q.node_id = ${node.id} AND q.year = ${year} ${lineCode ? sql`AND p.line_code = ${lineCode}` : sql``}`),
    rows<{ state: 'draft' | 'approved'; approved_version: number }>(db, sql`SELECT state, approved_version FROM quota_plans WHERE node_id = ${node.id} AND year = ${year}`),
  ]);
  const facts = await completionFacts(db, {
    nodeId: node.id,
    from: `${r.from}-01`,
    to: nextMonthStart(r.to),
    lineCode,
    staffIds: list.filter((x) => x.staffId !== null).map((x) => x.staffId!),
    outletIds: list.filter((x) => x.outletNodeId !== null).map((x) => x.outletNodeId!),
  });
  const factOf = new Map(facts.map((f) => [`${f.grain}/${f.departmentId}/${f.productId}/${f.k}`, f]));
  const rowsOut: CompletionOutT['rows'] = list.map((x) => {
    const key =
      x.staffId !== null
        ? `P/${x.departmentId}/${x.productId}/${x.staffId}`
        : x.outletNodeId !== null
          ? `O/${x.departmentId}/${x.productId}/${x.outletNodeId}`
          : `D/${x.departmentId}/${x.productId}/0`;
    const f = factOf.get(key);
    const done = f?.quantity1e4 ?? 0;
    return {
      quotaId: x.id,
      departmentId: x.departmentId,
      departmentCode: x.departmentCode,
      departmentName: x.departmentName,
      productId: x.productId,
      productCode: x.productCode,
      productName: x.productName,
      lineCode: x.lineCode,
      unit: x.unit,
      staffId: x.staffId,
      staffNo: x.staffNo,
      staffName: x.staffName,
      outletNodeId: x.outletNodeId,
      outletName: x.outletName,
      quota: x.quantity,
      quota1e4: x.quantity1e4,
      completion: fmtQty(done),
      completion1e4: done,
      sales: f?.sales ?? 0,
      completionBp: completionBp(done, x.quantity1e4),
      reached50: reached(done, x.quantity1e4, 5000),
      reached100: reached(done, x.quantity1e4, 10_000),
    };
  });
  // Department × product completions without a quota: shown, without a percentage.
  const withQuota = new Set(list.filter((x) => x.staffId === null && x.outletNodeId === null).map((x) => `${x.departmentId}/${x.productId}`));
  const orphans = facts.filter((f) => f.grain === 'D' && !withQuota.has(`${f.departmentId}/${f.productId}`));
  if (orphans.length) {
    const idList = (xs: number[]) => `{${[...new Set(xs)].join(',')}}`;
    const [depts, prods] = await Promise.all([
      rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM departments WHERE id = ANY(${idList(orphans.map((o) => o.departmentId))}::int[])`),
      rows<{ id: number; code: string; name: string; line_code: string; unit: string }>(
        db,
        sql`SELECT id, code, name, line_code, unit FROM products WHERE id = ANY(${idList(orphans.map((o) => o.productId))}::int[])`,
      ),
    ]);
    const d = new Map(depts.map((x) => [x.id, x]));
    const p = new Map(prods.map((x) => [x.id, x]));
    for (const o of orphans) {
      rowsOut.push({
        quotaId: null,
        departmentId: o.departmentId,
        departmentCode: d.get(o.departmentId)?.code ?? '',
        departmentName: d.get(o.departmentId)?.name ?? '',
        productId: o.productId,
        productCode: p.get(o.productId)?.code ?? '',
        productName: p.get(o.productId)?.name ?? '',
        lineCode: p.get(o.productId)?.line_code ?? '',
        unit: p.get(o.productId)?.unit ?? '',
        staffId: null,
        staffNo: null,
        staffName: null,
        outletNodeId: null,
        outletName: null,
        quota: null,
        quota1e4: null,
        completion: fmtQty(o.quantity1e4),
        completion1e4: o.quantity1e4,
        sales: o.sales,
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
 * Points of a branch over the months of the filter, by department and by person. Without a line
 * filter they come from statement_totals (grains B, D, P — what the monthly statements show);
 * with one, from product_points_totals (the ledger's lines per department × person × product,
 * kept as it is written — decision 0018; `source` stays 'ledger': the same figures the ledger
 * sums to). Both by the month an entry was written in, as the statements count them.
 */
async function pointsBreakdown(db: DbOrTx, nodeId: number, r: MonthRange, lineCode: string | null): Promise<PointsBreakdown> {
  if (!lineCode) {
    const t = await rows<{ grain: 'B' | 'D' | 'P'; k1: number; k2: number; pts: number | string }>(
      db,
      sql`SELECT grain, k1, k2, sum(points_hundredths)::bigint AS pts FROM statement_totals
          WHERE node_id = ${nodeId} AND ${periodsSql(r, sql`period`)} AND grain IN ('B', 'D', 'P')
          GROUP BY grain, k1, k2`,
    );
    return {
      source: 'statement_totals',
      total: t.filter((x) => x.grain === 'B').reduce((s, x) => s + Number(x.pts), 0),
      departments: new Map(t.filter((x) => x.grain === 'D' && Number(x.pts) !== 0).map((x) => [Number(x.k1), Number(x.pts)])),
      people: t.filter((x) => x.grain === 'P' && Number(x.pts) !== 0).map((x) => ({ staffId: Number(x.k1), departmentId: Number(x.k2), pts: Number(x.pts) })),
    };
  }
  const l = await rows<{ department_id: number; staff_id: number | null; pts: number | string }>(
    db,
    sql`SELECT t.department_id, nullif(t.staff_id, 0) AS staff_id, sum(t.points_hundredths)::bigint AS pts
        FROM product_points_totals t
        WHERE t.node_id = ${nodeId} AND ${periodsSql(r, sql`t.period`)} AND t.product_id IN (SELECT id FROM products WHERE line_code = ${lineCode})
        GROUP BY t.department_id, t.staff_id`,
  );
  const departments = new Map<number, number>();
  for (const x of l) departments.set(Number(x.department_id), (departments.get(Number(x.department_id)) ?? 0) + Number(x.pts));
  for (const [k, v] of departments) if (v === 0) departments.delete(k);
  return {
    source: 'ledger',
    total: l.reduce((s, x) => s + Number(x.pts), 0),
    departments,
    people: l.filter((x) => x.staff_id !== null && Number(x.pts) !== 0).map((x) => ({ staffId: Number(x.staff_id), departmentId: Number(x.department_id), pts: Number(x.pts) })),
  };
}

const idList = (xs: number[]) => `{${[...new Set(xs)].join(',')}}`;

async function departmentNames(db: DbOrTx, ids: number[]) {
  return new Map((await rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM departments WHERE id = ANY(${idList(ids)}::int[])`)).map((d) => [d.id, d]));
}

/** Rankings of departments and people by points (销售PK, SPEC §10, §13). */
export async function rankings(db: DbOrTx, node: OrgNode, q: BoardQueryT & { limit?: number }): Promise<RankingsOutT> {
  const r = rangeOf(q);
  const lineCode = q.lineCode ?? null;
  const b = await pointsBreakdown(db, node.id, r, lineCode);
  const perPerson = new Map<number, number>();
  for (const p of b.people) perPerson.set(p.staffId, (perPerson.get(p.staffId) ?? 0) + p.pts);
  const [depts, people] = await Promise.all([
    departmentNames(db, [...b.departments.keys()]),
    rows<{ id: number; staff_no: string; name: string; dept: string | null; node_name: string }>(
      db,
      sql`SELECT s.id, s.staff_no, s.name, d.name AS dept, n.name AS node_name FROM staff s JOIN org_nodes n ON n.id = s.node_id
          LEFT JOIN departments d ON d.id = s.department_id WHERE s.id = ANY(${idList([...perPerson.keys()])}::int[])`,
    ),
  ]);
  const staffOf = new Map(people.map((p) => [p.id, p]));
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

/** Points per month (trend), with the voided points and the sales of each month. */
export async function trend(db: DbOrTx, node: OrgNode, q: BoardQueryT): Promise<TrendOutT> {
  const r = rangeOf(q);
  const lineCode = q.lineCode ?? null;
  const grain = lineCode ? sql`grain = 'R' AND k1 IN (SELECT id FROM products WHERE line_code = ${lineCode})` : sql`grain = 'B'`;
  const t = await rows<{ month: string; pts: number | string; voided: number | string; sales: number | string }>(
    db,
    sql`SELECT to_char(period, 'YYYY-MM') AS month, sum(points_hundredths)::bigint AS pts, sum(voided_hundredths)::bigint AS voided, sum(sales)::bigint AS sales
        FROM statement_totals WHERE node_id = ${node.id} AND ${periodsSql(r, sql`period`)} AND ${grain}
        GROUP BY period`,
  );
  const byMonth = new Map(t.map((x) => [x.month, x]));
  const months = r.months.map((m) => {
    const x = byMonth.get(m);
    return { month: m, ...pts(Number(x?.pts ?? 0)), voided: pts(Number(x?.voided ?? 0)), sales: Number(x?.sales ?? 0) };
  });
  return { node: nodeOut(node), period: periodOut(r), lineCode, months, total: pts(months.reduce((s, m) => s + m.pointsHundredths, 0)) };
}

/** Drill-down branch → departments → people (SPEC §10): each level adds up to the one above. */
export async function drill(db: DbOrTx, auth: AuthContext, q: DrillQueryT): Promise<DrillOutT> {
  const r = rangeOf(q);
  const lineCode = q.lineCode ?? null;
  const item = (id: number, code: string, name: string, h: number, whole: number) => ({ id, code, name, ...pts(h), shareBp: shareBp(h, whole) });
  if (q.nodeId === undefined) {
    if (q.departmentId !== undefined) throw new AppError('REQUEST.INVALID', { departmentId: 'needs nodeId' });
    const grain = lineCode ? sql`t.grain = 'R' AND t.k1 IN (SELECT id FROM products WHERE line_code = ${lineCode})` : sql`t.grain = 'B'`;
    const list = await rows<{ id: number; code: string; name: string; pts: number | string }>(
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
  const node = await scopedBranch(db, auth, 'dashboard.read', q.nodeId);
  const b = await pointsBreakdown(db, node.id, r, lineCode);
  if (q.departmentId === undefined) {
    const names = await departmentNames(db, [...b.departments.keys()]);
    const items = rankByPoints([...b.departments.entries()].map(([id, h]) => ({ id, pointsHundredths: h }))).map((x) =>
      item(x.id, names.get(x.id)?.code ?? '', names.get(x.id)?.name ?? '', x.pointsHundredths, b.total),
    );
    return { level: 'departments', period: periodOut(r), lineCode, node: nodeOut(node), department: null, total: pts(b.total), departmentLevel: null, items };
  }
  const [dept] = await rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM departments WHERE id = ${q.departmentId} AND node_id = ${node.id}`);
  if (!dept) throw new AppError('DEPT.NOT_FOUND');
  const deptTotal = b.departments.get(dept.id) ?? 0;
  const mine = b.people.filter((p) => p.departmentId === dept.id);
  const staff = await rows<{ id: number; staff_no: string; name: string }>(db, sql`SELECT id, staff_no, name FROM staff WHERE id = ANY(${idList(mine.map((p) => p.staffId))}::int[])`);
  const staffOf = new Map(staff.map((s) => [s.id, s]));
  const items = rankByPoints(mine.map((p) => ({ id: p.staffId, pointsHundredths: p.pts }))).map((x) =>
    item(x.id, staffOf.get(x.id)?.staff_no ?? '', staffOf.get(x.id)?.name ?? '', x.pointsHundredths, deptTotal),
  );
  const peopleSum = mine.reduce((s, p) => s + p.pts, 0);
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
