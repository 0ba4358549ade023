import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { addDays, beijingDay, beijingMidnight } from '../../calendar/index.js';
import { type AuthContext } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { actorOf, assertConfigurer } from './caliber.service.js';
import { type Counts, coverageAsOf, type CoverageLine } from './coverage.service.js';
import { formatPercent, isSunday } from './coverage.rules.js';
import { openSupervision } from './supervision.service.js';

/**
 * 周快照 (SPEC §11; decision 0034): after a week ends (Sunday, Beijing time) the briefing's figures
 * are computed once — coverage as of the Sunday, the change from the previous snapshot, the flagged
 * branches, the association, interested clients, landings, the corrections recorded since the
 * previous snapshot — and stored whole in fi_weekly_snapshots.data with one fi_snapshot_lines row
 * per branch. Nothing recomputes them: last week's briefing reads the same next year. Only the
 * next-week requirements text is edited afterwards (audited).
 */

export interface BriefingLine extends CoverageLine {
  /** Signed institutions added since the previous snapshot (negative when signings were voided). */
  added: number;
}
export interface BriefingData {
  version: 1;
  weekEnd: string;
  weekStart: string;
  previousWeekEnd: string | null;
  takenAt: string;
  thresholdBp: number;
  caliber: { frameworkBp: number; productBp: number };
  province: Counts & { added: number; previousCoverageBp: number | null };
  association: Counts & { unsigned: number; names: string[] };
  lines: BriefingLine[];
  prospects: { institutionId: number; institutionName: string; nodeId: number; nodeName: string; stage: string; nextStep: string | null; nextStepOn: string | null }[];
  landings: { institutionId: number; institutionName: string; nodeId: number; nodeName: string; product: string; stage: string; stageOn: string; note: string | null }[];
  corrections: {
    signingId: number;
    supersedesId: number;
    institutionName: string;
    nodeId: number;
    nodeName: string;
    kind: string;
    signedOn: string;
    previousKind: string;
    previousSignedOn: string;
    status: string;
    reason: string;
    recordedAt: string;
  }[];
  defaultRequirements: string;
}

export const OPEN_PROSPECT_STAGES = ['contacted', 'negotiating', 'approving', 'ready'] as const;

/** Validates a week: a Sunday that has ended in Beijing on `today`. */
export function assertEndedWeek(weekEnd: string, today: string): void {
  if (!isSunday(weekEnd) || weekEnd >= today) throw new AppError('INTERBANK.WEEK_INVALID', { weekEnd });
}

async function previousSnapshot(db: DbOrTx, weekEnd: string) {
  const [p] = await rows<{ weekEnd: string; takenAt: Date | string; data: BriefingData }>(
    db,
    sql`SELECT week_end::text AS "weekEnd", taken_at AS "takenAt", data FROM fi_weekly_snapshots WHERE week_end < ${weekEnd}::date ORDER BY week_end DESC LIMIT 1`,
  );
  return p ?? null;
}

/** The briefing's figures of a week as they stand now (what a snapshot freezes). */
export async function computeBriefing(db: DbOrTx, weekEnd: string, now: Date): Promise<BriefingData> {
  const cov = await coverageAsOf(db, weekEnd);
  const prev = await previousSnapshot(db, weekEnd);
  // The week before: the stored snapshot when there is one, else the live figure as of that Sunday.
  const before = prev ? { province: prev.data.province, lines: prev.data.lines } : await coverageAsOf(db, addDays(weekEnd, -7));
  const prevSigned = new Map(before.lines.map((l) => [l.nodeId, l.signed]));
  const lines = cov.lines.map((l) => ({ ...l, added: l.signed - (prevSigned.get(l.nodeId) ?? 0) }));
  const since = prev ? new Date(prev.takenAt).toISOString() : beijingMidnight(addDays(weekEnd, -6)).toISOString();
  const prospects = await rows<BriefingData['prospects'][number]>(
    db,
    sql`SELECT p.institution_id AS "institutionId", i.name AS "institutionName", p.node_id AS "nodeId", n.name AS "nodeName", p.stage, p.next_step AS "nextStep", p.next_step_on::text AS "nextStepOn"
          FROM fi_prospects p JOIN fi_institutions i ON i.id = p.institution_id JOIN org_nodes n ON n.id = p.node_id
         WHERE p.stage IN ('contacted', 'negotiating', 'approving', 'ready') AND p.created_at <= ${now.toISOString()}::timestamptz
         ORDER BY n.path, i.name`,
  );
  const landings = await rows<BriefingData['landings'][number]>(
    db,
    sql`SELECT l.institution_id AS "institutionId", i.name AS "institutionName", l.node_id AS "nodeId", n.name AS "nodeName", l.product, l.stage, l.stage_on::text AS "stageOn", l.note
          FROM fi_landings l JOIN fi_institutions i ON i.id = l.institution_id JOIN org_nodes n ON n.id = l.node_id
         WHERE l.stage <> 'dropped' AND l.stage_on <= ${weekEnd}::date
         ORDER BY CASE l.stage WHEN 'landed' THEN 0 WHEN 'contracting' THEN 1 WHEN 'testing' THEN 2 ELSE 3 END, l.stage_on DESC, i.name`,
  );
  const corrections = await rows<BriefingData['corrections'][number]>(
    db,
    sql`SELECT c.id AS "signingId", c.supersedes_id AS "supersedesId", i.name AS "institutionName", c.node_id AS "nodeId", n.name AS "nodeName", c.kind, c.signed_on::text AS "signedOn",
               o.kind AS "previousKind", o.signed_on::text AS "previousSignedOn", c.status, c.correction_reason AS reason, c.recorded_at AS "recordedAt"
          FROM fi_signings c JOIN fi_signings o ON o.id = c.supersedes_id JOIN fi_institutions i ON i.id = c.institution_id JOIN org_nodes n ON n.id = c.node_id
         WHERE c.recorded_at > ${since}::timestamptz AND c.recorded_at <= ${now.toISOString()}::timestamptz
         ORDER BY c.recorded_at, c.id`,
  );
  const flagged = lines.filter((l) => l.flagged);
  return {
    version: 1,
    weekEnd,
    weekStart: addDays(weekEnd, -6),
    previousWeekEnd: prev?.weekEnd ?? null,
    takenAt: now.toISOString(),
    thresholdBp: cov.thresholdBp,
    caliber: cov.caliber,
    province: { ...cov.province, added: cov.province.signed - before.province.signed, previousCoverageBp: before.province.coverageBp },
    association: cov.association,
    lines,
    prospects,
    landings,
    corrections: corrections.map((c) => ({ ...c, recordedAt: new Date(c.recordedAt).toISOString() })),
    defaultRequirements: flagged.length
      ? `对签约覆盖率低于${formatPercent(cov.thresholdBp)}的${flagged.map((l) => l.nodeName).join('、')}等${flagged.length}家二级分行实行每周督导：每周报送辖内目标客户名单、客户拜访记录及营销进度。已签约框架协议的客户，加快金融科技产品落地。`
      : '各二级分行保持营销力度，加快已签约客户的金融科技产品落地。',
  };
}

/**
 * Takes the snapshot of an ended week, once: the row is inserted ON CONFLICT DO NOTHING, so a job on
 * two servers, or a job racing a person, stores one. Returns null when it was already there.
 * Flagged branches get their next-week submissions (supervision.service). Audited on the root.
 */
export async function takeSnapshot(tx: DbOrTx, actor: Actor, weekEnd: string, now: Date): Promise<BriefingData | null> {
  assertEndedWeek(weekEnd, beijingDay(now));
  const data = await computeBriefing(tx, weekEnd, now);
  const inserted = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO fi_weekly_snapshots (week_end, data, taken_by, taken_at) VALUES (${weekEnd}::date, ${JSON.stringify(data)}::jsonb, ${actor.id}, ${now.toISOString()}::timestamptz)
        ON CONFLICT (week_end) DO NOTHING RETURNING id`,
  );
  if (inserted.length === 0) return null;
  if (data.lines.length)
    await tx.execute(
      sql`INSERT INTO fi_snapshot_lines (week_end, node_id, institutions, signed, framework, product_only, coverage_bp, score_bp, plan_count, flagged) VALUES ${sql.join(
        data.lines.map((l) => sql`(${weekEnd}::date, ${l.nodeId}, ${l.institutions}, ${l.signed}, ${l.framework}, ${l.productOnly}, ${l.coverageBp ?? 0}, ${l.scoreBp}, ${l.planCount}, ${l.flagged})`),
        sql`, `,
      )}`,
    );
  await openSupervision(
    tx,
    weekEnd,
    data.lines.filter((l) => l.flagged).map((l) => l.nodeId),
  );
  await appendAudit(tx, actor, {
    action: 'interbank.snapshot.take',
    entity: 'fi_weekly_snapshot',
    entityId: weekEnd,
    nodeId: BANK_WIDE,
    after: { weekEnd, signed: data.province.signed, institutions: data.province.institutions, coverageBp: data.province.coverageBp, flagged: data.lines.filter((l) => l.flagged).map((l) => l.nodeId) },
  });
  return data;
}

/** POST /api/interbank/briefings: a configure-holder takes a missing past week. */
export async function takeSnapshotOnDemand(db: Db, auth: AuthContext, weekEnd: string, now: Date): Promise<BriefingData> {
  assertConfigurer(auth);
  const data = await db.transaction((tx) => takeSnapshot(tx, actorOf(auth), weekEnd, now));
  if (!data) throw new AppError('INTERBANK.SNAPSHOT_EXISTS', { weekEnd });
  return data;
}

export interface StoredSnapshot {
  weekEnd: string;
  data: BriefingData;
  requirements: string | null;
  requirementsBy: string | null;
  requirementsAt: Date | null;
  takenBy: string | null;
  takenAt: Date;
}

export async function readSnapshot(db: DbOrTx, weekEnd: string): Promise<StoredSnapshot> {
  const [s] = await rows<StoredSnapshot>(
    db,
    sql`SELECT w.week_end::text AS "weekEnd", w.data, w.requirements, r.name AS "requirementsBy", w.requirements_at AS "requirementsAt", t.name AS "takenBy", w.taken_at AS "takenAt"
          FROM fi_weekly_snapshots w LEFT JOIN staff r ON r.id = w.requirements_by LEFT JOIN staff t ON t.id = w.taken_by WHERE w.week_end = ${weekEnd}::date`,
  );
  if (!s) throw new AppError('INTERBANK.SNAPSHOT_NOT_FOUND', { weekEnd });
  return s;
}

/** The weeks with a snapshot, newest first, with the province's headline figures. */
export async function listSnapshots(db: DbOrTx, limit: number) {
  return rows<{ weekEnd: string; takenAt: Date; signed: number; institutions: number; coverageBp: number | null; flagged: number; hasRequirements: boolean }>(
    db,
    sql`SELECT w.week_end::text AS "weekEnd", w.taken_at AS "takenAt", (w.data->'province'->>'signed')::int AS signed, (w.data->'province'->>'institutions')::int AS institutions,
               (w.data->'province'->>'coverageBp')::int AS "coverageBp", (SELECT count(*)::int FROM fi_snapshot_lines l WHERE l.week_end = w.week_end AND l.flagged) AS flagged,
               w.requirements IS NOT NULL AS "hasRequirements"
          FROM fi_weekly_snapshots w ORDER BY w.week_end DESC LIMIT ${limit}`,
  );
}

/** PUT /api/interbank/briefings/:weekEnd/requirements: the one editable text; audited. */
export async function setRequirements(db: Db, auth: AuthContext, weekEnd: string, text: string, now: Date) {
  assertConfigurer(auth);
  return db.transaction(async (tx) => {
    const [before] = await rows<{ requirements: string | null }>(tx, sql`SELECT requirements FROM fi_weekly_snapshots WHERE week_end = ${weekEnd}::date FOR UPDATE`);
    if (!before) throw new AppError('INTERBANK.SNAPSHOT_NOT_FOUND', { weekEnd });
    await tx.execute(
      sql`UPDATE fi_weekly_snapshots SET requirements = ${text}, requirements_by = ${auth.staffId}, requirements_at = ${now.toISOString()}::timestamptz WHERE week_end = ${weekEnd}::date`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'interbank.briefing.requirements',
      entity: 'fi_weekly_snapshot',
      entityId: weekEnd,
      nodeId: BANK_WIDE,
      before: { requirements: before.requirements },
      after: { requirements: text },
    });
    return readSnapshot(tx, weekEnd);
  });
}
