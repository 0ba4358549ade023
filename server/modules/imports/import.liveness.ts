import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { ERRORS } from '../../../shared/errors.js';

/**
 * Imports in flight prove they are alive (issue 10): the process running one touches its row's
 * `heartbeat_at` every HEARTBEAT_MS while it validates and writes. A row still validating or
 * writing whose heartbeat is older than STALE_AFTER_SECONDS belongs to a process that died
 * (killed, crashed, stopped mid-way) — its one write transaction rolled back with it, so nothing
 * was written — and is marked failed (IMPORT.INTERRUPTED) at start and by the job runner.
 */
export const HEARTBEAT_MS = 15_000;
export const STALE_AFTER_SECONDS = 120;

/** Imports this process is running: never orphans, whatever their heartbeat says. */
const running = new Set<string>();

/**
 * Registers an import as running here and heartbeats its row until the returned stop(). On
 * PGlite a heartbeat waits behind the import's own write transaction (one connection), which is
 * why the sweep also skips the imports of this process.
 */
export function trackImport(db: Db, id: string, opts: { everyMs?: number } = {}): () => void {
  running.add(id);
  let pending: Promise<unknown> | null = null;
  const beat = () => {
    if (pending) return; // the previous one is still queued
    pending = db
      .execute(sql`UPDATE imports SET heartbeat_at = now() WHERE id = ${id} AND status IN ('validating', 'writing')`)
      .catch(() => undefined)
      .finally(() => (pending = null));
  };
  const timer = setInterval(beat, opts.everyMs ?? HEARTBEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    running.delete(id);
  };
}

const INTERRUPTED = JSON.stringify({ code: 'IMPORT.INTERRUPTED', zh: ERRORS['IMPORT.INTERRUPTED'].zh, en: ERRORS['IMPORT.INTERRUPTED'].en });

/**
 * Marks failed the imports in flight whose heartbeat is older than `staleSeconds` and that this
 * process is not running. `staleSeconds: 0` at the start of a process that owns its database
 * alone (PGlite holds the directory's lock): any row in flight is then an orphan. Returns their ids.
 */
export async function failOrphanImports(db: Db, opts: { staleSeconds?: number } = {}): Promise<string[]> {
  const stale = Math.max(0, Math.trunc(opts.staleSeconds ?? STALE_AFTER_SECONDS));
  const mine = `{${[...running].map((id) => `"${id.replace(/[^\w-]/g, '')}"`).join(',')}}`;
  const out = await rows<{ id: string }>(
    db,
    sql`UPDATE imports SET status = 'failed', message = ${INTERRUPTED}, finished_at = now()
        WHERE status IN ('validating', 'writing')
          AND heartbeat_at <= now() - make_interval(secs => ${stale})
          AND NOT (id = ANY(${mine}::text[]))
        RETURNING id`,
  );
  return out.map((r) => r.id);
}
