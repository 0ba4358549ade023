import type { Db } from '../db/client.js';
import { failOrphanImports } from '../modules/imports/import.liveness.js';
import { type JobOutcome, runCloseWindowsJob, runPublicationJob } from './publication.job.js';
import { clock } from '../calendar/index.js';
import { runLeadEscalationJob } from '../modules/leads/leads.escalation.js';
import { runInterbankSnapshotJob } from '../modules/interbank/snapshots.job.js';
import { runSupervisionJob } from '../modules/interbank/supervision.job.js';
import { runReportRound } from '../modules/reports/jobruns.js';
import { runSupplyChainNplJob } from '../modules/supplychain/npl.job.js';
import { runInclusiveQuarterJob } from '../modules/inclusive/quarter.job.js';
import { runWarningsJob } from '../modules/warnings/warnings.job.js';
import { runMonthPartitionsJob } from './partitions.job.js';

/** The scheduled jobs, in the order a round runs them. */
export const JOBS: readonly ((db: Db, now: Date) => Promise<JobOutcome>)[] = [
  runPublicationJob,
  runCloseWindowsJob,
  runLeadEscalationJob,
  runInterbankSnapshotJob,
  runSupervisionJob,
  runReportRound,
  runSupplyChainNplJob,
  runInclusiveQuarterJob,
  runWarningsJob,
  runMonthPartitionsJob,
];

const LOGGED_ITEMS = 10;
export function sample<T>(items: readonly T[]): readonly T[] | { first: readonly T[]; more: number } {
  return items.length <= LOGGED_ITEMS ? items : { first: items.slice(0, LOGGED_ITEMS), more: items.length - LOGGED_ITEMS };
}

/** Runs every job once (tests call this directly). */
export async function runJobsOnce(db: Db, now: Date = clock.now()): Promise<JobOutcome[]> {
  const out: JobOutcome[] = [];
  for (const job of JOBS) out.push(await job(db, now));
  return out;
}

export interface JobRunner {
  /** Runs a round now (and waits for one already running). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the jobs every `intervalSeconds` in this process. Several processes may run it against
 * one PostgreSQL: every unit of work is claimed once in the database (claim.ts), so nothing here
 * needs to be coordinated in memory — the flag below only keeps this process's rounds apart.
 */
export function startJobRunner(db: Db, opts: { intervalSeconds: number; log?: (msg: string, detail?: unknown) => void }): JobRunner {
  const log = opts.log ?? (() => undefined);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return Promise.resolve();
    running ??= (async () => {
      try {
        for (const r of await runJobsOnce(db)) {
          // A first round after a long stop can produce hundreds of report issues: the count, and
          // only the first few names, keep the log readable.
          if (r.done.length) log(`job ${r.job}: ${r.done.length} done`, sample(r.done));
          if (r.failed.length) log(`job ${r.job}: ${r.failed.length} failed`, r.failed);
        }
        // Imports whose process died (another server, a killed CLI): their heartbeat stopped.
        const orphans = await failOrphanImports(db);
        if (orphans.length) log(`imports interrupted: ${orphans.length} marked failed`, orphans);
      } catch (e) {
        log(`job round failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void tick(), opts.intervalSeconds * 1000);
  timer.unref();
  // A first round soon after start-up, not a whole interval later.
  const first = setTimeout(() => void tick(), 1000);
  first.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
