import { sql } from 'drizzle-orm';
import { type Database, rows } from '../server/db/client.js';

/**
 * The floor of the sales import (issue 17 goal 1): raw COPY of the same rows into the same tables
 * (measured in scoring.ts) plus ONE hand-written `INSERT … SELECT` that writes the same ledger
 * lines and the same maintained totals (statement_totals, product_points_totals,
 * completion_totals, sale_scoring) into bare copies of those tables — same columns and indexes,
 * no triggers. It runs after the product's import, on the sales it recorded, and knows what the
 * product's general statement has to find out: every sale is new (no ledger lines to reverse) and
 * no month is frozen. At `verifyUpTo` sales or fewer its output is compared, row for row
 * (EXCEPT ALL both ways), with what the product wrote, so the floor is honest: it does the same
 * work, not less.
 */
const TABLES = ['ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals', 'sale_scoring'] as const;

/** What each table is compared on: everything the product writes but ids and timestamps. */
const COMPARED: Record<(typeof TABLES)[number], string> = {
  ledger_entries: 'sale_id, node_id, period, kind, department_id, staff_id, role, points_hundredths, rule_version, reverses_id, adjusts_period',
  statement_totals: 'node_id, period, grain, k1, k2, role, points_hundredths, voided_hundredths, sales',
  product_points_totals: 'node_id, period, department_id, staff_id, product_id, points_hundredths',
  completion_totals: 'node_id, grain, k, period, department_id, product_id, quantity_1e4, sales',
  sale_scoring: 'sale_id, rule_key, counted',
};

export interface FloorResult {
  floorInsertSeconds: number;
  ledgerRows: number;
  verified: boolean;
}

/**
 * `target`, a bare copy of `source` with its columns, defaults and indexes — no triggers — and, for a
 * month-partitioned table (migrations 0048, 0049), the same partitions: a baseline that writes into
 * it pays the same routing and the same index upkeep as the product.
 */
export async function sameShapeTable(database: Database, source: string, target: string): Promise<void> {
  const pool = database.pool!;
  const [part] = await rows<{ key: string | null }>(database.db, sql`SELECT pg_get_partkeydef(${source}::regclass) AS key`);
  await pool.query(`DROP TABLE IF EXISTS ${target}; CREATE TABLE ${target} (LIKE ${source} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)${part.key ? ` PARTITION BY ${part.key}` : ''}`);
  if (part.key) {
    await pool.query(`DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${source}'::regclass LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF ${target} %s', '${target}' || substr(r.relname, ${source.length + 1}), r.b);
      END LOOP; END $$`);
  }
}

export async function scoringFloor(database: Database, opts: { sales: number; verifyUpTo: number }): Promise<FloorResult> {
  const pool = database.pool!;
  for (const t of TABLES) await sameShapeTable(database, t, `floor_${t}`);
  const client = await pool.connect();
  let ledgerRows: number;
  let seconds: number;
  try {
    await client.query('BEGIN');
    // The product's scoring settings (ledger.service.ts), so both statements get the same memory.
    await client.query(`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`);
    const t0 = performance.now();
    const r = await client.query<{ lines: number }>(FLOOR_SQL);
    await client.query('COMMIT');
    seconds = (performance.now() - t0) / 1000;
    ledgerRows = Number(r.rows[0].lines);
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
  let verified = false;
  if (opts.sales <= opts.verifyUpTo) {
    for (const t of TABLES) {
      const cols = COMPARED[t];
      const [d] = await rows<{ missing: number; extra: number }>(
        database.db,
        sql.raw(`SELECT (SELECT count(*) FROM (SELECT ${cols} FROM ${t} EXCEPT ALL SELECT ${cols} FROM floor_${t}) x)::int AS missing,
                        (SELECT count(*) FROM (SELECT ${cols} FROM floor_${t} EXCEPT ALL SELECT ${cols} FROM ${t}) x)::int AS extra`),
      );
      if (Number(d.missing) !== 0 || Number(d.extra) !== 0) {
        throw new Error(`scoring floor: ${t} differs from the product's (${d.missing} rows only in the product's, ${d.extra} only in the floor's)`);
      }
    }
    verified = true;
  }
  for (const t of TABLES) await pool.query(`DROP TABLE floor_${t}`);
  return { floorInsertSeconds: seconds, ledgerRows, verified };
}

/**
 * The hand-written statement. Same rules as server/modules/scoring (score and split in force on
 * the sale date, 20/80 by ratio or equally, largest remainder with ties to the code / staff number
 * in byte order then the id, the mortgage verdict of the development's month), written for the
 * one case of an import: new sales only. The departments' total weight is known per sale without a
 * window (host + participants), so each largest remainder is one sort and one window pass.
 */
const FLOOR_SQL = `
WITH days AS (
  SELECT DISTINCT product_id, sale_date FROM sales
),
rule AS (
  SELECT d.product_id, d.sale_date, ps.id AS score_id, ps.score_hundredths, sp.effective_from AS split_from,
         coalesce(sp.host_bp, 2000)::bigint AS host_bp, coalesce(sp.participants_bp, 8000)::bigint AS part_bp
  FROM days d
  LEFT JOIN LATERAL (SELECT id, score_hundredths FROM product_scores x WHERE x.product_id = d.product_id AND x.effective_from <= d.sale_date ORDER BY effective_from DESC LIMIT 1) ps ON true
  LEFT JOIN LATERAL (SELECT effective_from, host_bp, participants_bp FROM split_rules x WHERE x.effective_from <= d.sale_date ORDER BY effective_from DESC LIMIT 1) sp ON true
),
months AS (
  SELECT DISTINCT s.development_id, date_trunc('month', s.sale_date)::date AS period
  FROM sales s JOIN products p ON p.id = s.product_id WHERE p.mortgage AND s.development_id IS NOT NULL
),
verdict AS (
  SELECT m.development_id, m.period, f.total_households AS total, f.bank_households AS bank,
         coalesce(t.bp IS NOT NULL AND f.total_households > 0 AND f.bank_households::bigint * 10000 >= t.bp::bigint * f.total_households, false) AS pass
  FROM months m JOIN developments d ON d.id = m.development_id
  CROSS JOIN LATERAL (SELECT CASE WHEN d.lender_mode = 'sole' THEN 8500 ELSE d.loan_share_bp END AS bp) t
  LEFT JOIN LATERAL (SELECT total_households, bank_households FROM development_figures x
                     WHERE x.development_id = m.development_id AND x.as_of < (m.period + interval '1 month')::date ORDER BY as_of DESC LIMIT 1) f ON true
),
parts AS (
  SELECT sale_id, count(*) AS n, count(coalesce(weight, ratio_bp)) AS nr, coalesce(sum(coalesce(weight, ratio_bp)), 0)::bigint AS r
  FROM sale_departments sd WHERE NOT EXISTS (SELECT 1 FROM sales h WHERE h.id = sd.sale_id AND h.host_department_id = sd.department_id)
  GROUP BY sale_id
),
s AS MATERIALIZED (
  SELECT s.id, s.node_id, date_trunc('month', s.sale_date)::date AS period, s.host_department_id AS host, s.product_id,
         s.project_id, s.development_id, p.mortgage, s.quantity_1e4, s.struck_at IS NOT NULL AS struck,
         coalesce((s.quantity_1e4 * r.score_hundredths + 5000) / 10000, 0)::bigint AS pts, r.host_bp, r.part_bp,
         coalesce(v.development_id IS NOT NULL AND NOT v.pass, false) AS voided,
         -- the host's weight and the departments' total weight (host + participants)
         CASE WHEN pa.n IS NULL THEN 1 WHEN pa.nr = pa.n AND pa.r > 0 THEN r.host_bp * pa.r ELSE r.host_bp * pa.n END AS host_w,
         CASE WHEN pa.n IS NULL THEN 1 WHEN pa.nr = pa.n AND pa.r > 0 THEN (r.host_bp + r.part_bp) * pa.r ELSE (r.host_bp + r.part_bp) * pa.n END AS total_w,
         pa.nr = pa.n AND pa.r > 0 AS by_ratio,
         'score:' || coalesce(r.score_id::text, 'none') || '|split:' || coalesce(r.split_from::text, 'default') || '|mortgage:' ||
           CASE WHEN v.development_id IS NULL THEN 'n/a' WHEN v.pass THEN 'pass' WHEN v.total IS NULL THEN 'void:no_figures'
                ELSE 'void:' || v.bank || '/' || v.total END AS rule_version,
         coalesce(r.score_hundredths::text, '-') || '/' || r.host_bp || '/' || r.part_bp || CASE WHEN s.struck_at IS NOT NULL THEN '/struck' ELSE '' END AS rule_values
  FROM sales s
  JOIN products p ON p.id = s.product_id
  JOIN rule r ON r.product_id = s.product_id AND r.sale_date = s.sale_date
  LEFT JOIN verdict v ON p.mortgage AND v.development_id = s.development_id AND v.period = date_trunc('month', s.sale_date)::date
  LEFT JOIN parts pa ON pa.sale_id = s.id
),
dept_w AS (
  SELECT s.id AS sale_id, s.host AS department_id, s.pts, s.total_w, s.host_w AS w FROM s
  UNION ALL
  SELECT s.id, sd.department_id, s.pts, s.total_w, CASE WHEN s.by_ratio THEN s.part_bp * coalesce(sd.weight, sd.ratio_bp) ELSE s.part_bp END
  FROM s JOIN sale_departments sd ON sd.sale_id = s.id AND sd.department_id <> s.host
),
dept_ranked AS (
  SELECT x.sale_id, x.department_id, x.pts, x.pts * x.w / x.total_w AS fl, x.pts * x.w % x.total_w AS rem,
         x.pts - sum(x.pts * x.w / x.total_w) OVER w AS spare, row_number() OVER (w ORDER BY x.pts * x.w % x.total_w DESC, d.code COLLATE "C", x.department_id) AS place
  FROM dept_w x LEFT JOIN departments d ON d.id = x.department_id
  WHERE x.total_w > 0
  WINDOW w AS (PARTITION BY x.sale_id)
),
dept_pts AS MATERIALIZED (
  SELECT sale_id, department_id, fl + CASE WHEN place <= spare AND rem > 0 THEN 1 ELSE 0 END AS pts FROM dept_ranked
),
people AS (
  SELECT sp.sale_id, sp.department_id, sp.staff_id, sp.role, coalesce(sp.weight, sp.contribution_bp) AS c,
         count(*) OVER g AS n, count(coalesce(sp.weight, sp.contribution_bp)) OVER g AS nc, coalesce(sum(coalesce(sp.weight, sp.contribution_bp)) OVER g, 0) AS sc
  FROM sale_people sp
  WINDOW g AS (PARTITION BY sp.sale_id, sp.department_id)
),
person_w AS (
  SELECT p.sale_id, p.department_id, p.staff_id, p.role, d.pts,
         CASE WHEN p.nc = p.n AND p.sc > 0 THEN p.c ELSE 1 END::bigint AS w, CASE WHEN p.nc = p.n AND p.sc > 0 THEN p.sc ELSE p.n END::bigint AS total_w
  FROM people p JOIN dept_pts d ON d.sale_id = p.sale_id AND d.department_id = p.department_id
),
person_pts AS (
  SELECT sale_id, department_id, staff_id, role, fl + CASE WHEN place <= spare AND rem > 0 THEN 1 ELSE 0 END AS pts FROM (
    SELECT x.sale_id, x.department_id, x.staff_id, x.role, x.pts * x.w / x.total_w AS fl, x.pts * x.w % x.total_w AS rem,
           x.pts - sum(x.pts * x.w / x.total_w) OVER w AS spare,
           row_number() OVER (w ORDER BY x.pts * x.w % x.total_w DESC, coalesce(st.staff_no, '') COLLATE "C", x.staff_id) AS place
    FROM person_w x LEFT JOIN staff st ON st.id = x.staff_id
    WINDOW w AS (PARTITION BY x.sale_id, x.department_id)
  ) y
),
lines AS MATERIALIZED (
  SELECT l.sale_id, s.node_id, s.period, CASE WHEN s.voided THEN 'void' ELSE 'allocation' END AS kind, l.department_id, l.staff_id, l.role, l.pts,
         s.rule_version, s.product_id
  FROM (
    SELECT sale_id, department_id, staff_id, role, pts FROM person_pts
    UNION ALL
    SELECT d.sale_id, d.department_id, NULL::int, NULL::text, d.pts FROM dept_pts d
    WHERE NOT EXISTS (SELECT 1 FROM sale_people x WHERE x.sale_id = d.sale_id AND x.department_id = d.department_id)
  ) l JOIN s ON s.id = l.sale_id
  WHERE l.pts <> 0 AND NOT s.struck
),
ledger AS (
  INSERT INTO floor_ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, role, points_hundredths, rule_version, province_id)
  SELECT x.sale_id, x.node_id, x.period, x.kind, x.department_id, x.staff_id, x.role, x.pts, x.rule_version, o.province_id FROM lines x JOIN org_nodes o ON o.id = x.node_id
),
sale_tot AS (
  -- what each sale puts in its month: all its points (a largest remainder hands out the whole)
  SELECT s.*, CASE WHEN s.struck OR s.total_w = 0 THEN 0 ELSE s.pts END AS eff FROM s
),
keyed AS (
  SELECT s.node_id, s.period, g.grain, g.k1, 0 AS k2, '' AS role,
         CASE WHEN s.voided THEN 0 ELSE s.eff END AS p, CASE WHEN s.voided THEN s.eff ELSE 0 END AS v, (s.eff <> 0)::int AS n
  FROM sale_tot s
  CROSS JOIN LATERAL (VALUES ('B', 0), ('J', coalesce(s.project_id, 0)), ('R', s.product_id), ('V', CASE WHEN s.mortgage THEN s.development_id END)) g(grain, k1)
  WHERE g.k1 IS NOT NULL AND s.eff <> 0
  UNION ALL
  SELECT s.node_id, s.period, 'D', d.department_id, 0, '', CASE WHEN s.voided THEN 0 ELSE d.pts END, CASE WHEN s.voided THEN d.pts ELSE 0 END, 1
  FROM dept_pts d JOIN s ON s.id = d.sale_id WHERE d.pts <> 0 AND NOT s.struck
  UNION ALL
  SELECT node_id, period, 'P', staff_id, department_id, '', CASE WHEN kind = 'void' THEN 0 ELSE pts END, CASE WHEN kind = 'void' THEN pts ELSE 0 END, 1
  FROM lines WHERE staff_id IS NOT NULL
  UNION ALL
  SELECT node_id, period, 'O', staff_id, department_id, role, 0, 0, 1 FROM lines WHERE staff_id IS NOT NULL AND role IS NOT NULL
),
totals AS (
  INSERT INTO floor_statement_totals (node_id, period, grain, k1, k2, role, points_hundredths, voided_hundredths, sales, province_id)
  SELECT x.*, o.province_id FROM (SELECT node_id, period, grain, k1, k2, role, sum(p), sum(v), sum(n) FROM keyed GROUP BY 1, 2, 3, 4, 5, 6) x JOIN org_nodes o ON o.id = x.node_id
),
product_points AS (
  INSERT INTO floor_product_points_totals (node_id, period, department_id, staff_id, product_id, points_hundredths, province_id)
  SELECT x.*, o.province_id FROM (SELECT node_id, period, department_id, coalesce(staff_id, 0), product_id, sum(pts) FROM lines WHERE kind <> 'void'
  GROUP BY 1, 2, 3, 4, 5) x JOIN org_nodes o ON o.id = x.node_id
),
counted AS (
  SELECT s.*, NOT s.struck AND NOT (s.voided AND s.eff > 0) AS counted FROM sale_tot s
),
c_keyed AS (
  SELECT c.node_id, 'D' AS grain, 0 AS k, c.period, x.department_id, c.product_id, c.quantity_1e4 AS q
  FROM counted c CROSS JOIN LATERAL (SELECT c.host UNION SELECT department_id FROM sale_departments sd WHERE sd.sale_id = c.id) x(department_id)
  WHERE c.counted
  UNION ALL
  SELECT c.node_id, 'P', sp.staff_id, c.period, sp.department_id, c.product_id, c.quantity_1e4
  FROM counted c JOIN sale_people sp ON sp.sale_id = c.id WHERE c.counted
  UNION ALL
  SELECT DISTINCT ON (c.id, sp.department_id, a.id) c.node_id, 'O', a.id, c.period, sp.department_id, c.product_id, c.quantity_1e4
  FROM counted c JOIN sale_people sp ON sp.sale_id = c.id JOIN staff st ON st.id = sp.staff_id JOIN org_nodes n ON n.id = st.node_id
  CROSS JOIN LATERAL (SELECT string_to_array(btrim(n.path, '/'), '/')::int[] AS ids) p
  CROSS JOIN LATERAL unnest(p.ids[array_position(p.ids, c.node_id) + 1:]) a(id)
  WHERE c.counted
),
completion AS (
  INSERT INTO floor_completion_totals (node_id, grain, k, period, department_id, product_id, quantity_1e4, sales, province_id)
  SELECT x.*, o.province_id FROM (SELECT node_id, grain, k, period, department_id, product_id, sum(q), count(*) FROM c_keyed GROUP BY 1, 2, 3, 4, 5, 6) x JOIN org_nodes o ON o.id = x.node_id
),
keys AS (
  INSERT INTO floor_sale_scoring (sale_id, rule_key, counted, province_id)
  SELECT x.id, x.rule_version || '#' || x.rule_values, x.counted, o.province_id FROM counted x JOIN org_nodes o ON o.id = x.node_id
)
SELECT count(*)::int AS lines FROM lines`;
