import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { migrateDatabase } from '../db/client.js';
import { DEMO_SCALE, type DemoScale, PROVINCE_SCALE, seedDemoCustomers, TEST_SCALE } from '../seed/customers.js';
import { isEmpty, seedDemoBank } from '../seed/demo-bank.js';
import { openConfigured } from './db.command.js';
import { assertDemoAllowed } from '../modules/setup/installation.js';

const SCALES: Record<string, DemoScale> = { test: TEST_SCALE, demo: DEMO_SCALE, province: PROVINCE_SCALE };

/**
 * `npm run cli -- seed --scale demo|province`: loads the demo bank (into an empty database) and
 * generated customers by COPY — province scale is 100,000 companies and 1,000,000 individuals.
 */
export function registerSeedCommand(program: Command) {
  program
    .command('seed')
    .description('生成演示客户数据 / generate demo customers (--scale test|demo|province)')
    .option('--scale <scale>', 'test | demo | province', 'demo')
    .action(async (opts: { scale: string }) => {
      const scale = SCALES[opts.scale];
      if (!scale) throw new Error(`未知规模 ${opts.scale}，可选 test、demo、province / unknown scale`);
      const database = await openConfigured();
      try {
        await migrateDatabase(database);
        // Demo customers never go into a bank's real database (issue 18).
        await assertDemoAllowed(database.db);
        if (await isEmpty(database.db)) await seedDemoBank(database.db);
        const bar = new cliProgress.SingleBar({ format: '客户 / people {bar} {percentage}% | {value}/{total} | {companies} companies', hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(scale.people, 0, { companies: 0 });
        const t0 = performance.now();
        const counts = await seedDemoCustomers(database.db, scale, {
          database,
          onBatch: (c) => bar.update(c.people, { companies: c.companies }),
        });
        bar.stop();
        const seconds = (performance.now() - t0) / 1000;
        console.log(`完成 / done in ${Math.round(seconds * 10) / 10} s: ${JSON.stringify(counts)}`);
      } finally {
        await database.close();
      }
    });
}
