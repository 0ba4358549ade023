import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { seedReportCatalogue } from './definitions.service.js';
import { runReportJob } from './produce.js';

/**
 * Drill-down and export on 佛山分行's March 2025 (quotas/testing.ts), figures by hand:
 *   s1 2025-03-05 CARD ×10 = 10.00 points: PF 2.00 on the outlet's account manager (placed at the
 *   outlet), CORP 8.00 on corp0 (a 佛山分行 department member, placed at the branch);
 *   河源分行 CARD ×100 the same day = 100.00 on department lines (placed at 河源分行).
 * Province: 110.00 in 2 sales; 佛山分行 10.00 (本级 8.00, the outlet's sub-branch 2.00); the outlet
 * 2.00 on one person; that person's one sale s1 (2.00 of its 10.00).
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
let y: Awaited<ReturnType<typeof seedQuotaYear>>;
let sub: { id: number; name: string };
const M = 'from=2025-03-01&to=2025-03-31';

beforeAll(async () => {
  ({ clock, restore } = useTestClock('2025-03-12T09:00:00+08:00'));
  t = await createTestApp();
  y = await seedQuotaYear(t.database.db);
  [sub] = await rows<{ id: number; name: string }>(t.database.db, sql`SELECT p.id, p.name FROM org_nodes o JOIN org_nodes p ON p.id = o.parent_id WHERE o.id = ${y.outlet.id}`);
  [admin, fsAdmin, hyAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin')]);
});
afterAll(async () => {
  await t?.close();
  restore?.();
});

describe('drill-down: province → branch → sub-branch → outlet → person → sale', () => {
  it('the province: each tier-2 branch’s figure, nothing of its own', async () => {
    const r = await admin.get(`/api/reports/drill?${M}`);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    expect(d.node).toMatchObject({ id: DEMO_NODES.province, level: 'province' });
    expect(d.total).toEqual({ sales: 2, pointsHundredths: 11_000 });
    expect(d.own).toEqual({ sales: 0, pointsHundredths: 0 });
    const child = (id: number) => d.children.find((c: { nodeId: number }) => c.nodeId === id);
    expect(child(DEMO_NODES.heyuan)).toMatchObject({ sales: 1, pointsHundredths: 10_000 });
    expect(child(DEMO_NODES.foshan)).toMatchObject({ sales: 1, pointsHundredths: 1_000 });
    // Every branch is listed, those without sales at zero; the largest first.
    expect(d.children.length).toBeGreaterThan(2);
    expect(d.children[0].nodeId).toBe(DEMO_NODES.heyuan);
  });

  it('the branch: its own lines apart from its sub-branches’; down to the outlet and its person', async () => {
    const fs = (await admin.get(`/api/reports/drill?${M}&nodeId=${DEMO_NODES.foshan}`)).json();
    expect(fs.total).toEqual({ sales: 1, pointsHundredths: 1_000 });
    expect(fs.own).toEqual({ sales: 1, pointsHundredths: 800 });
    expect(fs.people).toEqual([expect.objectContaining({ staffId: y.corp0, pointsHundredths: 800, sales: 1 })]);
    expect(fs.children.find((c: { nodeId: number }) => c.nodeId === sub.id)).toMatchObject({ level: 'subbranch', pointsHundredths: 200 });
    // The province administrator's crumbs start at the province (the head office is outside the scope).
    expect(fs.crumbs.map((c: { id: number }) => c.id)).toEqual([DEMO_NODES.province, DEMO_NODES.foshan]);
    const s = (await admin.get(`/api/reports/drill?${M}&nodeId=${sub.id}`)).json();
    expect(s.total.pointsHundredths).toBe(200);
    expect(s.children.find((c: { nodeId: number }) => c.nodeId === y.outlet.id)).toMatchObject({ level: 'outlet', pointsHundredths: 200, sales: 1 });
    const o = (await admin.get(`/api/reports/drill?${M}&nodeId=${y.outlet.id}`)).json();
    expect(o.people).toEqual([expect.objectContaining({ staffId: y.outletAm.id, name: '网点客户经理', pointsHundredths: 200, sales: 1 })]);
    // One product only: the mortgage has no March sales.
    const mort = (await admin.get(`/api/reports/drill?${M}&nodeId=${DEMO_NODES.foshan}&product=${y.mort.code}`)).json();
    expect(mort.total).toEqual({ sales: 0, pointsHundredths: 0 });
  });

  it('the person: their sales with their share; the sale: every ledger line', async () => {
    const p = (await admin.get(`/api/reports/drill/people/${y.outletAm.id}?${M}`)).json();
    expect(p.sales).toEqual([expect.objectContaining({ saleId: y.sales.s1.id, saleDate: '2025-03-05', quantity1e4: 100_000, pointsHundredths: 200, salePointsHundredths: 1_000 })]);
    expect(p.crumbs.at(-1)).toMatchObject({ id: y.outlet.id });
    const s = (await admin.get(`/api/reports/drill/sales/${y.sales.s1.id}`)).json();
    expect(s.sale).toMatchObject({ id: y.sales.s1.id, nodeId: DEMO_NODES.foshan, productCode: y.card.code, struck: false });
    const live = s.lines.filter((l: { kind: string }) => l.kind !== 'void');
    expect(live.reduce((a: number, l: { pointsHundredths: number }) => a + l.pointsHundredths, 0)).toBe(1_000);
    expect(live.filter((l: { staffId: number | null }) => l.staffId !== null).map((l: { staffId: number; pointsHundredths: number }) => [l.staffId, l.pointsHundredths])).toEqual(
      expect.arrayContaining([
        [y.outletAm.id, 200],
        [y.corp0, 800],
      ]),
    );
    expect(s.hiddenLines).toBe(0);
    // A struck sale still shows its ledger, reversals included.
    const s3 = (await admin.get(`/api/reports/drill/sales/${y.sales.s3.id}`)).json();
    expect(s3.sale.struck).toBe(true);
  });

  it('never shows another branch: 403 for its node, person or sale; a branch starts at itself', async () => {
    for (const url of [
      `/api/reports/drill?${M}&nodeId=${DEMO_NODES.foshan}`,
      `/api/reports/drill?${M}&nodeId=${DEMO_NODES.province}`,
      `/api/reports/drill/people/${y.outletAm.id}?${M}`,
      `/api/reports/drill/sales/${y.sales.s1.id}`,
    ]) {
      const r = await hyAdmin.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.body).not.toContain('网点客户经理');
    }
    const hy = (await hyAdmin.get(`/api/reports/drill?${M}`)).json();
    expect(hy.node.id).toBe(DEMO_NODES.heyuan);
    expect(hy.total).toEqual({ sales: 1, pointsHundredths: 10_000 });
    expect(hy.crumbs.map((c: { id: number }) => c.id)).toEqual([DEMO_NODES.heyuan]);
    expect((await fsAdmin.get(`/api/reports/drill?${M}&nodeId=${DEMO_NODES.province}`)).statusCode).toBe(403);
    expect((await fsAdmin.get(`/api/reports/drill?${M}&nodeId=${y.outlet.id}`)).statusCode).toBe(200);
  });
});

describe('export', () => {
  let issueId: number;
  beforeAll(async () => {
    await seedReportCatalogue(t.database.db, { validFrom: '2025-03-01' });
    await runReportJob(t.database.db, clock.now());
    [{ id: issueId }] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM report_issues WHERE definition_code = 'PRD-SALES-D' AND period_key = '2025-03-05'`);
  });

  async function workbook(who: Client) {
    const r = await who.get(`/api/reports/issues/${issueId}/export.xlsx`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('个人金融业务产品销售日通报表'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const values = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    return { summary: values('通报'), detail: values('明细') };
  }

  it('Excel: the figures as the reader may read them, and the day’s ledger detail inside their scope', async () => {
    const { summary, detail } = await workbook(admin);
    expect(summary[0][0]).toBe('个人金融业务产品销售日通报表（2025年3月5日，第 1 版）');
    expect(summary[2]).toEqual(['机构号', '机构', '产品代码', '产品', '单位', '笔数', '数量', '积分']);
    const fsRow = summary.find((r) => r[1] === '佛山分行')!;
    expect(fsRow.slice(5)).toEqual([1, 10, 10]);
    expect(summary.find((r) => r[1] === '河源分行')!.slice(5)).toEqual([1, 100, 100]);
    expect(detail[0]).toContain('积分归属机构');
    const body = detail.slice(1);
    const pts = (branch: string) => body.filter((r) => r[4] === branch && r[11] !== '作废').reduce((a, r) => a + Math.round(Number(r[12]) * 100), 0);
    expect(pts('佛山分行')).toBe(1_000);
    expect(pts('河源分行')).toBe(10_000);
    expect(body.some((r) => r[10] === '网点客户经理' && r[5] === y.outlet.name)).toBe(true);
  });

  it('Excel for a tier-2 branch holds none of another branch’s figures or lines', async () => {
    const { summary, detail } = await workbook(hyAdmin);
    expect(summary.slice(3).map((r) => r[1])).toEqual(['河源分行']);
    expect(detail.slice(1).every((r) => r[4] === '河源分行')).toBe(true);
    expect(detail.length).toBeGreaterThan(1);
    expect(JSON.stringify(summary) + JSON.stringify(detail)).not.toContain('佛山');
  });

  it('the table: columns and rows, filtered; PDF: a print file', async () => {
    const tbl = (await hyAdmin.get(`/api/reports/issues/${issueId}/table`)).json();
    expect(tbl).toMatchObject({ drillable: true, periodFrom: '2025-03-05', table: { view: 'sales' } });
    expect(tbl.table.rows.map((r: { nodeId: number }) => r.nodeId)).toEqual([DEMO_NODES.heyuan]);
    const pdf = await admin.get(`/api/reports/issues/${issueId}/export.pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await hyAdmin.get(`/api/reports/issues/999999/export.pdf`)).statusCode).toBe(404);
  });
});
