import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, migrateDatabase, openDatabase } from '../server/db/client.js';
import { seedDemoBank } from '../server/db/seed/demo-bank.js';
import { benchImport } from './import.js';
import { benchStaffPage, padStaff } from './staff-page.js';

/**
 * `npm run bench`: deterministic data, the hot paths under load, one JSON file of figures —
 * each beside a lower bound measured in the same run so ratios mean something on a noisy machine.
 * BENCH_SECONDS (default 10), BENCH_CONNECTIONS (50), BENCH_STAFF (20000), BENCH_IMPORT_ROWS (100000).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const staffRows = Number(process.env.BENCH_STAFF ?? 20000);
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100000);
const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshPg(name: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgBase);
  u.pathname = `/${name}`;
  return openDatabase({ url: u.toString(), poolSize: 20 });
}

async function prepared(kind: 'pg' | 'pglite', dir: string): Promise<Database> {
  const database = kind === 'pg' ? await freshPg('linkage_bench') : await openDatabase({ dataDir: path.join(dir, 'pglite') });
  await migrateDatabase(database);
  await seedDemoBank(database.db);
  return database;
}

const results: Record<string, unknown> = {};
const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-bench-'));
try {
  for (const kind of ['pg', 'pglite'] as const) {
    const database = await prepared(kind, dir);
    await padStaff(database, staffRows);
    console.log(`[${kind}] staff page: ${seconds}s × ${connections} connections over ${staffRows} extra staff…`);
    results[`staffPage.${kind}`] = { staffRows, seconds, connections, ...(await benchStaffPage(database, { seconds, connections })) };
    console.log(JSON.stringify(results[`staffPage.${kind}`]));
    await database.close();
  }
  for (const kind of ['pg', 'pglite'] as const) {
    console.log(`[${kind}] import of ${importRows} staff rows…`);
    results[`import.staff.${kind}`] = await benchImport(kind, { rows: importRows, dir, pgBase });
    console.log(JSON.stringify(results[`import.staff.${kind}`]));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const out = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/latest.json');
process.exit(0);
