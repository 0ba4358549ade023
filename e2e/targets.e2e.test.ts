import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import type { ConsoleFixture } from './fixture.js';
import { useConsole } from './fixture.js';

async function switchUser(f: ConsoleFixture, staffNo: string) {
  await f.context.clearCookies();
  await signIn(f.page, staffNo);
}

/** The committee chair approves the pending nomination of a company on 审议. */
async function approve(page: Page, company: string, shotName?: string) {
  await page.goto('/targets/review');
  const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: company });
  await row.first().waitFor();
  await expect(row.first().textContent()).resolves.toContain('待审议');
  await row.first().getByText('通过', { exact: true }).click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '审议通过' });
  await dialog.waitFor();
  await dialog.getByTestId('decision-reason').fill('符合名单制管理要求，同意纳入');
  if (shotName) await shot(page, shotName);
  await dialog.getByTestId('decision-ok').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('已审议通过').first().waitFor();
}

/** Makes the next version of 佛山分行 · 公司业务部 on 名单版本. */
async function cutVersion(page: Page, n: number) {
  await page.goto('/targets/versions');
  await page.getByTestId('approved-waiting').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('cut-version').click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '生成名单新版本' });
  await dialog.waitFor();
  await dialog.getByTestId('cut-ok').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('versions-table').getByText(`第 ${n} 版`).waitFor();
}

describe('target list: nominate, approve, version, compare', () => {
  const f = useConsole({ customers: true });

  it('nominates a company, the chair approves, v1; another with a written “other” reason, v2; the versions compare', async () => {
    const { page } = f;
    await signIn(page, 'fs_admin');

    // (1) The company's 名单资格 shows the Article 9 criteria it meets, from its facts.
    await page.goto('/customers/companies/1');
    await page.getByTestId('company-title').waitFor();
    await page.getByRole('tab', { name: '名单资格' }).click();
    const panel = page.getByTestId('eligibility-panel');
    await panel.getByTestId('evaluation-table').locator('tr.criterion-met').first().waitFor();
    await expect(panel.textContent()).resolves.toContain('满足');
    await shot(page, '4a-company-eligibility');

    // (2) 提名: the evaluation with the facts before submitting.
    await panel.getByRole('link', { name: '去提名' }).click();
    await page.waitForURL('**/targets/nominate?**', { waitUntil: 'commit' });
    await page.getByTestId('evaluation-table').locator('tr.criterion-met').first().waitFor();
    await expect(page.getByTestId('evaluation-table').textContent()).resolves.toContain('万元');
    await shot(page, '4b-nominate-evaluation');
    await page.getByTestId('nominate-submit').click();
    await page.getByText('已提交提名').first().waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: '美迪电器集团' }).filter({ hasText: '待审议' }).waitFor();

    // (3) The committee chair approves; v1 is made.
    await switchUser(f, 'fs_president');
    await approve(page, '美迪电器集团', '4c-review-approve');
    await shot(page, '4d-review-approved');
    await cutVersion(page, 1);
    await shot(page, '4e-version-1');

    // (4) A client meeting no listed criterion: "other" needs a written reason.
    await switchUser(f, 'fs_admin');
    await page.goto('/targets/nominate');
    await page.getByTestId('company-select').click();
    await page.getByTestId('company-select').locator('input').fill('厨房电器');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '佛山市美迪厨房电器有限公司' }).click();
    await page.getByTestId('evaluation-table').waitFor();
    await page.getByText('按“其他”提名须书面说明理由').first().waitFor();
    await page.getByTestId('nominate-submit').click();
    await page.getByText('按“其他”提名须书面说明理由').first().waitFor();
    await page.getByTestId('nominate-reason').fill('集团核心子公司，员工代发及高管理财需求集中，拟协同营销');
    await page.getByTestId('evaluation-table').locator('tr.criterion-met').first().waitFor();
    await shot(page, '4f-nominate-other-reason');
    await page.getByTestId('nominate-submit').click();
    await page.getByText('已提交提名').first().waitFor();

    // (5) Approved and v2 made; v1 → v2 shows the added client in green.
    await switchUser(f, 'fs_president');
    await approve(page, '美迪厨房电器');
    await cutVersion(page, 2);
    const diff = page.getByTestId('diff-panel');
    await diff.getByTestId('diff-added').getByText('佛山市美迪厨房电器有限公司').waitFor();
    await expect(diff.getByTestId('diff-removed').textContent()).resolves.not.toContain('美迪');
    await shot(page, '4g-versions-diff');

    // The version's entries: both clients with the criteria they met.
    await page.getByTestId('view-version-2').click();
    const entries = page.getByTestId('version-entries');
    await entries.locator('tr.ant-table-row').nth(1).waitFor();
    expect(await entries.locator('tr.ant-table-row').count()).toBe(2);
    await shot(page, '4h-version-2-entries');
    expect(f.pageErrors).toEqual([]);
  });

  it('shows the criteria in force with thresholds and history; a provincial administrator changes a threshold from tomorrow', async () => {
    const { page } = f;
    await signIn(page, 'admin');
    await page.goto('/targets/criteria');
    const table = page.getByTestId('criteria-table');
    await table.getByText('CORP.CREDIT_LINE').waitFor();
    await expect(table.textContent()).resolves.toContain('10,000.00 万元');
    await page.getByTestId('edit-CORP.CREDIT_LINE').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '调整标准' });
    await dialog.waitFor();
    await dialog.getByTestId('threshold-creditLineFen').fill('20000');
    await shot(page, '4i-criterion-edit');
    await dialog.getByTestId('criterion-save').click();
    await dialog.waitFor({ state: 'hidden' });
    // Today's threshold is unchanged; the new version is in the history, scheduled.
    const row = table.locator('tr.ant-table-row').filter({ hasText: 'CORP.CREDIT_LINE' });
    await row.getByText('2', { exact: true }).waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    await table.getByText('20,000.00 万元').first().waitFor();
    await table.getByText('待生效').first().waitFor();
    await shot(page, '4j-criterion-history');
    expect(f.pageErrors).toEqual([]);
  });
});
