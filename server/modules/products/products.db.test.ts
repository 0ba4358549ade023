import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  fsAdmin = await t.login('fs_admin');
});
afterAll(() => t?.close());

async function upload(kind: string, header: string[], data: (string | number | null)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('x');
  ws.addRow(header);
  for (const r of data) ws.addRow(r);
  const res = await admin.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(Buffer.from(await wb.xlsx.writeBuffer()), `${kind}.xlsx`) });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return (await admin.get(`/api/imports/jobs/${res.json().id}`)).json();
}

describe('the catalogue (SPEC §6)', () => {
  it('lists the demo products with the score in force on the day asked', async () => {
    const oct = (await fsAdmin.get('/api/products?date=2026-10-15&pageSize=100')).json();
    expect(oct.total).toBeGreaterThanOrEqual(15);
    const credit = (d: { items: { code: string; score: string }[] }) => d.items.find((p) => p.code === 'CREDIT')!.score;
    expect(credit(oct)).toBe('8.00');
    expect(credit((await fsAdmin.get('/api/products?date=2026-11-15&pageSize=100')).json())).toBe('10.00');
    expect((await fsAdmin.get('/api/products?q=住房')).json().items[0]).toMatchObject({ code: 'MORTGAGE', unit: '户', mortgage: true, lineName: '个人贷款' });
    expect((await fsAdmin.get('/api/products/lines')).json().items.map((l: { code: string }) => l.code)).toContain('WMP');
  });

  it('creates and updates products (audited), refusing bad codes, lines and host departments', async () => {
    const body = { code: 'T_PRD1', name: '测试理财', lineCode: 'WMP', hostDepartmentCode: 'PF', unit: '万元', score: { score: '3.25', effectiveFrom: '2026-01-01' } };
    const res = await admin.post('/api/products', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'T_PRD1', score: '3.25', scoreFrom: '2026-01-01', mortgage: false, active: true, hostDepartmentName: '个人金融部' });
    const id = res.json().id;
    expect((await admin.post('/api/products', body)).json().error.code).toBe('PRODUCT.CODE_TAKEN');
    expect((await admin.post('/api/products', { ...body, code: 'T_PRD2', lineCode: 'NOPE' })).json().error.code).toBe('PRODUCT.UNKNOWN_LINE');
    expect((await admin.post('/api/products', { ...body, code: 'T_PRD2', hostDepartmentCode: 'NOPE' })).json().error.code).toBe('PRODUCT.UNKNOWN_HOST_DEPARTMENT');
    expect((await admin.post('/api/products', { ...body, code: 'T_PRD2', score: { score: '1.234', effectiveFrom: '2026-01-01' } })).json().error.code).toBe('PRODUCT.BAD_SCORE');
    const upd = await admin.patch(`/api/products/${id}`, { name: '测试理财（新）', unit: '件' });
    expect(upd.json()).toMatchObject({ name: '测试理财（新）', unit: '件' });
    const audit = await q<{ action: string }>(
      sql`SELECT action FROM audit_log WHERE entity IN ('product', 'product_score') AND (entity_id = ${String(id)} OR after->>'product' = 'T_PRD1') ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['product.create', 'product.score', 'product.update']);
  });

  it('keeps the catalogue bank-wide: a tier-2 administrator may read but not change it', async () => {
    const res = await fsAdmin.post('/api/products', { code: 'T_FS', name: '佛山产品', lineCode: 'WMP', hostDepartmentCode: 'PF', unit: '件' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('PRODUCT.WRITE_SCOPE');
    const plain = await t.login('fs_staff');
    expect((await plain.get('/api/products')).statusCode).toBe(200);
    expect((await plain.post('/api/products', {})).json().error.code).toBe('AUTH.FORBIDDEN');
  });
});

describe('unit score versions (effective-dated, never edited)', () => {
  it('adds versions, lists history, answers the version in force, and scores each sale with its own version', async () => {
    const p = (
      await admin.post('/api/products', { code: 'T_EFF', name: '分值测试卡', lineCode: 'CARD', hostDepartmentCode: 'PF', unit: '张', score: { score: '10', effectiveFrom: '2026-01-01' } })
    ).json();
    const [pf] = await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, 'PF')} ORDER BY id LIMIT 1`);
    const [person] = await q<{ idNumber: string }>(sql`SELECT id_number AS "idNumber" FROM individuals WHERE node_id IN (SELECT id FROM org_nodes WHERE path LIKE '/1/2/11/%') ORDER BY id LIMIT 1`);
    const record = async (sourceId: string, saleDate: string) => {
      const r = await admin.post('/api/sales', {
        sourceId,
        productCode: 'T_EFF',
        idNumber: person.idNumber,
        saleDate,
        quantity: 1,
        departments: [{ code: 'CORP' }],
        people: [{ staffNo: pf.staffNo, departmentCode: 'PF' }],
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().saleId as number;
    };
    const early = await record('T-EFF-1', '2026-10-10');
    const late = await record('T-EFF-2', '2026-10-20');

    const v = await admin.post(`/api/products/${p.id}/scores`, { score: '12.50', effectiveFrom: '2026-10-15', note: '10月中调整' });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({ score: '12.50', scoreHundredths: 1250, effectiveFrom: '2026-10-15', effectiveTo: null, rescoredSales: 1 });
    expect((await admin.post(`/api/products/${p.id}/scores`, { score: '13', effectiveFrom: '2026-10-15' })).json().error.code).toBe('PRODUCT.SCORE_DATE_TAKEN');
    expect((await admin.post(`/api/products/${p.id}/scores`, { score: '-1', effectiveFrom: '2026-12-01' })).json().error.code).toBe('PRODUCT.BAD_SCORE');

    const history = (await fsAdmin.get(`/api/products/${p.id}/scores`)).json().items;
    expect(history.map((h: { score: string; effectiveFrom: string; effectiveTo: string | null }) => [h.score, h.effectiveFrom, h.effectiveTo])).toEqual([
      ['12.50', '2026-10-15', null],
      ['10.00', '2026-01-01', '2026-10-14'],
    ]);
    expect((await fsAdmin.get(`/api/products/${p.id}/scores/in-force?date=2026-10-14`)).json().score).toBe('10.00');
    expect((await fsAdmin.get(`/api/products/${p.id}/scores/in-force?date=2026-10-15`)).json().score).toBe('12.50');
    const none = await fsAdmin.get(`/api/products/${p.id}/scores/in-force?date=2025-01-01`);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('PRODUCT.NO_SCORE');

    expect((await admin.get(`/api/sales/${early}`)).json()).toMatchObject({ unitScore: '10.00', points: '10.00' });
    expect((await admin.get(`/api/sales/${late}`)).json()).toMatchObject({ unitScore: '12.50', points: '12.50' });
  });
});

describe('imports and export', () => {
  it('imports products and score versions by Excel, idempotently', async () => {
    const header = ['产品代码', '产品名称', '产品线', '主办部门代码', '计量单位', '是否按揭'];
    const first = await upload('products', header, [
      ['T_IMP1', '导入产品一', '理财', 'PF', '万元', '否'],
      ['T_IMP2', '导入按揭', 'LOAN', 'PF', '户', '是'],
    ]);
    expect(first).toMatchObject({ status: 'done', inserted: 2 });
    expect(
      await upload('products', header, [
        ['T_IMP1', '导入产品一', '理财', 'PF', '万元', '否'],
        ['T_IMP2', '导入按揭', 'LOAN', 'XX', '户', '是'],
      ]),
    ).toMatchObject({ status: 'failed', errorRows: 1 });
    expect(
      await upload('products', header, [
        ['T_IMP1', '导入产品一', '理财', 'PF', '万元', '否'],
        ['T_IMP2', '导入按揭（改）', 'LOAN', 'PF', '户', '是'],
      ]),
    ).toMatchObject({ status: 'done', inserted: 0, updated: 1, unchanged: 1 });

    const sh = ['产品代码', '单位分值', '生效日期'];
    expect(
      await upload('product-scores', sh, [
        ['T_IMP1', '2.5', '2026-01-01'],
        ['T_IMP1', 3, '2026-09-01'],
      ]),
    ).toMatchObject({ status: 'done', inserted: 2 });
    expect(await upload('product-scores', sh, [['T_IMP1', '2.5', '2026-01-01']])).toMatchObject({ status: 'done', inserted: 0, unchanged: 1 });
    expect(await upload('product-scores', sh, [['T_IMP1', '2.6', '2026-01-01']])).toMatchObject({ status: 'failed', errorRows: 1 });
    const list = (await admin.get('/api/products?q=T_IMP1&date=2026-10-01')).json().items;
    expect(list[0]).toMatchObject({ score: '3.00', scoreFrom: '2026-09-01' });
  });

  it('exports the catalogue', async () => {
    const res = await fsAdmin.get('/api/products/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('产品代码');
  });
});
