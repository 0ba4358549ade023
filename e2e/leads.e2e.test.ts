import type { Page } from 'playwright-core';
import { field, pick } from './antd.js';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const drawerField = (page: Page, label: string) => field(page, '.ant-drawer-content', label);

// Issue 13 (first part): an account manager records a referral, works it and wins it; the sale it
// becomes is scored like any other. Screens at the bank desktop size.
describe('商机管理', () => {
  const f = useConsole({ scoring: true });

  it('an account manager records a lead, moves it, wins it into a scored sale, and sees it on the board', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, '44110014');
    await page.goto('/leads');
    await page.getByTestId('lead-table').waitFor();
    await page.getByTestId('lead-create').click();
    await page.getByTestId('lead-create-drawer').waitFor();
    await pick(page, drawerField(page, '已建档客户'), '陈', '陈');
    // Picking the client fills in the contact's name.
    await expect.poll(() => page.getByTestId('lead-form-name').inputValue()).not.toBe('');
    await pick(page, drawerField(page, '意向产品'), '基金', '基金');
    await pick(page, drawerField(page, '承接部门'), '信用卡', '信用卡中心');
    await page.locator('.ant-drawer-content').getByText('由我本人跟进').click();
    await shot(page, 'leads-create-1366');
    await page.getByTestId('lead-form-save').click();

    await page.waitForURL(/\/leads\/\d+$/);
    await page.getByTestId('lead-info').getByText('陈雨君（44110014）').waitFor();
    await expect(page.getByTestId('lead-info').innerText()).resolves.toContain('剩余 2天23小时');
    await page.getByTestId('lead-move-contacted').click();
    await page
      .getByTestId('lead-history')
      .getByText(/新建 → 已联系/)
      .waitFor();
    await shot(page, 'leads-detail-1366');

    await page.getByTestId('lead-win').click();
    await page.getByTestId('lead-win-quantity').fill('10');
    await page.locator('#lead-win-ok').click();
    // The sale from the lead: 基金 × 10 万元 = 30.00; 信用卡中心 takes 80 %, all to him.
    await page.waitForURL(/\/sales\/\d+$/);
    const people = page.getByTestId('split-people');
    await people.getByText('陈雨君').waitFor();
    await expect(people.locator('tr', { hasText: '陈雨君' }).innerText()).resolves.toContain('24.00');

    await page.goto('/leads?view=mine&layout=board');
    const won = page.getByTestId('lead-column-won');
    await won.locator('.ant-card-body .ant-card').first().waitFor();
    await expect(won.innerText()).resolves.toContain('基金');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, 'leads-board-1366');
    expect(f.pageErrors).toEqual([]);
  });

  it('a branch administrator sees every lead of the branch with the handling rate, at 1920', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signIn(page, 'fs_admin');
    await page.goto('/leads');
    await page
      .getByTestId('lead-rate')
      .getByText(/已处理 1 \/ 收到 1，成交 1/)
      .waitFor();
    await expect(page.getByTestId('lead-table').innerText()).resolves.toContain('已成交');
    await shot(page, 'leads-list-admin-1920');
    expect(f.pageErrors).toEqual([]);
  });
});
