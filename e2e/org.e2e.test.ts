import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FOSHAN = 11;
const HEYUAN = 12;
const PROVINCE = 2;
const CHANCHENG = 101; // 禅城支行

const treeNode = (page: Page, id: number) => page.locator('.ant-tree-treenode', { has: page.getByTestId(`org-node-${id}`) });

async function expand(page: Page, id: number) {
  const node = treeNode(page, id);
  if ((await node.getAttribute('aria-expanded')) !== 'true' && !(await node.locator('.ant-tree-switcher_open').count())) {
    await node.locator('.ant-tree-switcher').click();
  }
}

describe('org tree', () => {
  const f = useConsole();

  it('admin browses 广东省分行 → 佛山分行 → 禅城支行 and sees departments, committee and staff', async () => {
    const { page } = f;
    await signIn(page, 'admin');
    await page.goto('/org');
    await page.getByTestId(`org-node-${PROVINCE}`).waitFor();
    // The province is the root and starts expanded: its branches are visible.
    await page.getByTestId(`org-node-${FOSHAN}`).waitFor();
    await expect(page.getByTestId(`org-node-${HEYUAN}`).isVisible()).resolves.toBe(true);

    await expand(page, FOSHAN);
    await page.getByTestId(`org-node-${CHANCHENG}`).waitFor();
    await page.getByTestId(`org-node-${FOSHAN}`).click();
    await page
      .getByTestId('node-title')
      .filter({ hasText: /^佛山分行$/ })
      .waitFor();
    await page.getByRole('tab', { name: /部门/ }).click();
    const depts = page.getByTestId('departments-table');
    await depts.getByText('公司业务部').first().waitFor();
    await expect(depts.getByText('个人金融部').first().isVisible()).resolves.toBe(true);
    await shot(page, '10-org-foshan-departments');

    await page.getByRole('tab', { name: '交叉营销管理委员会' }).click();
    await page.getByText('主任', { exact: true }).first().waitFor();
    await shot(page, '11-org-foshan-committee');

    await expand(page, CHANCHENG);
    await page.getByTestId(`org-node-${CHANCHENG}`).click();
    await page
      .getByTestId('node-title')
      .filter({ hasText: /^禅城支行$/ })
      .waitFor();
    // Outlets appear under the expanded 支行.
    await expect(treeNode(page, CHANCHENG).locator('xpath=following-sibling::*[1]').textContent()).resolves.toContain('网点');
    await page.getByRole('tab', { name: '员工' }).click();
    const staffRows = page.locator('[data-testid="node-panel"] .ant-table-tbody tr.ant-table-row');
    await staffRows.first().waitFor();
    expect(await staffRows.count()).toBeGreaterThan(0);
    await shot(page, '12-org-chancheng-staff');

    // Search narrows the tree to matches and their ancestors.
    await page.getByTestId('org-search').fill('河源');
    await page.getByTestId(`org-node-${HEYUAN}`).waitFor();
    await expect(page.getByTestId(`org-node-${FOSHAN}`).count()).resolves.toBe(0);
    expect(f.pageErrors).toEqual([]);
  });

  it('fs_admin sees only 佛山分行 and its subtree', async () => {
    const { page } = f;
    await signIn(page, 'fs_admin');
    await expect(page.getByTestId('header-node').textContent()).resolves.toContain('佛山分行');
    await page.goto('/org');
    await page.getByTestId(`org-node-${FOSHAN}`).waitFor();
    await page
      .getByTestId('node-title')
      .filter({ hasText: /^佛山分行$/ })
      .waitFor();
    await expect(page.getByTestId(`org-node-${PROVINCE}`).count()).resolves.toBe(0);
    await expect(page.getByTestId(`org-node-${HEYUAN}`).count()).resolves.toBe(0);
    await expect(page.locator('.ant-tree').getByText('河源分行').count()).resolves.toBe(0);
    await expect(page.getByTestId(`org-node-${CHANCHENG}`).isVisible()).resolves.toBe(true);
    await shot(page, '13-org-fs-admin');
  });
});
