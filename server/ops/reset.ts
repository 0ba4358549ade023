import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import { type Database, openDatabase, rows } from '../db/client.js';
import { prepareDatabase } from './prepare.js';
import { assertDemoAllowed } from '../modules/setup/installation.js';

/**
 * Drops everything (both schemas: the app's and drizzle's migration journal), migrates and loads
 * the demo bank. Destructive by design: `npm run db:reset` / `linkage db:reset` — but only on the
 * demo bank or an empty database: one with real users is refused (SETUP.REAL_USERS).
 */
export async function resetDatabase(database: Database, log: (line: string) => void = console.log): Promise<void> {
  const started = performance.now();
  const { db } = database;
  // Never over real data: a database with users that is not the demo bank is refused (issue 18).
  await assertDemoAllowed(db);
  // One statement per call: PGlite's extended protocol takes no multi-statement strings.
  await db.execute(sql`DROP SCHEMA IF EXISTS public CASCADE`);
  await db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
  await db.execute(sql`CREATE SCHEMA public`);
  // The same path as a first start: migrations, configuration defaults and the whole demo bank.
  await prepareDatabase(database, { SEED_DEMO: true });
  const [c] = await rows<{ nodes: number; departments: number; staff: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM org_nodes) AS nodes,
               (SELECT count(*)::int FROM departments) AS departments,
               (SELECT count(*)::int FROM staff) AS staff`,
  );
  const ms = Math.round(performance.now() - started);
  log(
    `演示银行已重置：机构 ${c.nodes} 个，部门 ${c.departments} 个，员工 ${c.staff} 人（${ms} ms） / ` +
      `demo bank reset: ${c.nodes} org nodes, ${c.departments} departments, ${c.staff} staff (${ms} ms)`,
  );
}

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await resetDatabase(database);
  } finally {
    await database.close();
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`重置失败 / reset failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
