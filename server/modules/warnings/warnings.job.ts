import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { rootNodeId } from '../../db/org-paths.js';
import { addDays, beijingDay } from '../../calendar/index.js';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { evaluateDay } from './warnings.evaluate.js';
import { escalateDue } from './warnings.escalate.js';

export interface WarningsJobOutcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

const SCHEDULER: Actor = { ...SYSTEM_ACTOR, name: 'scheduler' };

/**
 * The daily early-warning round (SPEC §12): evaluates yesterday's feed (Beijing days) once its
 * data have arrived, then escalates what is overdue today. Each part is claimed in job_runs
 * ('warnings_evaluate' for the data day, 'warnings_escalate' for today; root node) inside the
 * transaction that does it, so several servers do it once; a feed that arrives late is evaluated
 * on the next round of the same day (the claim is only taken when there are data).
 */
export async function runWarningsJob(db: Db, now: Date): Promise<WarningsJobOutcome> {
  const out: WarningsJobOutcome = { job: 'warnings', done: [], failed: [] };
  const root = await rootNodeId(db);
  if (root === null) return out;
  const today = beijingDay(now);
  const dataDay = addDays(today, -1);
  const [fed] = await rows<{ n: number }>(db, sql`SELECT 1 AS n FROM ew_feed WHERE day = ${dataDay}::date LIMIT 1`);
  const [ran] = await rows<{ n: number }>(db, sql`SELECT 1 AS n FROM ew_runs WHERE day = ${dataDay}::date`);
  if (fed && !ran) {
    try {
      const done = await db.transaction(async (tx) => {
        const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES ('warnings_evaluate', ${root}, ${dataDay}::date) ON CONFLICT DO NOTHING RETURNING 1`);
        if (claimed.length === 0) return false;
        return (await evaluateDay(tx, dataDay, SCHEDULER, 'scheduler')) !== null;
      });
      if (done) out.done.push({ nodeId: root, period: dataDay });
    } catch (e) {
      out.failed.push({ nodeId: root, period: dataDay, error: e instanceof Error ? e.message : String(e) });
    }
  }
  try {
    const done = await db.transaction(async (tx) => {
      const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES ('warnings_escalate', ${root}, ${today}::date) ON CONFLICT DO NOTHING RETURNING 1`);
      if (claimed.length === 0) return false;
      await escalateDue(tx, today, SCHEDULER);
      return true;
    });
    if (done) out.done.push({ nodeId: root, period: today });
  } catch (e) {
    out.failed.push({ nodeId: root, period: today, error: e instanceof Error ? e.message : String(e) });
  }
  return out;
}
