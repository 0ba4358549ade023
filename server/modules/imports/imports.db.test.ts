import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { orgNodes, staff, staffRoles } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { waitForImport } from './imports.routes.js';
import { encodeGb18030, uploadForm } from './testing.js';

let t: TestApp;
let fsAdmin: Client;
let fsCode: string;
let fsSubCode: string;
let hyCode: string;

const HEADERS = ['序号', '工号', '姓名', '所属机构号', '部门代码', '职务', '手机号', '邮箱', '角色', '状态', '备注'];
type Cell = string | number | Date | null;

/** A roster as branches really send them: merged title row, 序号 and 备注 columns, messy cells. */
async function roster(data: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['佛山分行员工花名册（2026年10月）']);
  ws.mergeCells(1, 1, 1, HEADERS.length);
  ws.addRow(HEADERS.map((h) => `${h} `));
  data.forEach((r, i) => ws.addRow([i + 1, ...r]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function counts() {
  const [r] = await rows<{ staff: number; audit: number }>(t.database.db, sql`SELECT (SELECT count(*) FROM staff)::int AS staff, (SELECT count(*) FROM audit_log)::int AS audit`);
  return r;
}

async function upload(client: Client, kind: string, bytes: Buffer, fileName: string, mode?: 'all' | 'valid_only') {
  const res = await client.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(bytes, fileName, mode) });
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await waitForImport(t.database.db, id);
  const job = await client.get(`/api/imports/jobs/${id}`);
  expect(job.statusCode).toBe(200);
  return job.json();
}

async function readReport(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

const codeOf = async (id: number) => (await t.database.db.select({ code: orgNodes.code }).from(orgNodes).where(eq(orgNodes.id, id)))[0].code;

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  fsCode = await codeOf(DEMO_NODES.foshan);
  hyCode = await codeOf(DEMO_NODES.heyuan);
  const [sub] = await t.database.db
    .select({ code: orgNodes.code })
    .from(orgNodes)
    .where(and(eq(orgNodes.parentId, DEMO_NODES.foshan), eq(orgNodes.level, 'subbranch')))
    .limit(1);
  fsSubCode = sub.code;
});
afterAll(() => t?.close());

describe('kinds and templates', () => {
  it('lists only the kinds the caller may import', async () => {
    expect((await fsAdmin.get('/api/imports/kinds')).json().items.map((k: { kind: string }) => k.kind)).toEqual(expect.arrayContaining(['org-nodes', 'staff']));
    const hr = await t.login('fs_hr');
    expect((await hr.get('/api/imports/kinds')).json().items.map((k: { kind: string }) => k.kind)).toEqual(['staff']);
    const plain = await t.login('fs_staff');
    expect((await plain.get('/api/imports/kinds')).json().items).toEqual([]);
    const res = await plain.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(Buffer.from('x'), 'a.csv') });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await fsAdmin.request({ method: 'POST', url: '/api/imports/nope', payload: uploadForm(Buffer.from('x'), 'a.csv') })).json().error.code).toBe('IMPORT.UNKNOWN_KIND');
  });

  it('serves a template with Chinese headers, an example row and a 填写说明 sheet', async () => {
    const res = await fsAdmin.get('/api/imports/templates/staff');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('员工导入模板.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['员工', '填写说明']);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('工号');
    expect(wb.worksheets[0].getRow(2).getCell(1).value).toBe('FS0101');
    expect(wb.worksheets[1].getRow(2).getCell(3).value).toBe('必填');
  });
});

describe('staff import', () => {
  const good = () => [
    // full-width 工号 and 手机号, trailing full-width spaces, a date in 备注
    ['ＦＳ９００１\u3000', '王小明  ', fsCode, 'CORP', '对公客户经理', '１３８００１３８００１', 'WXM@Example.com ', '对公客户经理', '在职', new Date(Date.UTC(2026, 9, 12))],
    ['FS9002', '李华', fsSubCode, 'PF', '个人客户经理', '138 0013 8002', null, 'personal_am、staff', null, null],
  ];
  const messy = (): Cell[][] => [
    ...good(),
    ['FS9003', '赵六', fsCode, null, null, '1380013800', null, null, null, null], // row 5: bad phone
    ['FS9004', '钱七', '99999', null, null, '13800138004', null, null, null, null], // row 6: unknown org
    ['FS9001', '重复', fsCode, null, null, null, null, null, null, null], // row 7: duplicate of row 3
    ['FS9005', '孙八', fsCode, 'HR', null, '13800138005', null, null, '停用', null],
  ];

  it('refuses the whole file when a row is wrong, and reports every bad cell', async () => {
    const before = await counts();
    const job = await upload(fsAdmin, 'staff', await roster(messy()), '佛山花名册.xlsx');
    expect(job).toMatchObject({ status: 'failed', totalRows: 6, errorRows: 3, inserted: 0, hasErrorReport: true, messageCode: 'IMPORT.ROW_ERRORS' });
    expect(await counts()).toEqual(before);

    const res = await fsAdmin.get(`/api/imports/jobs/${job.id}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    const ws = await readReport(res.rawPayload);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('原行号');
    expect(header.at(-1)).toBe('错误说明');
    const phoneCol = header.indexOf('手机号') + 1;
    const byRow = new Map<number, { text: string; row: ExcelJS.Row }>();
    ws.eachRow((row, n) => {
      if (n > 1) byRow.set(Number(row.getCell(1).value), { text: String(row.getCell(header.length).value), row });
    });
    expect([...byRow.keys()]).toEqual([5, 6, 7]);
    expect(byRow.get(5)!.text).toBe('第5行 手机号：应为11位手机号码');
    expect(byRow.get(6)!.text).toContain('第6行 所属机构号：机构号 99999 不存在');
    expect(byRow.get(7)!.text).toContain('第7行 工号：与第3行重复');
    // the original value is kept and the bad cell is filled light red
    const bad = byRow.get(5)!.row.getCell(phoneCol);
    expect(bad.value).toBe('1380013800');
    expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('writes only the valid rows when asked', async () => {
    const before = await counts();
    const job = await upload(fsAdmin, 'staff', await roster(messy()), '佛山花名册.xlsx', 'valid_only');
    expect(job).toMatchObject({ status: 'done', errorRows: 3, inserted: 3, updated: 0, unchanged: 0, hasErrorReport: true });
    const after = await counts();
    expect(after.staff - before.staff).toBe(3);
    expect(after.audit - before.audit).toBe(3);

    const [p] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'FS9001'));
    expect(p).toMatchObject({ name: '王小明', phone: '13800138001', email: 'wxm@example.com', nodeId: DEMO_NODES.foshan, passwordHash: null, mustChangePassword: true, active: true });
    const roleRows = await t.database.db.select().from(staffRoles).where(eq(staffRoles.staffId, p.id));
    expect(roleRows.map((r) => [r.roleCode, r.scopeNodeId])).toEqual([['corporate_am', DEMO_NODES.foshan]]);
    // a sub-branch person takes a department of the nearest branch (佛山分行)
    const [li] = await rows<{ node: number; dept_node: number; code: string }>(
      t.database.db,
      sql`SELECT s.node_id AS node, d.node_id AS dept_node, d.code FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.staff_no = 'FS9002'`,
    );
    expect(li).toMatchObject({ dept_node: DEMO_NODES.foshan, code: 'PF' });
    const [sun] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'FS9005'));
    expect(sun.active).toBe(false);
  });

  it('imports the fixed file, and importing it again changes nothing', async () => {
    const fixed = [
      ...good(),
      ['FS9003', '赵六', fsCode, null, null, '13800138003', null, null, null, null],
      ['FS9004', '钱七', fsCode, null, null, '13800138004', null, null, null, null],
      ['FS9005', '孙八', fsCode, 'HR', null, '13800138005', null, null, '停用', null],
    ];
    const bytes = await roster(fixed);
    const first = await upload(fsAdmin, 'staff', bytes, '佛山花名册-修正.xlsx');
    expect(first).toMatchObject({ status: 'done', errorRows: 0, inserted: 2, updated: 0, unchanged: 3, hasErrorReport: false });
    const before = await counts();
    const again = await upload(fsAdmin, 'staff', bytes, '佛山花名册-修正.xlsx');
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 5 });
    expect(await counts()).toEqual(before);

    // a real change is one update and one audit entry
    const changed = fixed.map((r) => (r[0] === 'FS9003' ? [...r.slice(0, 4), '客户经理', ...r.slice(5)] : r));
    const third = await upload(fsAdmin, 'staff', await roster(changed), 'x.xlsx');
    expect(third).toMatchObject({ status: 'done', inserted: 0, updated: 1, unchanged: 4 });
    const end = await counts();
    expect(end.audit - before.audit).toBe(1);
  });

  it('a 1,200-row roster goes in by the bulk path (COPY on PostgreSQL): every row, its role, one entry each on an intact chain; again changes nothing', async () => {
    const before = await counts();
    // A backslash, quotes and a full-width space in the text: what COPY text must escape.
    const big: Cell[][] = Array.from({ length: 1200 }, (_, i) => [
      `BK${String(i).padStart(5, '0')}`,
      `批量${i}`,
      fsCode,
      null,
      i % 7 === 0 ? '柜员\\"综合"岗' : null,
      `139${String(i).padStart(8, '0')}`,
      null,
      null,
      null,
      null,
    ]);
    const bytes = await roster(big);
    const first = await upload(fsAdmin, 'staff', bytes, '批量花名册.xlsx');
    expect(first).toMatchObject({ status: 'done', errorRows: 0, inserted: 1200, updated: 0, unchanged: 0 });
    const after = await counts();
    expect(after.staff - before.staff).toBe(1200);
    expect(after.audit - before.audit).toBe(1200);
    const [r] = await rows<{ roles: number; titled: number; created: number }>(
      t.database.db,
      sql`SELECT (SELECT count(*) FROM staff_roles sr JOIN staff s ON s.id = sr.staff_id WHERE s.staff_no LIKE 'BK%' AND sr.role_code = 'staff' AND sr.scope_node_id = s.node_id)::int AS roles,
                 (SELECT count(*) FROM staff WHERE staff_no LIKE 'BK%' AND title = '柜员\\"综合"岗')::int AS titled,
                 (SELECT count(*) FROM audit_log a JOIN staff s ON a.entity = 'staff' AND a.entity_id = s.id::text
                   WHERE s.staff_no LIKE 'BK%' AND a.action = 'staff.create' AND a.after->>'staffNo' = s.staff_no AND a.node_id = s.node_id)::int AS created`,
    );
    expect(r).toEqual({ roles: 1200, titled: Math.ceil(1200 / 7), created: 1200 });
    const chain = await verifyAuditChain(t.database.db);
    expect(chain.broken).toBeNull();
    const again = await upload(fsAdmin, 'staff', bytes, '批量花名册.xlsx');
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 1200 });
    expect(await counts()).toEqual(after);
  });

  it('refuses rows outside the caller’s scope', async () => {
    const before = await counts();
    const job = await upload(fsAdmin, 'staff', await roster([['FS9100', '周九', hyCode, null, null, null, null, null, null, null]]), 'hy.xlsx');
    expect(job).toMatchObject({ status: 'failed', errorRows: 1, inserted: 0 });
    const ws = await readReport((await fsAdmin.get(`/api/imports/jobs/${job.id}/errors.xlsx`)).rawPayload);
    expect(String(ws.getRow(2).getCell(HEADERS.length + 2).value)).toContain('不在您的管理范围内');
    expect(await counts()).toEqual(before);
  });

  it('shows a job to its creator and the admin above, not to others', async () => {
    const job = await upload(fsAdmin, 'staff', await roster(good()), 'again.xlsx');
    expect((await (await t.login('admin')).get(`/api/imports/jobs/${job.id}`)).statusCode).toBe(200);
    expect((await (await t.login('hy_admin')).get(`/api/imports/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await (await t.login('fs_hr')).get(`/api/imports/jobs/${job.id}`)).statusCode).toBe(404);
    const mine = (await fsAdmin.get('/api/imports/')).json().items;
    expect(mine[0].id).toBe(job.id);
    expect(mine.length).toBeGreaterThanOrEqual(5);
    expect((await fsAdmin.get(`/api/imports/jobs/${job.id}/errors.xlsx`)).json().error.code).toBe('IMPORT.NO_ERRORS');
  });

  it('reads a GB18030 CSV as Chinese Excel saves it', async () => {
    const csv = `工号,姓名,所属机构号,手机号,状态\r\nFS9201,欧阳娜娜,${fsCode},13900139001,在职\r\nFS9202,司马光,${fsSubCode},,在职\r\n`;
    const job = await upload(fsAdmin, 'staff', encodeGb18030(csv), '员工.csv');
    expect(job).toMatchObject({ status: 'done', inserted: 2 });
    const [p] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'FS9201'));
    expect(p.name).toBe('欧阳娜娜');
  });

  it('fails a file without the required columns with IMPORT.NO_HEADER', async () => {
    const job = await upload(fsAdmin, 'staff', Buffer.from('工号,姓名\nF1,张三\n'), 'bad.csv');
    expect(job).toMatchObject({ status: 'failed', messageCode: 'IMPORT.NO_HEADER', hasErrorReport: false });
    expect(job.message).toContain('所属机构号');
  });
});

describe('row limit', () => {
  it('refuses a file over the import.maxRows setting with a clear message', async () => {
    const db = t.database.db;
    await db.execute(sql`INSERT INTO settings (key, value) VALUES ('import.maxRows', '2'::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    try {
      const csv = `工号,姓名,所属机构号\nFS9301,甲,${fsCode}\nFS9302,乙,${fsCode}\nFS9303,丙,${fsCode}\n`;
      const before = await counts();
      const job = await upload(fsAdmin, 'staff', Buffer.from(csv), 'three.csv');
      expect(job).toMatchObject({ status: 'failed', messageCode: 'IMPORT.BAD_FILE', inserted: 0 });
      expect(job.message).toContain('上限 2 行');
      expect(await counts()).toEqual(before);
    } finally {
      await db.execute(sql`UPDATE settings SET value = '200000'::jsonb WHERE key = 'import.maxRows'`);
    }
  });
});

describe('org node import', () => {
  it('adds a 支行 and a 网点 under 佛山分行, idempotently', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('机构');
    ws.addRow(['机构号', '机构名称', '机构层级', '上级机构号', '地址', '排序']);
    ws.addRow(['４４１９９', '高明支行', '支行', fsCode, '佛山市高明区荷城街道1号', 9]);
    ws.addRow(['4419901', '荷城营业室', '网点', '44199', null, null]);
    ws.addRow(['4419902', '错层级', '支行', '44199', null, null]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    const before = await counts();
    const bad = await upload(fsAdmin, 'org-nodes', bytes, '机构.xlsx');
    expect(bad).toMatchObject({ status: 'failed', errorRows: 1 });
    expect(await counts()).toEqual(before);

    ws.spliceRows(4, 1);
    const okBytes = Buffer.from(await wb.xlsx.writeBuffer());
    const job = await upload(fsAdmin, 'org-nodes', okBytes, '机构.xlsx');
    expect(job).toMatchObject({ status: 'done', inserted: 2, updated: 0, unchanged: 0 });
    const [sub] = await t.database.db.select().from(orgNodes).where(eq(orgNodes.code, '44199'));
    const [outlet] = await t.database.db.select().from(orgNodes).where(eq(orgNodes.code, '4419901'));
    expect(sub).toMatchObject({ level: 'subbranch', parentId: DEMO_NODES.foshan, path: `/1/2/11/${sub.id}/`, sort: 9 });
    expect(outlet).toMatchObject({ level: 'outlet', parentId: sub.id, path: `/1/2/11/${sub.id}/${outlet.id}/` });
    expect((await counts()).audit - before.audit).toBe(2);

    const mid = await counts();
    const again = await upload(fsAdmin, 'org-nodes', okBytes, '机构.xlsx');
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
    expect(await counts()).toEqual(mid);
  });

  it('refuses a parent outside the caller’s scope', async () => {
    const csv = `机构号,机构名称,机构层级,上级机构号\n4429901,越界支行,支行,${hyCode}\n`;
    const job = await upload(fsAdmin, 'org-nodes', Buffer.from(csv), 'x.csv');
    expect(job).toMatchObject({ status: 'failed', errorRows: 1 });
  });
});

describe('size limit', () => {
  it('refuses a file over IMPORT_MAX_MB with 413 IMPORT.TOO_LARGE', async () => {
    const small = await createTestApp({ IMPORT_MAX_MB: '0.01' });
    try {
      const admin = await small.login('fs_admin');
      const lines = ['工号,姓名,所属机构号'];
      for (let i = 0; i < 1000; i++) lines.push(`FS8${String(i).padStart(4, '0')},测试员工${i},${fsCode}`);
      const res = await admin.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(Buffer.from(lines.join('\n')), 'big.csv') });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'IMPORT.TOO_LARGE', message: '文件超过大小上限（0.01 MB），请拆分后分批导入', details: { maxMb: 0.01 } });
      expect((await admin.get('/api/imports/kinds')).json().maxMb).toBe(0.01);
      const [{ n }] = await rows<{ n: number }>(small.database.db, sql`SELECT count(*)::int AS n FROM imports`);
      expect(n).toBe(0);
    } finally {
      await small.close();
    }
  });
});
