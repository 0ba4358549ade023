import type { Config } from '../config.js';
import { type Database, migrateDatabase } from './client.js';
import { isEmpty, seedDemoBank } from './seed/demo-bank.js';

/** Migrates, and loads the demo bank into an empty database when configured to. Returns true if it seeded. */
export async function prepareDatabase(database: Database, config: Pick<Config, 'SEED_DEMO'>): Promise<boolean> {
  await migrateDatabase(database);
  if (config.SEED_DEMO && (await isEmpty(database.db))) {
    await seedDemoBank(database.db);
    return true;
  }
  return false;
}
