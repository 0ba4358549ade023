import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { seedDemoCustomers, TEST_SCALE } from '../seed/customers.js';
import { seedDemoBank } from '../seed/demo-bank.js';
import { seedDemoScoring } from '../seed/scoring.js';
import { ensureMonths } from '../db/partitions.js';
import { seedTargetCriteria } from '../seed/targets.js';
import { seedSplitRules } from '../modules/scoring/split-rules.service.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite leg: a dump of a migrated, seeded database each test file loads. */
    pgliteDump: string;
    /** PostgreSQL leg: the template database each test file copies. */
    pgTemplate: string;
  }
}

/**
 * Migrates and seeds the demo bank once per run, so every test file starts from a copy in
 * milliseconds instead of seeding again.
 */
export default async function setup(project: TestProject) {
  // The project's `env` reaches the workers, not this setup: read it from the project config.
  const env = { ...process.env, ...(project.config.env as Record<string, string | undefined>) };
  const kind = env.LINKAGE_TEST_DB;
  if (kind === 'pg') {
    const url = env.TEST_DATABASE_URL!;
    const name = `linkage_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    try {
      await admin.connect();
    } catch (e) {
      throw new Error(`PostgreSQL is required for the PostgreSQL test leg (${url}): ${(e as Error).message}`, { cause: e });
    }
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ url: u.toString(), poolSize: 2 });
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedDemoCustomers(database.db, TEST_SCALE);
    await seedTargetCriteria(database.db);
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
    // The seeded months into their partitions (rows of months not yet made wait in DEFAULT).
    await ensureMonths(database.db, null, null);
    await database.close();
    project.provide('pgTemplate', name);
    project.provide('pgliteDump', '');
    return async () => {
      // Drop the template and any test database a crashed worker left behind.
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [name, `${name}_%`]);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateDatabase(database);
  await seedDemoBank(database.db);
  await seedDemoCustomers(database.db, TEST_SCALE);
  await seedTargetCriteria(database.db);
  await seedSplitRules(database.db);
  await seedDemoScoring(database.db);
  await ensureMonths(database.db, null, null);
  const dump = await database.pglite!.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `linkage-test-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteDump', file);
  project.provide('pgTemplate', '');
}
