import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

describe('staff list', () => {
  const f = useConsole();

  it('searches, pages and opens the role dialog', async () => {
    const { page } = f;
    await signIn(page, 'admin');
    await page.goto('/staff');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    const total = Number((await page.locator('.ant-pagination-total-text').textContent())?.match(/共\s*(\d+)/)?.[1]);
    expect(total).toBeGreaterThan(20);
    await shot(page, '20-staff-list');

    // Page 2 shows other people.
    const firstOnPage1 = await rows.first().locator('td').first().textContent();
    await page.locator('.ant-pagination-item-2').click();
    await page.waitForFunction((first) => document.querySelector('.ant-table-tbody tr.ant-table-row td')?.textContent !== first, firstOnPage1);
    await expect(page.locator('.ant-pagination-item-active').textContent()).resolves.toBe('2');
    await shot(page, '21-staff-page-2');

    // Search by 工号.
    await page.getByPlaceholder('输入工号或姓名').fill('fs_hr');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1);
    await expect(rows.first().textContent()).resolves.toContain('fs_hr');
    await shot(page, '22-staff-search');

    await page.getByTestId('roles-fs_hr').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '角色分配' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('人力资源');
    await expect(dialog.textContent()).resolves.toContain('佛山分行');
    await shot(page, '23-staff-roles-dialog');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    expect(f.pageErrors).toEqual([]);
  });
});

describe('password reset and first sign-in', () => {
  const f = useConsole();

  it('admin resets a password; the person must change it at the next sign-in', async () => {
    const { page } = f;
    await signIn(page, 'fs_admin');
    await page.goto('/staff');
    await page.getByPlaceholder('输入工号或姓名').fill('fs_staff');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1);
    await page.locator('.ant-table-tbody tr.ant-table-row').first().getByText('重置密码').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '临时密码' });
    await dialog.waitFor();
    const temporary = await dialog.locator('input').first().inputValue();
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    await shot(page, '24-staff-reset-password');
    await dialog.getByRole('button', { name: '重置密码' }).click();
    await page.getByText('密码已重置').waitFor();

    // The person signs in with the temporary password and cannot get past the dialog.
    await f.context.clearCookies();
    await page.goto('/login');
    await page.locator('#staffNo').fill('fs_staff');
    await page.locator('#password').fill(temporary);
    await page.getByTestId('login-submit').click();
    const forced = page.locator('.ant-modal').filter({ hasText: '首次登录，请修改密码' });
    await forced.waitFor();
    await expect(forced.locator('.ant-modal-close').count()).resolves.toBe(0);
    // Behind the dialog nothing loads and nothing complains: the API opens nothing else meanwhile.
    const refused = await page.evaluate(async () => (await (await fetch('/api/staff')).json()) as { error: { code: string } });
    expect(refused.error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    await expect(page.getByTestId('wb-todos').count()).resolves.toBe(0);
    await expect(page.locator('.ant-message-error').count()).resolves.toBe(0);
    await forced.locator('input').nth(0).fill(temporary);
    // The policy is checked in the browser first: containing the 工号 is refused.
    await forced.locator('input').nth(1).fill('fs_staff#2026Ab');
    await forced.locator('input').nth(2).fill('fs_staff#2026Ab');
    await forced.getByRole('button', { name: /保\s*存/ }).click();
    await forced.getByText('不能包含工号').first().waitFor();
    await shot(page, '25-forced-password-change');
    await forced.locator('input').nth(1).fill('Cross#Sell2026');
    await forced.locator('input').nth(2).fill('Cross#Sell2026');
    await forced.getByRole('button', { name: /保\s*存/ }).click();
    await forced.waitFor({ state: 'hidden' });
    await page.getByTestId('wb-todos').waitFor();
    expect(f.pageErrors).toEqual([]);
  });
});
