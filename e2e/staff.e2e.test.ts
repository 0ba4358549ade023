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
    await page.waitForFunction(
      (first) => document.querySelector('.ant-table-tbody tr.ant-table-row td')?.textContent !== first,
      firstOnPage1,
    );
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
