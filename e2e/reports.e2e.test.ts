import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { seedReportCatalogue } from '../server/modules/reports/definitions.service.js';
import { runReportJob } from '../server/modules/reports/produce.js';
import { apiSignIn, switchTo } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;

// SPEC §13 (issue 16): seed 004's 41 reports on the calendar, produced by the job from the demo's
// sales (November on), the four-bank feed imported for a 旬; a day's sales issue opened by the
// province (every branch) and by 佛山分行 (its own lines only). Desktop 1366×768.
describe('报表与通报', () => {
  const f = useConsole({ scoring: true });

  it('shows the calendar, opens a produced issue with its chart, and a branch sees only its own lines', async () => {
    const db = f.server.database.db;
    await seedReportCatalogue(db, { validFrom: '2026-11-01' });
    // The four-bank feed for 2026年11月下旬 through the import, as the committee office would.
    const ctx = await newContext(f.browser, f.server.baseUrl);
    const csrf = await apiSignIn(ctx.request, 'admin');
    const csv = [
      '旬,机构号,本行余额（万元）,工商银行余额（万元）,农业银行余额（万元）,中国银行余额（万元）',
      '2026年11月下旬,44100,1234567.89,2345678.9,1987654.32,876543.21',
      '2026年11月下旬,44200,345678.12,456789.01,398765.43,212345.67',
    ].join('\n');
    const up = await ctx.request.post('/api/imports/four-bank-deposits?mode=all', {
      headers: { 'x-csrf-token': csrf },
      multipart: { file: { name: 'four-banks.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } },
    });
    expect(up.status(), await up.text()).toBe(202);
    const importId = ((await up.json()) as { id: string }).id;
    await expect.poll(async () => ((await (await ctx.request.get(`/api/imports/jobs/${importId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe('done');
    await ctx.close();
    const run = await runReportJob(db, new Date());
    expect(run.failed).toEqual([]);
    // The busiest sales day of the demo's November.
    const [day] = await rows<{ d: string }>(
      db,
      sql`SELECT sale_date::text AS d FROM sales WHERE sale_date >= '2026-11-01' GROUP BY sale_date ORDER BY count(DISTINCT node_id) DESC, sale_date LIMIT 1`,
    );
    const [issue] = await rows<{ id: number }>(db, sql`SELECT id FROM report_issues WHERE definition_code = 'PRD-SALES-D' AND period_key = ${day.d} AND version = 1`);

    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'admin');
    await page.goto('/reports');
    await expect.poll(() => page.locator('[data-testid^="report-PRD-"]').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    expect(await page.locator('[data-testid^="report-"][href^="/reports/"]').count()).toBe(41);
    await expect.poll(() => page.getByTestId('report-status-CUS-VIP-WINDOW-D').textContent(), { timeout: 15_000 }).toContain('等待数据');
    await shot(page, 'reports-calendar');

    await page.goto(`/reports/issues/${issue.id}`);
    await page.getByTestId('report-table').waitFor();
    await page.getByTestId('report-chart').waitFor();
    const provinceRows = await page.locator('[data-testid="report-table"] tbody tr.ant-table-row').count();
    await shot(page, 'reports-sales-issue');

    // 佛山分行 reads the same issue: only its own lines.
    await switchTo(page, 'fs_admin');
    await page.goto(`/reports/issues/${issue.id}`);
    await page.getByTestId('report-table').waitFor();
    const cells = await page.locator('[data-testid="report-table"] tbody tr.ant-table-row td:first-child').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(provinceRows);
    expect(cells.every((c) => c.includes('佛山分行'))).toBe(true);
    const [fsLines] = await rows<{ n: number }>(db, sql`SELECT count(DISTINCT product_id)::int AS n FROM sales WHERE node_id = ${FS} AND sale_date = ${day.d} AND struck_at IS NULL`);
    expect(cells).toHaveLength(fsLines.n);
    expect(f.pageErrors).toEqual([]);
  }, 240_000);
});
