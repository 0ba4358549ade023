import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { idCheckChar, usccCheckChar } from '../customers/ids.rules.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';

/**
 * Issue 18, parts 2 and 3: a sales sheet as an office sends it — a merged title, its own column
 * names (流水号, 证件号码), a date merged down two rows, a mistyped ID number and credit code, two
 * columns merged across, a 合计 row — and its errors as JSON, paged, for whoever may read the job.
 */
let t: TestApp;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const fx = { fsCode: '', person: '', company: '', pf: '', corp: '' };
const tag = Date.now().toString(36);
const id = (n: number) => `ERR-${tag}-${n}`;

/** The last character of a check-digit code replaced by another of the same kind. */
const wrongLast = (code: string, right: string) => code.slice(0, 17) + (right === '0' ? '1' : '0');
let badId = '';
let badUscc = '';

const HEADERS = ['序号', '流水号', '产品代码', '证件号码', '统一社会信用代码', '销售日期', '数量', '参与部门', '营销人员', '机构号', '备注'];

async function officeSheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('十月台账');
  ws.addRow(['佛山分行交叉销售台账（2026年10月）']);
  ws.mergeCells('A1:K1');
  ws.addRow(HEADERS);
  const people = `${fx.pf}@PF:营销:100,${fx.corp}@CORP:介绍`;
  ws.addRow([1, id(1), 'WMP', fx.person, null, '2026年10月15日', 12.5, 'CORP:60,INST:40', people, fx.fsCode, null]); // row 3
  ws.addRow([2, id(2), 'WMP', fx.person, null, null, 1, 'CORP:60,INST:40', people, fx.fsCode, '日期与上一行合并']); // row 4
  ws.mergeCells('F3:F4');
  ws.addRow([3, id(3), 'WMP', badId, null, '2026-10-16', 1, 'CORP:60,INST:40', people, fx.fsCode, null]); // row 5
  ws.addRow([4, id(4), 'WMP', null, badUscc, '2026-10-16', 1, 'CORP:60,INST:40', people, fx.fsCode, null]); // row 6
  ws.addRow([5, id(5), 'WMP', fx.person, null, '2026-10-16', 1, 'CORP:60,INST:40', null, fx.fsCode, null]); // row 7
  ws.mergeCells('H7:I7');
  ws.addRow(['合计', null, null, null, null, null, 16.5, null, null, null, null]); // row 8
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Buffer, mode?: 'all' | 'valid_only') {
  const res = await fsAdmin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(bytes, '十月台账.xlsx', mode) });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return (await fsAdmin.get(`/api/imports/jobs/${res.json().id}`)).json();
}

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  fx.fsCode = (await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE id = ${DEMO_NODES.foshan}`))[0].code;
  fx.person = (
    await q<{ idNumber: string }>(
      sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 1`,
    )
  )[0].idNumber;
  fx.company = (await q<{ uscc: string }>(sql`SELECT uscc FROM corporate_clients WHERE id = 1`))[0].uscc;
  const staffOf = async (code: string) =>
    (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, code)} AND active ORDER BY id LIMIT 1`))[0].staffNo;
  fx.pf = await staffOf('PF');
  fx.corp = await staffOf('CORP');
  badId = wrongLast(fx.person, idCheckChar(fx.person.slice(0, 17))!);
  badUscc = wrongLast(fx.company, usccCheckChar(fx.company.slice(0, 17))!);
});
afterAll(() => t?.close());

describe('an office sheet of sales (issue 18)', () => {
  let jobId = '';

  it('names each error by the sheet’s row and column, with a stable code, and skips the 合计 row', async () => {
    const job = await upload(await officeSheet());
    jobId = job.id;
    expect(job).toMatchObject({ status: 'failed', totalRows: 5, errorRows: 3, inserted: 0, messageCode: 'IMPORT.ROW_ERRORS' });
    expect(job.message).toBe(
      '共 5 行，其中 3 行有误，未导入任何数据；请下载错误报告修改后重新导入；已跳过合计行 1 行（第 8 行）；已按合并单元格将首行的值填入其下各行：销售日期 第 3–4 行（取自第 3 行）',
    );
    const page = await fsAdmin.get(`/api/imports/jobs/${jobId}/errors?page=1&pageSize=50`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({
      total: 3,
      page: 1,
      pageSize: 50,
      items: [
        {
          row: 5,
          column: '证件号码',
          templateColumn: '客户身份证号码',
          columnKey: 'idNumber',
          code: 'IMPORT.CHECK_DIGIT',
          message: `第5行 证件号码（模板列名：客户身份证号码）：身份证号码 ${badId} 校验位不正确`,
          messageEn: `Row 5 证件号码 (template column: Client ID number): ID number ${badId} has a wrong check digit`,
        },
        {
          row: 6,
          column: '统一社会信用代码',
          templateColumn: '统一社会信用代码',
          columnKey: 'uscc',
          code: 'IMPORT.CHECK_DIGIT',
          message: `第6行 统一社会信用代码：统一社会信用代码 ${badUscc} 校验位不正确`,
          messageEn: `Row 6 Credit code: credit code ${badUscc} has a wrong check character`,
        },
        {
          row: 7,
          column: '参与部门',
          templateColumn: '参与部门',
          columnKey: 'departments',
          code: 'IMPORT.MERGED_CELL',
          message: '第7行 参与部门：H7:I7 是跨列合并的单元格（合并自第7行，涉及 参与部门、营销人员），请取消合并后每列分别填写',
          messageEn: 'Row 7 Participating departments: H7:I7 is merged across columns (from row 7: 参与部门, 营销人员); unmerge it and fill each column',
        },
      ],
    });
  });

  it('pages the errors', async () => {
    const second = (await fsAdmin.get(`/api/imports/jobs/${jobId}/errors?page=2&pageSize=2`)).json();
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items.map((e: { row: number }) => e.row)).toEqual([7]);
    const first = (await fsAdmin.get(`/api/imports/jobs/${jobId}/errors?pageSize=2`)).json();
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items.map((e: { row: number }) => e.row)).toEqual([5, 6]);
    expect((await fsAdmin.get(`/api/imports/jobs/${jobId}/errors?pageSize=5000`)).statusCode).toBe(400);
  });

  it('answers only who may read the job: 404 to another branch’s administrator and to a plain member of staff', async () => {
    for (const who of ['hy_admin', 'fs_staff']) {
      const other = await t.login(who);
      const res = await other.get(`/api/imports/jobs/${jobId}/errors`);
      expect(res.statusCode, who).toBe(404);
      expect(res.json().error.code).toBe('IMPORT.NOT_FOUND');
      expect((await other.get(`/api/imports/jobs/${jobId}`)).statusCode, who).toBe(404);
    }
    // The province's administrator, whose scope holds 佛山, reads them as he reads the job.
    const province = await t.login('admin');
    expect((await province.get(`/api/imports/jobs/${jobId}/errors`)).json().total).toBe(3);
    expect((await fsAdmin.get('/api/imports/jobs/00000000-0000-4000-8000-000000000000/errors')).statusCode).toBe(404);
  });

  it('keeps the error workbook, in the same words', async () => {
    const res = await fsAdmin.get(`/api/imports/jobs/${jobId}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain(`第5行 证件号码（模板列名：客户身份证号码）：身份证号码 ${badId} 校验位不正确`);
    expect(text).toContain('第7行 参与部门：H7:I7 是跨列合并的单元格');
    expect(text).not.toContain('合计');
  });

  it('with valid rows only, writes rows 3 and 4, row 4 dated as its merged cell says', async () => {
    const job = await upload(await officeSheet(), 'valid_only');
    expect(job).toMatchObject({ status: 'done', totalRows: 5, errorRows: 3, inserted: 2 });
    expect(job.message).toContain('已跳过合计行 1 行（第 8 行）');
    const dates = await q<{ sourceId: string; saleDate: string }>(
      sql`SELECT source_id AS "sourceId", sale_date::text AS "saleDate" FROM sales WHERE source_id LIKE ${`ERR-${tag}-%`} ORDER BY source_id`,
    );
    expect(dates).toEqual([
      { sourceId: id(1), saleDate: '2026-10-15' },
      { sourceId: id(2), saleDate: '2026-10-15' },
    ]);
    expect((await fsAdmin.get(`/api/imports/jobs/${job.id}/errors`)).json().total).toBe(3);
  });

  it('a file refused as a whole is one error without a row', async () => {
    const res = await fsAdmin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(Buffer.from('甲,乙\n1,2\n'), 'x.csv') });
    await waitForImport(t.database.db, res.json().id);
    const errors = (await fsAdmin.get(`/api/imports/jobs/${res.json().id}/errors`)).json();
    expect(errors.total).toBe(1);
    expect(errors.items[0]).toMatchObject({ row: null, column: null, code: 'IMPORT.NO_HEADER' });
    expect(errors.items[0].message).toContain('交易流水号');
  });
});
