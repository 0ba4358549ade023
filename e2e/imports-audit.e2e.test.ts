import { mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const WORK = path.resolve('test-results/e2e-files');

interface Person {
  staffNo: string;
  name: string;
  phone: string;
}

/** Fills the downloaded staff template's first sheet with our rows (headers as the template has them). */
async function fillTemplate(templatePath: string, people: Person[], out: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(templatePath);
  const ws = wb.worksheets[0];
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    headers[col] = String(cell.value);
  });
  // Drop the template's example row.
  ws.spliceRows(2, ws.rowCount - 1);
  for (const p of people) {
    const values: Record<string, string> = {
      工号: p.staffNo,
      姓名: p.name,
      所属机构号: '44100',
      部门代码: 'CORP',
      职务: '对公客户经理',
      手机号: p.phone,
      邮箱: `${p.staffNo.toLowerCase()}@example.com`,
      角色: '对公客户经理',
      状态: '在职',
    };
    ws.addRow(headers.map((h) => (h ? (values[h] ?? null) : null)));
  }
  await wb.xlsx.writeFile(out);
  return out;
}

/** The text of every cell of a workbook's first sheet. */
async function workbookText(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const lines: string[] = [];
  wb.worksheets[0].eachRow((row) => {
    const cells: string[] = [];
    row.eachCell((c) => cells.push(String(c.text)));
    lines.push(cells.join(' | '));
  });
  return lines.join('\n');
}

async function upload(page: Page, file: string) {
  await page.locator('[data-testid="import-upload"] input[type=file], .ant-upload input[type=file]').first().setInputFiles(file);
}

/** Waits until the job card shows a final status and returns it. */
async function finalStatus(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="import-job"]')?.getAttribute('data-status');
      return s === 'done' || s === 'failed' ? s : null;
    },
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as string;
}

describe('import staff, then audit', () => {
  const f = useConsole();

  it('downloads the template, refuses a file with a bad row, reports the cell, then imports the corrected file; the audit log shows it and the chain verifies', async () => {
    const { page } = f;
    mkdirSync(WORK, { recursive: true });
    await signIn(page, 'fs_admin');
    await page.goto('/imports');
    await page.getByText('我的导入记录').waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="import-kind"] .ant-select-selection-item'));
    // The staff list is chosen by default when the person may import it.
    await expect(page.locator('[data-testid="import-kind"] .ant-select-selection-item').textContent()).resolves.toContain('员工');
    await shot(page, '30-import-page');

    // (1) The template, with Chinese headers.
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    const templatePath = path.join(WORK, 'staff-template.xlsx');
    await template.saveAs(templatePath);
    expect(template.suggestedFilename()).toMatch(/\.xlsx$/);
    const headerText = await workbookText(templatePath);
    for (const h of ['工号', '姓名', '所属机构号', '手机号']) expect(headerText).toContain(h);

    // (2) One good row, one bad phone number on sheet row 3: nothing is imported.
    const good = { staffNo: 'E2E0001', name: '测试甲', phone: '13800138001' };
    const bad = { staffNo: 'E2E0002', name: '测试乙', phone: '12345' };
    const badFile = await fillTemplate(templatePath, [good, bad], path.join(WORK, 'staff-bad.xlsx'));
    await upload(page, badFile);
    await page.getByTestId('import-progress').waitFor();
    expect(await finalStatus(page)).toBe('failed');
    const result = page.getByTestId('import-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('导入失败');
    await shot(page, '31-import-failed');

    // (3) The error report names the row and the cell.
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-error-report').click()]);
    const reportPath = path.join(WORK, 'staff-errors.xlsx');
    await report.saveAs(reportPath);
    const reportText = await workbookText(reportPath);
    expect(reportText).toContain('第3行');
    expect(reportText).toContain('手机号');
    expect(reportText).toContain('E2E0002');
    expect(reportText).not.toContain('E2E0001');

    // (4) The corrected file goes in.
    const fixedFile = await fillTemplate(templatePath, [good, { ...bad, phone: '13800138002' }], path.join(WORK, 'staff-fixed.xlsx'));
    await upload(page, fixedFile);
    await page.waitForFunction(() => document.querySelector('[data-testid="import-job"]')?.getAttribute('data-status') !== 'failed');
    expect(await finalStatus(page)).toBe('done');
    await expect(page.getByTestId('import-result').textContent()).resolves.toContain('导入成功');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*2/);
    await page.getByTestId('recent-imports').getByText('staff-fixed.xlsx').waitFor();
    await shot(page, '32-import-done');

    // The new people are in the staff list.
    await page.goto('/staff');
    await page.getByPlaceholder('输入工号或姓名').fill('E2E');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 2);

    // (6) The audit log shows the import's entries; the hash chain verifies.
    await page.goto('/audit');
    await page.getByPlaceholder('如 staff.create').fill('staff.create');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await page.waitForFunction(() => {
      const r = [...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')];
      return r.length >= 2 && r.every((x) => x.textContent?.includes('新增员工'));
    });
    await rows.first().locator('.ant-table-row-expand-icon').click();
    const diff = page.getByTestId('audit-diff').first();
    await diff.waitFor();
    await expect(diff.textContent()).resolves.toMatch(/E2E000[12]/);
    await shot(page, '33-audit-import-entries');

    await page.getByTestId('audit-verify').click();
    const verdict = page.getByTestId('audit-verify-result');
    await verdict.waitFor();
    await expect(verdict.textContent()).resolves.toContain('哈希链完整');
    // The head it reached (seq + hash): what a printed notice or a note can anchor (decision 0016).
    await expect(verdict.textContent()).resolves.toMatch(/当前链头：第 \d+ 条，哈希 [0-9a-f]{64}/);
    await shot(page, '34-audit-verified');
    expect(f.pageErrors).toEqual([]);
  });
});
