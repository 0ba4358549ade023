import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { getNodeOr404, type OrgNode } from '../org/org.queries.js';
import { holdsDepartments } from '../org/org.rules.js';
import { householdRatioBp, mortgageVerdict, periodEnd, periodOf } from '../scoring/scoring.rules.js';
import { type Points, pts, saleSplits, type SaleSplit } from '../scoring/split.service.js';

/** The draft statement of one branch and month (SPEC §9 step 1): every figure from the ledger. */
export interface Statement {
  node: { id: number; code: string; name: string };
  month: string;
  period: string;
  totals: { total: Points; voided: Points; departmentLevel: Points; people: Points; sales: number };
  departments: (Points & { departmentId: number; code: string; name: string; voided: Points; sales: number })[];
  people: (Points & { staffId: number; staffNo: string; name: string; departmentId: number; departmentName: string; roles: string[]; voided: Points; sales: number })[];
  projects: (Points & { projectId: number | null; voided: Points; sales: number })[];
  products: (Points & { productId: number; code: string; name: string; unit: string; voided: Points; sales: number })[];
  developments: {
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

type Agg = { pts: number; voided: number; sales: number };

/** Builds the statement with a handful of aggregates over ledger_node_period_idx. */
export async function draftStatement(db: DbOrTx, node: OrgNode, month: string): Promise<Statement> {
  const period = monthPeriod(month);
  const where = sql`e.node_id = ${node.id} AND e.period = ${period}::date`;
  const P = sql`coalesce(sum(e.points_hundredths) FILTER (WHERE e.kind <> 'void'), 0)::bigint AS pts`;
  const V = sql`coalesce(sum(e.points_hundredths) FILTER (WHERE e.kind = 'void'), 0)::bigint AS voided`;
  const N = sql`count(DISTINCT e.sale_id)::int AS sales`;
  const [depts, people, roles, projects, prods, devs, devAgg] = await Promise.all([
    rows<Agg & { department_id: number; code: string; name: string }>(
      db,
      sql`SELECT e.department_id, d.code, d.name, ${P}, ${V}, ${N} FROM ledger_entries e JOIN departments d ON d.id = e.department_id
          WHERE ${where} GROUP BY e.department_id, d.code, d.name ORDER BY e.department_id`,
    ),
    rows<Agg & { staff_id: number; department_id: number; staff_no: string; name: string; dept_name: string }>(
      db,
      sql`SELECT e.staff_id, e.department_id, st.staff_no, st.name, d.name AS dept_name, ${P}, ${V}, ${N}
          FROM ledger_entries e JOIN staff st ON st.id = e.staff_id JOIN departments d ON d.id = e.department_id
          WHERE ${where} AND e.staff_id IS NOT NULL GROUP BY e.staff_id, e.department_id, st.staff_no, st.name, d.name ORDER BY e.department_id, e.staff_id`,
    ),
    rows<{ staff_id: number; department_id: number; roles: string[] }>(
      db,
      sql`SELECT sp.staff_id, sp.department_id, array_agg(DISTINCT sp.role ORDER BY sp.role) AS roles
          FROM sale_people sp JOIN sales s ON s.id = sp.sale_id
          WHERE s.node_id = ${node.id} AND s.sale_date BETWEEN ${period}::date AND ${periodEnd(period)}::date
          GROUP BY sp.staff_id, sp.department_id`,
    ),
    rows<Agg & { project_id: number | null }>(
      db,
      sql`SELECT s.project_id, ${P}, ${V}, ${N} FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
          WHERE ${where} GROUP BY s.project_id ORDER BY s.project_id NULLS LAST`,
    ),
    rows<Agg & { product_id: number; code: string; name: string; unit: string }>(
      db,
      sql`SELECT p.id AS product_id, p.code, p.name, p.unit, ${P}, ${V}, ${N}
          FROM ledger_entries e JOIN sales s ON s.id = e.sale_id JOIN products p ON p.id = s.product_id
          WHERE ${where} GROUP BY p.id, p.code, p.name, p.unit ORDER BY p.code`,
    ),
    rows<{ id: number; code: string; name: string; lender_mode: 'sole' | 'partial'; loan_share_bp: number | null; total_households: number | null; bank_households: number | null; as_of: string | null }>(
      db,
      sql`SELECT d.id, d.code, d.name, d.lender_mode, d.loan_share_bp, f.total_households, f.bank_households, f.as_of::text AS as_of
          FROM developments d
          LEFT JOIN LATERAL (SELECT total_households, bank_households, as_of FROM development_figures
                             WHERE development_id = d.id AND as_of <= ${periodEnd(period)}::date ORDER BY as_of DESC LIMIT 1) f ON true
          WHERE d.node_id = ${node.id}
             OR d.id IN (SELECT s.development_id FROM sales s WHERE s.node_id = ${node.id} AND s.sale_date BETWEEN ${period}::date AND ${periodEnd(period)}::date)
          ORDER BY d.code`,
    ),
    rows<Agg & { development_id: number }>(
      db,
      sql`SELECT s.development_id, ${P}, ${V}, ${N} FROM ledger_entries e JOIN sales s ON s.id = e.sale_id JOIN products p ON p.id = s.product_id
          WHERE ${where} AND p.mortgage AND s.development_id IS NOT NULL GROUP BY s.development_id`,
    ),
  ]);
  const roleOf = new Map(roles.map((r) => [`${r.staff_id}/${r.department_id}`, r.roles]));
  const sum = (xs: { pts: number }[]) => xs.reduce((a, x) => a + Number(x.pts), 0);
  const total = sum(depts);
  const peopleTotal = sum(people);
  const totalSales = await rows<{ n: number }>(db, sql`SELECT count(DISTINCT e.sale_id)::int AS n FROM ledger_entries e WHERE ${where}`);
  const aggOf = new Map(devAgg.map((d) => [d.development_id, d]));
  return {
    node: { id: node.id, code: node.code, name: node.name },
    month,
    period,
    totals: {
      total: pts(total),
      voided: pts(depts.reduce((a, x) => a + Number(x.voided), 0)),
      departmentLevel: pts(total - peopleTotal),
      people: pts(peopleTotal),
      sales: Number(totalSales[0]?.n ?? 0),
    },
    departments: depts.map((d) => ({ departmentId: d.department_id, code: d.code, name: d.name, ...pts(d.pts), voided: pts(d.voided), sales: Number(d.sales) })),
    people: people.map((p) => ({
      staffId: p.staff_id,
      staffNo: p.staff_no,
      name: p.name,
      departmentId: p.department_id,
      departmentName: p.dept_name,
      roles: roleOf.get(`${p.staff_id}/${p.department_id}`) ?? [],
      ...pts(p.pts),
      voided: pts(p.voided),
      sales: Number(p.sales),
    })),
    projects: projects.map((p) => ({ projectId: p.project_id, ...pts(p.pts), voided: pts(p.voided), sales: Number(p.sales) })),
    products: prods.map((p) => ({ productId: p.product_id, code: p.code, name: p.name, unit: p.unit, ...pts(p.pts), voided: pts(p.voided), sales: Number(p.sales) })),
    developments: devs.map((d) => {
      const v = mortgageVerdict({ lenderMode: d.lender_mode, loanShareBp: d.loan_share_bp, totalHouseholds: d.total_households, bankHouseholds: d.bank_households });
      const a = aggOf.get(d.id);
      return {
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
        mortgageSales: Number(a?.sales ?? 0),
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
