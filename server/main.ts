import { databaseOptions, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { prepareDatabase } from './db/prepare.js';
import { buildApp } from './app.js';
import { startJobRunner } from './jobs/runner.js';

/** Boots the server: config → database (migrated; demo bank on first start) → HTTP. */
const config = loadConfig();
let database: Database;
let seeded: boolean;
if (config.DATABASE_URL) {
  // Migrations and the first start's demo bank are long jobs: they run on a pool of their own,
  // without the request limits (decision 0018); requests then get the limited pool.
  const setup = await openDatabase({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    seeded = await prepareDatabase(setup, config);
  } finally {
    await setup.close();
  }
  database = await openDatabase({ url: config.DATABASE_URL, ...databaseOptions(config) });
} else {
  // PGlite has one connection and no statement timeout: the gate in front of it is idle at start.
  database = await openDatabase({ dataDir: config.DATA_DIR, ...databaseOptions(config) });
  seeded = await prepareDatabase(database, config);
}
const app = await buildApp(database, config);
await app.listen({ port: config.PORT, host: config.HOST });
const where = database.kind === 'pg' ? 'PostgreSQL' : `PGlite (${config.DATA_DIR})`;
console.log(`Linkage 已启动 / started: http://localhost:${config.PORT}  数据库 / database: ${where}${seeded ? '  已载入演示银行 / demo bank loaded' : ''}`);

// Scheduled work (monthly publication, publication windows): safe with several processes.
const jobs = config.JOBS_ENABLED
  ? startJobRunner(database.db, { intervalSeconds: config.JOBS_INTERVAL_SECONDS, log: (msg, detail) => app.log.info({ detail }, msg) })
  : null;

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, async () => {
    await jobs?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  });
}
