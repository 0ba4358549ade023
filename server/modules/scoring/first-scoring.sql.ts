import { sql, type SQL } from 'drizzle-orm';
import { ruleCtes } from './ledger.sql.js';
import { inProvince } from './province.sql.js';

/**
 * The first scoring of sales that have never been scored (decision 0045): no ledger line and no
 * sale_scoring row for any of them — what an import records. The same rules as scoringStatement
 * (ruleCtes, the largest remainder with the same ties, the frozen-month routing), in the shape of a
 * hand-written INSERT … SELECT: nothing to reverse, so no `existing`/`changed` search over the
 * ledger and no RETURNING; every total is grouped straight to its own grain (a few thousand
 * groups) instead of per sale first — with new sales each line is its own (sale, department,
 * person), so counting sales is counting rows. ledger.db.test.ts compares both statements.
 *
 * The departments' total weight of a sale is known without a window (host + participants:
 * host_bp × Σratios + participants_bp × Σratios, or × n), so each largest remainder is one sort
 * and one window pass, which also yields what the sale puts in its month (its lines' sum).
 */
export function firstScoringStatement(filter: SQL, openFrom: string, frozen: string[], province: number | null = null): SQL {
  const OPEN_FROM = sql`${openFrom}`;
  const FROZEN = sql`${`{${frozen.join(',')}}`}::text[]`;
  return sql`
WITH ${ruleCtes(filter)},
parts AS (
  -- Per sale: its participating departments (the host is not one), how many have a ratio, their sum.
  SELECT sd.sale_id, count(*) AS n, count(coalesce(sd.weight, sd.ratio_bp)) AS nr, coalesce(sum(coalesce(sd.weight, sd.ratio_bp)), 0)::bigint AS r
  FROM sale_departments sd JOIN sale s ON s.sale_id = sd.sale_id AND sd.department_id <> s.host_department_id${inProvince('sd', province)}
  GROUP BY sd.sale_id
),
frozen AS (
  SELECT p.node_id, p.period FROM periods p
  WHERE p.state = ANY(${FROZEN}) AND EXISTS (SELECT 1 FROM sale s WHERE s.node_id = p.node_id AND s.period = p.period)
),
routed AS (
  -- A frozen month never changes silently (SPEC §9.5, issue 12 rule 2): its lines go to the
  -- branch's open month as adjustments naming it (as in scoringStatement).
  SELECT f.node_id, f.period,
         (SELECT min(m)::date FROM generate_series(greatest(f.period, ${OPEN_FROM}::date), ${OPEN_FROM}::date + interval '36 months', interval '1 month') m
           WHERE NOT EXISTS (SELECT 1 FROM periods q WHERE q.node_id = f.node_id AND q.period = m::date AND q.state <> 'draft')) AS target
  FROM frozen f
),
weighed AS (
  SELECT s.sale_id, s.node_id, coalesce(r.target, s.period) AS at, CASE WHEN r.target IS NOT NULL THEN s.period END AS adjusts,
         s.host_department_id, s.pts, s.part_bp, s.voided, s.struck, s.product_id, s.project_id, s.mortgage, s.development_id, s.rule_version,
         CASE WHEN pa.n IS NULL THEN 1 WHEN pa.nr = pa.n AND pa.r > 0 THEN s.host_bp * pa.r ELSE s.host_bp * pa.n END AS host_w,
         CASE WHEN pa.n IS NULL THEN 1 WHEN pa.nr = pa.n AND pa.r > 0 THEN (s.host_bp + s.part_bp) * pa.r ELSE (s.host_bp + s.part_bp) * pa.n END AS total_w,
         coalesce(pa.nr = pa.n AND pa.r > 0, false) AS by_ratio
  FROM sale s LEFT JOIN parts pa ON pa.sale_id = s.sale_id LEFT JOIN routed r ON r.node_id = s.node_id AND r.period = s.period
  WHERE NOT s.struck
),
dept_w AS (
  SELECT w.*, w.host_department_id AS department_id, w.host_w AS w FROM weighed w WHERE w.total_w > 0
  UNION ALL
  SELECT w.*, sd.department_id, CASE WHEN w.by_ratio THEN w.part_bp * coalesce(sd.weight, sd.ratio_bp) ELSE w.part_bp END
  FROM weighed w JOIN sale_departments sd ON sd.sale_id = w.sale_id AND sd.department_id <> w.host_department_id${inProvince('sd', province)}
  WHERE w.total_w > 0
),
dept_ranked AS (
  SELECT x.*, x.pts * x.w / x.total_w AS fl, x.pts * x.w % x.total_w AS rem,
         sum(x.pts * x.w / x.total_w) OVER w AS fl_sum, count(*) FILTER (WHERE x.pts * x.w % x.total_w > 0) OVER w AS rem_n,
         row_number() OVER (w ORDER BY x.pts * x.w % x.total_w DESC, coalesce(d.code, '') COLLATE "C", x.department_id) AS place
  FROM dept_w x LEFT JOIN departments d ON d.id = x.department_id
  WINDOW w AS (PARTITION BY x.sale_id)
),
dept_pts AS MATERIALIZED (
  SELECT sale_id, node_id, at, adjusts, voided, product_id, project_id, mortgage, development_id, rule_version, department_id, place,
         fl + CASE WHEN place <= pts - fl_sum AND rem > 0 THEN 1 ELSE 0 END AS pts,
         -- the sale's lines add up to this (all of pts when pts ≥ 0)
         fl_sum + least(greatest(pts - fl_sum, 0), rem_n) AS sale_pts
  FROM dept_ranked
),
people AS (
  SELECT sp.sale_id, sp.department_id, sp.staff_id, sp.role, coalesce(sp.weight, sp.contribution_bp) AS c,
         count(*) OVER g AS n, count(coalesce(sp.weight, sp.contribution_bp)) OVER g AS nc, coalesce(sum(coalesce(sp.weight, sp.contribution_bp)) OVER g, 0) AS sc
  FROM sale_people sp JOIN sale s ON s.sale_id = sp.sale_id${inProvince('sp', province)}
  WINDOW g AS (PARTITION BY sp.sale_id, sp.department_id)
),
person_w AS (
  SELECT d.sale_id, d.node_id, d.at, d.adjusts, d.voided, d.product_id, d.rule_version, d.department_id, d.pts, p.staff_id, p.role,
         CASE WHEN p.nc = p.n AND p.sc > 0 THEN p.c ELSE 1 END::bigint AS w, CASE WHEN p.nc = p.n AND p.sc > 0 THEN p.sc ELSE p.n END::bigint AS total_w
  FROM dept_pts d JOIN people p ON p.sale_id = d.sale_id AND p.department_id = d.department_id
),
person_pts AS (
  SELECT y.*, fl + CASE WHEN place <= y.pts - fl_sum AND rem > 0 THEN 1 ELSE 0 END AS line_pts FROM (
    SELECT x.*, x.pts * x.w / x.total_w AS fl, x.pts * x.w % x.total_w AS rem, sum(x.pts * x.w / x.total_w) OVER w AS fl_sum,
           row_number() OVER (w ORDER BY x.pts * x.w % x.total_w DESC, coalesce(st.staff_no, '') COLLATE "C", x.staff_id) AS place
    FROM person_w x LEFT JOIN staff st ON st.id = x.staff_id
    WINDOW w AS (PARTITION BY x.sale_id, x.department_id)
  ) y
),
lines AS MATERIALIZED (
  SELECT sale_id, node_id, at, adjusts, voided, product_id, rule_version, department_id, staff_id, role, line_pts AS pts FROM person_pts WHERE line_pts <> 0
  UNION ALL
  SELECT d.sale_id, d.node_id, d.at, d.adjusts, d.voided, d.product_id, d.rule_version, d.department_id, NULL::int, NULL::text, d.pts FROM dept_pts d
  WHERE d.pts <> 0 AND NOT EXISTS (SELECT 1 FROM sale_people x WHERE x.sale_id = d.sale_id AND x.department_id = d.department_id${inProvince('x', province)})
),
written AS (
  -- The province key (decision 0043) is sent, not left to the fill trigger: a join on the small
  -- org table costs far less than a row trigger on every line.
  INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, role, points_hundredths, rule_version, adjusts_period, province_id)
  SELECT l.sale_id, l.node_id, l.at, CASE WHEN l.voided THEN 'void' ELSE 'allocation' END, l.department_id, l.staff_id, l.role, l.pts, l.rule_version, l.adjusts, n.province_id
  FROM lines l JOIN org_nodes n ON n.id = l.node_id
),
keyed AS (
  -- statement_totals grains: B branch, J project, R product, V development (per sale), D
  -- department (per sale × department), P person and O role (per line). An adjustment moves
  -- points into the open month but not the sale: it belongs to its own month.
  SELECT d.node_id, d.at AS period, g.grain, g.k1, 0 AS k2, '' AS role,
         CASE WHEN d.voided THEN 0 ELSE d.sale_pts END AS p, CASE WHEN d.voided THEN d.sale_pts ELSE 0 END AS v, (d.adjusts IS NULL)::int AS n
  FROM dept_pts d
  CROSS JOIN LATERAL (VALUES ('B', 0), ('J', coalesce(d.project_id, 0)), ('R', d.product_id), ('V', CASE WHEN d.mortgage THEN d.development_id END)) g(grain, k1)
  WHERE d.place = 1 AND d.sale_pts <> 0 AND g.k1 IS NOT NULL
  UNION ALL
  SELECT node_id, at, 'D', department_id, 0, '', CASE WHEN voided THEN 0 ELSE pts END, CASE WHEN voided THEN pts ELSE 0 END, (adjusts IS NULL)::int
  FROM dept_pts WHERE pts <> 0
  UNION ALL
  SELECT node_id, at, 'P', staff_id, department_id, '', CASE WHEN voided THEN 0 ELSE pts END, CASE WHEN voided THEN pts ELSE 0 END, (adjusts IS NULL)::int
  FROM lines WHERE staff_id IS NOT NULL
  UNION ALL
  SELECT node_id, at, 'O', staff_id, department_id, role, 0, 0, (adjusts IS NULL)::int FROM lines WHERE staff_id IS NOT NULL AND role IS NOT NULL
),
totals AS (
  INSERT INTO statement_totals AS t (node_id, period, grain, k1, k2, role, points_hundredths, voided_hundredths, sales, province_id)
  SELECT x.*, o.province_id FROM (
    SELECT node_id, period, grain, k1, k2, role, sum(p), sum(v), sum(n) FROM keyed
    GROUP BY node_id, period, grain, k1, k2, role
    HAVING sum(p) <> 0 OR sum(v) <> 0 OR sum(n) <> 0
  ) x JOIN org_nodes o ON o.id = x.node_id
  ON CONFLICT (node_id, period, grain, k1, k2, role, province_id) DO UPDATE
    SET points_hundredths = t.points_hundredths + excluded.points_hundredths,
        voided_hundredths = t.voided_hundredths + excluded.voided_hundredths,
        sales = t.sales + excluded.sales
),
product_points AS (
  INSERT INTO product_points_totals AS t (node_id, period, department_id, staff_id, product_id, points_hundredths, province_id)
  SELECT x.*, o.province_id FROM (
    SELECT node_id, at, department_id, coalesce(staff_id, 0), product_id, sum(pts) FROM lines WHERE NOT voided
    GROUP BY node_id, at, department_id, coalesce(staff_id, 0), product_id
    HAVING sum(pts) <> 0
  ) x JOIN org_nodes o ON o.id = x.node_id
  ON CONFLICT (node_id, period, department_id, staff_id, product_id, province_id) DO UPDATE
    SET points_hundredths = t.points_hundredths + excluded.points_hundredths
),
flags AS (
  -- Whether each sale counts toward quota completion: not struck, no positive void net.
  SELECT s.sale_id, s.rule_key, s.node_id, s.period, s.product_id, s.quantity_1e4, s.host_department_id,
         NOT s.struck AND NOT (s.voided AND coalesce(d.sale_pts, 0) > 0) AS counted
  FROM sale s LEFT JOIN dept_pts d ON d.sale_id = s.sale_id AND d.place = 1
),
c_person AS (
  SELECT c.sale_id, c.node_id, c.period, c.product_id, c.quantity_1e4, sp.department_id, sp.staff_id
  FROM flags c JOIN sale_people sp ON sp.sale_id = c.sale_id${inProvince('sp', province)} WHERE c.counted
),
c_staff_nodes AS (
  -- Per person and branch: the nodes below the branch on the person's path (completion.sql.ts).
  SELECT st.id AS staff_id, b.id AS branch_id, a.id AS org_id
  FROM staff st JOIN org_nodes n ON n.id = st.node_id
  CROSS JOIN LATERAL (SELECT string_to_array(btrim(n.path, '/'), '/')::int[] AS ids) x
  CROSS JOIN LATERAL unnest(x.ids) WITH ORDINALITY b(id, i)
  CROSS JOIN LATERAL unnest(x.ids[b.i + 1:]) a(id)
),
c_keyed AS (
  -- Completion (decision 0018), the sets of completion.sql.ts, each sale once per key: D the
  -- host and every participating department, P each person, O each node below the branch.
  SELECT node_id, 'D' AS grain, 0 AS k, period, host_department_id AS department_id, product_id, quantity_1e4 AS q, 1 AS n FROM flags WHERE counted
  UNION ALL
  SELECT c.node_id, 'D', 0, c.period, sd.department_id, c.product_id, c.quantity_1e4, 1
  FROM flags c JOIN sale_departments sd ON sd.sale_id = c.sale_id AND sd.department_id <> c.host_department_id${inProvince('sd', province)} WHERE c.counted
  UNION ALL
  SELECT node_id, 'P', staff_id, period, department_id, product_id, quantity_1e4, 1 FROM c_person
  UNION ALL
  SELECT DISTINCT ON (p.sale_id, p.department_id, o.org_id) p.node_id, 'O', o.org_id, p.period, p.department_id, p.product_id, p.quantity_1e4, 1
  FROM c_person p JOIN c_staff_nodes o ON o.staff_id = p.staff_id AND o.branch_id = p.node_id
),
c_written AS (
  INSERT INTO completion_totals AS t (node_id, grain, k, period, department_id, product_id, quantity_1e4, sales, province_id)
  SELECT x.*, o.province_id FROM (
    SELECT node_id, grain, k, period, department_id, product_id, sum(q), sum(n) FROM c_keyed
    GROUP BY node_id, grain, k, period, department_id, product_id
  ) x JOIN org_nodes o ON o.id = x.node_id
  ON CONFLICT (node_id, grain, k, period, department_id, product_id, province_id) DO UPDATE
    SET quantity_1e4 = t.quantity_1e4 + excluded.quantity_1e4, sales = t.sales + excluded.sales
  RETURNING 1
),
keys AS (
  INSERT INTO sale_scoring AS k (sale_id, rule_key, counted, province_id)
  SELECT f.sale_id, f.rule_key, f.counted, o.province_id FROM flags f JOIN org_nodes o ON o.id = f.node_id
  ON CONFLICT (sale_id, province_id) DO UPDATE SET rule_key = excluded.rule_key, counted = excluded.counted
)
SELECT 0 AS reversed, (SELECT count(*) FROM lines)::int AS written,
       (SELECT count(*) FROM dept_pts WHERE place = 1 AND sale_pts <> 0)::int AS sales,
       (SELECT count(*) FROM c_written)::int AS completion`;
}
