import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { resetDatabase } from '../ops/reset.js';

/** Opens the configured database (DATABASE_URL or the embedded one in DATA_DIR). */
export async function openConfigured() {
  const config = loadConfig();
  return openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
}

export function registerDbCommands(program: Command) {
  program
    .command('migrate')
    .description('执行数据库迁移 / apply migrations')
    .action(async () => {
      const database = await openConfigured();
      await migrateDatabase(database);
      await database.close();
      console.log('迁移完成 / migrations applied');
    });
  program
    .command('db:reset')
    .description('清空数据库并载入演示银行 / drop everything, migrate and load the demo bank')
    .action(async () => {
      const database = await openConfigured();
      await resetDatabase(database);
      await database.close();
    });
}
