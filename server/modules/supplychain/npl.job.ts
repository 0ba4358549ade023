import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { beijingDay } from '../../calendar/index.js';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { computeNpl, lockProgramme } from './npl.service.js';

export interface SupplyChainJobOutcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

const SCHEDULER: Actor = { ...SYSTEM_ACTOR, name: 'scheduler' };

/**
 * 不良率日计算: each programme once per Beijing day, claimed in job_runs ('sc_npl:<id>', the
 * programme's branch, the day) inside the transaction that stores the day — two servers compute
 * it once, and a warning or a suspension is sent once.
 */
export async function runSupplyChainNplJob(db: Db, now: Date): Promise<SupplyChainJobOutcome> {
  const out: SupplyChainJobOutcome = { job: 'supplychain-npl', done: [], failed: [] };
  const day = beijingDay(now);
  const programmes = await rows<{ id: number; nodeId: number }>(db, sql`SELECT id, node_id AS "nodeId" FROM sc_programmes ORDER BY id`);
  for (const { id, nodeId } of programmes) {
    try {
      const done = await db.transaction(async (tx) => {
        // The claim of jobs/claim.ts (a module may not import jobs): one job_runs row, committed with the work.
        const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES (${`sc_npl:${id}`}, ${nodeId}, ${day}::date) ON CONFLICT DO NOTHING RETURNING 1`);
        if (claimed.length === 0) return false;
        await computeNpl(tx, SCHEDULER, await lockProgramme(tx, id), day);
        return true;
      });
      if (done) out.done.push({ nodeId, period: day });
    } catch (e) {
      out.failed.push({ nodeId, period: day, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
