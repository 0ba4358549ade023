import { benchAuth } from './auth.js';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { type Database, migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { PROVINCE_SCALE, type DemoScale, seedDemoCustomers } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_PASSWORD } from '../server/seed/demo-ids.js';
import { makeIdNumber } from '../server/modules/customers/ids.rules.js';
import { registerAllImportKinds } from '../server/import-kinds.js';
import { runImport } from '../server/modules/imports/import.service.js';
import { listCompanies } from '../server/modules/customers/companies.service.js';
import { listPeople } from '../server/modules/customers/individuals.service.js';
import { CompanyQuery, PersonQuery } from '../server/modules/customers/customers.schemas.js';
import { compareLoad } from './load.js';

registerAllImportKinds();

/**
 * Issue 3 benchmarks: client search p99 at 20 concurrent on the province scale (goal < 100 ms), and
 * the import of 100,000 individuals (goal ≥ 20,000 rows/s with validation). Each figure sits beside
 * its lower bound measured in the same run (the hand-written SQL; the bare parse).
 */

/** Seeds the province scale (100 k companies, 1 M individuals) into a migrated database with the demo bank, by COPY. */
export async function seedClientSearch(database: Database, scale: DemoScale = PROVINCE_SCALE) {
  const [n] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM individuals`);
  if (n.n >= scale.people) return { seeded: false, seconds: 0 };
  const t0 = performance.now();
  await seedDemoCustomers(database.db, scale, { database });
  return { seeded: true, seconds: Math.round((performance.now() - t0) / 100) / 10 };
}

/**
 * Client search and the client lists through the API (session, scope, paging with total, masking)
 * beside the same service call without HTTP (the same SQL, the same presenter), each at
 * `connections` (20) concurrent (decision 0047): throughput ratio (goal ≥ 0.8) and the app's p99
 * (goal < 50 ms). Call on PostgreSQL after `seedClientSearch`.
 */
export async function benchClientSearch(database: Database, opts: { seconds: number; connections?: number }) {
  const connections = opts.connections ?? 20;
  // Search terms taken from the data, deterministic.
  const [p] = await rows<{ name: string; idSuffix: string; phoneSuffix: string }>(
    database.db,
    sql`SELECT name, id_suffix AS "idSuffix", phone_suffix AS "phoneSuffix" FROM individuals WHERE phone IS NOT NULL ORDER BY id OFFSET 123456 LIMIT 1`,
  );
  const [c] = await rows<{ uscc: string }>(database.db, sql`SELECT uscc FROM corporate_clients ORDER BY id OFFSET 54321 LIMIT 1`);
  const auth = await benchAuth(database.db, 'admin');
  const company = (q: Record<string, string>) => ({ api: `/api/customers/companies?${new URLSearchParams(q)}`, direct: () => listCompanies(database.db, auth, CompanyQuery.parse(q)) });
  const person = (q: Record<string, string>) => ({ api: `/api/customers/individuals?${new URLSearchParams(q)}`, direct: () => listPeople(database.db, auth, PersonQuery.parse(q)) });
  const searches: Record<string, { api: string; direct: () => Promise<unknown> }> = {
    // Two characters: the fragment the trigram index could not serve (decision 0047).
    companyName: company({ q: '电器', pageSize: '20' }),
    companyName4: company({ q: '照明电器', pageSize: '20' }),
    companyRare2: company({ q: '美迪', pageSize: '20' }),
    personName: person({ q: p.name, pageSize: '20' }),
    idSuffix: person({ idSuffix: p.idSuffix, pageSize: '20' }),
    phoneSuffix: person({ phoneSuffix: p.phoneSuffix, pageSize: '20' }),
    uscc: company({ q: c.uscc, pageSize: '20' }),
    // The list pages without a search.
    companiesPage: company({ page: '3', pageSize: '20' }),
    individualsPage: person({ page: '3', pageSize: '20' }),
  };
  const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ staffNo: 'admin', password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const out: Record<string, Awaited<ReturnType<typeof compareLoad>>> = {};
  try {
    for (const [key, s] of Object.entries(searches)) {
      out[key] = await compareLoad({ url: `${base}${s.api}`, headers: { cookie } }, s.direct, { seconds: opts.seconds, connections, goalRatio: 0.8, goalP99Ms: 50 });
      console.log(`  clientSearch.${key}: ${JSON.stringify(out[key])}`);
    }
  } finally {
    await app.close();
  }
  return { connections, goalP99Ms: 50, goalRatio: 0.8, searches: out };
}

// ---- import of 100,000 individuals -------------------------------------------------------------------

/** A workbook of `count` valid individuals over 佛山分行's outlets (valid GB 11643 numbers). */
export async function writeIndividualsWorkbook(file: string, count: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: false });
  const ws = wb.addWorksheet('个人客户');
  ws.addRow(['身份证号码', '姓名', '手机号', '管户机构号', '专属客户经理工号', '金融资产(元)', 'VIP等级']).commit();
  const outlets = ['4410101', '4410102', '4410201', '4410301', '4410401'];
  for (let i = 0; i < count; i++) {
    // Distinct numbers: birth date walks the days from 1950, the sequence the rest.
    const day = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86_400_000).toISOString().slice(0, 10);
    const id = makeIdNumber('440604', day, Math.floor(i / 18000));
    ws.addRow([id, `导入客户${i}`, `139${String(i).padStart(8, '0')}`, outlets[i % outlets.length], null, `${(i % 1000) * 1000}.50`, i % 10 === 0 ? '金卡' : null]).commit();
  }
  ws.commit();
  await wb.commit();
}

/**
 * Imports `rows` individuals through the real path (parse, GB 11643 checks, look-ups, one transaction,
 * audit) in a child process: rows/s and the child's peak RSS.
 */
export async function benchIndividualsImport(kind: 'pg' | 'pglite', opts: { rows: number; dir: string; pgBase: string }) {
  const file = path.join(opts.dir, `individuals-${opts.rows}.xlsx`);
  await writeIndividualsWorkbook(file, opts.rows);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
  if (kind === 'pg') {
    const admin = new pg.Client({ connectionString: opts.pgBase });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS linkage_bench_individuals${process.env.BENCH_DB_SUFFIX ?? ''} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE linkage_bench_individuals${process.env.BENCH_DB_SUFFIX ?? ''}`);
    await admin.end();
    const u = new URL(opts.pgBase);
    u.pathname = `/linkage_bench_individuals${process.env.BENCH_DB_SUFFIX ?? ''}`;
    env.DATABASE_URL = u.toString();
  } else {
    env.DATA_DIR = path.join(opts.dir, 'pglite-individuals');
    delete env.DATABASE_URL;
  }
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await migrateDatabase(db);
  await seedDemoBank(db.db);
  await db.close();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--individuals-import-child', file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(buf) : reject(new Error(`import child exited ${code}: ${buf}`))));
  });
  return { goalRowsPerSec: 20_000, ...JSON.parse(out.trim().split('\n').pop()!) };
}

/** The child: one import as the province administrator, figures on stdout as JSON. */
async function importChild(file: string) {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const auth = await benchAuth(database.db, 'admin');
  const bytes = readFileSync(file);
  const t0 = performance.now();
  let validatedAt = 0;
  const res = await runImport({
    db: database.db,
    auth,
    kind: 'individuals',
    fileName: path.basename(file),
    bytes,
    onProgress: (p) => {
      if (p.phase === 'writing' && !validatedAt) validatedAt = performance.now();
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  await database.close();
  console.log(
    JSON.stringify({
      database: database.kind,
      status: res.status,
      message: res.status === 'done' ? undefined : res.message.zh,
      rows: res.totalRows,
      inserted: res.inserted,
      fileMiB: Math.round((bytes.length / 2 ** 20) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100,
      validateSeconds: validatedAt ? Math.round(((validatedAt - t0) / 1000) * 100) / 100 : null,
      rowsPerSec: Math.round(res.totalRows / seconds),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

if (process.argv[2] === '--individuals-import-child' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await importChild(process.argv[3]);
  process.exit(0);
}
