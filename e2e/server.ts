import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { type Database, migrateDatabase, openDatabase } from '../server/db/client.js';
import { seedDemoCustomers, TEST_SCALE } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { seedTargetCriteria } from '../server/seed/targets.js';
import { seedDemoScoring } from '../server/seed/scoring.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { prepareDatabase } from '../server/ops/prepare.js';

export const WEB_DIST = 'web/dist';

export interface ServerOptions {
  /** Also load the demo customers (test scale) and the target criteria. */
  customers?: boolean;
  /** Also load the customers and the demo products, developments and cross-sales of 2026-10/11. */
  scoring?: boolean;
  /**
   * A clean install instead of the demo bank (issue 18): migrations and the configuration defaults
   * only (server/ops/prepare.ts with SEED_DEMO=false), no user at all.
   */
  empty?: boolean;
  /** The embedded database's directory (default: in memory), e.g. one the CLI also opens between two starts. */
  dataDir?: string;
}

export interface RunningServer {
  baseUrl: string;
  /** The server's database, for tests that prepare or age rows the console cannot, or run the scheduled jobs themselves. */
  database: Database;
  close(): Promise<void>;
}

/** Fails loudly (never skips) when the console has not been built. */
export function assertConsoleBuilt(): void {
  const index = path.resolve(WEB_DIST, 'index.html');
  if (!existsSync(index)) {
    throw new Error(`The console is not built (${index} is missing): run \`npm run build:web\` before the e2e tests.`);
  }
}

/**
 * The real server in-process: an in-memory PGlite with the demo bank (and, when asked, its
 * customers), the built console from
 * web/dist, listening on a free port of 127.0.0.1.
 */
export async function startServer(env: Record<string, string> = {}, opts: ServerOptions = {}): Promise<RunningServer> {
  assertConsoleBuilt();
  const database = await openDatabase({ dataDir: opts.dataDir ?? 'memory://' });
  if (opts.empty) await prepareDatabase(database, { SEED_DEMO: false });
  else {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
  }
  if (opts.customers || opts.scoring) {
    // The demo customers at test scale, and the default Article 9 criteria (as server/ops/prepare.ts does).
    await seedDemoCustomers(database.db, TEST_SCALE);
    await seedTargetCriteria(database.db);
  }
  if (opts.scoring) {
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
  }
  const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', WEB_DIST, PORT: '0', SEED_DEMO: 'false', ...env }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
