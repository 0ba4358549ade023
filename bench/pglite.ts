import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { eq } from 'drizzle-orm';
import type pg from 'pg';
import { buildApp } from '../server/app.js';
import { databaseOptions, loadConfig } from '../server/config.js';
import { type Database, migrateDatabase, openDatabase } from '../server/db/client.js';
import { staff } from '../server/db/schema/index.js';
import { loadGrants } from '../server/modules/auth/auth.service.js';
import { bulkImportSales } from '../server/modules/sales/sales.bulk.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES, DEMO_PASSWORD } from '../server/seed/demo-ids.js';
import { buildWorld, freshPg, writeSalesCsv } from './scoring.js';

/**
 * The embedded default (issue 17 goal 4), PGlite as the server opens it (a data directory, the
 * request gate of decision 0018):
 * (b) one branch-scale month of sales (BENCH_PGLITE_SALES, 200 k) written as the sales template's
 *     CSV and imported through the product's bulk path (read, check, record, score, one
 *     transaction) on PGlite and on PostgreSQL, the same file in the same run: ratio ≤ 3;
 * (a) then, on that PGlite database (the demo bank plus the month), BENCH_PGLITE_USERS (10)
 *     simulated branch users, each signed in with a session of their own, cycling the main pages
 *     over HTTP for BENCH_SECONDS, each opening the next page as soon as the last one arrived
 *     (BENCH_PGLITE_THINK_MS, 0: no reading time — the hardest case for one shared connection):
 *     p50/p99 per page and overall, goal p99 < 300 ms.
 */
export async function benchPglite(opts: { sales: number; users: number; seconds: number; thinkMs: number; pgBase: string; dir: string }) {
  const file = path.join(opts.dir, `bench-pglite-sales-${opts.sales}.csv`);
  const result: Record<string, unknown> = { sales: opts.sales, users: opts.users, seconds: opts.seconds, thinkMs: opts.thinkMs };

  // --- (b) PostgreSQL first: its world writes the CSV both databases import --------------------
  const pgDb = await freshPg(opts.pgBase, 'linkage_bench_pglite');
  let pgImport: Awaited<ReturnType<typeof timedImport>>;
  try {
    await prepare(pgDb);
    const world = await buildWorld(pgDb);
    await writeSalesCsv(world, opts.sales, file);
    console.log(`  pglite: ${opts.sales} sales as CSV (${Math.round(statSync(file).size / 2 ** 20)} MiB)`);
    pgImport = await timedImport(pgDb, file);
  } finally {
    await pgDb.close();
  }
  console.log(`  pglite: PostgreSQL import ${JSON.stringify(pgImport)}`);

  const dataDir = path.join(opts.dir, 'pglite-goal4');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none', DATA_DIR: dataDir });
  const lite = await openDatabase({ dataDir, limits: databaseOptions(config).limits });
  try {
    await prepare(lite);
    // The same world, built in the same order, gives the same ids: the CSV's codes resolve alike.
    await buildWorld(withCopyPool(lite));
    const liteImport = await timedImport(lite, file);
    console.log(`  pglite: PGlite import ${JSON.stringify(liteImport)}`);
    rmSync(file, { force: true });
    result.import = {
      pg: pgImport,
      pglite: liteImport,
      baseline: 'PostgreSQL, the same file through the same bulk path in this run',
      ratio: round2(liteImport.totalSeconds / pgImport.totalSeconds),
      goal: 3,
    };

    // --- (a) the main pages under 10 users ------------------------------------------------------
    result.pages = await pageLoad(lite, config, opts.users, opts.seconds, opts.thinkMs);
  } finally {
    await lite.close();
    rmSync(file, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

async function prepare(database: Database) {
  await migrateDatabase(database);
  await seedDemoBank(database.db);
  await seedSplitRules(database.db);
}

/** The product's bulk path as the province administrator, timed by the path itself. */
async function timedImport(database: Database, file: string) {
  const [admin] = await database.db.select().from(staff).where(eq(staff.staffNo, 'admin'));
  const auth = {
    staffId: admin.id,
    staffNo: admin.staffNo,
    name: admin.name,
    nodeId: admin.nodeId,
    sessionId: 'bench',
    csrfToken: 'bench',
    mustChangePassword: false,
    grants: await loadGrants(database.db, admin.id),
  };
  const t0 = performance.now();
  const res = await bulkImportSales({ database, auth, file });
  const wall = (performance.now() - t0) / 1000;
  if (res.status !== 'done' || res.errorRows !== 0) throw new Error(`bulk import on ${database.kind}: ${res.status} ${res.inserted}: ${res.message.zh} ${JSON.stringify(res.errors.slice(0, 3))}`);
  return {
    inserted: res.inserted,
    ledgerEntries: res.ledgerEntries,
    writeSeconds: round3(res.writeSeconds),
    scoreSeconds: round3(res.scoreSeconds),
    totalSeconds: round3(wall),
    salesPerSec: Math.round(res.inserted / wall),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/**
 * buildWorld COPYs its 200 k buyers through `database.pool`; on PGlite the same COPY text goes in
 * as one blob (`COPY … FROM '/dev/blob'`), so the generator in scoring.ts serves both databases.
 */
export function withCopyPool(database: Database): Database {
  const lite = database.pglite!;
  const client = {
    query(q: { text: string }) {
      const parts: Buffer[] = [];
      return new Writable({
        write(chunk: Buffer, _enc, done) {
          parts.push(chunk);
          done();
        },
        final(done) {
          const statement = q.text.replace(/FROM STDIN\s*$/i, "FROM '/dev/blob'");
          lite.query(statement, [], { blob: new Blob([Buffer.concat(parts)]) }).then(
            () => done(),
            (e: unknown) => done(e as Error),
          );
        },
      });
    },
    release() {},
  };
  return { ...database, pool: { connect: async () => client } as unknown as pg.Pool };
}

interface Page {
  name: string;
  url: string;
}

/** What a branch user opens: the home (workbench, me, unread count), the lists, the statement, the dashboards. */
function mainPages(nodeId: number, month: string): Page[] {
  const year = month.slice(0, 4);
  return [
    { name: 'me', url: '/api/auth/me' },
    { name: 'workbench', url: '/api/workbench' },
    { name: 'unread', url: '/api/notifications/unread-count' },
    { name: 'staff', url: '/api/staff?page=1&pageSize=20' },
    { name: 'companies', url: `/api/customers/companies?q=${encodeURIComponent('基准')}&page=1&pageSize=20` },
    { name: 'individuals', url: `/api/customers/individuals?q=${encodeURIComponent('基准客户12')}&page=1&pageSize=20` },
    { name: 'sales', url: `/api/sales?month=${month}&nodeId=${nodeId}&page=1&pageSize=20` },
    { name: 'statement', url: `/api/statements/${nodeId}/${month}` },
    { name: 'completion', url: `/api/dashboards/completion?nodeId=${nodeId}&year=${year}` },
    { name: 'rankings', url: `/api/dashboards/rankings?nodeId=${nodeId}&year=${year}` },
    { name: 'trend', url: `/api/dashboards/trend?nodeId=${nodeId}&year=${year}` },
  ];
}

async function pageLoad(database: Database, config: ReturnType<typeof loadConfig>, users: number, seconds: number, think: number) {
  const app = await buildApp(database, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    const pages = mainPages(DEMO_NODES.foshan, process.env.BENCH_PGLITE_MONTH ?? '2026-06');
    // The branch's committee chair sees every one of these pages over 佛山分行.
    const cookies: string[] = [];
    for (let u = 0; u < users; u++) {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ staffNo: 'fs_president', password: DEMO_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`bench login: ${res.status} ${await res.text()}`);
      cookies.push((res.headers.get('set-cookie') ?? '').split(';')[0]);
    }
    // Warm: every page once, and it must answer 200.
    for (const p of pages) {
      const res = await fetch(base + p.url, { headers: { cookie: cookies[0] } });
      if (res.status !== 200) throw new Error(`bench page ${p.name}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    }
    // The users run in a worker thread, as every other load in the bench does (load.ts): in this
    // thread their requests and responses would be parsed on the server's own event loop, which
    // PGlite (WebAssembly, in-process) already shares, and billed to the server's latency.
    const { times: byPage, errors } = await usersInWorker({ base, pages, cookies, seconds, think });
    const times = new Map<string, number[]>(pages.map((p) => [p.name, byPage[p.name] ?? []]));
    const all = [...times.values()].flat();
    const perPage = Object.fromEntries([...times].map(([name, t]) => [name, { n: t.length, p50Ms: pct(t, 0.5), p99Ms: pct(t, 0.99) }]));
    const p99 = pct(all, 0.99);
    return {
      clients: 'worker thread',
      requests: all.length,
      requestsPerSec: Math.round(all.length / seconds),
      errors,
      p50Ms: pct(all, 0.5),
      p99Ms: p99,
      goalP99Ms: 300,
      ratio: round2(p99 / 300),
      perPage,
    };
  } finally {
    await app.close();
  }
}

/** The simulated users' loop (bench/pglite-users.mjs) in a worker thread: times per page, and the non-200 answers. */
function usersInWorker(data: { base: string; pages: Page[]; cookies: string[]; seconds: number; think: number }): Promise<{ times: Record<string, number[]>; errors: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./pglite-users.mjs', import.meta.url), { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`pglite users worker exited ${code}`))));
  });
}

function pct(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
}
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
