import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { resetDatabase } from '../ops/reset.js';
import { ensureMonths } from '../db/partitions.js';
import { attachYear, detachYear } from '../ops/archive.js';

/** YYYY-MM → the month's first day. */
function monthArg(v: string, name: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new Error(`${name} 应为 YYYY-MM / ${name} must be YYYY-MM: ${v}`);
  return `${v}-01`;
}

/** YYYY → the year, checked before anything is opened. */
function yearArg(v: string): number {
  if (!/^\d{4}$/.test(v)) throw new Error('--year 应为四位年份 / --year must be a four-digit year');
  return Number(v);
}

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
    .command('months')
    .description('建立月份分区（装载历史数据前）/ make the month partitions of the ledger and totals, e.g. before loading a past year')
    .requiredOption('--from <YYYY-MM>', '起始月份 / first month')
    .requiredOption('--to <YYYY-MM>', '截止月份 / last month')
    .action(async (o: { from: string; to: string }) => {
      const first = monthArg(o.from, '--from');
      const last = monthArg(o.to, '--to');
      if (last < first) throw new Error('--to 早于 --from / --to is before --from');
      const database = await openConfigured();
      try {
        const made = await database.db.transaction((tx) => ensureMonths(tx, first, last));
        console.log(`已建立 ${made} 个分区 / ${made} partitions made (${o.from} … ${o.to})`);
      } finally {
        await database.close();
      }
    });
  program
    .command('detach-year')
    .description('将已锁定年度的月份分区移出（归档前）/ detach a locked year’s month partitions (sales, ledger, totals), before archiving it')
    .requiredOption('--year <YYYY>', '年度 / year')
    .action(async (o: { year: string }) => {
      const year = yearArg(o.year);
      const database = await openConfigured();
      try {
        const detached = await detachYear(database.db, { id: null, name: 'cli' }, year);
        for (const d of detached) console.log(`${d.table}\t${d.rows}`);
        console.log(`已移出 ${detached.length} 个分区 / ${detached.length} partitions detached; 导出后可删除 / dump them, then drop them (docs/deploy/single-server.md)`);
      } finally {
        await database.close();
      }
    });
  program
    .command('attach-year')
    .description('将已归档年度重新挂回在线数据 / put an archived year back on line (its tables restored first)')
    .requiredOption('--year <YYYY>', '年度 / year')
    .action(async (o: { year: string }) => {
      const year = yearArg(o.year);
      const database = await openConfigured();
      try {
        const attached = await attachYear(database.db, { id: null, name: 'cli' }, year);
        console.log(`已挂回 ${attached.length} 个分区 / ${attached.length} partitions attached`);
      } finally {
        await database.close();
      }
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
