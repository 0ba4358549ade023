import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

/**
 * Request limits on the database (decision 0018): a request waits at most `acquireTimeoutMs` for
 * a connection and runs no statement longer than `statementTimeoutMs`; either failure answers
 * 503 (SYSTEM.BUSY / SYSTEM.TIMEOUT) instead of queueing behind a saturated pool forever.
 * 0 = no limit (the CLI, seeding, migrations and the benchmark open the database without limits).
 */
export interface DbLimits {
  /** Longest wait for a connection (pool, or PGlite's one through the gate). */
  acquireTimeoutMs?: number;
  /** Cancels any statement running longer (PostgreSQL; 0 = no limit). */
  statementTimeoutMs?: number;
  /** Ends a session idle inside a transaction for longer, releasing its locks (the CLI's). */
  idleInTransactionMs?: number;
  /** Names the sessions (the CLI's `linkage-cli-<pid>`, so it can end its own on a signal). */
  applicationName?: string;
  /** false: preparedRows runs its statements unnamed (a pooler that cannot keep prepared statements). */
  preparedStatements?: boolean;
}

/**
 * Long jobs inside a request-limited database (bulk imports, recompute): their transaction's
 * statements may run as long as they need. `SET LOCAL` ends with the transaction, so the
 * connection goes back to the pool with the request limit. Call it inside a transaction.
 */
export async function liftStatementTimeout(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SET LOCAL statement_timeout = 0`);
}

/** No connection could be had within the acquire timeout. */
export class DatabaseBusyError extends Error {
  readonly code = 'LINKAGE_DB_BUSY';
  constructor(waitedMs: number) {
    super(`no database connection free within ${waitedMs} ms`);
  }
}

/** pg's SQLSTATE for a statement cancelled by statement_timeout (or a cancel request). */
const QUERY_CANCELED = '57014';
/** pg-pool's own words when connectionTimeoutMillis passes with every client checked out. */
const PG_POOL_TIMEOUT = /^timeout exceeded when trying to connect$|^Connection terminated due to connection timeout$/;

/**
 * Whether `e` (or an error it wraps: Drizzle's DrizzleQueryError keeps the driver's in `cause`)
 * is the database being too busy: which 503 it answers, or null for any other failure.
 */
export function overloadCode(e: unknown): 'SYSTEM.BUSY' | 'SYSTEM.TIMEOUT' | null {
  for (let x = e, depth = 0; x && typeof x === 'object' && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const err = x as { code?: unknown; message?: unknown };
    if (err.code === QUERY_CANCELED) return 'SYSTEM.TIMEOUT';
    if (x instanceof DatabaseBusyError || (typeof err.message === 'string' && PG_POOL_TIMEOUT.test(err.message))) return 'SYSTEM.BUSY';
  }
  return null;
}

/**
 * PGlite is one connection in this process, and every query runs to its end on the main thread
 * (no statement timeout can interrupt it). What can be bounded is the wait for that connection:
 * this gate queues the callers of `query`/`transaction` (a transaction holds it to its end, as a
 * pooled connection would) and refuses one that waited longer than `acquireTimeoutMs`.
 */
export class ConnectionGate {
  private held = false;
  private readonly queue: { resolve: () => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }[] = [];
  constructor(private readonly acquireTimeoutMs: number) {}

  get waiting(): number {
    return this.queue.length;
  }
  get inUse(): boolean {
    return this.held;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.queue)[number] = { resolve, reject };
      if (this.acquireTimeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new DatabaseBusyError(this.acquireTimeoutMs));
        }, this.acquireTimeoutMs);
      }
      this.queue.push(waiter);
    });
  }

  private release() {
    const next = this.queue.shift();
    if (!next) {
      this.held = false;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }
}

/** The face of a PGlite instance Drizzle uses (query, transaction), behind a gate. */
export function gatedPglite(client: PGlite, gate: ConnectionGate): PGlite {
  const gated = {
    query: (...args: Parameters<PGlite['query']>) => gate.run(() => client.query(...args)),
    exec: (...args: Parameters<PGlite['exec']>) => gate.run(() => client.exec(...args)),
    transaction: <T>(fn: Parameters<PGlite['transaction']>[0]) => gate.run(() => client.transaction(fn as never) as Promise<T>),
  };
  return gated as unknown as PGlite;
}
