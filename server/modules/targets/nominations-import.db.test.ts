import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { makeCompany, makeStaff, testUscc } from './testing.js';

const FS = DEMO_NODES.foshan;
const FS_CORP = demoDepartmentId(FS, 'CORP');
const YI = 10_000_000_000;

let t: TestApp;
let am: Client;
const uscc: Record<string, string> = {};

async function sheet(data: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('提名');
  ws.addRow(['统一社会信用代码', '部门代码', '操作', '理由']);
  for (const r of data) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Buffer) {
  const res = await am.request({ method: 'POST', url: '/api/imports/target-nominations', payload: uploadForm(bytes, '提名.xlsx') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return (await am.get(`/api/imports/jobs/${res.json().id}`)).json();
}

const nominationCount = async () => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM target_nominations`))[0].n;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const me = await makeStaff(db, { staffNo: 'tgt_imp_am', name: '黄晓燕', nodeId: FS, departmentId: FS_CORP, role: 'corporate_am' });
  const base = { nodeId: FS, departmentId: FS_CORP, accountManagerId: me.id };
  uscc.big = (await makeCompany(db, { ...base, creditLineFen: 3 * YI })).uscc;
  uscc.rank = (await makeCompany(db, { ...base, provincialTaxRank: 200 })).uscc;
  uscc.none = (await makeCompany(db, base)).uscc;
  am = await t.login('tgt_imp_am');
});
afterAll(() => t?.close());

describe('nominations by import (SPEC §3, §14)', () => {
  it('offers the kind and its template to nominators', async () => {
    expect((await am.get('/api/imports/kinds')).json().items.map((k: { kind: string }) => k.kind)).toContain('target-nominations');
    const tpl = await am.get('/api/imports/templates/target-nominations');
    expect(tpl.statusCode).toBe(200);
  });

  it('a file with bad rows writes nothing and names every error', async () => {
    const badChecksum = uscc.big.slice(0, 17) + (uscc.big[17] === '0' ? '1' : '0');
    const before = await nominationCount();
    const job = await upload(
      await sheet([
        [uscc.big, 'CORP', '纳入', null],
        [badChecksum, 'CORP', '纳入', null],
        [testUscc(999_999), 'CORP', '纳入', null],
        [uscc.none, 'CORP', '纳入', null],
        [uscc.rank, 'CORP', '移出', '不再合作'],
        [uscc.rank, 'NOPE', '纳入', null],
        [uscc.big, 'CORP', '纳入', '重复行'],
      ]),
    );
    expect(job).toMatchObject({ status: 'failed', messageCode: 'IMPORT.ROW_ERRORS', errorRows: 6, inserted: 0, hasErrorReport: true });
    expect(await nominationCount()).toBe(before);

    const report = await am.get(`/api/imports/jobs/${job.id}/errors.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain('校验位');
    expect(text).toContain('对公客户不存在');
    expect(text).toContain('请填写理由');
    expect(text).toContain('不在当前目标客户名单中');
    expect(text).toContain('没有部门代码为 NOPE 的部门');
    expect(text).toContain('重复');
  });

  it('a clean file nominates every row with its evaluation', async () => {
    const job = await upload(
      await sheet([
        [uscc.big, 'CORP', '纳入', null],
        [uscc.rank.toLowerCase(), 'corp'.toUpperCase(), null, null],
        [uscc.none, 'CORP', '纳入', '县域重点扶持企业'],
      ]),
    );
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', inserted: 3 });
    const list = (await am.get('/api/targets/nominations?pageSize=50')).json();
    const byUscc = new Map(list.items.map((n: { uscc: string; met: string[] }) => [n.uscc, n.met]));
    expect(byUscc.get(uscc.big)).toEqual(['CORP.CREDIT_LINE']);
    expect(byUscc.get(uscc.rank)).toEqual(['CORP.TAX_TOP200']);
    expect(byUscc.get(uscc.none)).toEqual(['CORP.OTHER']);
    // Importing the same file again is refused row by row: they are pending now.
    const again = await upload(await sheet([[uscc.big, 'CORP', '纳入', null]]));
    expect(again).toMatchObject({ status: 'failed', errorRows: 1 });
  });
});
