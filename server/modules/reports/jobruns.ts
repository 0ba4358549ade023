import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { deliverPending } from './delivery.js';
import { runReportJob } from './produce.js';

/**
 * The report jobs' run history (issue 16, decision 0040): every run of production and delivery is
 * a `report_job_runs` row — started, its heartbeat, finished with its duration, what it did and
 * what failed (the failed issues are retried by the next run; the page shows both). A run whose
 * process died stays `running` with a stale heartbeat: the next run marks it `abandoned` (its
 * work is claimed per issue and per delivery, so nothing is half-done — the next run redoes it).
 */

export const REPORT_JOBS = ['reports', 'report-delivery'] as const;
export type ReportJobName = (typeof REPORT_JOBS)[number];

/** A run still `running` whose heartbeat is older than this is taken as dead. */
export const STUCK_AFTER_MS = 30 * 60_000;

/**
 * How often a run refreshes its heartbeat while it works: a long production or delivery round
 * (a province's month-end reports) must not look dead to another instance's next run, which would
 * mark it abandoned while it is still producing.
 */
export const HEARTBEAT_MS = 60_000;

const INSTANCE = `${hostname()}:${process.pid}`;

interface Outcome {
  job: string;
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

/** Marks the job's runs whose heartbeat stopped before `now − STUCK_AFTER_MS` as abandoned; returns their ids. */
export async function recoverStuckRuns(db: DbOrTx, job: string, now: Date): Promise<number[]> {
  const before = new Date(now.getTime() - STUCK_AFTER_MS).toISOString();
  const r = await rows<{ id: number }>(
    db,
    sql`UPDATE report_job_runs SET status = 'abandoned', finished_at = ${now.toISOString()}::timestamptz,
               error = '运行中断：超过30分钟无心跳，已由下一次运行接管 / interrupted: no heartbeat for 30 minutes, taken over by the next run'
         WHERE job = ${job} AND status = 'running' AND heartbeat_at < ${before}::timestamptz RETURNING id`,
  );
  return r.map((x) => Number(x.id));
}

/**
 * Runs `work` as one recorded run of `job`: abandoned runs recovered first, then started, its
 * heartbeat refreshed every `heartbeatMs` while it works, finished (ok / failed). The times are the
 * run's `now` plus the time elapsed, so a test clock gives the same history on every machine.
 */
export async function recordJobRun<T extends Outcome>(db: Db, job: ReportJobName, now: Date, work: () => Promise<T>, heartbeatMs = HEARTBEAT_MS): Promise<T> {
  await recoverStuckRuns(db, job, now);
  const [run] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO report_job_runs (job, instance, status, started_at, heartbeat_at)
        VALUES (${job}, ${INSTANCE}, 'running', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz) RETURNING id`,
  );
  const t0 = performance.now();
  const at = () => new Date(now.getTime() + Math.max(0, Math.round(performance.now() - t0))).toISOString();
  // A missed beat is not an error of the run (the next one, or finish, writes it); never an unhandled rejection.
  const beat = setInterval(() => {
    db.execute(sql`UPDATE report_job_runs SET heartbeat_at = ${at()}::timestamptz WHERE id = ${run.id} AND status = 'running'`).catch(() => undefined);
  }, heartbeatMs);
  beat.unref();
  const finish = async (status: 'ok' | 'failed', o: { done: number; failed: Outcome['failed']; error: string | null }) => {
    const ms = Math.max(0, Math.round(performance.now() - t0));
    await db.execute(
      sql`UPDATE report_job_runs SET status = ${status}, finished_at = ${new Date(now.getTime() + ms).toISOString()}::timestamptz, heartbeat_at = ${new Date(now.getTime() + ms).toISOString()}::timestamptz,
                 duration_ms = ${ms}, done = ${o.done}, failed = ${o.failed.length}, failures = ${JSON.stringify(o.failed.slice(0, 50))}::jsonb, error = ${o.error}
           WHERE id = ${run.id}`,
    );
  };
  let out: T;
  try {
    out = await work();
  } catch (e) {
    clearInterval(beat);
    const error = e instanceof Error ? e.message : String(e);
    await finish('failed', { done: 0, failed: [], error });
    throw e;
  }
  clearInterval(beat);
  await finish(out.failed.length ? 'failed' : 'ok', { done: out.done.length, failed: out.failed, error: null });
  return out;
}

/** The runner's report round: production, then delivery of everything produced and not yet delivered (the retry pass too). */
export async function runReportRound(db: Db, now: Date): Promise<Outcome> {
  const produced = await recordJobRun(db, 'reports', now, () => runReportJob(db, now));
  const delivered = await recordJobRun(db, 'report-delivery', now, () => deliverPending(db, now));
  return { job: 'reports', done: [...produced.done, ...delivered.done], failed: [...produced.failed, ...delivered.failed] };
}

export interface JobRunOut {
  id: number;
  job: string;
  instance: string;
  status: 'running' | 'ok' | 'failed' | 'abandoned';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  done: number;
  failed: number;
  failures: { period: string; error: string }[];
  error: string | null;
  /** Of the failures of this run, those a later run produced (the retry worked). */
  retried: number;
}

/** The latest runs of the report jobs, newest first, with how many of each run's failed issues have since been produced. */
export async function listJobRuns(db: DbOrTx, limit: number): Promise<JobRunOut[]> {
  const r = await rows<{
    id: number;
    job: string;
    instance: string;
    status: JobRunOut['status'];
    started_at: Date | string;
    finished_at: Date | string | null;
    duration_ms: number | null;
    done: number;
    failed: number;
    failures: { period: string; error: string }[];
    error: string | null;
  }>(db, sql`SELECT id, job, instance, status, started_at, finished_at, duration_ms, done, failed, failures, error FROM report_job_runs ORDER BY started_at DESC, id DESC LIMIT ${limit}`);
  const produced = new Set((await rows<{ k: string }>(db, sql`SELECT DISTINCT definition_code || '/' || period_key AS k FROM report_issues WHERE status = 'produced'`)).map((x) => x.k));
  return r.map((x) => ({
    id: Number(x.id),
    job: x.job,
    instance: x.instance,
    status: x.status,
    startedAt: new Date(x.started_at).toISOString(),
    finishedAt: x.finished_at === null ? null : new Date(x.finished_at).toISOString(),
    durationMs: x.duration_ms === null ? null : Number(x.duration_ms),
    done: Number(x.done),
    failed: Number(x.failed),
    failures: (x.failures ?? []).map((f) => ({ period: f.period, error: f.error })),
    error: x.error,
    retried: x.job === 'reports' ? (x.failures ?? []).filter((f) => produced.has(f.period)).length : 0,
  }));
}
