import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../db/client.js';

/**
 * The demo bank's report subscriptions (issue 16, decision 0040), set by the province's
 * administrator when the reports start (1 November 2026), so the first job round after `npm start`
 * delivers November's issues: 佛山's member of staff receives the four-bank 旬 report (佛山's line
 * only), 佛山's administrator the monthly business analysis, and 河源's administrator the 旬 report
 * only when 河源's own balance is below 300,000万元. Idempotent (an active subscription is kept).
 */
const SUBSCRIPTIONS: { staffNo: string; code: string; condition?: { measure: string; comparator: 'lt' | 'gt'; threshold: number } }[] = [
  { staffNo: 'fs_staff', code: 'PRD-FOUR-BANKS-T' },
  { staffNo: 'fs_admin', code: 'MKT-RUN-ANALYSIS-M' },
  { staffNo: 'hy_admin', code: 'PRD-FOUR-BANKS-T', condition: { measure: 'own', comparator: 'lt', threshold: 300_000 * 1_000_000 } },
];

export async function seedDemoReportSubscriptions(db: DbOrTx, since = '2026-11-01T00:00:00+08:00'): Promise<void> {
  const [admin] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'admin'`);
  if (!admin) return;
  for (const s of SUBSCRIPTIONS) {
    const c = s.condition ?? null;
    await db.execute(
      sql`INSERT INTO report_subscriptions (staff_id, definition_code, measure, comparator, threshold, created_by, created_at)
          SELECT st.id, ${s.code}, ${c?.measure ?? null}, ${c?.comparator ?? null}, ${c?.threshold ?? null}, ${admin.id}, ${since}::timestamptz
            FROM staff st WHERE st.staff_no = ${s.staffNo} AND st.active
          ON CONFLICT DO NOTHING`,
    );
  }
}
