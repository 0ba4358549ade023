import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { seedDemoWarnings } from '../server/seed/demo-warnings.js';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

// SPEC §12 (seed 002): an AM handles a post-loan warning on the phone (390×844) — opens it from
// 我的预警, acknowledges, records the visit and closes it; the branch president sees the handling
// status by outlet and AM on the desktop (1366×768).
describe('贷后监测预警', () => {
  const f = useConsole({ customers: true });
  let am = '';

  beforeAll(async () => {
    const out = await seedDemoWarnings(f.server.database.db);
    expect(out.warnings).toBeGreaterThan(5);
    am = out.amStaffNo!;
  }, 120_000);

  it('an AM opens a warning on the phone, acknowledges it, records a visit and closes it', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, am);
    await page.goto('/warnings');
    const cards = page.getByTestId('warning-card');
    await cards.first().waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, 'warnings-mine-390');
    // The first untouched one (待确认, not escalated).
    const [target] = await rows<{ id: number; clientName: string }>(
      f.server.database.db,
      sql`SELECT w.id, c.name AS "clientName" FROM ew_warnings w JOIN corporate_clients c ON c.id = w.client_id JOIN staff s ON s.id = w.am_staff_id
           WHERE s.staff_no = ${am} AND w.status = 'open' AND w.escalation_level = 0 ORDER BY w.id LIMIT 1`,
    );
    await page.goto(`/warnings/${target.id}`);
    await page.getByTestId('warning-hits').waitFor();
    await expect(page.getByTestId('warning-hits').innerText()).resolves.toContain('规则');
    await page.getByTestId('warning-ack').click();
    await expect.poll(() => page.getByTestId('warning-info').getByTestId('warning-status').innerText()).toBe('已确认');
    await page.getByTestId('warning-visit').click();
    await page.getByTestId('warning-note').fill('走访企业，核实经营正常，已督促按期还款');
    await page.locator('#warning-dialog-ok').click();
    await expect.poll(() => page.getByTestId('warning-info').getByTestId('warning-status').innerText()).toBe('已走访');
    await page.getByTestId('warning-close').click();
    await page.getByTestId('warning-note').fill('风险可控，办结');
    await page.locator('#warning-dialog-ok').click();
    await expect.poll(() => page.getByTestId('warning-info').getByTestId('warning-status').innerText()).toBe('已办结');
    await expect(page.getByTestId('warning-timeline').innerText()).resolves.toMatch(/确认预警[\s\S]*走访核实[\s\S]*办结/);
    await shot(page, 'warnings-detail-closed-390');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    const [w] = await rows<{ status: string }>(f.server.database.db, sql`SELECT status FROM ew_warnings WHERE id = ${target.id}`);
    expect(w.status).toBe('closed');
    expect(f.pageErrors).toEqual([]);
  });

  it('the branch president sees handling status by outlet and AM, the overdue list and the indicators', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_president');
    await page.goto('/warnings/status');
    const table = page.getByTestId('warning-status-table');
    await table.getByText('佛山').first().waitFor();
    await page.getByTestId('warning-status-by').getByText('按客户经理').click();
    await table.locator('.ant-table-row').first().waitFor();
    await shot(page, 'warnings-status-am-1366');
    await page.getByTestId('warning-status-by').getByText('按网点').click();
    await page.getByTestId('warning-overdue-table').locator('.ant-table-row').first().waitFor();
    await expect(page.getByTestId('warning-overdue-table').innerText()).resolves.toContain('逾期未办结');
    await shot(page, 'warnings-status-outlet-1366');
    await page.getByRole('tab', { name: '预警指标' }).click();
    await page.getByTestId('warning-indicator-table').getByText('EW01 贷款逾期').first().waitFor();
    await shot(page, 'warnings-indicators-1366');
    expect(f.pageErrors).toEqual([]);
  });
});
