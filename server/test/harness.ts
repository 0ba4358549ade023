import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app.js';
import { type Config, databaseOptions, loadConfig } from '../config.js';
import { type Database, migrateDatabase, openDatabase, PGLITE_EXTENSIONS, pgliteDatabase } from '../db/client.js';
import { DEMO_PASSWORD } from '../seed/demo-ids.js';
import { registerAllImportKinds } from '../import-kinds.js';

/**
 * A fresh copy of the seeded demo bank for one test file, on the leg's database
 * (LINKAGE_TEST_DB=pglite|pg). Same tests, both databases.
 */
export async function createTestDatabase(opts: Pick<Parameters<typeof openDatabase>[0], 'poolSize' | 'limits'> = {}): Promise<Database> {
  // Tests that call services without an app still import every kind, as the server and CLI do.
  registerAllImportKinds();
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    const template = inject('pgTemplate');
    return throwawayPgDatabase(`TEMPLATE ${template}`, { poolSize: opts.poolSize ?? 5, limits: opts.limits });
  }
  const dump = readFileSync(inject('pgliteDump'));
  const client = new PGlite({ loadDataDir: new Blob([dump]), extensions: PGLITE_EXTENSIONS });
  await client.waitReady;
  return pgliteDatabase(client, opts.limits);
}

/** A database with no schema at all (an upgrade test migrates it step by step), on the leg's database. */
export async function createUnmigratedTestDatabase(): Promise<Database> {
  registerAllImportKinds();
  if (process.env.LINKAGE_TEST_DB === 'pg') return throwawayPgDatabase('', { poolSize: 5 });
  return openDatabase({ dataDir: 'memory://' });
}

/**
 * A fresh, migrated database with nothing in it (a clean install before its first run), on the
 * leg's database: a new PostgreSQL database named after the template (dropped by close, and by the
 * global teardown if a worker dies), or an in-memory PGlite.
 */
export async function createEmptyTestDatabase(): Promise<Database> {
  registerAllImportKinds();
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    const database = await throwawayPgDatabase('', { poolSize: 5 });
    await migrateDatabase(database);
    return database;
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateDatabase(database);
  return database;
}

/**
 * A new PostgreSQL database named after the run's template (so the global teardown finds it if a
 * worker dies), created with `createOptions` (e.g. `TEMPLATE x`), dropped by its close.
 */
async function throwawayPgDatabase(createOptions: string, opts: Pick<Parameters<typeof openDatabase>[0], 'poolSize' | 'limits'>): Promise<Database> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `${inject('pgTemplate')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} ${createOptions}`.trim());
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), poolSize: opts.poolSize, limits: opts.limits });
  const close = database.close;
  return {
    ...database,
    url: u.toString(),
    close: async () => {
      await close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  } as Database;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  // SESSION_CACHE_MS 0: tests change sessions and grants in SQL and expect the next request to see it.
  return loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './web/dist-none', DB_POOL_SIZE: '5', SESSION_CACHE_MS: '0', ...overrides });
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** Signs in and returns a client that sends the cookie and CSRF token. */
  login(staffNo: string, password?: string): Promise<Client>;
  /** A client with no session. */
  anonymous: Client;
  close(): Promise<void>;
}

export interface Client {
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

function client(app: FastifyInstance, cookie: string, csrf: string): Client {
  const request = (opts: InjectOptions) => app.inject({ ...opts, headers: { ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}), ...opts.headers } });
  const withBody = (method: 'POST' | 'PUT' | 'PATCH') => (url: string, body?: unknown) => request({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
  return {
    cookie,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

/** Builds the app over a fresh copy of the demo bank. */
export async function createTestApp(configOverrides: Record<string, string> = {}, opts: Pick<Parameters<typeof buildApp>[2] & object, 'logStream' | 'adminToken'> = {}): Promise<TestApp> {
  const config = testConfig(configOverrides);
  // The server's request limits (pool size, acquire and statement timeouts) from the same config.
  const database = await createTestDatabase(databaseOptions(config));
  const app = await buildApp(database, config, opts);
  await app.ready();
  return {
    app,
    database,
    anonymous: client(app, '', ''),
    async login(staffNo, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo, password } });
      if (res.statusCode !== 200) throw new Error(`login ${staffNo} failed: ${res.statusCode} ${res.body}`);
      const sid = res.cookies.find((c) => c.name === 'linkage_sid')!.value;
      return client(app, `linkage_sid=${sid}`, res.json().csrfToken);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
