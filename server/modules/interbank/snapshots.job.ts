import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { rootNodeId } from '../../db/org-paths.js';
import { beijingDay } from '../../calendar/index.js';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { lastEndedWeek } from './coverage.rules.js';
import { takeSnapshot } from './snapshots.service.js';

export interface InterbankJobOutcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

const SCHEDULER: Actor = { ...SYSTEM_ACTOR, name: 'scheduler' };

/**
 * Takes the weekly snapshot once the week has ended (Monday 00:00 Beijing onwards): the last ended
 * week only — a missed older week is taken on demand by a configure-holder. Claimed in job_runs
 * ('interbank_snapshot', root node, week end) inside the transaction that stores it, so two servers
 * take it once; the unique week_end makes a person's on-demand take and the job's meet at one row.
 */
export async function runInterbankSnapshotJob(db: Db, now: Date): Promise<InterbankJobOutcome> {
  const out: InterbankJobOutcome = { job: 'interbank-snapshot', done: [], failed: [] };
  const week = lastEndedWeek(beijingDay(now));
  const root = await rootNodeId(db);
  if (root === null) return out;
  const [had] = await rows<{ n: number }>(db, sql`SELECT 1 AS n FROM fi_weekly_snapshots WHERE week_end = ${week}::date`);
  if (had) return out;
  try {
    const taken = await db.transaction(async (tx) => {
      const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES ('interbank_snapshot', ${root}, ${week}::date) ON CONFLICT DO NOTHING RETURNING 1`);
      if (claimed.length === 0) return false;
      return (await takeSnapshot(tx, SCHEDULER, week, now)) !== null;
    });
    if (taken) out.done.push({ nodeId: root, period: week });
  } catch (e) {
    out.failed.push({ nodeId: root, period: week, error: e instanceof Error ? e.message : String(e) });
  }
  return out;
}
