import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../db/client.js';
import { FOUR_BANK_MEASURES } from '../modules/reports/feeds.js';

/**
 * The demo bank's four-bank deposit figures (地区同业四行个人存款, 旬) for November 2026's three 旬 of
 * every tier-2 branch, as the committee office would import them, so the 旬 report has produced
 * issues on the calendar beside the ones still waiting on their feeds. Deterministic figures in 分
 * (balances of some hundred thousand 万元, this bank usually second of four). Idempotent.
 */
export async function seedDemoReportFeeds(db: DbOrTx): Promise<void> {
  const branches = await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'branch' AND active ORDER BY path`);
  const at = '2026-12-01T09:00:00+08:00';
  for (const [t, key] of ['2026-11-T1', '2026-11-T2', '2026-11-T3'].entries()) {
    for (const { id } of branches) {
      // Hundredths of 万元 per bank, growing a little each 旬; × 10,000 → 分.
      const base = 20_000_000 + ((Number(id) * 7_919) % 30_000_000) + t * 150_000;
      const wan100: Record<string, number> = { own: base, icbc: base + 4_321_000 + t * 90_000, abc: base - 1_234_500 + t * 60_000, boc: Math.floor(base / 2) + t * 40_000 };
      for (const m of FOUR_BANK_MEASURES) {
        await db.execute(
          sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, imported_at)
              VALUES ('four-bank-deposits', ${key}, ${id}, ${m.key}, ${wan100[m.key] * 10_000}, ${at}::timestamptz)
              ON CONFLICT DO NOTHING`,
        );
      }
    }
  }
}
