import { mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { APIRequestContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const WORK = path.resolve('test-results/e2e-files');
/** A month without demo sales, so the statement holds exactly what this test imports. */
const MONTH = '2026-09';
const FOSHAN = 11;

type Row = Record<string, string | number | null>;

/** The parts of /api/sales and /api/statements answers this test reads. */
interface Sale {
  mortgage: boolean;
  productCode: string;
  companyUscc: string | null;
  developmentCode: string | null;
  quantity: string;
  nodeCode: string;
  hostDepartmentCode: string;
  departments: { code: string; ratio: string | null }[];
  people: { staffNo: string; departmentCode: string; role: string; contribution: string | null }[];
}
interface Points {
  points: string;
  pointsHundredths: number;
}
interface Statement {
  totals: { total: Points; sales: number };
  departments: { code: string }[];
  developments: { code: string; verdict: string; voided: Points }[];
}

/** A sales-template row from a demo sale of 2026-10: same product, client (by credit code), departments and people. */
function rowOf(s: Sale, seq: number, day: string): Row {
  const departments = s.departments.map((d) => (d.ratio ? `${d.code}:${d.ratio.replace(/\.00$/, '')}` : d.code)).join(',');
  const people = s.people.map((p) => [`${p.staffNo}@${p.departmentCode}`, p.role, p.contribution?.replace(/\.00$/, '')].filter(Boolean).join(':')).join(',');
  return {
    交易流水号: `E2E-FS202609-${String(seq).padStart(4, '0')}`,
    产品代码: s.productCode,
    统一社会信用代码: s.companyUscc,
    楼盘编号: s.developmentCode,
    销售日期: `${MONTH}-${day}`,
    数量: s.quantity,
    参与部门: departments,
    营销人员: people,
    机构号: s.nodeCode,
  };
}

/** Writes a workbook with the template's Chinese headers (row 1) and our rows. */
async function writeWorkbook(headers: string[], rows: Row[], out: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('交叉销售');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  // Codes and ids as text, as the template does.
  ws.columns.forEach((c) => (c.numFmt = '@'));
  await wb.xlsx.writeFile(out);
  return out;
}

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

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

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

async function upload(page: Page, file: string) {
  await page.locator('[data-testid="import-upload"] input[type=file], .ant-upload input[type=file]').first().setInputFiles(file);
}

describe('scoring: import a month of sales, then the statement', () => {
  const f = useConsole({ scoring: true });

  it('imports sales with one bad row, fixes it, opens the statement with charts and the development table, drills down to a sale and its split', async () => {
    const { page } = f;
    mkdirSync(WORK, { recursive: true });
    // The catalogue is bank-wide: the province's administrator may also add score versions.
    await signIn(page, 'admin');
    const request = f.context.request;

    // The catalogue, with the score history of 信用卡 (changed on 2026-11-01).
    await page.goto('/products');
    await page.getByTestId('score-CREDIT').waitFor();
    await expect(page.getByTestId('score-CREDIT').textContent()).resolves.toBe('10.00');
    await page.locator('.ant-table-row', { hasText: '信用卡' }).getByText('分值历史').click();
    await page.getByTestId('score-history').getByText('2026-10-31').waitFor();
    await shot(page, '50-products-score-history');
    await page.keyboard.press('Escape');

    // Demo sales of 2026-10 give us real products, clients (credit codes), departments and staff numbers.
    const demo = await getJson<{ items: Sale[] }>(request, `/api/sales?nodeId=${FOSHAN}&month=2026-10&pageSize=100`);
    const plain = demo.items.filter((s) => !s.mortgage && s.companyUscc && s.people.length);
    const mortgage = demo.items.find((s) => s.mortgage && s.companyUscc && s.developmentCode === 'FS-LP-001');
    expect(plain.length).toBeGreaterThanOrEqual(9);
    expect(mortgage).toBeDefined();
    const rows = plain.slice(0, 9).map((s, i) => rowOf(s, i + 1, String(i + 1).padStart(2, '0')));
    // A mortgage on 碧海·云顶花园: 168 of 200 households as of 2026-09-30 is 84 % < 85 %, so it is voided.
    rows.push(rowOf(mortgage!, 10, '20'));
    // Sheet row 4 is not a cross-sale: only the product's host department takes part.
    const bad: Row = { ...rows[2], 参与部门: plain[2].hostDepartmentCode, 营销人员: null };

    // The sales list links to the import page with the sales kind chosen.
    await page.goto('/sales');
    await page.getByTestId('sales-import').click();
    await page.waitForURL(/\/imports\?kind=sales/);
    await page.waitForFunction(() => document.querySelector('[data-testid="import-kind"] .ant-select-selection-item')?.textContent?.includes('交叉销售'));
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    const templatePath = path.join(WORK, 'sales-template.xlsx');
    await template.saveAs(templatePath);
    const twb = new ExcelJS.Workbook();
    await twb.xlsx.readFile(templatePath);
    const headers: string[] = [];
    twb.worksheets[0].getRow(1).eachCell((c, col) => {
      headers[col - 1] = String(c.value);
    });
    for (const h of ['交易流水号', '产品代码', '统一社会信用代码', '楼盘编号', '销售日期', '数量', '参与部门', '营销人员', '机构号']) expect(headers).toContain(h);
    await shot(page, '51-import-sales-kind');

    // (1) The file with the bad row is refused as a whole; the report names row 4 and the cell.
    const badFile = await writeWorkbook(headers, [rows[0], rows[1], bad, ...rows.slice(3)], path.join(WORK, 'sales-bad.xlsx'));
    await upload(page, badFile);
    expect(await finalStatus(page)).toBe('failed');
    await expect(page.getByTestId('import-result').textContent()).resolves.toContain('导入失败');
    await shot(page, '52-import-sales-failed');
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-error-report').click()]);
    const reportPath = path.join(WORK, 'sales-errors.xlsx');
    await report.saveAs(reportPath);
    const reportText = await workbookText(reportPath);
    expect(reportText).toContain('第4行');
    expect(reportText).toContain('参与部门');
    expect(reportText).toContain('不属于交叉营销');
    expect(reportText).toContain(String(bad.交易流水号));
    expect(reportText).not.toContain(String(rows[0].交易流水号));

    // (2) The corrected file goes in: ten new sales.
    const fixedFile = await writeWorkbook(headers, rows, path.join(WORK, 'sales-fixed.xlsx'));
    await upload(page, fixedFile);
    await page.waitForFunction(() => document.querySelector('[data-testid="import-job"]')?.getAttribute('data-status') !== 'failed');
    expect(await finalStatus(page)).toBe('done');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*10/);
    await shot(page, '53-import-sales-done');

    // (3) The statement of 佛山分行 for the month: KPIs, both charts, the development table.
    const api = await getJson<Statement>(request, `/api/statements/${FOSHAN}/${MONTH}`);
    expect(api.totals.sales).toBe(10);
    await page.goto(`/statements?node=${FOSHAN}&month=${MONTH}`);
    await page.getByTestId('statement').waitFor();
    await expect(page.getByTestId('statement').textContent()).resolves.toContain(api.totals.total.points);
    for (const id of ['chart-departments', 'chart-products']) await page.getByTestId(id).locator('canvas').first().waitFor();
    const devTable = page.getByTestId('development-table');
    const voided = devTable.locator('tr[data-verdict="void"]', { hasText: 'FS-LP-001' });
    await voided.waitFor();
    await expect(voided.textContent()).resolves.toMatch(/84\.00%/);
    const lp001 = api.developments.find((d) => d.code === 'FS-LP-001')!;
    expect(lp001.verdict).toBe('void');
    expect(lp001.voided.pointsHundredths).toBeGreaterThan(0);
    await expect(voided.textContent()).resolves.toContain(lp001.voided.points);
    await shot(page, '54-statement');
    await devTable.evaluate((el) => el.closest('.ant-card')?.scrollIntoView({ block: 'start' }));
    await shot(page, '55-statement-developments');

    // (4) Drill down from a participating department to a sale, then to the sale's page and its split.
    const dept = api.departments[0];
    await page.getByTestId(`drill-department-${dept.code}`).click();
    const drill = page.getByTestId('drill-table');
    await drill.locator('tr.ant-table-row').first().waitFor();
    await drill.locator('tr.ant-table-row').first().locator('.ant-table-row-expand-icon').click();
    await drill.getByTestId('sale-split').first().waitFor();
    await shot(page, '56-statement-drill-department');
    const saleLink = drill.getByTestId('drill-sale-link').first();
    const sourceId = (await saleLink.textContent())!;
    expect(sourceId).toMatch(/^E2E-FS202609-/);
    await saleLink.click();
    await page.waitForURL(/\/sales\/\d+$/);
    await expect(page.getByTestId('sale-title').textContent()).resolves.toBe(sourceId);
    await page.getByTestId('split-trace').locator('tr.ant-table-row').first().waitFor();
    const saleId = Number(page.url().split('/').pop());
    const split = await getJson<{ total: { points: string }; departments: { points: string; host: boolean }[] }>(request, `/api/scoring/sales/${saleId}/split`);
    await expect(page.getByTestId('split-total').textContent()).resolves.toBe(split.total.points);
    const deptText = (await page.getByTestId('split-departments').textContent())!;
    for (const d of split.departments) expect(deptText).toContain(d.points);
    await expect(page.getByTestId('split-departments').textContent()).resolves.toContain('主办');
    await shot(page, '57-sale-page');
    await page.getByTestId('split-trace').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(page, '58-sale-split-trace');

    // The voided mortgage: its trace shows the void entries, its split the voided points.
    await page.goto(`/sales?month=${MONTH}`);
    await page
      .getByTestId('sale-link')
      .filter({ hasText: String(rows[9].交易流水号) })
      .click();
    const trace = page.getByTestId('split-trace');
    await trace.getByText('作废').first().waitFor();
    await trace.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(page, '59-sale-void-trace');

    // A new score version for the first sale's product from the first of the month re-scores it: a reversal and new entries.
    const first = plain[0];
    await page.goto('/products');
    await page.locator('.ant-table-row', { hasText: first.productCode }).getByText('分值历史').click();
    await page.getByTestId('add-score').click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator('#score').fill('7.77');
    await dialog.locator('#effectiveFrom').click();
    await dialog.locator('#effectiveFrom').fill(`${MONTH}-01`);
    await dialog.locator('#effectiveFrom').press('Enter');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText(/已新增分值版本，重新计分 \d+ 笔销售/).waitFor();
    await page.getByTestId('score-history').getByText('7.77').waitFor();
    await shot(page, '5a-product-new-score');
    await page.goto(`/sales?month=${MONTH}`);
    await page
      .getByTestId('sale-link')
      .filter({ hasText: String(rows[0].交易流水号) })
      .click();
    await page.getByTestId('split-trace').getByText('冲销').first().waitFor();
    await page.getByTestId('split-trace').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(page, '5b-sale-reversal-trace');

    // The sales list filters by month and shows the imported sales; the developments page shows the ratio.
    await page.goto(`/sales?month=${MONTH}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sale-link"]').length === 10);
    await shot(page, '5c-sales-list-month');
    await page.goto('/developments');
    await page.locator('.ant-table-row', { hasText: 'FS-LP-001' }).getByText('85.00%', { exact: true }).waitFor();
    await shot(page, '5d-developments');

    // The English console reads the same statement.
    await page.evaluate(() => localStorage.setItem('linkage.lang', 'en'));
    await page.goto(`/statements?node=${FOSHAN}&month=${MONTH}`);
    await page.getByText('Development mortgage households').waitFor();
    await shot(page, '5e-statement-en');
    expect(f.pageErrors).toEqual([]);
  }, 180_000);
});
