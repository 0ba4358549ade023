import type { Db } from '../db/client.js';
import { rootNodeId } from '../db/org-paths.js';
import { keepMonthsMade, monthFrom } from '../db/partitions.js';
import { beijingDay } from '../calendar/index.js';
import type { JobOutcome } from './publication.job.js';

/**
 * Keeps the month partitions made ahead (migration 0048, decision 0042): the month before today
 * (Beijing) to three months after, and any month whose rows wait in a DEFAULT partition. Every
 * instance may run it every round: the SQL function is idempotent and serialised by one advisory
 * key, and a round with nothing to make only reads the catalogue.
 */
export async function runMonthPartitionsJob(db: Db, now: Date): Promise<JobOutcome> {
  const out: JobOutcome = { job: 'month-partitions', done: [], failed: [] };
  const today = beijingDay(now);
  const first = monthFrom(today, -1);
  const root = (await rootNodeId(db)) ?? 0;
  try {
    const made = await keepMonthsMade(db, today);
    if (made > 0) out.done.push({ nodeId: root, period: first });
  } catch (e) {
    out.failed.push({ nodeId: root, period: first, error: e instanceof Error ? e.message : String(e) });
  }
  return out;
}
