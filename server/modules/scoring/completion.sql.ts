import { sql, type SQL } from 'drizzle-orm';
import { inProvince, provinceValue } from './province.sql.js';

/**
 * What adding (sign +1) or taking out (sign −1) whole sales does to `completion_totals`
 * (decision 0018). The caller defines a CTE `c_moves(sale_id, sign)`, one row per sale; these
 * CTEs follow it and upsert the difference in `c_written`. The sets are exactly those the on-read
 * statement counted (completion.oracle.ts):
 * - D: the host and every participating department of the sale, once each (UNION);
 * - P: each (department, person) of sale_people;
 * - O: each (department, org node) such that a person credited to the department sits in the
 *   node's subtree (`sn.path LIKE o.path || '%'` in the oracle) — the person's node and its
 *   ancestors below the sale's branch, read from the materialised path: the nodes an outlet quota
 *   of the branch may name (a sub-branch or outlet of it, QUOTA.BAD_OUTLET), one key each.
 * Everything is read as it stands now: the caller takes sales out BEFORE an edit of their rows
 * and puts them back AFTER it (completion.ts, recountCompletion).
 * It lives in scoring, not quotas: the ledger's own write keeps the totals (ledger.sql.ts), and
 * quotas reads them; the other way round would make the two modules import each other.
 */
export function completionCtes(province: number | null = null): SQL {
  return sql`
c_sale AS (
  SELECT m.sign, s.id AS sale_id, s.node_id, date_trunc('month', s.sale_date)::date AS period, s.product_id, s.quantity_1e4, s.host_department_id
  FROM c_moves m JOIN sales s ON s.id = m.sale_id${inProvince('s', province)}
),
c_dept AS (
  SELECT sale_id, host_department_id AS department_id FROM c_sale
  UNION
  SELECT d.sale_id, d.department_id FROM c_sale c JOIN sale_departments d ON d.sale_id = c.sale_id${inProvince('d', province)}
),
c_person AS (
  SELECT sp.sale_id, sp.department_id, sp.staff_id FROM c_sale c JOIN sale_people sp ON sp.sale_id = c.sale_id${inProvince('sp', province)}
),
c_node AS (
  SELECT DISTINCT p.sale_id, p.department_id, a.id AS org_id
  FROM c_person p JOIN c_sale c ON c.sale_id = p.sale_id
  JOIN staff st ON st.id = p.staff_id JOIN org_nodes n ON n.id = st.node_id
  CROSS JOIN LATERAL (SELECT string_to_array(btrim(n.path, '/'), '/')::int[] AS ids) x
  -- The nodes below the sale's branch on the person's path (none for a person sitting at the
  -- branch itself or outside it): an outlet quota names a sub-branch or outlet of the branch.
  CROSS JOIN LATERAL unnest(x.ids[array_position(x.ids, c.node_id) + 1:]) a(id)
),
c_keyed AS (
  SELECT c.node_id, 'D' AS grain, 0 AS k, c.period, d.department_id, c.product_id, c.sign * c.quantity_1e4 AS q, c.sign AS n
  FROM c_dept d JOIN c_sale c ON c.sale_id = d.sale_id
  UNION ALL
  SELECT c.node_id, 'P', p.staff_id, c.period, p.department_id, c.product_id, c.sign * c.quantity_1e4, c.sign
  FROM c_person p JOIN c_sale c ON c.sale_id = p.sale_id
  UNION ALL
  SELECT c.node_id, 'O', o.org_id, c.period, o.department_id, c.product_id, c.sign * c.quantity_1e4, c.sign
  FROM c_node o JOIN c_sale c ON c.sale_id = o.sale_id
),
c_written AS (
  INSERT INTO completion_totals AS t (node_id, grain, k, period, department_id, product_id, quantity_1e4, sales, province_id)
  SELECT node_id, grain, k, period, department_id, product_id, sum(q), sum(n), ${provinceValue(province)} FROM c_keyed
  GROUP BY node_id, grain, k, period, department_id, product_id
  HAVING sum(q) <> 0 OR sum(n) <> 0
  ON CONFLICT (node_id, grain, k, period, department_id, product_id, province_id) DO UPDATE
    SET quantity_1e4 = t.quantity_1e4 + excluded.quantity_1e4, sales = t.sales + excluded.sales
  RETURNING 1
)`;
}

/**
 * Takes out (−1) or puts back (+1) the counted sales among `saleIds` (a subquery of sale ids)
 * with what they credit now. Flags stay as they are: only the scoring statement changes them.
 */
export function completionShiftStatement(saleIds: SQL, sign: 1 | -1): SQL {
  return sql`
WITH c_moves AS (
  SELECT k.sale_id, ${sign}::int AS sign FROM sale_scoring k WHERE k.counted AND k.sale_id IN (${saleIds})
),
${completionCtes()}
SELECT count(*)::int AS n FROM c_written`;
}

/**
 * The scoring statement's part (ledger.sql.ts): after `sale` (the sales being scored, with
 * `struck`) and `desired` (their lines as they will stand), whether each sale counts now — not
 * struck and no positive net of void lines, exactly the oracle's rule applied to the ledger this
 * statement leaves — against `sale_scoring.counted`; the sales that change side move.
 */
export function completionFlipCtes(province: number | null): SQL {
  return sql`
c_flip AS (
  SELECT s.sale_id, coalesce(k.counted, false) AS was, (NOT s.struck AND coalesce(dv.v, 0) <= 0) AS counted
  FROM sale s
  LEFT JOIN sale_scoring k ON k.sale_id = s.sale_id${inProvince('k', province)}
  LEFT JOIN (SELECT sale_id, sum(pts) AS v FROM desired WHERE kind = 'void' GROUP BY sale_id) dv ON dv.sale_id = s.sale_id
),
c_moves AS (
  SELECT sale_id, CASE WHEN counted THEN 1 ELSE -1 END AS sign FROM c_flip WHERE was <> counted
),
${completionCtes(province)}`;
}
