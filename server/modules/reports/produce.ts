import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { reportIssues } from '../../db/schema/index.js';
import { beijingDay, type WorkCalendar } from '../../calendar/index.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { dueAt, endedPeriods, type ReportPeriod } from './cadence.rules.js';
import { currentDefinitions, type StoredDefinition } from './definitions.service.js';
import { type FeedData, feedArrived, feedData } from './feeds.js';
import { OWN_VIEWS, type OwnData } from './views.js';

/**
 * Producing issues (issue 16). Each (report, period) is produced once: claimed by an advisory lock
 * on its key inside the transaction that writes it, re-checked under the lock, and backed by the
 * unique (code, period, version) index — so two servers running the job never write it twice.
 * An own-data report freezes its view's lines; a feed report whose feed has not arrived is stored
 * as waiting on the feed and produced by a later run once it has; a failure is stored and retried.
 */
export type IssueData = OwnData | FeedData;

/** The 法定节假日 / 调休 settings as a working-day calendar (absent: Monday to Friday). */
export async function holidayCalendar(db: DbOrTx): Promise<WorkCalendar> {
  const r = await rows<{ key: string; value: unknown }>(db, sql`SELECT key, value FROM settings WHERE key IN ('publication.holidays', 'publication.workdays')`);
  const list = (key: string) => {
    const p = z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).safeParse(r.find((x) => x.key === key)?.value);
    return new Set(p.success ? p.data : []);
  };
  return { holidays: list('publication.holidays'), workdays: list('publication.workdays') };
}

/** Whether the job can produce a report: a scheduled cadence, and a built view or a known feed name. */
export const producible = (d: StoredDefinition): boolean => d.cadence !== 'ad_hoc' && d.due !== null && (d.sourceKind === 'feed' || OWN_VIEWS[d.source] !== undefined);

type Outcome = { status: 'produced'; data: IssueData } | { status: 'waiting_feed'; waitingOn: string };

/** What an issue of the period holds now: the view's lines, the feed's figures, or waiting on the feed. */
export async function issueContent(db: DbOrTx, d: StoredDefinition, p: Pick<ReportPeriod, 'key' | 'from' | 'to'>): Promise<Outcome> {
  if (d.sourceKind === 'feed') {
    if (!(await feedArrived(db, d.source, p.key))) return { status: 'waiting_feed', waitingOn: d.source };
    return { status: 'produced', data: await feedData(db, d.source, p.key) };
  }
  const view = OWN_VIEWS[d.source];
  if (!view) throw new Error(`report ${d.code}: no view for own source ${d.source}`);
  return { status: 'produced', data: await view(db, p.from, p.to) };
}

const lockKey = (code: string, periodKey: string) => sql`pg_advisory_xact_lock(hashtext(${`report:${code}:${periodKey}`}))`;

export interface ReportJobOutcome {
  job: 'reports';
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

/** The job: every ended period of every producible report since its first version, then the waiting and failed ones. */
export async function runReportJob(db: Db, now: Date): Promise<ReportJobOutcome> {
  const out: ReportJobOutcome = { job: 'reports', done: [], failed: [] };
  const today = beijingDay(now);
  const cal = await holidayCalendar(db);
  const defs = (await currentDefinitions(db)).filter(producible);
  const have = new Set((await rows<{ k: string }>(db, sql`SELECT DISTINCT definition_code || '|' || period_key AS k FROM report_issues`)).map((r) => r.k));
  for (const d of defs) {
    if (d.cadence === 'ad_hoc') continue;
    for (const p of endedPeriods(d.cadence, d.since, today)) {
      if (have.has(`${d.code}|${p.key}`)) continue;
      const label = `${d.code}/${p.key}`;
      try {
        const made = await db.transaction(async (tx) => {
          await tx.execute(sql`SELECT ${lockKey(d.code, p.key)}`);
          const [exists] = await rows(tx, sql`SELECT 1 FROM report_issues WHERE definition_code = ${d.code} AND period_key = ${p.key} LIMIT 1`);
          if (exists) return false;
          const content = await issueContent(tx, d, p);
          await insertIssue(tx, d, p, 1, content, { due: dueAt(p, d.due!, cal), now, actor: null, reason: null });
          return true;
        });
        if (made) out.done.push({ nodeId: 0, period: label });
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        out.failed.push({ nodeId: 0, period: label, error });
        await db
          .insert(reportIssues)
          .values({ ...issueKeys(d, p, 1), status: 'failed', error, dueAt: dueAt(p, d.due!, cal), createdAt: now })
          .onConflictDoNothing();
      }
    }
  }
  await finishPending(db, now, out);
  return out;
}

/** Waiting issues whose feed has arrived, and failed issues: produced now (each row claimed with SKIP LOCKED). */
async function finishPending(db: Db, now: Date, out: ReportJobOutcome): Promise<void> {
  const defs = new Map((await currentDefinitions(db)).map((d) => [d.code, d]));
  const pending = await rows<{ id: number; code: string; period_key: string; period_from: string; period_to: string; status: string; waiting_on: string | null }>(
    db,
    sql`SELECT i.id, i.definition_code AS code, i.period_key, i.period_from::text, i.period_to::text, i.status, i.waiting_on FROM report_issues i
         WHERE i.status = 'failed' OR (i.status = 'waiting_feed' AND EXISTS (SELECT 1 FROM report_feed_rows f WHERE f.feed = i.waiting_on AND f.period_key = i.period_key))
         ORDER BY i.id`,
  );
  for (const i of pending) {
    const d = defs.get(i.code);
    if (!d || !producible(d)) continue;
    const label = `${i.code}/${i.period_key}`;
    try {
      const made = await db.transaction(async (tx) => {
        const [row] = await rows<{ status: string }>(tx, sql`SELECT status FROM report_issues WHERE id = ${i.id} AND status <> 'produced' FOR UPDATE SKIP LOCKED`);
        if (!row) return false;
        const content = await issueContent(tx, d, { key: i.period_key, from: i.period_from, to: i.period_to });
        if (content.status !== 'produced') return false;
        await tx.execute(
          sql`UPDATE report_issues SET status = 'produced', data = ${JSON.stringify(content.data)}::jsonb, produced_at = ${now.toISOString()}::timestamptz,
                     waiting_on = NULL, error = NULL, definition_id = ${d.id}, definition_version = ${d.version} WHERE id = ${i.id}`,
        );
        return true;
      });
      if (made) out.done.push({ nodeId: 0, period: label });
    } catch (e) {
      out.failed.push({ nodeId: 0, period: label, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

const issueKeys = (d: StoredDefinition, p: ReportPeriod, version: number) => ({
  definitionId: d.id,
  definitionCode: d.code,
  definitionVersion: d.version,
  periodKey: p.key,
  periodFrom: p.from,
  periodTo: p.to,
  periodLabel: p.label,
  version,
});

async function insertIssue(
  tx: DbOrTx,
  d: StoredDefinition,
  p: ReportPeriod,
  version: number,
  content: Outcome,
  o: { due: Date; now: Date; actor: number | null; reason: string | null },
): Promise<number> {
  const [r] = await tx
    .insert(reportIssues)
    .values({
      ...issueKeys(d, p, version),
      reason: o.reason,
      status: content.status,
      dueAt: o.due,
      producedAt: content.status === 'produced' ? o.now : null,
      data: content.status === 'produced' ? content.data : null,
      waitingOn: content.status === 'waiting_feed' ? content.waitingOn : null,
      createdBy: o.actor,
      createdAt: o.now,
    })
    .returning({ id: reportIssues.id });
  return r.id;
}

/**
 * Re-runs an issue: version n+1 from today's data (or waiting on the feed), with the reason; the
 * earlier versions stay as they were. Audited. The caller checks the permission.
 */
export async function rerunIssue(db: Db, actor: Actor, d: StoredDefinition, periodKey: string, reason: string, now: Date): Promise<{ id: number; version: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT ${lockKey(d.code, periodKey)}`);
    const [last] = await rows<{ version: number; period_from: string; period_to: string; period_label: string; due_at: Date | string }>(
      tx,
      sql`SELECT version, period_from::text, period_to::text, period_label, due_at FROM report_issues
           WHERE definition_code = ${d.code} AND period_key = ${periodKey} ORDER BY version DESC LIMIT 1`,
    );
    if (!last) return { id: 0, version: 0 };
    const p: ReportPeriod = { cadence: d.cadence === 'ad_hoc' ? 'daily' : d.cadence, key: periodKey, from: last.period_from, to: last.period_to, label: last.period_label };
    const version = Number(last.version) + 1;
    const content = await issueContent(tx, d, p);
    const id = await insertIssue(tx, d, p, version, content, { due: new Date(last.due_at), now, actor: actor.id, reason });
    await appendAudit(tx, actor, {
      action: 'report.rerun',
      entity: 'report_issue',
      entityId: `${d.code}/${periodKey}/v${version}`,
      nodeId: BANK_WIDE,
      after: { version, reason, status: content.status, definitionVersion: d.version },
    });
    return { id, version };
  });
}
