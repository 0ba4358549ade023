import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * Ratios as a bank writes them (issue 18 part 4, decision 0026), through the API and the import.
 * CREDIT on 2026-11-03: unit score 10.00, hosted by CC (信用卡中心); host 20 %, participants 80 %.
 */
let t: TestApp;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const fx = { person: '', corp: [] as string[] };
let seq = 0;
const tag = Date.now().toString(36);

function sale(over: Record<string, unknown> = {}) {
  seq++;
  return { sourceId: `W-${tag}-${seq}`, productCode: 'CREDIT', idNumber: fx.person, saleDate: '2026-11-03', quantity: '1.25', ...over };
}

async function split(saleId: number) {
  const res = await fsAdmin.get(`/api/scoring/sales/${saleId}/split`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return Object.fromEntries(body.departments.map((d: { code: string; points: string }) => [d.code, d.points])) as Record<string, string>;
}

async function record(body: Record<string, unknown>) {
  const res = await fsAdmin.post('/api/sales', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().saleId as number;
}

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  fx.person = (
    await q<{ idNumber: string }>(
      sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 1`,
    )
  )[0].idNumber;
  fx.corp = (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, 'CORP')} AND active ORDER BY staff_no`)).map(
    (r) => r.staffNo,
  );
});
afterAll(() => t?.close());

describe('weights through the API, to the hundredth', () => {
  it('12.50 points, CORP:INST = 1:2 → CC 2.50, CORP 3.33, INST 6.67; the weights are stored as written', async () => {
    const id = await record(
      sale({
        departments: [
          { code: 'CORP', weight: 1 },
          { code: 'INST', weight: 2 },
        ],
      }),
    );
    expect(await split(id)).toEqual({ CC: '2.50', CORP: '3.33', INST: '6.67' });
    const stored = await q<{ weight: number | null; ratio_bp: number | null }>(sql`SELECT weight, ratio_bp FROM sale_departments WHERE sale_id = ${id} ORDER BY weight`);
    expect(stored).toEqual([
      { weight: 1, ratio_bp: null },
      { weight: 2, ratio_bp: null },
    ]);
    const detail = (await fsAdmin.get(`/api/sales/${id}`)).json();
    expect(detail.departments.map((d: { code: string; weight: number; ratio: string | null }) => [d.code, d.weight, d.ratio])).toEqual([
      ['CORP', 1, null],
      ['INST', 2, null],
    ]);
  });

  it('1000.00 points, 1:2 → CORP 266.67 / INST 533.33 (exact thirds), where 33.33 % / 66.67 % gives 266.64 / 533.36', async () => {
    const w = await record(
      sale({
        quantity: 100,
        departments: [
          { code: 'CORP', weight: 1 },
          { code: 'INST', weight: 2 },
        ],
      }),
    );
    expect(await split(w)).toEqual({ CC: '200.00', CORP: '266.67', INST: '533.33' });
    const p = await record(
      sale({
        quantity: 100,
        departments: [
          { code: 'CORP', ratio: '33.33' },
          { code: 'INST', ratio: '66.67' },
        ],
      }),
    );
    expect(await split(p)).toEqual({ CC: '200.00', CORP: '266.64', INST: '533.36' });
  });

  it('0.37 points, CORP:INST = 3:1 → CC 0.08 (ties INST at .4 and sorts first), CORP 0.22, INST 0.07', async () => {
    // Σw 4: CC 37×8000/40000 = 7.4, CORP 22.2, INST 7.4 → 7 + 22 + 7 = 36; spare 1 → "CC" < "INST".
    const id = await record(
      sale({
        quantity: '0.037',
        departments: [
          { code: 'CORP', weight: 3 },
          { code: 'INST', weight: 1 },
        ],
      }),
    );
    expect(await split(id)).toEqual({ CC: '0.08', CORP: '0.22', INST: '0.07' });
  });

  it('12.50 points, 1:1:1 → CC 2.50, CORP 3.34 (first code), INST 3.33, RE 3.33; CORP people 1:2 → 1.11 / 2.23', async () => {
    const id = await record(
      sale({
        departments: [
          { code: 'RE', weight: 1 },
          { code: 'INST', weight: 1 },
          { code: 'CORP', weight: 1 },
        ],
        people: [
          { staffNo: fx.corp[0], departmentCode: 'CORP', weight: 1 },
          { staffNo: fx.corp[1], departmentCode: 'CORP', weight: 2 },
        ],
      }),
    );
    expect(await split(id)).toEqual({ CC: '2.50', CORP: '3.34', INST: '3.33', RE: '3.33' });
    const people = (await fsAdmin.get(`/api/scoring/sales/${id}/split`)).json().people;
    expect(people.map((p: { staffNo: string; weight: number; points: string }) => [p.staffNo, p.weight, p.points])).toEqual([
      [fx.corp[0], 1, '1.11'],
      [fx.corp[1], 2, '2.23'],
    ]);
  });

  it('refuses mixed kinds and bad weights; a re-send with the same weights is a duplicate, with percentages a conflict', async () => {
    const mixed = await fsAdmin.post(
      '/api/sales',
      sale({
        departments: [
          { code: 'CORP', weight: 1 },
          { code: 'INST', ratio: 50 },
        ],
      }),
    );
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.code).toBe('SALE.RATIOS_NOT_100');
    expect((await fsAdmin.post('/api/sales', sale({ departments: [{ code: 'CORP', weight: 0 }] }))).statusCode).toBe(400);
    const body = sale({
      departments: [
        { code: 'CORP', weight: 1 },
        { code: 'INST', weight: 2 },
      ],
    });
    await record(body);
    const again = await fsAdmin.post('/api/sales', body);
    expect(again.json().status).toBe('duplicate');
    const other = await fsAdmin.post('/api/sales', {
      ...body,
      departments: [
        { code: 'CORP', ratio: '33.33' },
        { code: 'INST', ratio: '66.67' },
      ],
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('SALE.CONFLICT');
  });
});

describe('the 协商比例 column of the import', () => {
  const HEADERS = ['交易流水号', '产品代码', '客户身份证号码', '销售日期', '数量', '参与部门', '协商比例'];
  async function upload(data: (string | number | null)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('销售');
    ws.addRow(HEADERS);
    for (const r of data) ws.addRow(r);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await fsAdmin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(bytes, '协商比例.xlsx') });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(t.database.db, res.json().id);
    return (await fsAdmin.get(`/api/imports/jobs/${res.json().id}`)).json();
  }
  const idOf = async (sourceId: string) => (await q<{ id: number }>(sql`SELECT id FROM sales WHERE source_id = ${sourceId}`))[0].id;

  it('reads 1：2 (full width), 3:1:1 and 40%/60% in the order of the departments', async () => {
    const ids = [`WI-${tag}-1`, `WI-${tag}-2`, `WI-${tag}-3`];
    const done = await upload([
      [ids[0], 'CREDIT', fx.person, '2026-11-03', 1.25, 'CORP,INST', '1：2'],
      [ids[1], 'CREDIT', fx.person, '2026-11-03', 1.25, 'CORP、INST、RE', '3:1:1'],
      [ids[2], 'CREDIT', fx.person, '2026-11-03', 1.25, 'CORP,INST', '40%/60%'],
    ]);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'done', inserted: 3 });
    expect(await split(await idOf(ids[0]))).toEqual({ CC: '2.50', CORP: '3.33', INST: '6.67' });
    // 3:1:1 of 10.00: CORP 6.00, INST 2.00, RE 2.00 exactly.
    expect(await split(await idOf(ids[1]))).toEqual({ CC: '2.50', CORP: '6.00', INST: '2.00', RE: '2.00' });
    expect(await split(await idOf(ids[2]))).toEqual({ CC: '2.50', CORP: '4.00', INST: '6.00' });
    const [pct] = await q<{ ratio_bp: number; weight: number | null }>(
      sql`SELECT sd.ratio_bp, sd.weight FROM sale_departments sd JOIN departments d ON d.id = sd.department_id WHERE sd.sale_id = ${await idOf(ids[2])} AND d.code = 'CORP'`,
    );
    expect(pct).toEqual({ ratio_bp: 4000, weight: null });
  });

  it('names the 协商比例 cell when the count differs from the departments or percentages do not total 100', async () => {
    const failed = await upload([
      [`WX-${tag}-1`, 'CREDIT', fx.person, '2026-11-03', 1, 'CORP,INST', '1:2:3'],
      [`WX-${tag}-2`, 'CREDIT', fx.person, '2026-11-03', 1, 'CORP,INST', '40%/50%'],
    ]);
    expect(failed).toMatchObject({ status: 'failed', errorRows: 2, inserted: 0 });
    const report = await fsAdmin.get(`/api/imports/jobs/${failed.id}/errors.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain('第2行 协商比例');
    expect(text).toContain('SALE.RATIOS_NOT_100');
  });
});
