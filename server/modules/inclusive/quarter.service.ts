import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { beijingDay, type Quarter, quarterOf } from '../../calendar/index.js';
import { type AuthContext, assertBankWide } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { membershipOn, measureOn } from './groups.service.js';
import { actorOf, nodeInScope } from './inclusive.access.js';
import { subbranchInputs } from './performance.service.js';
import { applyQuarterRule, type Group, lastEndedQuarter, type Measure, type MemberInputs, type Outcome } from './performance.rules.js';

/**
 * The quarterly grouping rule taken and stored (seed 002, decision 0037): the groups in force on
 * the quarter's last day, the measure in force then, each sub-branch's inputs over the quarter
 * (its outlets' whitelist entries), the pure rule's ranks and flags — all frozen in
 * incl_quarter_results / incl_quarter_lines (a trigger refuses any change). A re-run is the next
 * version with a reason. Readers see the lines of their own subtree, with the inputs.
 */

const LOCK = 7_301_035;

export interface ResultHeader {
  id: number;
  quarter: string;
  version: number;
  periodFrom: string;
  periodTo: string;
  measure: Measure;
  reason: string | null;
  takenBy: string;
  takenAt: Date;
  lines: number;
  flagged: number;
}

/** Takes the quarter (inside the caller's transaction). Null when it exists and no reason was given. */
export async function takeQuarter(tx: DbOrTx, actor: Actor, q: Quarter, reason: string | null, now: Date): Promise<number | null> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK}, ${q.year * 10 + q.quarter})`);
  const [last] = await rows<{ version: number }>(tx, sql`SELECT max(version)::int AS version FROM incl_quarter_results WHERE quarter = ${q.label}`);
  const version = (last?.version ?? 0) + 1;
  if (version > 1 && !reason) return null;
  const measure = await measureOn(tx, q.to);
  const members = await rows<{ nodeId: number; branchNodeId: number; group: Group }>(
    tx,
    sql`SELECT m.node_id AS "nodeId", m.branch_node_id AS "branchNodeId", m.group_code AS "group" FROM (${membershipOn(q.to)}) m`,
  );
  const inputs = await subbranchInputs(tx, { from: q.from, to: q.to });
  const zero: MemberInputs = { entries: 0, drawnCount: 0, drawnAmountFen: 0 };
  const lines = applyQuarterRule(
    measure,
    members.map((m) => ({ ...m, inputs: inputs.get(m.nodeId) ?? zero })),
  );
  const [r] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO incl_quarter_results (quarter, version, period_from, period_to, measure, reason, taken_by, taken_by_name, taken_at)
        VALUES (${q.label}, ${version}, ${q.from}::date, ${q.to}::date, ${measure}, ${reason}, ${actor.id}, ${actor.name}, ${now.toISOString()}::timestamptz) RETURNING id`,
  );
  for (const l of lines)
    await tx.execute(
      sql`INSERT INTO incl_quarter_lines (result_id, node_id, branch_node_id, group_code, value, tiebreak, rank, members, flagged, outcome, inputs)
          VALUES (${r.id}, ${l.nodeId}, ${l.branchNodeId}, ${l.group}, ${l.value}, ${l.tiebreak}, ${l.rank}, ${l.members}, ${l.flagged}, ${l.outcome}, ${JSON.stringify(l.inputs)}::jsonb)`,
    );
  await appendAudit(tx, actor, {
    action: version === 1 ? 'perf_quarter.take' : 'perf_quarter.rerun',
    entity: 'perf_quarter',
    entityId: r.id,
    nodeId: BANK_WIDE,
    after: { quarter: q.label, version, measure, reason, flagged: lines.filter((l) => l.flagged).map((l) => l.nodeId) },
  });
  return r.id;
}

/** The province takes an ended quarter on demand; a taken one again only with a reason (a new version). */
export async function takeQuarterOnDemand(db: Db, auth: AuthContext, label: string, reason: string | undefined, now: Date): Promise<number> {
  assertBankWide(auth, 'performance.configure');
  const q = quarterOf(`${label.slice(0, 4)}-${String((Number(label.slice(6)) - 1) * 3 + 1).padStart(2, '0')}`);
  if (q.to >= beijingDay(now)) throw new AppError('PERF.QUARTER_NOT_ENDED', { quarter: label });
  const id = await db.transaction((tx) => takeQuarter(tx, actorOf(auth), q, reason?.trim() || null, now));
  if (id === null) throw new AppError('PERF.QUARTER_TAKEN', { quarter: label });
  return id;
}

/** Every taken version, newest first, with the caller's own lines and flags counted. */
export async function listResults(db: DbOrTx, auth: AuthContext, today: string): Promise<{ items: ResultHeader[]; lastEndedQuarter: string }> {
  const items = await rows<ResultHeader>(
    db,
    sql`SELECT r.id, r.quarter, r.version, r.period_from::text AS "periodFrom", r.period_to::text AS "periodTo", r.measure, r.reason, r.taken_by_name AS "takenBy", r.taken_at AS "takenAt",
               (SELECT count(*) FROM incl_quarter_lines l JOIN org_nodes n ON n.id = l.node_id WHERE l.result_id = r.id AND ${nodeInScope(auth, 'performance.read', sql`n.path`)})::int AS lines,
               (SELECT count(*) FROM incl_quarter_lines l JOIN org_nodes n ON n.id = l.node_id WHERE l.result_id = r.id AND l.flagged AND ${nodeInScope(auth, 'performance.read', sql`n.path`)})::int AS flagged
          FROM incl_quarter_results r ORDER BY r.quarter DESC, r.version DESC LIMIT 200`,
  );
  return { items, lastEndedQuarter: lastEndedQuarter(today).label };
}

export interface ResultLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  branchNodeId: number;
  branchName: string;
  group: Group;
  value: number;
  tiebreak: number;
  rank: number;
  members: number;
  flagged: boolean;
  outcome: Outcome;
  inputs: MemberInputs;
}

/** One version with its lines in the caller's subtree (404 for an unknown id). */
export async function readResult(db: DbOrTx, auth: AuthContext, id: number, today: string): Promise<ResultHeader & { items: ResultLine[]; latestVersion: number }> {
  const { items: all } = await listResults(db, auth, today);
  const header = all.find((h) => h.id === id);
  if (!header) throw new AppError('PERF.RESULT_NOT_FOUND', { id });
  const items = await rows<ResultLine>(
    db,
    sql`SELECT l.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", l.branch_node_id AS "branchNodeId", b.name AS "branchName", l.group_code AS "group",
               l.value, l.tiebreak, l.rank, l.members, l.flagged, l.outcome, l.inputs
          FROM incl_quarter_lines l JOIN org_nodes n ON n.id = l.node_id JOIN org_nodes b ON b.id = l.branch_node_id
         WHERE l.result_id = ${id} AND ${nodeInScope(auth, 'performance.read', sql`n.path`)}
         ORDER BY b.code, CASE l.group_code WHEN 'priority' THEN 1 WHEN 'follow' THEN 2 ELSE 3 END, l.rank, n.code`,
  );
  const latestVersion = all.filter((h) => h.quarter === header.quarter).reduce((m, h) => Math.max(m, h.version), 0);
  return { ...header, items, latestVersion };
}
