import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { seedReportCatalogue } from '../server/modules/reports/definitions.service.js';
import { runReportRound } from '../server/modules/reports/jobruns.js';
import { apiSignIn, pick, switchTo } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;
const HY = 12;

// Issue 16 (decision 0040), the "done when": a 佛山 member of staff subscribes to the four-bank 旬
// report; the job produces the issue and delivers it; they see the notification, open the delivered
// issue filtered to 佛山 (河源's line absent) and download it; the province sees the read receipt,
// the job's run on the calendar and the branches' ranking. Desktop 1366×768.
describe('报表订阅与推送', () => {
  const f = useConsole();

  it('subscribe, produce, deliver filtered to the branch, read receipt for the province', async () => {
    const db = f.server.database.db;
    await seedReportCatalogue(db, { validFrom: '2026-11-21' });
    for (const [node, own] of [
      [FS, 4_567_890_000_000],
      [HY, 1_234_560_000_000],
    ] as const)
      for (const [m, v] of Object.entries({ own, icbc: own + 98_765_000_000, abc: own - 12_345_000_000, boc: Math.floor(own / 2) }))
        await db.execute(
          sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, imported_at) VALUES ('four-bank-deposits', '2026-11-T3', ${node}, ${m}, ${v}, now()) ON CONFLICT DO NOTHING`,
        );
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });

    // 佛山's member of staff subscribes through the console.
    await signIn(page, 'fs_staff');
    await page.goto('/reports/subscriptions');
    await page.getByTestId('rsub-add').click();
    await pick(page, page.getByTestId('rsub-report'), '四行', '地区同业四行个人存款通报表（PRD-FOUR-BANKS-T）');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('[data-testid="rsub-subscriptions"] tbody tr.ant-table-row').first().waitFor();
    expect(await page.locator('[data-testid="rsub-subscriptions"] tbody').textContent()).toContain('每期推送');

    // The province subscribes 河源's manager too (conditional: 本行余额 below 200亿元 — 河源 has 123亿).
    const ctx = await newContext(f.browser, f.server.baseUrl);
    const csrf = await apiSignIn(ctx.request, 'admin');
    const [hy] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'hy_admin'`);
    const sub = await ctx.request.post('/api/reports/subscriptions', {
      headers: { 'x-csrf-token': csrf },
      data: { code: 'PRD-FOUR-BANKS-T', staffId: hy.id, condition: { measure: 'own', comparator: 'lt', threshold: 2_000_000_000_000 } },
    });
    expect(sub.status(), await sub.text()).toBe(201);
    await ctx.close();

    // The job produces the issue and delivers it.
    const run = await runReportRound(db, new Date());
    expect(run.failed).toEqual([]);
    const [issue] = await rows<{ id: number }>(db, sql`SELECT id FROM report_issues WHERE definition_code = 'PRD-FOUR-BANKS-T' AND period_key = '2026-11-T3' AND status = 'produced'`);
    expect(issue).toBeTruthy();

    // The notification, then the delivered issue: 佛山's line only.
    await page.reload();
    await expect.poll(async () => Number(await page.getByTestId('notification-badge').getAttribute('data-count')), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('notification-bell').click();
    const note = page.locator('[data-testid="notification-item"][data-kind="report.delivered"]').first();
    await note.waitFor();
    expect(await note.textContent()).toContain('2026年11月下旬');
    await shot(page, 'report-subscriptions-notification');
    await note.click();
    await page.waitForURL(/\/reports\/deliveries\/\d+$/);
    await page.getByTestId('delivery-filtered').waitFor();
    const table = page.locator('.ant-table tbody').first();
    await table.locator('tr.ant-table-row').first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('佛山分行');
    expect(text).not.toContain('河源分行');
    await shot(page, 'report-subscriptions-delivered-issue');
    const download = await page.request.get((await page.getByTestId('delivery-attachment').getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('spreadsheetml');
    // The second attachment: the issue's print PDF, as the subscriber reads it.
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('delivery-pdf').click()]);
    const pdfBytes = readFileSync((await pdf.path())!);
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.goto('/reports/subscriptions');
    await page.locator('[data-testid="rsub-deliveries"] tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'report-subscriptions-page');

    // The province: who has read it, the job's runs, the ranking.
    await switchTo(page, 'admin');
    await page.goto(`/reports/issues/${issue.id}`);
    await page.getByTestId('report-receipts').waitFor();
    await page.getByTestId('receipt-read-fs_staff').waitFor();
    expect(await page.getByTestId('report-receipts').textContent()).toContain('已读 1 / 已推送 2');
    await page.getByTestId('report-receipts').scrollIntoViewIfNeeded();
    await shot(page, 'report-subscriptions-receipts');
    await page.goto('/reports');
    await page.getByTestId('report-job-runs').locator('tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('report-job-runs').textContent()).toContain('成功');
    await shot(page, 'report-subscriptions-job-runs');
    await page.goto('/reports/rankings/PRD-FOUR-BANKS-T');
    await page.getByTestId('ranking-chart').waitFor();
    await page.locator('[data-testid="ranking-table"] tbody tr.ant-table-row').first().waitFor();
    const first = await page.locator('[data-testid="ranking-table"] tbody tr.ant-table-row').first().textContent();
    expect(first).toContain('佛山分行');
    await shot(page, 'report-subscriptions-rankings');
    expect(f.pageErrors).toEqual([]);
  }, 300_000);
});
