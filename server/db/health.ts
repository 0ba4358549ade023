import pg from 'pg';
import type { Database } from './client.js';

/** The last background probe of the database. */
export interface DbProbe {
  reachable: boolean;
  latencyMs: number | null;
  error: string | null;
  /** ISO time the probe ended; null before the first one. */
  checkedAt: string | null;
}

/** Connections of the request path right now: how many exist, are free, and how many callers wait. */
export interface PoolState {
  max: number;
  open: number;
  idle: number;
  waiting: number;
}

export interface HealthMonitor {
  probe(): Promise<DbProbe>;
  last(): DbProbe;
  pool(): PoolState;
  stop(): Promise<void>;
}

/**
 * `/api/health` must answer while every pooled connection is taken (decision 0018): it reads
 * this monitor's last probe and the pool's counters, and never waits for a connection itself.
 * On PostgreSQL each probe opens a connection of its own, outside the pool, with the probe's
 * timeout on connect and query — it measures the server, not the queue in front of the pool. On
 * PGlite (one connection, in this process) the probe queues behind whatever runs there; the
 * answer stays the last known one meanwhile, with its time.
 */
export function startHealthMonitor(database: Database, opts: { intervalMs: number; timeoutMs: number }): HealthMonitor {
  let last: DbProbe = { reachable: false, latencyMs: null, error: 'not probed yet', checkedAt: null };
  let running: Promise<DbProbe> | null = null;
  let stopped = false;

  const once = async (): Promise<DbProbe> => {
    const t0 = performance.now();
    try {
      if (database.kind === 'pg') {
        const c = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: opts.timeoutMs, query_timeout: opts.timeoutMs, statement_timeout: opts.timeoutMs });
        c.on('error', () => undefined); // a server going away mid-probe is this probe's result, not a crash
        try {
          await c.connect();
          await c.query('SELECT 1');
        } finally {
          await c.end().catch(() => undefined);
        }
      } else {
        await database.pglite!.query('SELECT 1');
      }
      last = { reachable: true, latencyMs: Math.round((performance.now() - t0) * 10) / 10, error: null, checkedAt: new Date().toISOString() };
    } catch (e) {
      last = { reachable: false, latencyMs: null, error: (e as Error).message, checkedAt: new Date().toISOString() };
    }
    return last;
  };
  const probe = () => {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void probe();
  }, opts.intervalMs);
  timer.unref();

  return {
    probe,
    last: () => last,
    pool(): PoolState {
      const pool = database.pool;
      if (pool) return { max: pool.options.max ?? 10, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
      const gate = database.gate;
      return { max: 1, open: 1, idle: gate?.inUse ? 0 : 1, waiting: gate?.waiting ?? 0 };
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
