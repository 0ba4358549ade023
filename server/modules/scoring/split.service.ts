import { sql } from 'drizzle-orm';
import { allOf, type DbOrTx, rows } from '../../db/client.js';
import { formatHundredths } from './allocation.js';

/** Points as they leave the server: a two-decimal string and the exact integer hundredths. */
export interface Points {
  points: string;
  pointsHundredths: number;
}
export const pts = (h: number | bigint | null | undefined): Points => ({ points: formatHundredths(BigInt(h ?? 0)), pointsHundredths: Number(h ?? 0) });

export interface SaleSplit {
  id: number;
  sourceId: string;
  saleDate: string;
  nodeId: number;
  /** The branch's 机构号 (issue 18 part 5: codes beside ids). */
  nodeCode: string;
  product: { id: number; code: string; name: string; unit: string; mortgage: boolean };
  /** Quantity in the product's unit as a decimal string (4 places trimmed). */
  quantity: string;
  projectId: number | null;
  developmentId: number | null;
  total: Points;
  voided: Points;
  /** The rule version of the latest entry (what the current points were computed with). */
  ruleVersion: string | null;
  departments: (Points & { departmentId: number; code: string; name: string; host: boolean; ratioBp: number | null; weight: number | null; voided: Points })[];
  people: (Points & {
    staffId: number;
    staffNo: string;
    name: string;
    departmentId: number;
    departmentCode: string;
    role: string;
    contributionBp: number | null;
    weight: number | null;
    voided: Points;
  })[];
}

const qty = (q1e4: number) => {
  const whole = Math.trunc(q1e4 / 10000);
  const frac = String(Math.abs(q1e4) % 10000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
};

const idArray = (ids: number[]) => `{${ids.filter((i) => Number.isSafeInteger(i)).join(',')}}`;

/**
 * The split of each sale as the ledger holds it now (net of reversals), with the ratios and
 * contributions it was computed from. Sales come back in the order of `saleIds`.
 */
export async function saleSplits(db: DbOrTx, saleIds: number[]): Promise<SaleSplit[]> {
  if (saleIds.length === 0) return [];
  const ids = idArray(saleIds);
  const [saleRows, deptRows, peopleRows, netRows] = await allOf(db, [
    () =>
      rows<{
        id: number;
        source_id: string;
        sale_date: string;
        node_id: number;
        node_code: string;
        quantity_1e4: number;
        project_id: number | null;
        development_id: number | null;
        host_department_id: number;
        product_id: number;
        code: string;
        name: string;
        unit: string;
        mortgage: boolean;
        rule_version: string | null;
      }>(
        db,
        sql`SELECT s.id, s.source_id, s.sale_date::text AS sale_date, s.node_id, n.code AS node_code, s.quantity_1e4, s.project_id, s.development_id, s.host_department_id,
                 p.id AS product_id, p.code, p.name, p.unit, p.mortgage,
                 (SELECT e.rule_version FROM ledger_entries e WHERE e.sale_id = s.id ORDER BY e.id DESC LIMIT 1) AS rule_version
          FROM sales s JOIN products p ON p.id = s.product_id JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ANY(${ids}::int[])`,
      ),
    () =>
      rows<{ sale_id: number; department_id: number; ratio_bp: number | null; weight: number | null; code: string; name: string }>(
        db,
        sql`SELECT x.sale_id, x.department_id, x.ratio_bp, x.weight, d.code, d.name FROM (
            SELECT s.id AS sale_id, s.host_department_id AS department_id, NULL::int AS ratio_bp, NULL::int AS weight FROM sales s WHERE s.id = ANY(${ids}::int[])
            UNION ALL
            SELECT sd.sale_id, sd.department_id, sd.ratio_bp, sd.weight FROM sale_departments sd WHERE sd.sale_id = ANY(${ids}::int[])
          ) x JOIN departments d ON d.id = x.department_id ORDER BY x.sale_id, x.department_id`,
      ),
    () =>
      rows<{ sale_id: number; staff_id: number; department_id: number; department_code: string; role: string; contribution_bp: number | null; weight: number | null; staff_no: string; name: string }>(
        db,
        sql`SELECT sp.sale_id, sp.staff_id, sp.department_id, d.code AS department_code, sp.role, sp.contribution_bp, sp.weight, st.staff_no, st.name
          FROM sale_people sp JOIN staff st ON st.id = sp.staff_id JOIN departments d ON d.id = sp.department_id WHERE sp.sale_id = ANY(${ids}::int[]) ORDER BY sp.sale_id, sp.department_id, sp.staff_id`,
      ),
    () =>
      rows<{ sale_id: number; department_id: number; staff_id: number | null; pts: number; voided: number }>(
        db,
        sql`SELECT sale_id, department_id, staff_id,
                 coalesce(sum(points_hundredths) FILTER (WHERE kind <> 'void'), 0)::bigint AS pts,
                 coalesce(sum(points_hundredths) FILTER (WHERE kind = 'void'), 0)::bigint AS voided
          FROM ledger_entries WHERE sale_id = ANY(${ids}::int[]) GROUP BY sale_id, department_id, staff_id`,
      ),
  ]);
  const byId = new Map<number, SaleSplit>();
  for (const s of saleRows) {
    byId.set(s.id, {
      id: s.id,
      sourceId: s.source_id,
      saleDate: s.sale_date,
      nodeId: s.node_id,
      nodeCode: s.node_code,
      product: { id: s.product_id, code: s.code, name: s.name, unit: s.unit, mortgage: s.mortgage },
      quantity: qty(Number(s.quantity_1e4)),
      projectId: s.project_id,
      developmentId: s.development_id,
      total: pts(0),
      voided: pts(0),
      ruleVersion: s.rule_version,
      departments: deptRows
        .filter((d) => d.sale_id === s.id)
        .map((d) => ({ departmentId: d.department_id, code: d.code, name: d.name, host: d.department_id === s.host_department_id, ratioBp: d.ratio_bp, weight: d.weight, ...pts(0), voided: pts(0) })),
      people: peopleRows
        .filter((p) => p.sale_id === s.id)
        .map((p) => ({
          staffId: p.staff_id,
          staffNo: p.staff_no,
          name: p.name,
          departmentId: p.department_id,
          departmentCode: p.department_code,
          role: p.role,
          contributionBp: p.contribution_bp,
          weight: p.weight,
          ...pts(0),
          voided: pts(0),
        })),
    });
  }
  const add = (a: Points, h: number) => Object.assign(a, pts(a.pointsHundredths + Number(h)));
  for (const n of netRows) {
    const s = byId.get(n.sale_id);
    if (!s) continue;
    add(s.total, n.pts);
    add(s.voided, n.voided);
    const d = s.departments.find((x) => x.departmentId === n.department_id);
    if (d) {
      add(d, n.pts);
      add(d.voided, n.voided);
    }
    const p = n.staff_id === null ? undefined : s.people.find((x) => x.staffId === n.staff_id && x.departmentId === n.department_id);
    if (p) {
      add(p, n.pts);
      add(p.voided, n.voided);
    }
  }
  return saleIds.map((id) => byId.get(id)).filter((s): s is SaleSplit => s !== undefined);
}

export interface LedgerTraceEntry extends Points {
  id: number;
  kind: 'allocation' | 'reversal' | 'void';
  period: string;
  departmentId: number;
  staffId: number | null;
  ruleVersion: string;
  reversesId: number | null;
  createdAt: string;
}

/** Every ledger entry of a sale, oldest first: allocations, reversals, voids. */
export async function ledgerTrace(db: DbOrTx, saleId: number): Promise<LedgerTraceEntry[]> {
  const r = await rows<{
    id: number;
    kind: LedgerTraceEntry['kind'];
    period: string;
    department_id: number;
    staff_id: number | null;
    points_hundredths: number;
    rule_version: string;
    reverses_id: number | null;
    created_at: string;
  }>(
    db,
    sql`SELECT id, kind, period::text AS period, department_id, staff_id, points_hundredths, rule_version, reverses_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
        FROM ledger_entries WHERE sale_id = ${saleId} ORDER BY id`,
  );
  return r.map((e) => ({
    id: Number(e.id),
    kind: e.kind,
    period: e.period,
    departmentId: e.department_id,
    staffId: e.staff_id,
    ...pts(e.points_hundredths),
    ruleVersion: e.rule_version,
    reversesId: e.reverses_id === null ? null : Number(e.reverses_id),
    createdAt: e.created_at,
  }));
}
