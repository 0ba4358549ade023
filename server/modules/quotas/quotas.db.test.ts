import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { makeStaff } from '../targets/testing.js';
import { seedQuotaYear } from './testing.js';

let t: TestApp;
let fx: Awaited<ReturnType<typeof seedQuotaYear>>;
let office: Client; // committee office (committee_member): drafts quotas
let chair: Client; // committee chair: approves
let fsAdmin: Client;
let hyAdmin: Client;
let fsStaff: Client;
const Y = 2025;

beforeAll(async () => {
  t = await createTestApp();
  fx = await seedQuotaYear(t.database.db);
  await makeStaff(t.database.db, { staffNo: 'qt_office', name: '委员会办公室', nodeId: fx.FS, departmentId: fx.dept('PF'), role: 'committee_member' });
  [office, chair, fsAdmin, hyAdmin, fsStaff] = await Promise.all([t.login('qt_office'), t.login('fs_president'), t.login('fs_admin'), t.login('hy_admin'), t.login('fs_staff')]);
});
afterAll(() => t?.close());

/** The SQLSTATE a statement is refused with (drizzle may wrap the driver's error). */
export async function refused(q: ReturnType<typeof sql>): Promise<string | undefined> {
  const e = await t.database.db.execute(q).then(
    () => null,
    (x: unknown) => x,
  );
  for (let x = e as { code?: string; cause?: unknown } | null; x; x = x.cause as typeof x) if (x.code) return x.code;
  return undefined;
}

const auditCount = async (action: string) => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`))[0].n;

describe('quotas CRUD (SPEC §10)', () => {
  let corpId = 0;
  it('the committee office adds, changes and removes quotas; every change is audited', async () => {
    const res = await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('CORP'), productId: fx.card.id, quantity: '20', note: '年初目标' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ departmentCode: 'CORP', productId: fx.card.id, quantity: '20', quantity1e4: 200_000, unit: '张', source: 'manual', staffId: null });
    corpId = res.json().id;
    expect((await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('CORP'), productId: fx.card.id, quantity: 3 })).json().error.code).toBe('QUOTA.EXISTS');
    const other = await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: demoDepartmentId(DEMO_NODES.heyuan, 'CORP'), productId: fx.card.id, quantity: 3 });
    expect(other.json().error.code).toBe('QUOTA.BAD_DEPARTMENT');
    expect((await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('INST'), productId: fx.card.id, quantity: '-1' })).json().error.code).toBe('QUOTA.BAD_QUANTITY');
    expect(
      (await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('INST'), productId: fx.card.id, quantity: 1, staffId: fx.corp0, outletNodeId: fx.outlet.id })).json().error
        .code,
    ).toBe('QUOTA.BAD_NARROWING');

    const patched = await office.patch(`/api/quotas/${corpId}`, { quantity: '30.5' });
    expect(patched.json()).toMatchObject({ quantity: '30.5', quantity1e4: 305_000 });
    const tmp = (await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('EB'), productId: fx.card.id, quantity: 1 })).json();
    expect((await office.delete(`/api/quotas/${tmp.id}`)).statusCode).toBe(204);
    expect((await office.delete(`/api/quotas/${tmp.id}`)).json().error.code).toBe('QUOTA.NOT_FOUND');

    const list = (await fsStaff.get(`/api/quotas?nodeId=${fx.FS}&year=${Y}`)).json();
    expect(list.items.map((q: { departmentCode: string; quantity: string }) => `${q.departmentCode}:${q.quantity}`)).toEqual(['CORP:30.5']);
    // Codes beside ids (issue 18 part 5): 机构号, department and product codes.
    expect(list.items[0]).toMatchObject({ nodeCode: '44100', departmentCode: 'CORP', productCode: fx.card.code });
    expect(list.plan).toMatchObject({ state: 'draft', approvedVersion: 0, lastEditedBy: { name: '委员会办公室' } });
    const [a] = await rows<{ before: { quantity: string }; after: { quantity: string } }>(
      t.database.db,
      sql`SELECT before, after FROM audit_log WHERE action = 'quota.update' AND entity_id = ${String(corpId)}`,
    );
    expect([a.before.quantity, a.after.quantity]).toEqual(['20', '30.5']);
    expect(await auditCount('quota.delete')).toBe(1);
  });

  it('person and outlet quotas narrow a department’s quota', async () => {
    const person = await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('CORP'), productId: fx.card.id, staffId: fx.corp0, quantity: 10 });
    expect(person.statusCode, person.body).toBe(201);
    const outlet = await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('PF'), productId: fx.card.id, outletNodeId: fx.outlet.id, quantity: 8 });
    expect(outlet.json()).toMatchObject({ outletNodeId: fx.outlet.id, outletName: fx.outlet.name });
    const hyStaff = (await rows<{ id: number }>(t.database.db, sql`SELECT s.id FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} LIMIT 1`))[0].id;
    expect((await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('CORP'), productId: fx.card.id, staffId: hyStaff, quantity: 1 })).json().error.code).toBe(
      'QUOTA.BAD_STAFF',
    );
    expect((await office.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('CORP'), productId: fx.card.id, outletNodeId: fx.FS, quantity: 1 })).json().error.code).toBe(
      'QUOTA.BAD_OUTLET',
    );
  });
});

describe('committee approval and history (four eyes)', () => {
  it('the last editor cannot approve; the chair approves; a later edit is a new version with its changes', async () => {
    // fs_admin (who may approve) edits last, so fs_admin may not approve.
    const q = (await fsAdmin.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('INST'), productId: fx.card.id, quantity: 20 })).json();
    const self = await fsAdmin.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`);
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'QUOTA.SELF_APPROVAL']);
    expect((await office.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`)).json().error.code).toBe('AUTH.FORBIDDEN');
    const ok = await chair.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'approved', approvedVersion: 1, quotas: 4, versions: [{ versionNo: 1, quotas: 4 }] });
    expect((await chair.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`)).json().error.code).toBe('QUOTA.NOTHING_TO_APPROVE');

    await office.patch(`/api/quotas/${q.id}`, { quantity: 25 });
    expect((await chair.get(`/api/quotas/plans/${fx.FS}/${Y}`)).json().state).toBe('draft');
    expect((await chair.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`)).json()).toMatchObject({ state: 'approved', approvedVersion: 2 });
    const v2 = (await fsStaff.get(`/api/quotas/plans/${fx.FS}/${Y}/versions/2`)).json();
    expect(v2.changes).toEqual([
      {
        branchCode: '44100',
        departmentId: fx.dept('INST'),
        departmentCode: 'INST',
        productId: fx.card.id,
        productCode: fx.card.code,
        staffId: null,
        staffNo: null,
        outletNodeId: null,
        outletCode: null,
        change: 'changed',
        before1e4: 200_000,
        after1e4: 250_000,
      },
    ]);
    for (const q of v2.quotas) expect(q).toMatchObject({ branchCode: '44100', departmentCode: expect.stringMatching(/^[A-Z]+$/), productCode: expect.stringMatching(/\S/) });
    expect((await fsStaff.get(`/api/quotas/plans/${fx.FS}/${Y}/versions/9`)).json().error.code).toBe('QUOTA.VERSION_NOT_FOUND');
    expect(await auditCount('quota.approve')).toBe(2);
    // An approved version is history: the database refuses to change it.
    expect(await refused(sql`UPDATE quota_plan_versions SET version_no = 99`)).toBe('42501');
  });
});

describe('the 10 % proposal helper (Art. 18)', () => {
  it('needs the retail line’s target, proposes 10 % of it per department and product, and never overwrites', async () => {
    expect((await office.get(`/api/quotas/proposal?nodeId=${fx.FS}&year=${Y}&lineCode=T_LINE`)).json().error.code).toBe('QUOTA.NO_LINE_TARGET');
    const put = await office.put('/api/quotas/line-targets', { nodeId: fx.FS, year: Y, lineCode: 'T_LINE', quantity: '1000', unit: '张' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ quantity: '1000', unit: '张', retail: true });
    const p = (await office.get(`/api/quotas/proposal?nodeId=${fx.FS}&year=${Y}&lineCode=T_LINE`)).json();
    expect(p).toMatchObject({ percentBp: 1000, quantity: '100', quantity1e4: 1_000_000 });
    // Host departments of the line's products (PF, RE) and every department on a live sale of the line.
    expect(p.lines.map((l: { departmentCode: string }) => l.departmentCode)).toEqual(['CORP', 'INST', 'RE', 'PF', 'CC']);
    expect(p.lines.every((l: { productId: number }) => l.productId === fx.card.id)).toBe(true);
    expect(p.skipped).toEqual([expect.objectContaining({ productId: fx.mort.id, reason: expect.objectContaining({ zh: expect.stringContaining('计量单位为“户”') }) })]);
    expect(p.lines.find((l: { departmentCode: string }) => l.departmentCode === 'CORP').existing1e4).toBe(305_000);

    const applied = (await office.post('/api/quotas/proposal', { nodeId: fx.FS, year: Y, lineCode: 'T_LINE', departmentIds: [fx.dept('CORP'), fx.dept('RE'), fx.dept('CC')] })).json();
    expect(applied.applied).toBe(2); // CORP keeps its 30.5
    const list = (await office.get(`/api/quotas?nodeId=${fx.FS}&year=${Y}&level=department`)).json().items;
    expect(list.map((q: { departmentCode: string; quantity: string; source: string }) => `${q.departmentCode}:${q.quantity}:${q.source}`)).toEqual([
      'CC:100:proposal',
      'CORP:30.5:manual',
      'INST:25:manual',
      'RE:100:proposal',
    ]);
    expect((await office.put('/api/quotas/line-targets', { nodeId: fx.FS, year: Y, lineCode: 'NOPE', quantity: 1 })).json().error.code).toBe('QUOTA.UNKNOWN_LINE');
  });
});

async function sheet(data: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('营销任务');
  ws.addRow(['机构号', '年度', '部门代码', '产品代码', '员工号', '网点机构号', '任务数量', '备注']);
  for (const r of data) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function upload(c: Client, bytes: Buffer) {
  const res = await c.request({ method: 'POST', url: '/api/imports/quotas', payload: uploadForm(bytes, '营销任务.xlsx') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return (await c.get(`/api/imports/jobs/${res.json().id}`)).json();
}

describe('quotas by Excel (import framework) and export', () => {
  it('a file with a bad row writes nothing; a good file inserts, updates and leaves unchanged rows alone', async () => {
    const fsCode = (await rows<{ code: string }>(t.database.db, sql`SELECT code FROM org_nodes WHERE id = ${fx.FS}`))[0].code;
    const hyCode = (await rows<{ code: string }>(t.database.db, sql`SELECT code FROM org_nodes WHERE id = ${DEMO_NODES.heyuan}`))[0].code;
    const count = async () => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM quotas`))[0].n;
    const before = await count();
    const bad = await upload(
      office,
      await sheet([
        [fsCode, Y, 'EB', fx.card.code, null, null, '12', null],
        [fsCode, Y, 'NOPE', fx.card.code, null, null, '1', null],
        [hyCode, Y, 'CORP', fx.card.code, null, null, '1', null],
      ]),
    );
    expect(bad).toMatchObject({ status: 'failed', errorRows: 2, inserted: 0 });
    expect(await count()).toBe(before);

    const good = await upload(
      office,
      await sheet([
        [fsCode, Y, 'EB', fx.card.code, null, null, '12', '导入'],
        [fsCode, Y, 'CORP', fx.card.code, null, null, '32', null],
        [fsCode, Y, 'INST', fx.card.code, null, null, '25', null],
      ]),
    );
    expect(good).toMatchObject({ status: 'done', inserted: 1, updated: 1, unchanged: 1 });
    const plan = (await office.get(`/api/quotas/plans/${fx.FS}/${Y}`)).json();
    expect(plan.state).toBe('draft');

    const x = await fsStaff.get(`/api/quotas/export.xlsx?nodeId=${fx.FS}&year=${Y}`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['机构号', '年度', '部门代码', '产品代码', '员工号', '网点机构号', '任务数量']);
    const lines = ws
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(3, 8).join('|'));
    expect(lines).toContain(`EB|${fx.card.code}|||12`);
    expect(lines).toContain(`CORP|${fx.card.code}|||32`);
    // … and the export imports back as unchanged.
    const again = await upload(office, x.rawPayload);
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0 });
  });
});

describe('access (SPEC §1 scope)', () => {
  it('401 without a session, 403 outside the scope or without the permission', async () => {
    expect((await t.anonymous.get(`/api/quotas?nodeId=${fx.FS}&year=${Y}`)).statusCode).toBe(401);
    const out = await hyAdmin.get(`/api/quotas?nodeId=${fx.FS}&year=${Y}`);
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'AUTH.OUT_OF_SCOPE']);
    expect((await hyAdmin.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('EB'), productId: fx.card.id, quantity: 1 })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await hyAdmin.post(`/api/quotas/plans/${fx.FS}/${Y}/approve`)).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    const someQuota = (await office.get(`/api/quotas?nodeId=${fx.FS}&year=${Y}`)).json().items[0].id;
    expect((await hyAdmin.patch(`/api/quotas/${someQuota}`, { quantity: 1 })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await fsStaff.post('/api/quotas', { nodeId: fx.FS, year: Y, departmentId: fx.dept('EB'), productId: fx.card.id, quantity: 1 })).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await office.get(`/api/quotas?nodeId=${fx.outlet.id}&year=${Y}`)).json().error.code).toBe('QUOTA.NOT_A_BRANCH');
  });
});
