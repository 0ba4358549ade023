import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { rootNodeId } from '../../db/org-paths.js';
import { beijingDay } from '../../calendar/index.js';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { lastEndedQuarter } from './performance.rules.js';
import { takeQuarter } from './quarter.service.js';

export interface QuarterJobOutcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

const SCHEDULER: Actor = { ...SYSTEM_ACTOR, name: 'scheduler' };

/**
 * Takes the last ended quarter's grouping result once the quarter is over (from the 1st of the next
 * quarter, Beijing time). Claimed in job_runs ('inclusive_quarter', root node, quarter end) inside
 * the transaction that stores it — the claim of server/jobs/claim.ts, written here as the
 * inter-bank snapshot job writes it, since jobs imports this module — so two servers take it once.
 * A quarter the province already took on demand is left alone.
 */
export async function runInclusiveQuarterJob(db: Db, now: Date): Promise<QuarterJobOutcome> {
  const out: QuarterJobOutcome = { job: 'inclusive-quarter', done: [], failed: [] };
  const q = lastEndedQuarter(beijingDay(now));
  const root = await rootNodeId(db);
  if (root === null) return out;
  const [had] = await rows<{ n: number }>(db, sql`SELECT 1 AS n FROM incl_quarter_results WHERE quarter = ${q.label} LIMIT 1`);
  if (had) return out;
  try {
    const taken = await db.transaction(async (tx) => {
      const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES ('inclusive_quarter', ${root}, ${q.to}::date) ON CONFLICT DO NOTHING RETURNING 1`);
      if (claimed.length === 0) return false;
      return (await takeQuarter(tx, SCHEDULER, q, null, now)) !== null;
    });
    if (taken) out.done.push({ nodeId: root, period: q.label });
  } catch (e) {
    out.failed.push({ nodeId: root, period: q.label, error: e instanceof Error ? e.message : String(e) });
  }
  return out;
}
