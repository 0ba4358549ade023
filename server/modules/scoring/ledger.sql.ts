import { sql, type SQL } from 'drizzle-orm';
import { completionFlipCtes } from './completion.sql.js';
import { inProvince, provinceValue } from './province.sql.js';
import { DEFAULT_SPLIT, SOLE_LENDER_THRESHOLD_BP } from './scoring.rules.js';

/**
 * The scoring rules of scoring.rules.ts, set-based (ARCHITECTURE "Ledger", benchmark): one
 * statement scores every sale matched by `filter` (a condition on `s`, the sales table), compares
 * the result with the net of the ledger per (sale, department, person, kind) and — for the sales
 * whose points changed, and only those — appends a reversal of the old net and the new entries.
 *
 * Points/void buckets: `allocation` and `reversal` entries carry points; `void` entries carry the
 * points a mortgage sale would have had (positive), and are cancelled by a negative `void` entry.
 *
 * Rule by rule (must match scoring.rules.ts; ledger.db.test.ts checks it on random sales):
 * - score version: the product_scores row with the latest effective_from ≤ sale_date (none → 0);
 * - split rule: the split_rules row with the latest effective_from ≤ sale_date (none → 20/80);
 * - points: (quantity_1e4 × score_hundredths + 5000) / 10000 (half-up to 0.01);
 * - department weights in one largest-remainder pass: host = host_bp × Σratios (or × n when a
 *   ratio is missing), participant = participants_bp × ratio (or × 1); no participant → host 100 %;
 * - people by contribution (equal when one is missing or all are 0); no people → department line;
 * - largest remainder: floor, then the spare hundredths to the largest remainders, ties to the
 *   department code / staff number that sorts first (byte order, COLLATE "C"), then the id — the
 *   keys of scoring.rules.ts (deptKey, staffKey), never the order records were created in;
 * - mortgage (SPEC §8): figures as of the period's end; bank × 10000 ≥ threshold × total passes.
 */
/**
 * The rule part shared by scoring and by the recompute's change check: per sale matched by
 * `filter`, the score version and split rule in force on its date, its points, the mortgage
 * verdict of its development for its month, and `rule_key` — everything outside the sale's own
 * rows that its allocation depends on (versions AND values, and whether it is struck). Two runs
 * with the same key and the same sale rows allocate the same lines.
 */
export function ruleCtes(filter: SQL): SQL {
  return sql`
days AS (
  -- The score and split in force per (product, sale date): a few thousand lookups joined back by
  -- equality, which keeps the planner's row estimates sane (a range join would not).
  SELECT DISTINCT s.product_id, s.sale_date FROM sales s WHERE ${filter}
),
rule AS (
  SELECT days.product_id, days.sale_date, ps.id AS score_id, ps.score_hundredths,
         sp.effective_from AS split_from, sp.host_bp, sp.participants_bp
  FROM days
  LEFT JOIN LATERAL (
    SELECT id, score_hundredths FROM product_scores
    WHERE product_id = days.product_id AND effective_from <= days.sale_date ORDER BY effective_from DESC LIMIT 1
  ) ps ON true
  LEFT JOIN LATERAL (
    SELECT effective_from, host_bp, participants_bp FROM split_rules
    WHERE effective_from <= days.sale_date ORDER BY effective_from DESC LIMIT 1
  ) sp ON true
),
base AS (
  SELECT s.id AS sale_id, s.node_id, date_trunc('month', s.sale_date)::date AS period, s.host_department_id,
         s.development_id, s.project_id, s.product_id, p.mortgage, r.score_id, r.score_hundredths, s.quantity_1e4,
         s.struck_at IS NOT NULL AS struck,
         coalesce((s.quantity_1e4 * r.score_hundredths + 5000) / 10000, 0)::bigint AS pts,
         coalesce(r.host_bp, ${DEFAULT_SPLIT.hostBp})::bigint AS host_bp,
         coalesce(r.participants_bp, ${DEFAULT_SPLIT.participantsBp})::bigint AS part_bp,
         r.split_from
  FROM sales s
  JOIN products p ON p.id = s.product_id
  JOIN rule r ON r.product_id = s.product_id AND r.sale_date = s.sale_date
  WHERE ${filter}
),
dev AS (
  SELECT DISTINCT development_id, period FROM base WHERE mortgage AND development_id IS NOT NULL
),
verdict AS (
  SELECT dev.development_id, dev.period, f.total_households, f.bank_households,
         coalesce(
           (CASE WHEN d.lender_mode = 'sole' THEN ${SOLE_LENDER_THRESHOLD_BP} ELSE d.loan_share_bp END) IS NOT NULL
           AND f.total_households > 0
           AND f.bank_households::bigint * 10000 >= (CASE WHEN d.lender_mode = 'sole' THEN ${SOLE_LENDER_THRESHOLD_BP} ELSE d.loan_share_bp END)::bigint * f.total_households,
           false) AS pass
  FROM dev
  JOIN developments d ON d.id = dev.development_id
  LEFT JOIN LATERAL (
    SELECT total_households, bank_households FROM development_figures
    WHERE development_id = dev.development_id AND as_of < (dev.period + interval '1 month')::date
    ORDER BY as_of DESC LIMIT 1
  ) f ON true
),
versioned AS (
  SELECT b.sale_id, b.node_id, b.period, b.host_department_id, b.pts, b.host_bp, b.part_bp, b.struck,
         b.project_id, b.product_id, b.mortgage, b.development_id, b.quantity_1e4,
         (v.development_id IS NOT NULL AND NOT v.pass) AS voided,
         'score:' || coalesce(b.score_id::text, 'none') || '|split:' || coalesce(b.split_from::text, 'default') || '|mortgage:' ||
           CASE WHEN v.development_id IS NULL THEN 'n/a'
                WHEN v.pass THEN 'pass'
                WHEN v.total_households IS NULL THEN 'void:no_figures'
                ELSE 'void:' || v.bank_households || '/' || v.total_households END AS rule_version,
         coalesce(b.score_hundredths::text, '-') || '/' || b.host_bp || '/' || b.part_bp || CASE WHEN b.struck THEN '/struck' ELSE '' END AS rule_values
  FROM base b
  LEFT JOIN verdict v ON b.mortgage AND v.development_id = b.development_id AND v.period = b.period
),
sale AS (
  SELECT versioned.*, rule_version || '#' || rule_values AS rule_key FROM versioned
)`;
}

/**
 * Largest remainder, set-based: the CTEs that split `pts` of each group of rows (`partition`) over
 * its rows by their integer weight `w`, exactly as allocation.ts does it row by row — each row the
 * floor of its share, then the spare hundredths one each to the largest remainders, ties to the
 * row whose `tie` (department code / staff number) sorts first in byte order (COLLATE "C", as
 * the keys of scoring.rules.ts compare), then the smaller `tieBreak` id. Written once and used
 * twice (sale → departments, department → people) so the two splits cannot drift apart.
 *
 * `from` is a CTE with the `keep` columns, `tie` (text), `pts` (the group's amount, on each of
 * its rows) and `w`; the result is the CTE `<name>_points` with the `keep` columns and the row's `pts`. A group
 * whose weights sum to 0 gets 0 on every row (only departments can: people always weigh ≥ 1).
 * The names and columns are literals of this file, inlined with sql.raw; never user input.
 */
function largestRemainderCtes(o: { name: string; from: string; keep: string; partition: string; tieBreak: string }): SQL {
  const [name, from, keep, partition, tieBreak] = [o.name, o.from, o.keep, o.partition, o.tieBreak].map((x) => sql.raw(x));
  return sql`${name}_weight_total AS (
  SELECT ${keep}, tie, pts, w, sum(w) OVER (PARTITION BY ${partition})::bigint AS total_w FROM ${from}
),
${name}_floor AS (
  SELECT ${keep}, tie, pts,
         CASE WHEN total_w = 0 THEN 0 ELSE pts * w / total_w END AS floored,
         CASE WHEN total_w = 0 THEN 0 ELSE pts * w % total_w END AS remainder
  FROM ${name}_weight_total
),
${name}_rank AS (
  SELECT ${keep}, floored, remainder, pts - sum(floored) OVER (PARTITION BY ${partition})::bigint AS spare,
         row_number() OVER (PARTITION BY ${partition} ORDER BY remainder DESC, tie COLLATE "C", ${tieBreak}) AS place
  FROM ${name}_floor
),
${name}_points AS (
  SELECT ${keep}, floored + CASE WHEN place <= spare AND remainder > 0 THEN 1 ELSE 0 END AS pts FROM ${name}_rank
)`;
}

/**
 * The allocation of the sales in `sale` (ruleCtes) and the ledger's live lines for them: `desired`
 * (what the rules give today, per sale × department × person × kind) and `existing` (the ledger's
 * net per the same key, by the month each line belongs to). The scoring statement appends their
 * difference; the verifier (ledger.verify.ts) only reads it.
 */
export function allocationCtes(province: number | null = null): SQL {
  return sql`
participants AS (
  -- The participating departments (the host is not one of them), with per sale their number, how
  -- many have a ratio and the ratios' sum. A ratio is an integer proportion: a weight as written
  -- (1:2) or a percentage's basis points (40/60 = 4000:6000), decision 0026.
  SELECT sd.sale_id, sd.department_id, sd.ratio_bp,
         count(*) OVER g AS n, count(sd.ratio_bp) OVER g AS nr, coalesce(sum(sd.ratio_bp) OVER g, 0)::bigint AS r
  FROM (SELECT sale_id, department_id, coalesce(weight, ratio_bp) AS ratio_bp FROM sale_departments WHERE true${inProvince('sale_departments', province)}) sd
  JOIN sale s ON s.sale_id = sd.sale_id AND sd.department_id <> s.host_department_id
  WINDOW g AS (PARTITION BY sd.sale_id)
),
participant_sums AS (
  SELECT DISTINCT ON (sale_id) sale_id, n, nr, r FROM participants ORDER BY sale_id
),
dept_weights AS (
  -- tie: the department code, the tie-break of equal remainders (SPEC §7).
  SELECT s.sale_id, s.host_department_id AS department_id, coalesce(hd.code, '') AS tie, s.pts,
         CASE WHEN pa.n IS NULL THEN 1 WHEN pa.nr = pa.n AND pa.r > 0 THEN s.host_bp * pa.r ELSE s.host_bp * pa.n END::bigint AS w
  FROM sale s LEFT JOIN participant_sums pa ON pa.sale_id = s.sale_id
  LEFT JOIN departments hd ON hd.id = s.host_department_id
  UNION ALL
  SELECT p.sale_id, p.department_id, coalesce(pd.code, ''), s.pts,
         CASE WHEN p.nr = p.n AND p.r > 0 THEN s.part_bp * p.ratio_bp ELSE s.part_bp END::bigint
  FROM participants p JOIN sale s ON s.sale_id = p.sale_id
  LEFT JOIN departments pd ON pd.id = p.department_id
),
${largestRemainderCtes({ name: 'dept', from: 'dept_weights', keep: 'sale_id, department_id', partition: 'sale_id', tieBreak: 'department_id' })},
person_weights AS (
  -- tie: the staff number, the tie-break of equal remainders (SPEC §7).
  SELECT sp.sale_id, sp.department_id, sp.staff_id, sp.role, coalesce(st.staff_no, '') AS tie, dp.pts,
         CASE WHEN count(sp.contribution_bp) OVER g = count(*) OVER g AND coalesce(sum(sp.contribution_bp) OVER g, 0) > 0
              THEN sp.contribution_bp ELSE 1 END::bigint AS w
  FROM (SELECT sale_id, department_id, staff_id, role, coalesce(weight, contribution_bp) AS contribution_bp FROM sale_people WHERE true${inProvince('sale_people', province)}) sp
  JOIN dept_points dp ON dp.sale_id = sp.sale_id AND dp.department_id = sp.department_id
  LEFT JOIN staff st ON st.id = sp.staff_id
  WINDOW g AS (PARTITION BY sp.sale_id, sp.department_id)
),
${largestRemainderCtes({ name: 'person', from: 'person_weights', keep: 'sale_id, department_id, staff_id, role', partition: 'sale_id, department_id', tieBreak: 'staff_id' })},
lines AS (
  SELECT sale_id, department_id, staff_id, role, pts FROM person_points
  UNION ALL
  SELECT dp.sale_id, dp.department_id, NULL::int, NULL::text, dp.pts FROM dept_points dp
  WHERE NOT EXISTS (SELECT 1 FROM sale_people x WHERE x.sale_id = dp.sale_id AND x.department_id = dp.department_id${inProvince('x', province)})
),
desired AS (
  SELECT l.sale_id, s.node_id, s.period, CASE WHEN s.voided THEN 'void' ELSE 'allocation' END AS kind,
         l.department_id, l.staff_id, l.role, l.pts::bigint AS pts, s.rule_version
  FROM lines l JOIN sale s ON s.sale_id = l.sale_id
  WHERE l.pts <> 0 AND NOT s.struck
),
existing AS (
  -- The live lines per sale, by the month they belong to (an adjustment belongs to the month it
  -- corrects, not the month it was written in).
  SELECT e.sale_id, e.node_id, coalesce(e.adjusts_period, e.period) AS period, e.department_id, e.staff_id, e.role,
         (e.kind = 'void') AS is_void, sum(e.points_hundredths)::bigint AS net,
         max(e.id) FILTER (WHERE e.kind <> 'reversal' AND e.points_hundredths > 0) AS last_id
  FROM ledger_entries e
  WHERE e.sale_id IN (SELECT sale_id FROM sale)${inProvince('e', province)}
  GROUP BY e.sale_id, e.node_id, coalesce(e.adjusts_period, e.period), e.department_id, e.staff_id, e.role, (e.kind = 'void')
  HAVING sum(e.points_hundredths) <> 0
)`;
}

/**
 * The sales matched by `filter` whose rule key differs from the one they were last scored with
 * (or that were never scored): the only ones a recompute has to re-allocate.
 */
export function staleSalesStatement(filter: SQL, province: number | null = null): SQL {
  return sql`
WITH ${ruleCtes(filter)}
SELECT s.sale_id FROM sale s LEFT JOIN sale_scoring k ON k.sale_id = s.sale_id${inProvince('k', province)}
WHERE k.rule_key IS DISTINCT FROM s.rule_key`;
}

/**
 * Month states whose figures are frozen (issue 12 rule 2): once a month is published its notice
 * never changes silently. A line that would land in a frozen month is written into the branch's
 * open month instead, as an adjustment naming it. The one exception is an objection upheld inside
 * the publication window: it corrects the published month itself (`upheldObjection`), and the
 * notice gets a new numbered version saying what changed.
 */
export function frozenStates(opts: { upheldObjection?: boolean } = {}): string[] {
  return opts.upheldObjection ? ['submitted', 'audited', 'locked'] : ['published', 'submitted', 'audited', 'locked'];
}

/**
 * @param openFrom the first day of the current month (Beijing): a line of a frozen month is
 * written there or in the next month that is still a draft.
 */
export function scoringStatement(filter: SQL, openFrom: string, frozen: string[] = frozenStates(), province: number | null = null): SQL {
  const OPEN_FROM = sql`${openFrom}`;
  const FROZEN = sql`${`{${frozen.join(',')}}`}::text[]`;
  return sql`
WITH ${ruleCtes(filter)}, ${allocationCtes(province)},
-- Quota completion (decision 0018): a sale that starts or stops counting (struck, voided, void
-- lifted, first scored) moves into or out of completion_totals; sale_scoring.counted remembers.
-- Here, not in allocationCtes: the verifier reads those in a READ ONLY transaction.
${completionFlipCtes(province)},
changed AS (
  SELECT DISTINCT coalesce(d.sale_id, x.sale_id) AS sale_id
  FROM desired d
  FULL JOIN existing x
    ON x.sale_id = d.sale_id AND x.node_id = d.node_id AND x.period = d.period AND x.department_id = d.department_id
   AND coalesce(x.staff_id, 0) = coalesce(d.staff_id, 0) AND coalesce(x.role, '') = coalesce(d.role, '') AND x.is_void = (d.kind = 'void')
  WHERE d.sale_id IS NULL OR x.sale_id IS NULL OR d.pts <> x.net
),
natural_moves AS (
  -- Every line of a changed sale that leaves the statement (its reversal) or enters it, in the
  -- month it belongs to.
  SELECT x.sale_id, x.node_id, x.period, CASE WHEN x.is_void THEN 'void' ELSE 'reversal' END AS kind,
         x.department_id, x.staff_id, x.role, -x.net AS pts, x.last_id AS reverses_id, -1 AS dir
  FROM existing x JOIN changed c ON c.sale_id = x.sale_id
  UNION ALL
  SELECT d.sale_id, d.node_id, d.period, d.kind, d.department_id, d.staff_id, d.role, d.pts, NULL::bigint, 1
  FROM desired d JOIN changed c ON c.sale_id = d.sale_id
),
frozen AS (
  SELECT DISTINCT m.node_id, m.period FROM natural_moves m
  JOIN periods p ON p.node_id = m.node_id AND p.period = m.period AND p.state = ANY(${FROZEN})
),
routed AS (
  -- A frozen month never changes silently (SPEC §9.5, issue 12 rule 2): its lines go to the
  -- branch's open month — the first month from openFrom on that is still a draft — as
  -- adjustments naming it.
  SELECT l.node_id, l.period,
         (SELECT min(m)::date FROM generate_series(greatest(l.period, ${OPEN_FROM}::date), ${OPEN_FROM}::date + interval '36 months', interval '1 month') m
           WHERE NOT EXISTS (SELECT 1 FROM periods q WHERE q.node_id = l.node_id AND q.period = m::date AND q.state <> 'draft')) AS target
  FROM frozen l
),
moves AS (
  SELECT m.sale_id, m.node_id, coalesce(r.target, m.period) AS period, CASE WHEN r.target IS NOT NULL THEN m.period END AS adjusts_period,
         m.kind, m.department_id, m.staff_id, m.role, m.pts, m.reverses_id, m.dir
  FROM natural_moves m LEFT JOIN routed r ON r.node_id = m.node_id AND r.period = m.period
),
written AS (
  INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, role, points_hundredths, rule_version, reverses_id, adjusts_period, province_id)
  SELECT m.sale_id, m.node_id, m.period, m.kind, m.department_id, m.staff_id, m.role, m.pts, s.rule_version, m.reverses_id, m.adjusts_period, ${provinceValue(province)}
  FROM moves m JOIN sale s ON s.sale_id = m.sale_id
  RETURNING kind, points_hundredths
),
per_sale AS (
  -- Per sale and month: its points moving in or out, and whether it enters (+1) or leaves (−1)
  -- the month. Adjustments move points into the open month but not sales: a sale belongs to its
  -- own month. The same per department and per person below; one pass over the moves each.
  SELECT node_id, period, sale_id,
         coalesce(sum(pts) FILTER (WHERE kind <> 'void'), 0) AS p, coalesce(sum(pts) FILTER (WHERE kind = 'void'), 0) AS v,
         coalesce(bool_or(dir = 1 AND adjusts_period IS NULL), false)::int - coalesce(bool_or(dir = -1 AND adjusts_period IS NULL), false)::int AS n
  FROM moves GROUP BY node_id, period, sale_id
),
per_dept AS (
  SELECT node_id, period, department_id,
         coalesce(sum(pts) FILTER (WHERE kind <> 'void'), 0) AS p, coalesce(sum(pts) FILTER (WHERE kind = 'void'), 0) AS v,
         coalesce(bool_or(dir = 1 AND adjusts_period IS NULL), false)::int - coalesce(bool_or(dir = -1 AND adjusts_period IS NULL), false)::int AS n
  FROM moves GROUP BY node_id, period, sale_id, department_id
),
per_person AS (
  SELECT node_id, period, staff_id, department_id,
         coalesce(sum(pts) FILTER (WHERE kind <> 'void'), 0) AS p, coalesce(sum(pts) FILTER (WHERE kind = 'void'), 0) AS v,
         coalesce(bool_or(dir = 1 AND adjusts_period IS NULL), false)::int - coalesce(bool_or(dir = -1 AND adjusts_period IS NULL), false)::int AS n
  FROM moves WHERE staff_id IS NOT NULL GROUP BY node_id, period, sale_id, staff_id, department_id
),
per_role AS (
  SELECT node_id, period, staff_id, department_id, role,
         coalesce(bool_or(dir = 1 AND adjusts_period IS NULL), false)::int - coalesce(bool_or(dir = -1 AND adjusts_period IS NULL), false)::int AS n
  FROM moves WHERE staff_id IS NOT NULL AND role IS NOT NULL GROUP BY node_id, period, sale_id, staff_id, department_id, role
),
keyed AS (
  -- statement_totals grains: B branch, D department, P person, O role, J project, R product, V development.
  SELECT ps.node_id, ps.period, g.grain, g.k1, 0 AS k2, '' AS role, ps.p, ps.v, ps.n
  FROM per_sale ps JOIN sale s ON s.sale_id = ps.sale_id
  CROSS JOIN LATERAL (VALUES ('B', 0), ('J', coalesce(s.project_id, 0)), ('R', s.product_id),
                             ('V', CASE WHEN s.mortgage THEN s.development_id END)) g(grain, k1)
  WHERE g.k1 IS NOT NULL
  UNION ALL
  SELECT node_id, period, 'D', department_id, 0, '', p, v, n FROM per_dept
  UNION ALL
  SELECT node_id, period, 'P', staff_id, department_id, '', p, v, n FROM per_person
  UNION ALL
  SELECT node_id, period, 'O', staff_id, department_id, role, 0, 0, n FROM per_role
),
totals AS (
  INSERT INTO statement_totals AS t (node_id, period, grain, k1, k2, role, points_hundredths, voided_hundredths, sales, province_id)
  SELECT node_id, period, grain, k1, k2, role, sum(p), sum(v), sum(n), ${provinceValue(province)} FROM keyed
  GROUP BY node_id, period, grain, k1, k2, role
  HAVING sum(p) <> 0 OR sum(v) <> 0 OR sum(n) <> 0
  ON CONFLICT (node_id, period, grain, k1, k2, role, province_id) DO UPDATE
    SET points_hundredths = t.points_hundredths + excluded.points_hundredths,
        voided_hundredths = t.voided_hundredths + excluded.voided_hundredths,
        sales = t.sales + excluded.sales
  RETURNING 1
),
product_points AS (
  -- Points per department × person × product by the month written (decision 0018): what the
  -- line filters of the rankings and the drill-down read. Void lines are not points.
  INSERT INTO product_points_totals AS t (node_id, period, department_id, staff_id, product_id, points_hundredths, province_id)
  SELECT m.node_id, m.period, m.department_id, coalesce(m.staff_id, 0), s.product_id, sum(m.pts), ${provinceValue(province)}
  FROM moves m JOIN sale s ON s.sale_id = m.sale_id
  WHERE m.kind <> 'void'
  GROUP BY m.node_id, m.period, m.department_id, coalesce(m.staff_id, 0), s.product_id
  HAVING sum(m.pts) <> 0
  ON CONFLICT (node_id, period, department_id, staff_id, product_id, province_id) DO UPDATE
    SET points_hundredths = t.points_hundredths + excluded.points_hundredths
  RETURNING 1
),
keys AS (
  INSERT INTO sale_scoring AS k (sale_id, rule_key, counted, province_id)
  SELECT s.sale_id, s.rule_key, f.counted, ${provinceValue(province)} FROM sale s JOIN c_flip f ON f.sale_id = s.sale_id
  ON CONFLICT (sale_id, province_id) DO UPDATE SET rule_key = excluded.rule_key, counted = excluded.counted
    WHERE (k.rule_key, k.counted) IS DISTINCT FROM (excluded.rule_key, excluded.counted)
  RETURNING 1
)
SELECT (SELECT count(*) FROM written WHERE kind = 'reversal' OR (kind = 'void' AND points_hundredths < 0))::int AS reversed,
       (SELECT count(*) FROM written WHERE kind = 'allocation' OR (kind = 'void' AND points_hundredths > 0))::int AS written,
       (SELECT count(*) FROM changed)::int AS sales,
       (SELECT count(*) FROM totals)::int AS totals,
       (SELECT count(*) FROM keys)::int AS keys,
       (SELECT count(*) FROM c_written)::int AS completion,
       (SELECT count(*) FROM product_points)::int AS product_points`;
}

/**
 * statement_totals recomputed from the ledger alone (what migration 0009 backfilled with): the
 * check that the totals kept by scoringStatement never drift from the entries they sum.
 */
export function totalsFromLedgerStatement(): SQL {
  return sql`
WITH live AS (
  SELECT e.sale_id, e.node_id, e.period, e.department_id, e.staff_id, e.role, e.kind = 'void' AS is_void, sum(e.points_hundredths) AS net,
         bool_and(e.adjusts_period IS NOT NULL) AS adj
  FROM ledger_entries e GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(e.points_hundredths) <> 0
), keyed AS (
  SELECT l.node_id, l.period, g.grain, g.k1, g.k2, g.role, l.sale_id, l.is_void, CASE WHEN g.grain = 'O' THEN 0 ELSE l.net END AS net, l.adj
  FROM live l JOIN sales s ON s.id = l.sale_id JOIN products p ON p.id = s.product_id
  CROSS JOIN LATERAL (VALUES ('B', 0, 0, ''), ('D', l.department_id, 0, ''), ('P', l.staff_id, l.department_id, ''),
                             ('O', CASE WHEN l.role IS NOT NULL THEN l.staff_id END, l.department_id, l.role),
                             ('J', coalesce(s.project_id, 0), 0, ''), ('R', s.product_id, 0, ''),
                             ('V', CASE WHEN p.mortgage THEN s.development_id END, 0, '')) g(grain, k1, k2, role)
  WHERE g.k1 IS NOT NULL
)
SELECT node_id, period::text AS period, grain, k1, k2, role, coalesce(sum(net) FILTER (WHERE NOT is_void), 0)::bigint AS points,
       coalesce(sum(net) FILTER (WHERE is_void), 0)::bigint AS voided, (count(DISTINCT sale_id) FILTER (WHERE NOT adj))::int AS sales
FROM keyed GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum(net) <> 0 OR count(DISTINCT sale_id) FILTER (WHERE NOT adj) > 0`;
}

/**
 * product_points_totals recomputed from the ledger alone (what migration 0018 backfilled with):
 * the check that the kept totals never drift from the entries they sum.
 */
export function productPointsFromLedgerStatement(): SQL {
  return sql`
SELECT e.node_id, e.period::text AS period, e.department_id, coalesce(e.staff_id, 0) AS staff_id, s.product_id, sum(e.points_hundredths)::bigint AS points
FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
WHERE e.kind <> 'void'
GROUP BY 1, 2, 3, 4, 5 HAVING sum(e.points_hundredths) <> 0`;
}
