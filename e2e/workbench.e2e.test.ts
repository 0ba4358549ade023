import type { Page } from 'playwright-core';
import { field, pick } from './antd.js';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

/** Beijing's today as YYYY-MM-DD (the form refuses a later day). */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

interface Wb {
  points: { month: { points: string; pointsHundredths: number } };
  rank: { department: { rank: number; of: number; name: string } | null; branch: { rank: number; of: number; name: string } | null };
}

/** The signed-in person's workbench, read through the page's own session. */
function workbench(page: Page): Promise<Wb> {
  return page.evaluate(async () => (await fetch('/api/workbench')).json() as Promise<Wb>);
}

/** A form item of the drawer by its label. */
const drawerField = (page: Page, label: string) => field(page, '.ant-drawer-content', label);

// Issue 12's done-when: an account manager records a sale in the form, sees its split, then sees
// his points and rank on 首页; every role's 首页 is captured at the common bank desktop size.
describe('the workbench', () => {
  const f = useConsole({ scoring: true });

  it('an account manager records a sale in the form, sees its split, then his points and rank on 首页', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, '44110014');
    const before = await workbench(page);

    await page.goto('/sales');
    await page.getByTestId('sales-record').click();
    await page.getByTestId('sale-form-record').waitFor();
    // The form opens on the bank desktop with Beijing's today as the sale date.
    await expect(page.locator('.ant-drawer-content .ant-picker input').inputValue()).resolves.toBe(beijingToday());

    // 基金 (host 个人金融部, 3.00 points per 万元) × 10 万元 = 30.00 points: the host keeps 20 % (6.00),
    // the one participating department (信用卡中心) takes 80 % (24.00), all of it credited to him.
    await pick(page, drawerField(page, '产品'), 'FUND', '基金');
    await pick(page, drawerField(page, '客户'), '陈', '陈');
    await drawerField(page, '数量').locator('input').fill('10');
    await pick(page, page.getByTestId('sale-form-departments').locator('.ant-select').first(), 'CC', '信用卡中心');
    await pick(page, page.getByTestId('sale-form-people').locator('.ant-select').first(), '44110014', '陈雨君');
    // The credit department follows the person's own department once it takes part in the sale.
    await expect.poll(() => page.getByTestId('sale-form-people').locator('.ant-select').nth(1).innerText()).toContain('信用卡中心');
    // The live preview is the server's split, before anything is saved.
    const preview = page.locator('.ant-drawer-content').getByText('24.00').first();
    await preview.waitFor();
    await shot(page, 'workbench-record-form-1366');

    await page.getByTestId('sale-form-save').click();
    await page.waitForURL(/\/sales\/\d+$/);
    const people = page.getByTestId('split-people');
    await people.getByText('陈雨君').waitFor();
    await expect(people.locator('tr', { hasText: '陈雨君' }).innerText()).resolves.toContain('24.00');
    await expect(page.getByTestId('split-departments').locator('tr', { hasText: '个人金融部' }).innerText()).resolves.toContain('6.00');
    await shot(page, 'workbench-sale-split-1366');

    // 首页: this month's points grew by exactly his 24.00, and he has a rank in his department and branch.
    await page.goto('/');
    await page.getByTestId('wb-month-points').waitFor();
    const after = await workbench(page);
    expect(after.points.month.pointsHundredths - before.points.month.pointsHundredths).toBe(2400);
    expect(after.rank.department?.name).toBe('信用卡中心');
    expect(after.rank.branch?.rank).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('wb-month-points').innerText()).resolves.toContain(after.points.month.points);
    await expect(page.getByTestId('wb-ranks').innerText()).resolves.toContain(`/ ${after.rank.department!.of}`);
    await expect(page.getByTestId('wb-sales').innerText()).resolves.toContain('基金');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, 'workbench-home-44110014-1366');
    expect(f.pageErrors).toEqual([]);
  });

  it.each(['fs_staff', 'fs_admin', 'fs_president', 'fs_compliance', 'admin'])('shows %s a workbench at 1366×768', async (user) => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, user);
    await page.getByTestId('wb-todos').waitFor();
    // No sideways scroll on the first screen of the common bank desktop.
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, `workbench-home-${user}-1366`);
    expect(f.pageErrors).toEqual([]);
  });
});
