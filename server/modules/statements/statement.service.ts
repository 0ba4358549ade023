import { type SQL, sql } from 'drizzle-orm';
import { allOf, type Db, type DbOrTx, rows } from '../../db/client.js';
import { monthState } from '../../db/period-lock.js';
import type { PeriodState } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { getNodeOr404, type OrgNode } from '../org/org.queries.js';
import { holdsDepartments } from '../org/org.rules.js';
import { recomputePeriod, type ScoreResult } from '../scoring/ledger.service.js';
import { householdRatioBp, mortgageVerdict, periodEnd, periodOf } from '../scoring/scoring.rules.js';
import { type Points, pts, saleSplits, type SaleSplit } from '../scoring/split.service.js';
import { assertOnline, yearOf } from '../../db/partitions.js';

/** The draft statement of one branch and month (SPEC §9 step 1): every figure from the ledger. */
export interface Statement {
  node: { id: number; code: string; name: string };
  month: string;
  period: string;
  /** The month's real state (草稿 … 已锁定): the page says it and offers no recompute once locked. */
  state: PeriodState;
  totals: { total: Points; voided: Points; departmentLevel: Points; people: Points; sales: number };
  // Every line carries the branch's 机构号 (branchCode) and the codes of what it names (issue 18 part 5).
  departments: (Points & { branchCode: string; departmentId: number; code: string; name: string; voided: Points; sales: number })[];
  people: (Points & {
    branchCode: string;
    staffId: number;
    staffNo: string;
    name: string;
    departmentId: number;
    departmentCode: string;
    departmentName: string;
    roles: string[];
    voided: Points;
    sales: number;
  })[];
  projects: (Points & { branchCode: string; projectId: number | null; projectName: string | null; voided: Points; sales: number })[];
  products: (Points & { branchCode: string; productId: number; code: string; name: string; unit: string; voided: Points; sales: number })[];
  /** Corrections of locked months written into this month (SPEC §9.5), one line per sale and person. */
  adjustments: AdjustmentLine[];
  /** Corrections of this month (once locked) written into later months. */
  laterAdjustments: AdjustmentLine[];
  developments: {
    branchCode: string;
    developmentId: number;
    code: string;
    name: string;
    lenderMode: 'sole' | 'partial';
    thresholdBp: number | null;
    ratioBp: number | null;
    totalHouseholds: number | null;
    bankHouseholds: number | null;
    asOf: string | null;
    verdict: 'pass' | 'void';
    reason: string;
    mortgageSales: number;
    points: Points;
    voided: Points;
  }[];
}

/** The branch a statement is drawn for (province or tier-2 branch), or 404/400. */
export async function statementNode(db: DbOrTx, nodeId: number): Promise<OrgNode> {
  const node = await getNodeOr404(db, nodeId);
  if (!holdsDepartments(node.level) || node.level === 'head') throw new AppError('STATEMENT.NOT_A_BRANCH');
  return node;
}

export function monthPeriod(month: string): string {
  try {
    return periodOf(month);
  } catch {
    throw new AppError('STATEMENT.BAD_MONTH');
  }
}

/**
 * Re-scores a branch's month (only reversals and new entries are appended), audited when anything
 * was written: the console's recompute and the CLI's `settle --recompute` both run this.
 */
export async function recomputeStatement(db: Db, actor: Actor, node: OrgNode, month: string): Promise<ScoreResult> {
  const period = monthPeriod(month);
  return db.transaction(async (tx) => {
    // A locked month's figures are final (SPEC §9.6): re-scoring it would write its differences
    // into the open month behind the committee's back. Corrections go through their own paths.
    if ((await monthState(tx, node.id, period, { forUpdate: true })) === 'locked') throw new AppError('PERIOD.LOCKED');
    const r = await recomputePeriod(tx, { nodeId: node.id, period });
    if (r.entries > 0) await appendAudit(tx, actor, { action: 'statement.recompute', entity: 'statement', entityId: `${node.code}/${month}`, nodeId: node.id, after: r });
    return r;
  });
}

export interface AdjustmentLine extends Points {
  saleId: number;
  sourceId: string;
  /** The locked month corrected, YYYY-MM. */
  adjustsMonth: string;
  /** The month the correction was written into, YYYY-MM. */
  writtenMonth: string;
  branchCode: string;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  staffId: number | null;
  staffNo: string | null;
  staffName: string | null;
  voided: Points;
}

/** Adjustment entries of one branch, written into `period` or correcting it. */
async function adjustmentLines(db: DbOrTx, nodeId: number, where: SQL): Promise<AdjustmentLine[]> {
  const r = await rows<{
    sale_id: number;
    source_id: string;
    adjusts: string;
    written: string;
    branch_code: string;
    department_id: number;
    dept_code: string;
    dept_name: string;
    staff_id: number | null;
    staff_no: string | null;
    staff_name: string | null;
    pts: number;
    voided: number;
  }>(
    db,
    sql`SELECT e.sale_id, s.source_id, to_char(e.adjusts_period, 'YYYY-MM') AS adjusts, to_char(e.period, 'YYYY-MM') AS written,
               n.code AS branch_code, e.department_id, d.code AS dept_code, d.name AS dept_name, e.staff_id, st.staff_no, st.name AS staff_name,
               coalesce(sum(e.points_hundredths) FILTER (WHERE e.kind <> 'void'), 0)::bigint AS pts,
               coalesce(sum(e.points_hundredths) FILTER (WHERE e.kind = 'void'), 0)::bigint AS voided
        FROM ledger_entries e JOIN sales s ON s.id = e.sale_id JOIN departments d ON d.id = e.department_id JOIN org_nodes n ON n.id = e.node_id
        LEFT JOIN staff st ON st.id = e.staff_id
        WHERE e.node_id = ${nodeId} AND e.adjusts_period IS NOT NULL AND ${where}
        GROUP BY e.sale_id, s.source_id, e.adjusts_period, e.period, n.code, e.department_id, d.code, d.name, e.staff_id, st.staff_no, st.name
        ORDER BY e.adjusts_period, e.sale_id, e.department_id, e.staff_id NULLS FIRST`,
  );
  return r.map((a) => ({
    saleId: a.sale_id,
    sourceId: a.source_id,
    adjustsMonth: a.adjusts,
    writtenMonth: a.written,
    branchCode: a.branch_code,
    departmentId: a.department_id,
    departmentCode: a.dept_code,
    departmentName: a.dept_name,
    staffId: a.staff_id,
    staffNo: a.staff_no,
    staffName: a.staff_name,
    ...pts(a.pts),
    voided: pts(a.voided),
  }));
}

interface TotalRow {
  grain: 'B' | 'D' | 'P' | 'O' | 'J' | 'R' | 'V';
  k1: number;
  k2: number;
  role: string;
  pts: number;
  voided: number;
  sales: number;
}

/**
 * Builds the statement from statement_totals, which the scoring keeps in step with the ledger
 * (ledger.sql.ts): one small read per branch and month whatever the number of sales, plus the
 * names, the roles people played and the developments' figures.
 */
export async function draftStatement(db: DbOrTx, node: OrgNode, month: string): Promise<Statement> {
  const period = monthPeriod(month);
  await assertOnline(db, yearOf(period));
  const totals = (
    await rows<TotalRow>(
      db,
      sql`SELECT grain, k1, k2, role, points_hundredths AS pts, voided_hundredths AS voided, sales FROM statement_totals
          WHERE node_id = ${node.id} AND period = ${period}::date AND (points_hundredths <> 0 OR voided_hundredths <> 0 OR sales <> 0)`,
    )
  ).map((t) => ({ ...t, k1: Number(t.k1), k2: Number(t.k2), pts: Number(t.pts), voided: Number(t.voided), sales: Number(t.sales) }));
  const state = await monthState(db, node.id, period);
  const of = (g: TotalRow['grain']) => totals.filter((t) => t.grain === g);
  const idList = (xs: number[]) => `{${[...new Set(xs)].join(',')}}`;
  const [depts, staffRows, prods, devs, adjustments, laterAdjustments, projectRows] = await allOf(db, [
    () =>
      rows<{ id: number; code: string; name: string }>(
        db,
        sql`SELECT id, code, name FROM departments WHERE id = ANY(${idList([...of('D'), ...of('P')].map((t) => (t.grain === 'D' ? t.k1 : t.k2)))}::int[])`,
      ),
    () => rows<{ id: number; staff_no: string; name: string }>(db, sql`SELECT id, staff_no, name FROM staff WHERE id = ANY(${idList(of('P').map((t) => t.k1))}::int[])`),
    () => rows<{ id: number; code: string; name: string; unit: string }>(db, sql`SELECT id, code, name, unit FROM products WHERE id = ANY(${idList(of('R').map((t) => t.k1))}::int[])`),
    () =>
      rows<{
        id: number;
        code: string;
        name: string;
        lender_mode: 'sole' | 'partial';
        loan_share_bp: number | null;
        total_households: number | null;
        bank_households: number | null;
        as_of: string | null;
      }>(
        db,
        sql`SELECT d.id, d.code, d.name, d.lender_mode, d.loan_share_bp, f.total_households, f.bank_households, f.as_of::text AS as_of
          FROM developments d
          LEFT JOIN LATERAL (SELECT total_households, bank_households, as_of FROM development_figures
                             WHERE development_id = d.id AND as_of <= ${periodEnd(period)}::date ORDER BY as_of DESC LIMIT 1) f ON true
          WHERE d.node_id = ${node.id} OR d.id = ANY(${idList(of('V').map((t) => t.k1))}::int[])
          ORDER BY d.code`,
      ),
    () => adjustmentLines(db, node.id, sql`e.period = ${period}::date`),
    () => adjustmentLines(db, node.id, sql`e.adjusts_period = ${period}::date`),
    () => rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM projects WHERE id = ANY(${idList(of('J').map((t) => t.k1))}::int[])`),
  ]);
  const projectOf = new Map(projectRows.map((p) => [p.id, p.name]));
  const deptOf = new Map(depts.map((d) => [d.id, d]));
  const staffOf = new Map(staffRows.map((p) => [p.id, p]));
  const prodOf = new Map(prods.map((p) => [p.id, p]));
  // The roles each person played in each department this month (grain O: sales with a live line).
  const roleOf = new Map<string, string[]>();
  for (const o of of('O').filter((x) => x.sales > 0)) roleOf.set(`${o.k1}/${o.k2}`, [...(roleOf.get(`${o.k1}/${o.k2}`) ?? []), o.role].sort());
  const devAgg = new Map(of('V').map((t) => [t.k1, t]));
  const branch = of('B')[0];
  const total = branch?.pts ?? 0;
  const peopleTotal = of('P').reduce((a, t) => a + t.pts, 0);
  const byNumber = (a: number, b: number) => a - b;
  const branchCode = node.code;
  return {
    node: { id: node.id, code: node.code, name: node.name },
    month,
    period,
    state,
    totals: {
      total: pts(total),
      voided: pts(branch?.voided ?? 0),
      departmentLevel: pts(total - peopleTotal),
      people: pts(peopleTotal),
      sales: branch?.sales ?? 0,
    },
    departments: of('D')
      .sort((a, b) => byNumber(a.k1, b.k1))
      .map((t) => ({ branchCode, departmentId: t.k1, code: deptOf.get(t.k1)?.code ?? '', name: deptOf.get(t.k1)?.name ?? '', ...pts(t.pts), voided: pts(t.voided), sales: t.sales })),
    people: of('P')
      .sort((a, b) => byNumber(a.k2, b.k2) || byNumber(a.k1, b.k1))
      .map((t) => ({
        branchCode,
        staffId: t.k1,
        staffNo: staffOf.get(t.k1)?.staff_no ?? '',
        name: staffOf.get(t.k1)?.name ?? '',
        departmentId: t.k2,
        departmentCode: deptOf.get(t.k2)?.code ?? '',
        departmentName: deptOf.get(t.k2)?.name ?? '',
        roles: roleOf.get(`${t.k1}/${t.k2}`) ?? [],
        ...pts(t.pts),
        voided: pts(t.voided),
        sales: t.sales,
      })),
    // Sales without a project are kept under 0 and listed last.
    projects: of('J')
      .sort((a, b) => (a.k1 === 0 ? 1 : b.k1 === 0 ? -1 : byNumber(a.k1, b.k1)))
      .map((t) => ({ branchCode, projectId: t.k1 === 0 ? null : t.k1, projectName: projectOf.get(t.k1) ?? null, ...pts(t.pts), voided: pts(t.voided), sales: t.sales })),
    products: of('R')
      .map((t) => ({
        branchCode,
        productId: t.k1,
        code: prodOf.get(t.k1)?.code ?? '',
        name: prodOf.get(t.k1)?.name ?? '',
        unit: prodOf.get(t.k1)?.unit ?? '',
        ...pts(t.pts),
        voided: pts(t.voided),
        sales: t.sales,
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    adjustments,
    laterAdjustments,
    developments: devs.map((d) => {
      const v = mortgageVerdict({ lenderMode: d.lender_mode, loanShareBp: d.loan_share_bp, totalHouseholds: d.total_households, bankHouseholds: d.bank_households });
      const a = devAgg.get(d.id);
      return {
        branchCode,
        developmentId: d.id,
        code: d.code,
        name: d.name,
        lenderMode: d.lender_mode,
        thresholdBp: v.thresholdBp,
        ratioBp: householdRatioBp(d.bank_households, d.total_households),
        totalHouseholds: d.total_households,
        bankHouseholds: d.bank_households,
        asOf: d.as_of,
        verdict: v.pass ? 'pass' : 'void',
        reason: v.reason,
        mortgageSales: a?.sales ?? 0,
        points: pts(a?.pts ?? 0),
        voided: pts(a?.voided ?? 0),
      };
    }),
  };
}

/**
 * Drill-down (SPEC §9 step 1): the sales of the month in which a department (or a person in it)
 * has ledger entries, each with its whole split.
 */
export async function drillDown(db: DbOrTx, node: OrgNode, month: string, who: { departmentId: number } | { staffId: number }): Promise<SaleSplit[]> {
  const period = monthPeriod(month);
  await assertOnline(db, yearOf(period));
  const cond = 'staffId' in who ? sql`e.staff_id = ${who.staffId}` : sql`e.department_id = ${who.departmentId}`;
  const ids = await rows<{ sale_id: number }>(
    db,
    sql`SELECT DISTINCT e.sale_id FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
        WHERE e.node_id = ${node.id} AND e.period = ${period}::date AND ${cond} ORDER BY e.sale_id`,
  );
  return saleSplits(
    db,
    ids.map((r) => r.sale_id),
  );
}
