import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { addDays, clock, monthStart, previousMonth } from '../../calendar/index.js';
import { AppError } from '../../errors.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import type { AuthContext } from '../access/context.js';
import { evaluateDay, type RunOutcome } from './warnings.evaluate.js';
import { actorOf, assertConfigurer } from './warnings.policy.js';
import type { IndicatorRowT, RunRowT } from './warnings.schemas.js';
import { describeRule, type EscalationStep, type Op, type RuleKind, ruleProblems, type Severity, SOURCES, stepsProblems } from './warnings.rules.js';

/** Configuration of early warning (SPEC §12): indicator versions, escalation steps, feeds, guarantees, runs. */

const IND = sql`i.id, i.code, i.version, i.name_zh AS "nameZh", i.name_en AS "nameEn", i.source, i.kind, i.op, i.threshold::float8 AS threshold,
  i.window_days AS "windowDays", i.severity, i.owner_role AS "ownerRole", i.active, i.valid_from::text AS "validFrom", i.valid_to::text AS "validTo", i.reason`;

/**
 * Every indicator's version in force today (or its latest, when none is yet), with its rule in
 * words and how many warnings it produced last month (first seen in the previous calendar month).
 * `history` lists every version.
 */
export async function listIndicators(db: DbOrTx, history = false) {
  const today = clock.today();
  const last = previousMonth(today.slice(0, 7));
  const list = await rows<IndicatorRowT & { lastMonth: number; openNow: number }>(
    db,
    sql`SELECT ${IND},
          (SELECT count(*)::int FROM ew_warnings w WHERE w.indicator_code = i.code AND w.first_day >= ${monthStart(last)}::date AND w.first_day < ${monthStart(today.slice(0, 7))}::date) AS "lastMonth",
          (SELECT count(*)::int FROM ew_warnings w WHERE w.indicator_code = i.code AND w.status <> 'closed') AS "openNow"
        FROM ew_indicators i
       WHERE ${history ? sql`true` : sql`i.id = (SELECT x.id FROM ew_indicators x WHERE x.code = i.code ORDER BY (x.valid_from <= ${today}::date) DESC, CASE WHEN x.valid_from <= ${today}::date THEN x.valid_from END DESC, x.valid_from LIMIT 1)`}
       ORDER BY i.code, i.version DESC`,
  );
  return { items: list.map((i) => ({ ...i, rule: describeRule(i), lastMonthLabel: last })) };
}

export interface IndicatorVersionBody {
  nameZh: string;
  nameEn: string;
  source: string;
  kind: RuleKind;
  op: Op | null;
  threshold: number | null;
  windowDays: number | null;
  severity: Severity;
  ownerRole: string;
  active: boolean;
  validFrom: string;
  reason: string;
}

/**
 * A new version of an indicator (or the first of a new code), effective from `validFrom`: the
 * version in force then ends the day before. Earlier evaluations keep the version they used.
 */
export async function addIndicatorVersion(db: Db, auth: AuthContext, code: string, b: IndicatorVersionBody) {
  assertConfigurer(auth);
  if (ruleProblems(b).length) throw new AppError('WARNING.BAD_RULE', { problems: ruleProblems(b) });
  const rule = b.kind === 'boolean' ? { op: null, threshold: null, windowDays: null } : { op: b.op, threshold: b.threshold, windowDays: b.kind === 'change' ? b.windowDays : null };
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7301036)`);
    const [prev] = await rows<{ id: number; version: number; validFrom: string }>(
      tx,
      sql`SELECT id, version, valid_from::text AS "validFrom" FROM ew_indicators WHERE code = ${code} ORDER BY version DESC LIMIT 1`,
    );
    if (prev && prev.validFrom >= b.validFrom) throw new AppError('WARNING.VERSION_DATE', { current: prev.validFrom });
    if (prev) await tx.execute(sql`UPDATE ew_indicators SET valid_to = ${addDays(b.validFrom, -1)}::date WHERE id = ${prev.id}`);
    const [row] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO ew_indicators (code, version, name_zh, name_en, source, kind, op, threshold, window_days, severity, owner_role, active, valid_from, reason, created_by, created_at)
          VALUES (${code}, ${(prev?.version ?? 0) + 1}, ${b.nameZh}, ${b.nameEn}, ${b.source}, ${b.kind}, ${rule.op}, ${rule.threshold}, ${rule.windowDays}, ${b.severity}, ${b.ownerRole},
                  ${b.active}, ${b.validFrom}::date, ${b.reason}, ${auth.staffId}, ${clock.now().toISOString()}::timestamptz) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'warning.indicator.version', entity: 'ew_indicator', entityId: row.id, nodeId: BANK_WIDE, before: prev ?? null, after: { code, ...b, ...rule } });
    const [out] = await rows<IndicatorRowT>(tx, sql`SELECT ${IND} FROM ew_indicators i WHERE i.id = ${row.id}`);
    return out;
  });
}

export async function setEscalationSteps(db: Db, auth: AuthContext, steps: EscalationStep[]) {
  assertConfigurer(auth);
  if (stepsProblems(steps).length) throw new AppError('WARNING.BAD_STEPS');
  await db.transaction(async (tx) => {
    const before = await rows(tx, sql`SELECT level, after_days AS "afterDays", target FROM ew_escalation_steps ORDER BY level`);
    await tx.execute(sql`DELETE FROM ew_escalation_steps`);
    for (const s of steps)
      await tx.execute(
        sql`INSERT INTO ew_escalation_steps (level, after_days, target, updated_by, updated_at) VALUES (${s.level}, ${s.afterDays}, ${s.target}, ${auth.staffId}, ${clock.now().toISOString()}::timestamptz)`,
      );
    await appendAudit(tx, actorOf(auth), { action: 'warning.escalation.set', entity: 'ew_escalation_steps', entityId: 'all', nodeId: BANK_WIDE, before, after: steps });
  });
  return { items: steps };
}

export interface FeedItem {
  uscc: string;
  source: string;
  value: number;
}

/** USCC → client id for those known. */
export async function clientsByUscc(db: DbOrTx, usccs: string[]): Promise<Map<string, number>> {
  if (usccs.length === 0) return new Map();
  const found = await rows<{ id: number; uscc: string }>(db, sql`SELECT id, uscc FROM corporate_clients WHERE uscc = ANY(${`{${[...new Set(usccs)].join(',')}}`}::text[])`);
  return new Map(found.map((r) => [r.uscc, r.id]));
}

/**
 * Writes one day's feed values (the API and the import): a value already there is replaced, the
 * same value is unchanged. Returns the counts. The caller checked every row (clients, items).
 */
export async function writeFeed(tx: DbOrTx, actor: Actor, day: string, items: { clientId: number; source: string; value: number }[]) {
  if (items.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const payload = JSON.stringify(items.map((i) => ({ c: i.clientId, s: i.source, v: i.value })));
  const [r] = await rows<{ inserted: number; updated: number }>(
    tx,
    sql`WITH src AS (SELECT DISTINCT ON (x.c, x.s) x.c, x.s, x.v FROM jsonb_to_recordset(${payload}::jsonb) AS x(c int, s text, v bigint)),
         up AS (INSERT INTO ew_feed (day, source, client_id, value, recorded_at) SELECT ${day}::date, s, c, v, ${clock.now().toISOString()}::timestamptz FROM src
                ON CONFLICT (day, source, client_id) DO UPDATE SET value = EXCLUDED.value, recorded_at = EXCLUDED.recorded_at WHERE ew_feed.value <> EXCLUDED.value
                RETURNING (xmax = 0) AS fresh)
        SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM up`,
  );
  const distinct = new Set(items.map((i) => `${i.clientId}|${i.source}`)).size;
  if (r.inserted + r.updated > 0)
    await appendAudit(tx, actor, { action: 'warning.feed', entity: 'ew_feed', entityId: day, nodeId: BANK_WIDE, after: { day, inserted: r.inserted, updated: r.updated } });
  return { inserted: r.inserted, updated: r.updated, unchanged: distinct - r.inserted - r.updated };
}

/** POST /feed: a data-lake job sends one day's values by USCC; every row is checked, nothing written if one is wrong. */
export async function receiveFeed(db: Db, auth: AuthContext, day: string, items: FeedItem[]) {
  assertConfigurer(auth);
  if (day > clock.today()) throw new AppError('WARNING.FUTURE_DAY');
  const ids = await clientsByUscc(
    db,
    items.map((i) => i.uscc),
  );
  const bad = items.flatMap((it, row) => [...(ids.has(it.uscc) ? [] : [{ row, field: 'uscc' }]), ...(it.source in SOURCES ? [] : [{ row, field: 'source' }])]);
  if (bad.some((b) => b.field === 'uscc')) throw new AppError('WARNING.UNKNOWN_CLIENT', { rows: bad.filter((b) => b.field === 'uscc').map((b) => b.row) });
  if (bad.length) throw new AppError('WARNING.UNKNOWN_SOURCE', { rows: bad.map((b) => b.row) });
  return db.transaction((tx) =>
    writeFeed(
      tx,
      actorOf(auth),
      day,
      items.map((i) => ({ clientId: ids.get(i.uscc)!, source: i.source, value: i.value })),
    ),
  );
}

/** Evaluates a day now (a configure-holder's catch-up, e.g. after a late feed): once per day, like the job. */
export async function runDay(db: Db, auth: AuthContext, day: string): Promise<RunOutcome> {
  assertConfigurer(auth);
  if (day > clock.today()) throw new AppError('WARNING.FUTURE_DAY');
  const out = await db.transaction((tx) => evaluateDay(tx, day, actorOf(auth), auth.staffNo));
  if (!out) throw new AppError('WARNING.ALREADY_RUN', { day });
  return out;
}

export async function listRuns(db: DbOrTx) {
  return {
    items: await rows<RunRowT>(
      db,
      sql`SELECT id, day::text AS day, evaluated, hits, new_warnings AS "newWarnings", merged, started_at AS "startedAt", finished_at AS "finishedAt", run_by AS "runBy" FROM ew_runs ORDER BY day DESC LIMIT 60`,
    ),
  };
}
