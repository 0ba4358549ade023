import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import { type Actor, appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { notify, recipients } from '../modules/notifications/notifications.service.js';
import { getNodeOr404 } from '../modules/org/org.queries.js';
import { beijingDay } from '../calendar/index.js';
import { monthOfPeriod, periodOfMonth, publicationDay, publicationDue } from '../modules/periods/periods.rules.js';
import { applyTransition, findPeriod, openObjectionCount, periodLink, publicationSettings } from '../modules/periods/periods.service.js';
import { claimRun } from './claim.js';

/** The scheduler acts as the system (audit entries name it). */
export const SCHEDULER: Actor = { ...SYSTEM_ACTOR, name: 'scheduler' };

export interface JobOutcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

/**
 * SPEC §9.2 "published at the start of the next month": on (or after) the configured working day,
 * publishes the previous month of every active branch (省分行 and 二级分行) still in draft. Each
 * branch-month in its own transaction, claimed once across server processes.
 *
 * Missed months are made up, oldest first: an earlier month of a branch that is still a draft and
 * has figures (the server was down on its day, or the bank's data was loaded before the first
 * start) is published before the later one, so October is never left a draft behind a published
 * November. A branch whose month fails is not published further that round: months go out in order.
 */
export async function runPublicationJob(db: Db, now: Date): Promise<JobOutcome> {
  const out: JobOutcome = { job: 'publish', done: [], failed: [] };
  const { openDay, calendar } = await publicationSettings(db);
  const due = publicationDue(now, openDay, calendar);
  const today = beijingDay(now);
  const previous = periodOfMonth(due.month);
  // The previous month of every active branch once its day has come, and every earlier month with
  // figures (grain B: one row per branch and month) or a draft row; the day is checked below.
  const candidates = await rows<{ id: number; period: string }>(
    db,
    sql`WITH months AS (
          SELECT n.id AS node_id, ${previous}::date AS period FROM org_nodes n WHERE ${due.due}::boolean
          UNION SELECT node_id, period FROM statement_totals WHERE grain = 'B' AND period < ${previous}::date
          UNION SELECT node_id, period FROM periods WHERE state = 'draft' AND period < ${previous}::date
        )
        SELECT n.id, m.period::text AS period FROM months m JOIN org_nodes n ON n.id = m.node_id
        WHERE n.level IN ('province', 'branch') AND n.active
          AND NOT EXISTS (SELECT 1 FROM periods p WHERE p.node_id = n.id AND p.period = m.period AND p.state <> 'draft')
          AND NOT EXISTS (SELECT 1 FROM job_runs j WHERE j.job = 'publish' AND j.node_id = n.id AND j.period = m.period)
        ORDER BY n.path, m.period`,
  );
  const stopped = new Set<number>();
  for (const { id, period } of candidates) {
    const month = monthOfPeriod(period);
    if (stopped.has(id) || publicationDay(month, openDay, calendar) > today) continue;
    try {
      const published = await db.transaction(async (tx) => {
        if (!(await claimRun(tx, 'publish', id, period))) return false;
        const row = await findPeriod(tx, id, period, { forUpdate: true });
        if (row.state !== 'draft') return false; // published by hand already
        await applyTransition(tx, SCHEDULER, await getNodeOr404(tx, id), month, 'publish', now);
        return true;
      });
      if (published) out.done.push({ nodeId: id, period });
    } catch (e) {
      stopped.add(id);
      out.failed.push({ nodeId: id, period, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

/**
 * Records the end of every publication window that has passed (published → window closed flag)
 * and tells the committee office the month can be submitted once objections are answered.
 */
export async function runCloseWindowsJob(db: Db, now: Date): Promise<JobOutcome> {
  const out: JobOutcome = { job: 'close_window', done: [], failed: [] };
  const expired = await rows<{ node_id: number; period: string }>(
    db,
    sql`SELECT node_id, period::text AS period FROM periods
        WHERE state = 'published' AND window_closed_at IS NULL AND window_closes_at < ${now.toISOString()}::timestamptz
        ORDER BY node_id, period`,
  );
  for (const e of expired) {
    try {
      const closed = await db.transaction(async (tx) => {
        if (!(await claimRun(tx, 'close_window', e.node_id, e.period))) return false;
        const changed = await rows<{ node_id: number }>(
          tx,
          sql`UPDATE periods SET window_closed_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
              WHERE node_id = ${e.node_id} AND period = ${e.period}::date AND state = 'published' AND window_closed_at IS NULL
              RETURNING node_id`,
        );
        if (changed.length === 0) return false;
        const node = await getNodeOr404(tx, e.node_id);
        const month = monthOfPeriod(e.period);
        const open = await openObjectionCount(tx, e.node_id, e.period);
        await appendAudit(tx, SCHEDULER, { action: 'period.window_close', entity: 'period', entityId: `${node.code}/${month}`, nodeId: node.id, after: { windowClosedAt: now, openObjections: open } });
        await notify(tx, recipients.union(recipients.committeeOffice(node.id), recipients.holders('period.publish', node)), {
          kind: 'period.window_closed',
          nodeId: node.id,
          link: periodLink(node.id, month),
          titleZh: `${node.name}${month}积分公示期已结束${open ? `，尚有 ${open} 条异议待答复` : ''}，可提交委员会`,
          titleEn: `${node.name} ${month} publication window closed${open ? `; ${open} objection(s) still to answer` : ''}; ready to submit`,
        });
        return true;
      });
      if (closed) out.done.push({ nodeId: e.node_id, period: e.period });
    } catch (err) {
      out.failed.push({ nodeId: e.node_id, period: e.period, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
