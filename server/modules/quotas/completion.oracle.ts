import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import type { CompletionQuery, CompletionRow } from './completion.js';

/**
 * THE TEST ORACLE, not a read path: completion as it was computed on every request until
 * decision 0018 (one set-based scan of the branch's sales, their void nets, departments, people
 * and outlets). The dashboards and the assessment now read completion_totals; the tests compare
 * those totals with this statement after every kind of change (completion.db.test.ts).
 *
 * Left out, as before: sales voided by the mortgage rule (a positive net of `void` ledger lines;
 * a void later lifted nets to 0 and the sale counts again), struck sales (sales.struck_at), and
 * rejected sales (never stored). A sale without points still counts: completion is quantity.
 */
const idArray = (ids: number[]) => `{${[...new Set(ids)].filter((n) => Number.isSafeInteger(n)).join(',')}}`;

export function completionOracleStatement(q: CompletionQuery): SQL {
  const line = q.lineCode ? sql`AND s.product_id IN (SELECT id FROM products WHERE line_code = ${q.lineCode})` : sql``;
  const staffIds = q.staffIds ?? [];
  const outletIds = q.outletIds ?? [];
  const wantPeople = staffIds.length > 0 || outletIds.length > 0;
  const people = wantPeople
    ? sql`,
person AS (
  SELECT DISTINCT l.id AS sale_id, l.product_id, l.quantity_1e4, sp.department_id, sp.staff_id
  FROM live l JOIN sale_people sp ON sp.sale_id = l.id
)`
    : sql``;
  const outlets =
    outletIds.length > 0
      ? sql`,
outlet AS (
  SELECT DISTINCT p.sale_id, p.product_id, p.quantity_1e4, p.department_id, o.id AS outlet_id
  FROM person p
  JOIN staff st ON st.id = p.staff_id
  JOIN org_nodes sn ON sn.id = st.node_id
  JOIN org_nodes o ON o.id = ANY(${idArray(outletIds)}::int[]) AND sn.path LIKE o.path || '%'
)`
      : sql``;
  const personRows =
    staffIds.length > 0
      ? sql`UNION ALL
SELECT 'P', department_id, product_id, staff_id, sum(quantity_1e4)::bigint, count(*)::int
FROM person WHERE staff_id = ANY(${idArray(staffIds)}::int[]) GROUP BY department_id, product_id, staff_id`
      : sql``;
  const outletRows =
    outletIds.length > 0
      ? sql`UNION ALL
SELECT 'O', department_id, product_id, outlet_id, sum(quantity_1e4)::bigint, count(*)::int
FROM outlet GROUP BY department_id, product_id, outlet_id`
      : sql``;
  return sql`
WITH ys AS (
  SELECT s.id, s.product_id, s.quantity_1e4, s.host_department_id
  FROM sales s
  WHERE s.node_id = ${q.nodeId} AND s.sale_date >= ${q.from}::date AND s.sale_date < ${q.to}::date AND s.struck_at IS NULL ${line}
),
voided AS (
  SELECT e.sale_id FROM ledger_entries e
  WHERE e.node_id = ${q.nodeId} AND e.period >= ${q.from}::date AND e.kind = 'void'
  GROUP BY e.sale_id HAVING sum(e.points_hundredths) > 0
),
live AS (
  SELECT ys.* FROM ys WHERE NOT EXISTS (SELECT 1 FROM voided v WHERE v.sale_id = ys.id)
),
dept AS (
  -- UNION (not ALL): a department counts a sale once, host or participant.
  SELECT id AS sale_id, product_id, quantity_1e4, host_department_id AS department_id FROM live
  UNION
  SELECT l.id, l.product_id, l.quantity_1e4, d.department_id FROM live l JOIN sale_departments d ON d.sale_id = l.id
)${people}${outlets}
SELECT 'D' AS grain, department_id, product_id, 0 AS k, sum(quantity_1e4)::bigint AS qty, count(*)::int AS sales
FROM dept GROUP BY department_id, product_id
${personRows}
${outletRows}`;
}

/** Runs the oracle; figures as integers (quantity × 10⁴). */
export async function completionOracle(db: DbOrTx, q: CompletionQuery): Promise<CompletionRow[]> {
  const r = await rows<{ grain: 'D' | 'P' | 'O'; department_id: number; product_id: number; k: number; qty: number | string; sales: number }>(db, completionOracleStatement(q));
  return r.map((x) => ({ grain: x.grain, departmentId: Number(x.department_id), productId: Number(x.product_id), k: Number(x.k), quantity1e4: Number(x.qty), sales: Number(x.sales) }));
}
