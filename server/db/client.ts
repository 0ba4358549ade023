import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { ConnectionGate, type DbLimits, gatedPglite } from './limits.js';
import { acquireDataDirLock, type DataDirLock, type LockOwner } from './lock.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The Drizzle handle every service takes: the same type whether PGlite or PostgreSQL is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A handle or a transaction: services accept either. */
export type DbOrTx = Db | Tx;

/**
 * Independent reads, side by side where that is safe: on a pool each statement takes a connection
 * of its own; a transaction or a single connection takes one statement at a time (node-postgres 9
 * refuses a query sent while another runs; 8 queues it with a deprecation warning), so there they
 * run one after the other, in order.
 */
export async function allOf<const T extends readonly (() => Promise<unknown>)[]>(db: DbOrTx, reads: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if ((db as unknown as { session?: { client?: unknown } }).session?.client instanceof pg.Pool) return (await Promise.all(reads.map((r) => r()))) as never;
  const out: unknown[] = [];
  for (const r of reads) out.push(await r());
  return out as never;
}

/**
 * Work on one connection asked for from several flows (a bulk load's look-ahead connection):
 * each runs when the one before it has ended, in the order asked, whatever became of it.
 */
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const next = tail.then(work);
    tail = next.catch(() => undefined);
    return next;
  };
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'pg';
  /** The PGlite instance when embedded (COPY from a blob, dumps). */
  pglite?: PGlite;
  /** The pool when on a PostgreSQL server (COPY streams). */
  pool?: pg.Pool;
  /** The connection URL when on a PostgreSQL server (child processes in tests reuse it). */
  url?: string;
  /** The data directory's lock (file-backed PGlite): `lock.previous` names a crashed owner. */
  lock?: DataDirLock;
  /** PGlite opened with request limits: the queue in front of its one connection (limits.ts). */
  gate?: ConnectionGate;
  close(): Promise<void>;
}

/** Session limits of PostgreSQL connections (the CLI's; see `cliSessionLimits` in cli/session.ts). */
/** The CLI's session limits are the same shape as the server's request limits (limits.ts). */
export type PgSessionLimits = DbLimits;

/**
 * How often a PostgreSQL backend running a query checks that its client is still there. Without
 * it a client killed mid-statement (kill -9, a crash) leaves the statement running — and the
 * ledger or audit advisory lock held — until it ends; with it the backend notices within seconds,
 * cancels and rolls back (PostgreSQL 14+, every connection, server and CLI alike).
 */
export const CLIENT_CHECK_INTERVAL_MS = 2_000;

/** Extensions the migrations create; PGlite must load them at start. */
export const PGLITE_EXTENSIONS = { pg_trgm };

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// bigint (int8) columns come back as JS numbers: every amount we store fits in 2^53 (checked on write).
pg.types.setTypeParser(20, (v) => Number(v));
// DATE (1082) stays the 'YYYY-MM-DD' the bank wrote. node-postgres would make it a Date at local
// midnight, which toISOString() turns into the day before on a server in Asia/Shanghai (UTC+8).
// Drizzle already asks for strings on its own queries; this covers a raw pool query too.
pg.types.setTypeParser(1082, (v) => v);

/** Opens PostgreSQL when a URL is given, otherwise embedded PGlite in `dataDir` (or memory). */
export async function openDatabase(opts: {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  /** Who takes the data directory's lock (PGlite on disk); default: a command line run. */
  owner?: Pick<LockOwner, 'role' | 'command'>;
  /**
   * The server's request limits from config (pool-acquire and statement timeouts, limits.ts,
   * decision 0018) or the CLI's session limits; without them nothing is bounded (seed, bench).
   */
  limits?: DbLimits;
}): Promise<Database> {
  if (opts.url) {
    const limits = opts.limits ?? {};
    if (limits.preparedStatements !== undefined) namedStatements = limits.preparedStatements;
    const sets = [
      limits.statementTimeoutMs ? `SET statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}` : '',
      limits.idleInTransactionMs ? `SET idle_in_transaction_session_timeout = ${Math.trunc(limits.idleInTransactionMs)}` : '',
      limits.applicationName ? `SET application_name = '${limits.applicationName.replace(/[^\w.:-]/g, '')}'` : '',
    ].filter(Boolean);
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // 0 = wait forever (pg's default). With a limit a request gets 503 SYSTEM.BUSY instead.
      connectionTimeoutMillis: limits.acquireTimeoutMs ?? 0,
      // Plain SETs on each new connection before it is handed out, not startup parameters: a
      // pooler (PgBouncer) refuses unknown startup parameters.
      onConnect: async (client) => {
        if (sets.length) await client.query(sets.join('; '));
        // PostgreSQL 13 and older, or a platform without the check, do not know it: the rest works.
        await client.query(`SET client_connection_check_interval = ${CLIENT_CHECK_INTERVAL_MS}`).catch(() => undefined);
      },
    });
    // An idle connection the server ends (restart, failover, a dropped test database) is removed
    // from the pool and replaced on next use; without a listener it would crash the process.
    pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') console.error(`PostgreSQL idle connection error: ${err.message}`);
    });
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    return { db, kind: 'pg', pool, url: opts.url, close: () => pool.end() };
  }
  const dir = opts.dataDir ?? 'memory://';
  if (dir.startsWith('memory://')) {
    const client = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
    await client.waitReady;
    return pgliteDatabase(client, opts.limits);
  }
  // The lock first: a directory another process holds is refused before PGlite reads a byte.
  const lock = acquireDataDirLock(dir, opts.owner ?? { role: 'cli', command: cliCommand() });
  let client: PGlite;
  try {
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
    await client.waitReady;
  } catch (e) {
    lock.abandon();
    throw e;
  }
  let closed = false;
  return {
    ...pgliteDatabase(client, opts.limits),
    lock,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } catch (e) {
        // Not closed cleanly: the lock stays as the marker of an unclean shutdown.
        lock.abandon();
        throw e;
      }
      lock.release();
    },
  };
}

/** A Database over an open PGlite instance; with request limits, behind the acquire gate (limits.ts). */
export function pgliteDatabase(client: PGlite, limits?: DbLimits): Database {
  if (limits?.acquireTimeoutMs !== undefined) {
    // PGlite cannot interrupt a running statement; it can refuse to queue forever.
    const gate = new ConnectionGate(limits.acquireTimeoutMs);
    const db = drizzlePglite({ client: gatedPglite(client, gate), schema }) as unknown as Db;
    return { db, kind: 'pglite', pglite: client, gate, close: () => client.close() };
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: () => client.close() };
}

/** `cli settle --branch …` as the lock names a command line owner. */
function cliCommand(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return args.slice(0, 3).join(' ') || path.basename(process.argv[1] ?? 'node');
}

/** Applies the committed migrations (idempotent). */
export async function migrateDatabase(database: Database, migrationsFolder: string = MIGRATIONS_DIR): Promise<void> {
  const config = { migrationsFolder };
  if (database.kind === 'pg') {
    await migrateNodePg(database.db as never, config);
  } else {
    await migratePglite(database.db as never, config);
  }
}

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(db: DbOrTx, query: Parameters<Db['execute']>[0]): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

const preparing = new PgDialect();
const statementNames = new Map<string, string>();
/** Set by openDatabase from the server's DB_PREPARED_STATEMENTS (one request database a process). */
let namedStatements = true;
/**
 * `rows` through a named prepared statement (PostgreSQL: parsed once per connection, and after
 * five runs planned once — the plan cache; decision 0053). Only for statements whose text is fixed
 * by the code, values as parameters: each distinct text keeps its name for the life of the process.
 * PGlite runs it as `rows` does.
 */
export async function preparedRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  if (!namedStatements) return rows<T>(db, query);
  const q = preparing.sqlToQuery(query);
  let name = statementNames.get(q.sql);
  if (!name) statementNames.set(q.sql, (name = `linkage_${statementNames.size + 1}`));
  const res = (await db._.session.prepareQuery(q, undefined, name, false).execute()) as unknown as { rows: T[] };
  return res.rows;
}
