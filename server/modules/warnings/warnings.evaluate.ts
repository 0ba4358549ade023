import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';

/**
 * The daily evaluation (SPEC §12, seed 002 "每天在数据湖进行数据挖掘"), set-based: one
 * INSERT … SELECT per rule kind over the day's feed (warnings.rules.ts `evaluate` is the reference),
 * then one UPDATE that merges hits into open warnings of the same client and indicator, one INSERT
 * for the new warnings, one INSERT of their recipients along the company ↔ people graph and one
 * INSERT of the day's digest notifications — never a loop over clients.
 */

/** The indicator versions in force on `day` (the latest valid_from ≤ day per code), active ones only. */
export function indicatorsOn(day: string): SQL {
  return sql`SELECT * FROM (SELECT DISTINCT ON (code) * FROM ew_indicators WHERE valid_from <= ${day}::date ORDER BY code, valid_from DESC) v
              WHERE v.active AND (v.valid_to IS NULL OR v.valid_to >= ${day}::date)`;
}

/** `a op b` for the indicator's operator column, in SQL. */
const cmp = (a: SQL, b: SQL): SQL => sql`CASE i.op WHEN 'gt' THEN ${a} > ${b} WHEN 'gte' THEN ${a} >= ${b} WHEN 'lt' THEN ${a} < ${b} WHEN 'lte' THEN ${a} <= ${b} END`;

export interface RunOutcome {
  runId: number;
  day: string;
  evaluated: number;
  hits: number;
  newWarnings: number;
  merged: number;
  recipients: number;
  digests: number;
}

const one = async (tx: DbOrTx, q: SQL): Promise<number> => Number((await rows<{ n: number }>(tx, q))[0]?.n ?? 0);

/**
 * Evaluates `day` once (the ew_runs row is unique per day: a second call returns null). Runs in the
 * caller's transaction, so the run, its hits, warnings, recipients and digests commit together.
 */
export async function evaluateDay(tx: DbOrTx, day: string, actor: Actor, runBy: string): Promise<RunOutcome | null> {
  const now = clock.now().toISOString();
  const [run] = await rows<{ id: number }>(tx, sql`INSERT INTO ew_runs (day, started_at, run_by) VALUES (${day}::date, ${now}::timestamptz, ${runBy}) ON CONFLICT (day) DO NOTHING RETURNING id`);
  if (!run) return null;
  const ind = indicatorsOn(day);

  // 1. One INSERT … SELECT per rule kind.
  await tx.execute(sql`INSERT INTO ew_hits (day, indicator_id, client_id, run_id, value)
    SELECT f.day, i.id, f.client_id, ${run.id}, f.value FROM (${ind}) i JOIN ew_feed f ON f.day = ${day}::date AND f.source = i.source
     WHERE i.kind = 'threshold' AND ${cmp(sql`f.value`, sql`i.threshold`)}`);
  await tx.execute(sql`INSERT INTO ew_hits (day, indicator_id, client_id, run_id, value)
    SELECT f.day, i.id, f.client_id, ${run.id}, f.value FROM (${ind}) i JOIN ew_feed f ON f.day = ${day}::date AND f.source = i.source
     WHERE i.kind = 'boolean' AND f.value <> 0`);
  await tx.execute(sql`INSERT INTO ew_hits (day, indicator_id, client_id, run_id, value, base_value, base_day)
    SELECT f.day, i.id, f.client_id, ${run.id}, f.value, b.value, b.day FROM (${ind}) i
      JOIN ew_feed f ON f.day = ${day}::date AND f.source = i.source
      JOIN ew_feed b ON b.day = ${day}::date - i.window_days AND b.source = i.source AND b.client_id = f.client_id
     WHERE i.kind = 'change' AND b.value > 0 AND ${cmp(sql`(f.value - b.value)::numeric * 10000`, sql`i.threshold::numeric * b.value`)}`);

  // 2. What was evaluated: per indicator, the clients with data that day (misses counted, not stored).
  await tx.execute(sql`INSERT INTO ew_run_counts (run_id, indicator_id, evaluated, hits)
    SELECT ${run.id}, i.id, coalesce(fc.n, 0), coalesce(hc.n, 0) FROM (${ind}) i
      LEFT JOIN (SELECT source, count(*)::int AS n FROM ew_feed WHERE day = ${day}::date GROUP BY source) fc ON fc.source = i.source
      LEFT JOIN (SELECT indicator_id, count(*)::int AS n FROM ew_hits WHERE day = ${day}::date GROUP BY indicator_id) hc ON hc.indicator_id = i.id`);

  // 3. Merge: a hit on a client + indicator with an open warning adds an occurrence, not a warning.
  const merged = await one(
    tx,
    sql`WITH h AS (SELECT h.client_id, i.code, i.id AS indicator_id, i.severity FROM ew_hits h JOIN ew_indicators i ON i.id = h.indicator_id WHERE h.day = ${day}::date),
         upd AS (UPDATE ew_warnings w SET occurrences = w.occurrences + 1, last_day = ${day}::date, indicator_id = h.indicator_id, severity = h.severity, updated_at = ${now}::timestamptz
                   FROM h WHERE w.client_id = h.client_id AND w.indicator_code = h.code AND w.status <> 'closed' AND w.last_day < ${day}::date RETURNING 1)
        SELECT count(*)::int AS n FROM upd`,
  );
  // 4. New warnings: the client's node and managing AM today.
  const fresh = await one(
    tx,
    sql`WITH ins AS (INSERT INTO ew_warnings (client_id, indicator_code, indicator_id, severity, node_id, am_staff_id, first_day, last_day, created_at, updated_at)
          SELECT h.client_id, i.code, i.id, i.severity, c.node_id, c.account_manager_id, ${day}::date, ${day}::date, ${now}::timestamptz, ${now}::timestamptz
            FROM ew_hits h JOIN ew_indicators i ON i.id = h.indicator_id JOIN corporate_clients c ON c.id = h.client_id
           WHERE h.day = ${day}::date AND NOT EXISTS (SELECT 1 FROM ew_warnings w WHERE w.client_id = h.client_id AND w.indicator_code = i.code AND w.status <> 'closed')
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  await tx.execute(sql`UPDATE ew_hits h SET warning_id = w.id FROM ew_indicators i, ew_warnings w
    WHERE h.day = ${day}::date AND i.id = h.indicator_id AND w.client_id = h.client_id AND w.indicator_code = i.code AND w.status <> 'closed'`);

  // 5. Recipients of the new warnings, along the graph.
  const recipients = await addRecipients(tx, day);
  // 6. One digest per recipient for the day.
  const digests = await sendDigests(tx, day, now);

  const [tot] = await rows<{ evaluated: number; hits: number }>(
    tx,
    sql`SELECT coalesce(sum(evaluated), 0)::int AS evaluated, coalesce(sum(hits), 0)::int AS hits FROM ew_run_counts WHERE run_id = ${run.id}`,
  );
  await tx.execute(
    sql`UPDATE ew_runs SET evaluated = ${tot.evaluated}, hits = ${tot.hits}, new_warnings = ${fresh}, merged = ${merged}, finished_at = ${clock.now().toISOString()}::timestamptz WHERE id = ${run.id}`,
  );
  await appendAudit(tx, actor, { action: 'warning.run', entity: 'ew_run', entityId: run.id, nodeId: BANK_WIDE, after: { day, evaluated: tot.evaluated, hits: tot.hits, newWarnings: fresh, merged } });
  return { runId: run.id, day, evaluated: tot.evaluated, hits: tot.hits, newWarnings: fresh, merged, recipients, digests };
}

/**
 * Who receives a new warning (first seen on `day`): the client's managing AM; the AMs of related
 * companies (group parent or subsidiary, companies sharing an owner or legal representative,
 * companies whose loans the client guarantees); the dedicated AMs of its owners and legal
 * representative; the AMs of its guarantors (companies and people). Active staff only.
 */
export async function addRecipients(tx: DbOrTx, day: string): Promise<number> {
  return one(
    tx,
    sql`WITH nw AS (SELECT id, client_id FROM ew_warnings WHERE first_day = ${day}::date AND status <> 'closed'),
      owners AS (SELECT cp.company_id, cp.person_id FROM company_people cp WHERE cp.role IN ('shareholder', 'legal_rep') AND (cp.until IS NULL OR cp.until >= ${day}::date)),
      cand AS (
        SELECT nw.id, c.account_manager_id AS staff_id, 'manager' AS reason, NULL::text AS via FROM nw JOIN corporate_clients c ON c.id = nw.client_id
        UNION ALL
        SELECT nw.id, rc.account_manager_id, 'related_company', rc.name FROM nw JOIN company_links l ON nw.client_id IN (l.parent_id, l.child_id)
          JOIN corporate_clients rc ON rc.id = CASE WHEN l.child_id = nw.client_id THEN l.parent_id ELSE l.child_id END
        UNION ALL
        SELECT nw.id, rc.account_manager_id, 'related_company', rc.name FROM nw JOIN owners o ON o.company_id = nw.client_id
          JOIN owners o2 ON o2.person_id = o.person_id AND o2.company_id <> nw.client_id JOIN corporate_clients rc ON rc.id = o2.company_id
        UNION ALL
        SELECT nw.id, rc.account_manager_id, 'related_company', rc.name FROM nw JOIN ew_guarantees g ON g.guarantor_company_id = nw.client_id AND (g.until IS NULL OR g.until >= ${day}::date)
          JOIN corporate_clients rc ON rc.id = g.client_id
        UNION ALL
        SELECT nw.id, p.dedicated_am_id, 'owner', p.name FROM nw JOIN owners o ON o.company_id = nw.client_id JOIN individuals p ON p.id = o.person_id
        UNION ALL
        SELECT nw.id, coalesce(gc.account_manager_id, gp.dedicated_am_id), 'guarantor', coalesce(gc.name, gp.name) FROM nw
          JOIN ew_guarantees g ON g.client_id = nw.client_id AND (g.until IS NULL OR g.until >= ${day}::date)
          LEFT JOIN corporate_clients gc ON gc.id = g.guarantor_company_id LEFT JOIN individuals gp ON gp.id = g.guarantor_person_id),
      ins AS (INSERT INTO ew_recipients (warning_id, staff_id, reason, via, added_on)
        SELECT DISTINCT ON (cand.id, cand.staff_id, cand.reason) cand.id, cand.staff_id, cand.reason, cand.via, ${day}::date
          FROM cand JOIN staff s ON s.id = cand.staff_id AND s.active
         ORDER BY cand.id, cand.staff_id, cand.reason, cand.via
        ON CONFLICT DO NOTHING RETURNING 1)
      SELECT count(*)::int AS n FROM ins`,
  );
}

/**
 * The day's digest (alert fatigue): one notification per recipient who has a warning first seen or
 * seen again on `day`, with how many are new, repeated and awaiting handling — the same text as
 * warnings.rules.ts `digestTitle`.
 */
export async function sendDigests(tx: DbOrTx, day: string, now: string): Promise<number> {
  return one(
    tx,
    sql`WITH per AS (
          SELECT r.staff_id,
                 count(DISTINCT w.id) FILTER (WHERE w.first_day = ${day}::date)::int AS fresh,
                 count(DISTINCT w.id) FILTER (WHERE w.last_day = ${day}::date AND w.first_day < ${day}::date)::int AS repeated,
                 count(DISTINCT w.id)::int AS open
            FROM ew_recipients r JOIN ew_warnings w ON w.id = r.warning_id AND w.status <> 'closed'
           GROUP BY r.staff_id),
        ins AS (INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, created_at)
          SELECT p.staff_id, 'warning.digest',
                 '贷后预警日报：新增' || p.fresh || '条，重复触发' || p.repeated || '条，待处理共' || p.open || '条',
                 'Early-warning digest: ' || p.fresh || ' new, ' || p.repeated || ' repeated, ' || p.open || ' awaiting handling',
                 '/warnings', ${now}::timestamptz
            FROM per p JOIN staff s ON s.id = p.staff_id AND s.active WHERE p.fresh + p.repeated > 0
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
}
