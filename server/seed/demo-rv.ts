import { sql } from 'drizzle-orm';
import { addDays } from '../calendar/index.js';
import { type DbOrTx, rows } from '../db/client.js';
import { periodOf } from '../modules/reports/cadence.rules.js';
import { TYPED_FEEDS } from '../modules/reports/views-feeds.js';

/**
 * The demo bank's typed feeds (issue 16 part B): every feed-backed report's figures for every
 * tier-2 branch over November 2026 — each day, ISO week, 旬 and the month, plus the third quarter
 * and its halves — as the committee office would import them, so the demo calendar shows the feed
 * reports produced beside the own-data ones. Deterministic, plausible values (counts in tens or
 * hundreds, rates 85–99.99 %, amounts in the millions of 元); idempotent.
 */
function value(unit: 'fen' | 'count' | 'bp', seed: number, signed = false): number {
  const r = (seed * 7_919 + 104_729) % 100_000;
  if (unit === 'bp') return signed ? (r % 200) - 80 : 8_500 + (r % 1_500);
  if (unit === 'count') return 5 + (r % 400);
  return (signed ? r - 30_000 : 2_000_000 + r * 37) * 100;
}

export async function seedDemoReportViews(db: DbOrTx): Promise<void> {
  const branches = await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'branch' AND active ORDER BY path`);
  const days: string[] = [];
  for (let d = '2026-11-01'; d <= '2026-11-30'; d = addDays(d, 1)) days.push(d);
  const at = '2026-12-01T09:30:00+08:00';
  for (const [fi, feed] of TYPED_FEEDS.entries()) {
    const keys = new Set<string>();
    for (const c of feed.cadences) for (const d of [...days, '2026-08-20', '2026-09-20']) if (c !== 'daily' || d >= '2026-11-01') keys.add(periodOf(c, d).key);
    for (const key of keys) {
      if (!feed.cadences.includes('quarterly') && !feed.cadences.includes('twice_quarterly') && !key.startsWith('2026-11') && !key.startsWith('2026-W4')) continue;
      for (const { id } of branches) {
        for (const [mi, m] of feed.measures.entries()) {
          const v = value(m.unit, Number(id) * 31 + fi * 17 + mi * 7 + key.length * 3 + key.charCodeAt(key.length - 1), m.signed);
          await db.execute(
            sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, imported_at)
                VALUES (${feed.name}, ${key}, ${id}, ${m.key}, ${v}, ${at}::timestamptz) ON CONFLICT DO NOTHING`,
          );
        }
      }
    }
  }
}
