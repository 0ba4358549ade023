import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../db/client.js';

/**
 * Claims one run of a job for a (branch, month) inside the transaction that does the work: the
 * claim row commits with the work or not at all. A second process racing for the same run waits
 * on the first one's uncommitted row and then finds it taken (ON CONFLICT DO NOTHING).
 */
export async function claimRun(tx: DbOrTx, job: string, nodeId: number, period: string): Promise<boolean> {
  const r = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES (${job}, ${nodeId}, ${period}::date) ON CONFLICT DO NOTHING RETURNING 1`);
  return r.length > 0;
}
