import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { ConnectionGate, type DbLimits, gatedPglite } from './limits.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The Drizzle handle every service takes: the same type whether PGlite or PostgreSQL is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A handle or a transaction: services accept either. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'pg';
  /** The PGlite instance when embedded (COPY from a blob, dumps). */
  pglite?: PGlite;
  /** The pool when on a PostgreSQL server (COPY streams). */
  pool?: pg.Pool;
  /** The connection URL when on a PostgreSQL server (child processes in tests reuse it). */
  url?: string;
  /** PGlite opened with request limits: the queue in front of its one connection (limits.ts). */
  gate?: ConnectionGate;
  close(): Promise<void>;
}

/** Extensions the migrations create; PGlite must load them at start. */
export const PGLITE_EXTENSIONS = { pg_trgm };

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// bigint (int8) columns come back as JS numbers: every amount we store fits in 2^53 (checked on write).
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Opens PostgreSQL when a URL is given, otherwise embedded PGlite in `dataDir` (or memory).
 * `limits` (the server's, from config): the pool-acquire and statement timeouts of requests
 * (limits.ts, decision 0018); without them nothing is bounded (CLI, seeding, benchmark).
 */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number; limits?: DbLimits }): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // 0 = wait forever (pg's default). With a limit a request gets 503 SYSTEM.BUSY instead.
      connectionTimeoutMillis: opts.limits?.acquireTimeoutMs ?? 0,
      // Sent at connection start, so every statement is bounded unless its transaction lifts it.
      ...(opts.limits?.statementTimeoutMs ? { statement_timeout: opts.limits.statementTimeoutMs } : {}),
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
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
  await client.waitReady;
  return pgliteDatabase(client, opts.limits);
}

/** A Database over an open PGlite instance; with `limits`, behind the acquire gate (limits.ts). */
export function pgliteDatabase(client: PGlite, limits?: DbLimits): Database {
  if (limits) {
    // PGlite cannot interrupt a running statement; it can refuse to queue forever.
    const gate = new ConnectionGate(limits.acquireTimeoutMs);
    const db = drizzlePglite({ client: gatedPglite(client, gate), schema }) as unknown as Db;
    return { db, kind: 'pglite', pglite: client, gate, close: () => client.close() };
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: () => client.close() };
}

/** Applies the committed migrations (idempotent). */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
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
