import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { makeIdNumber, usccCheckChar } from './ids.rules.js';

let t: TestApp;
let fsAdmin: Client;
let fsCode: string;
let hyCode: string;

type Cell = string | number | null;
async function workbook(headers: string[], data: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(headers);
  for (const r of data) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(kind: string, bytes: Buffer) {
  const res = await fsAdmin.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(bytes, `${kind}.xlsx`) });
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await waitForImport(t.database.db, id);
  return { job: (await fsAdmin.get(`/api/imports/jobs/${id}`)).json(), id };
}

async function reportLines(id: string): Promise<string[]> {
  const res = await fsAdmin.get(`/api/imports/jobs/${id}/errors.xlsx`);
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0].eachRow((r) => out.push((r.values as unknown[]).map((v) => String(v ?? '')).join('|')));
  return out;
}

async function counts() {
  const [r] = await rows<{ c: number; p: number; l: number; h: number }>(
    t.database.db,
    sql`SELECT (SELECT count(*) FROM corporate_clients)::int AS c, (SELECT count(*) FROM individuals)::int AS p,
               (SELECT count(*) FROM company_people)::int AS l, (SELECT count(*) FROM holdings)::int AS h`,
  );
  return r;
}

const uscc = (body17: string) => body17 + usccCheckChar(body17);
const U1 = uscc('91440604MA5TETT01');
const U2 = uscc('91440605MA5TETT02');
const P1 = makeIdNumber('440604', '1980-05-06', 123);
const P2 = makeIdNumber('440605', '1992-11-30', 246);

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  const codes = await rows<{ id: number; code: string }>(t.database.db, sql`SELECT id, code FROM org_nodes WHERE id IN (${DEMO_NODES.foshan}, ${DEMO_NODES.heyuan})`);
  fsCode = codes.find((c) => c.id === DEMO_NODES.foshan)!.code;
  hyCode = codes.find((c) => c.id === DEMO_NODES.heyuan)!.code;
});
afterAll(() => t.close());

const CORP_HEADERS = [
  '统一社会信用代码',
  '客户名称',
  '客户类型',
  '所属行业',
  '管户机构号',
  '管户部门代码',
  '客户经理工号',
  '法定代表人',
  '授信额度(万元)',
  '贷款余额(万元)',
  '年销售额(万元)',
  '全省纳税排名',
  '是否上市',
  '优质上市公司',
  '行政级别',
];
const PEOPLE_HEADERS = ['身份证号码', '姓名', '手机号', '管户机构号', '专属客户经理工号', '金融资产(元)', 'VIP等级'];

describe('customer imports', () => {
  it('a messy corporate workbook: bad checksum, duplicate, unknown org/type, out of scope → named errors, nothing written', async () => {
    const before = await counts();
    const bytes = await workbook(CORP_HEADERS, [
      [U1, '佛山市禅城区导入五金有限公司', '企业', '制造业', fsCode, 'CORP', null, '张三', '10000.5', 500, 20000, 150, '否', null, null],
      [`${U2.slice(0, 17)}${U2[17] === '0' ? '1' : '0'}`, '校验位错误公司', '企业', 'C', fsCode, null, null, null, null, null, null, null, null, null, null],
      [U1, '重复的公司', '企业', 'C', fsCode, null, null, null, null, null, null, null, null, null, null],
      [U2, '未知类型公司', '外星企业', 'C', fsCode, null, null, null, null, null, null, null, null, null, null],
      [uscc('91441602MA5TETT03'), '河源越权公司', '企业', 'C', hyCode, null, null, null, null, null, null, null, null, null, null],
      [uscc('91441602MA5TETT04'), '要素错误公司', '政府融资平台', 'L', fsCode, null, null, null, null, null, null, null, null, null, '乡级'],
    ]);
    const { job, id } = await upload('corporate-clients', bytes);
    expect(job.status).toBe('failed');
    expect(job.errorRows).toBe(5);
    expect(await counts()).toEqual(before);
    const report = (await reportLines(id)).join('\n');
    expect(report).toContain(`第3行 统一社会信用代码：统一社会信用代码 ${U2.slice(0, 17)}${U2[17] === '0' ? '1' : '0'} 校验位不正确`);
    expect(report).toContain('与第2行重复');
    expect(report).toContain('未知的客户类型');
    expect(report).toContain('不在您的管理范围内');
    expect(report).toContain('应为：');
  });

  it('imports corporate clients with exact 万元 amounts and facts, idempotently', async () => {
    const bytes = await workbook(CORP_HEADERS, [
      [U1, '佛山市禅城区导入五金有限公司', '企业', '制造业', fsCode, 'CORP', null, '张三', '10000.5', 500, 20000, 150, '否', null, null],
      [U2, '佛山市南海区城市投资有限公司', '政府融资平台', 'L', fsCode, 'CORP', null, null, 30000, null, null, null, null, null, '县级'],
    ]);
    const first = await upload('corporate-clients', bytes);
    expect(first.job.status, JSON.stringify(first.job)).toBe('done');
    expect(first.job.inserted).toBe(2);
    const list = (await fsAdmin.get(`/api/customers/companies?q=${U1}`)).json();
    expect(list.items[0].creditLine).toBe('100005000.00');
    expect(list.items[0].loanBalanceFen).toBe(500_0000_00);
    const detail = (await fsAdmin.get(`/api/customers/companies?q=${U2}`)).json().items[0];
    const full = (await fsAdmin.get(`/api/customers/companies/${detail.id}`)).json();
    expect(full.facts).toEqual({ adminLevel: 'county' });
    const again = await upload('corporate-clients', bytes);
    expect(again.job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
  });

  it('individuals: bad checksum, future birth date, duplicate → named errors; then valid rows import once', async () => {
    const before = await counts();
    const badSum = `${P2.slice(0, 17)}${P2[17] === '1' ? '2' : '1'}`;
    const bytes = await workbook(PEOPLE_HEADERS, [
      [P1.toLowerCase(), '李导入', '13800138001', fsCode, null, '1,234.56', '金卡'],
      [badSum, '王校验', null, fsCode, null, null, null],
      [P1, '李重复', null, fsCode, null, null, null],
      [makeIdNumber('440604', '2090-01-01', 1), '未来人', null, fsCode, null, null, null],
      [P2, '陈越权', null, hyCode, null, null, null],
    ]);
    const { job, id } = await upload('individuals', bytes);
    expect(job.status).toBe('failed');
    expect(job.errorRows).toBe(4);
    expect(await counts()).toEqual(before);
    const report = (await reportLines(id)).join('\n');
    expect(report).toContain('校验位不正确');
    expect(report).toContain('出生日期不正确');
    expect(report).toContain('与第2行重复');

    const good = await workbook(PEOPLE_HEADERS, [
      [P1, '李导入', '13800138001', fsCode, null, '1,234.56', '金卡'],
      [P2, '陈导入', null, fsCode, null, 0, null],
    ]);
    expect((await upload('individuals', good)).job).toMatchObject({ status: 'done', inserted: 2 });
    expect((await upload('individuals', good)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
    const found = (await fsAdmin.get(`/api/customers/individuals?idSuffix=${P1.slice(-4)}`)).json();
    const li = found.items.find((x: { name: string }) => x.name === '李导入');
    expect(li.aum).toBe('1234.56');
    expect(li.phone).toBe('138****8001');
  });

  it('relationships: unknown employer and unknown person are named; holdings import; both idempotent', async () => {
    const headers = ['统一社会信用代码', '身份证号码', '关系', '职务', '起始日期', '终止日期'];
    const before = await counts();
    const bad = await workbook(headers, [
      [U1, P1, '高管', '总经理', '2020-01-01', null],
      [uscc('91440604MA5NQPE01'), P1, '员工', null, null, null],
      [U1, makeIdNumber('440604', '1970-01-01', 555), '员工', null, null, null],
      [U1, P1, '高管', '副总', null, null],
      [U1, P2, '员工', null, '2020-01-01', '2019-01-01'],
    ]);
    const r = await upload('company-people', bad);
    expect(r.job.errorRows).toBe(4);
    expect(await counts()).toEqual(before);
    const report = (await reportLines(r.id)).join('\n');
    expect(report).toContain('企业客户不存在');
    expect(report).toContain('个人客户不存在');
    expect(report).toContain('与第2行重复');
    expect(report).toContain('终止日期不能早于起始日期');

    const good = await workbook(headers, [
      [U1, P1, '法定代表人', '董事长', '2020-01-01', null],
      [U1, P2, '员工', '会计', '2021-03-01', null],
      [U2, P2, '股东', null, null, null],
    ]);
    const ok = await upload('company-people', good);
    expect(ok.job).toMatchObject({ status: 'done', inserted: 3 });
    expect((await upload('company-people', good)).job).toMatchObject({ inserted: 0, unchanged: 3 });

    const hHeaders = ['身份证号码', '产品代码', '产品名称', '金额(元)', '数量', '起始日期'];
    const h = await workbook(hHeaders, [
      [P1, 'WMP', '理财', '200000.00', null, '2024-03-01'],
      [P1, 'DEBIT', '借记卡', null, 1, '2019-01-01'],
      [P2, 'FUND', '基金', '0.01', null, null],
    ]);
    expect((await upload('holdings', h)).job).toMatchObject({ status: 'done', inserted: 3 });
    expect((await upload('holdings', h)).job).toMatchObject({ inserted: 0, unchanged: 3 });
    // The references found by id and node only (decision 0052): each link sits on its company's node
    // and names the right person; each holding sits on its person's node.
    const wrong = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log a
          LEFT JOIN company_people l ON a.entity = 'company_person' AND l.id = a.entity_id::int
          LEFT JOIN corporate_clients c ON c.id = l.company_id
          LEFT JOIN holdings h ON a.entity = 'holding' AND h.id = a.entity_id::int
          LEFT JOIN individuals i ON i.id = coalesce(h.person_id, l.person_id)
          WHERE a.action IN ('customer.link.create', 'customer.holding.create')
            AND (i.id IS NULL OR a.node_id IS DISTINCT FROM (CASE WHEN a.entity = 'holding' THEN i.node_id ELSE c.node_id END)
                 OR (a.after->>'personId')::int IS DISTINCT FROM i.id)`,
    );
    expect(wrong[0].n).toBe(0);
    const linked = await rows<{ uscc: string; idNumber: string }>(
      t.database.db,
      sql`SELECT c.uscc, i.id_number AS "idNumber" FROM company_people l JOIN corporate_clients c ON c.id = l.company_id JOIN individuals i ON i.id = l.person_id
          WHERE c.uscc IN (${U1}, ${U2}) AND i.id_number IN (${P1}, ${P2}) ORDER BY l.id`,
    );
    expect(linked).toEqual([
      { uscc: U1, idNumber: P1 },
      { uscc: U1, idNumber: P2 },
      { uscc: U2, idNumber: P2 },
    ]);
    const company = (await fsAdmin.get(`/api/customers/companies?q=${U1}`)).json().items[0];
    const c360 = (await fsAdmin.get(`/api/customers/companies/${company.id}`)).json();
    const p1 = c360.people.find((p: { role: string }) => p.role === 'legal_rep');
    expect(p1.holdingsCount).toBe(2);
    expect(JSON.stringify(c360)).not.toContain(P1);
  });

  it('exports the corporate and individual lists', async () => {
    const a = await fsAdmin.get('/api/customers/companies/export.xlsx');
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(a.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('统一社会信用代码');
    expect(wb.worksheets[0].rowCount).toBeGreaterThan(10);
    const b = await fsAdmin.get('/api/customers/individuals/export.xlsx?q=%E6%9D%8E%E5%AF%BC%E5%85%A5');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(b.rawPayload as unknown as ArrayBuffer);
    expect(String(wb2.worksheets[0].getRow(2).getCell(2).value)).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  });
});
