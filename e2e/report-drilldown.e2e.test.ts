import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { seedReportCatalogue } from '../server/modules/reports/definitions.service.js';
import { runReportJob } from '../server/modules/reports/produce.js';
import { scoreSales } from '../server/modules/scoring/ledger.service.js';
import { makeProduct, makeSale, staffOf } from '../server/modules/scoring/testing.js';
import { makeStaff } from '../server/modules/targets/testing.js';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;

// Issue 16 part B: a day's sales issue opened by the province, drilled from the province to 佛山分行,
// its sub-branch, an outlet, the outlet's account manager and her sale with its ledger lines; then
// the issue exported as Excel (the download parsed: the figures and the 明细 ledger sheet) and as
// PDF. Desktop 1366×768.
describe('报表钻取与导出', () => {
  const f = useConsole({ scoring: true });

  it('drills from the province to a sale’s ledger lines and exports Excel and PDF', async () => {
    const db = f.server.database.db;
    await seedReportCatalogue(db, { validFrom: '2026-11-01' });
    // An outlet account manager of 佛山分行 who sold 8 cards on 20 November with a corporate colleague.
    const [outlet] = await rows<{ id: number; name: string; sub_id: number; sub_name: string }>(
      db,
      sql`SELECT o.id, o.name, s.id AS sub_id, s.name AS sub_name FROM org_nodes o JOIN org_nodes s ON s.id = o.parent_id
           WHERE o.level = 'outlet' AND s.parent_id = ${FS} ORDER BY o.id LIMIT 1`,
    );
    const am = await makeStaff(db, { staffNo: '44119901', name: '陈晓敏', nodeId: outlet.id, role: 'personal_am', scopeNodeId: outlet.id });
    const card = await makeProduct(db, { score: 150, unit: '张', name: '钻取演示信用卡' });
    const corp = (await staffOf(db, FS, 'CORP'))[0];
    const sale = await makeSale(db, {
      productId: card.id,
      nodeId: FS,
      saleDate: '2026-11-20',
      quantity1e4: 80_000,
      host: 'PF',
      participants: [{ dept: 'CORP' }],
      people: [
        { staffId: am.id, dept: 'PF' },
        { staffId: corp, dept: 'CORP' },
      ],
    });
    await scoreSales(db, [sale.id]);
    const run = await runReportJob(db, new Date());
    expect(run.failed).toEqual([]);
    const [issue] = await rows<{ id: number }>(db, sql`SELECT id FROM report_issues WHERE definition_code = 'PRD-SALES-D' AND period_key = '2026-11-20' AND version = 1`);

    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'admin');
    await page.goto(`/reports/issues/${issue.id}`);
    await page.getByTestId('report-table').waitFor();
    await shot(page, 'report-drill-0-issue');

    // Province → 佛山分行 → sub-branch → outlet → person → sale.
    await page.getByTestId('report-drill').click();
    await page.getByTestId('drill-children').waitFor();
    await expect.poll(() => page.getByTestId('drill-crumbs').textContent()).toContain('广东省分行');
    await shot(page, 'report-drill-1-province');
    await page
      .getByTestId('drill-children')
      .getByRole('link', { name: /^佛山分行/ })
      .click();
    await expect.poll(() => page.getByTestId('drill-crumbs').textContent()).toContain('佛山分行');
    await page
      .getByTestId('drill-children')
      .getByRole('link', { name: new RegExp(`^${outlet.sub_name}`) })
      .click();
    await expect.poll(() => page.getByTestId('drill-crumbs').textContent()).toContain(outlet.sub_name);
    await shot(page, 'report-drill-2-subbranch');
    await page
      .getByTestId('drill-children')
      .getByRole('link', { name: new RegExp(`^${outlet.name}`) })
      .click();
    await expect.poll(() => page.getByTestId('drill-crumbs').textContent()).toContain(outlet.name);
    await page.getByTestId('drill-people').getByRole('link', { name: '陈晓敏' }).click();
    await page.getByTestId('drill-person-sales').waitFor();
    await shot(page, 'report-drill-3-person');
    await page
      .getByTestId('drill-person-sales')
      .getByRole('link', { name: `#${sale.id}` })
      .click();
    await page.getByTestId('drill-ledger').waitFor();
    const ledger = await page.getByTestId('drill-ledger').textContent();
    expect(ledger).toContain('陈晓敏');
    expect(ledger).toContain('分配');
    const points = await rows<{ pts: string }>(db, sql`SELECT sum(points_hundredths)::bigint AS pts FROM ledger_entries WHERE sale_id = ${sale.id} AND kind <> 'void'`);
    expect(Number(points[0].pts)).toBe(1_200);
    await shot(page, 'report-drill-4-sale-ledger');

    // Export: Excel (parsed) and PDF.
    await page.goto(`/reports/issues/${issue.id}`);
    await page.getByTestId('report-table').waitFor();
    const dir = os.tmpdir();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsxPath = path.join(dir, `rv-${issue.id}.xlsx`);
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const text = (name: string) => {
      const out: string[] = [];
      wb.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1).join('|')));
      return out;
    };
    const summary = text('通报');
    expect(summary[0]).toContain('个人金融业务产品销售日通报表');
    expect(summary.some((r) => r.includes('佛山分行') && r.includes('钻取演示信用卡'))).toBe(true);
    expect(text('明细').some((r) => r.includes('陈晓敏') && r.includes(outlet.name))).toBe(true);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-pdf').click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfPath = path.join(dir, `rv-${issue.id}.pdf`);
    await pdf.saveAs(pdfPath);
    expect((await readFile(pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(f.pageErrors).toEqual([]);
  }, 300_000);
});
