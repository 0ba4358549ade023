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
let hyAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

/** Fixtures read from the seeded demo bank and customers. */
const fx = {
  fsCode: '',
  hyCode: '',
  fsPerson: '',
  fsCompany: '',
  hyPerson: '',
  pf: [] as string[],
  corp: [] as string[],
  inst: [] as string[],
  cc: [] as string[],
  hyPf: '',
  hyCorp: '',
  outletAm: '',
};

const staffOf = async (nodeId: number, code: string) =>
  (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(nodeId, code)} AND active ORDER BY id`)).map((r) => r.staffNo);

async function counts() {
  const [r] = await q<{ sales: number; ledger: number; people: number; depts: number }>(
    sql`SELECT (SELECT count(*) FROM sales)::int AS sales, (SELECT count(*) FROM ledger_entries)::int AS ledger,
               (SELECT count(*) FROM sale_people)::int AS people, (SELECT count(*) FROM sale_departments)::int AS depts`,
  );
  return r;
}

let seq = 0;
/** A valid 佛山 cross-sale: 借记卡 hosted by PF, opened by CORP. */
function sale(over: Record<string, unknown> = {}) {
  seq++;
  return {
    sourceId: `T-${Date.now().toString(36)}-${seq}`,
    productCode: 'DEBIT',
    idNumber: fx.fsPerson,
    saleDate: '2026-10-12',
    quantity: 1,
    departments: [{ code: 'CORP' }],
    people: [
      { staffNo: fx.pf[0], departmentCode: 'PF' },
      { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
    ],
    ...over,
  };
}

async function expectRejected(body: Record<string, unknown>, code: string, message: RegExp, client = fsAdmin, status = 400) {
  const before = await counts();
  const res = await client.post('/api/sales', body);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.code).toBe(code);
  expect(res.json().error.message).toMatch(message);
  expect(await counts()).toEqual(before);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  fsAdmin = await t.login('fs_admin');
  hyAdmin = await t.login('hy_admin');
  const code = async (id: number) => (await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE id = ${id}`))[0].code;
  fx.fsCode = await code(DEMO_NODES.foshan);
  fx.hyCode = await code(DEMO_NODES.heyuan);
  const personIn = async (nodeId: number) =>
    (await q<{ idNumber: string }>(sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${nodeId}/%`} ORDER BY i.id LIMIT 1`))[0]
      .idNumber;
  fx.fsPerson = await personIn(DEMO_NODES.foshan);
  fx.hyPerson = await personIn(DEMO_NODES.heyuan);
  fx.fsCompany = (await q<{ uscc: string }>(sql`SELECT uscc FROM corporate_clients WHERE id = 1`))[0].uscc;
  fx.pf = await staffOf(DEMO_NODES.foshan, 'PF');
  fx.corp = await staffOf(DEMO_NODES.foshan, 'CORP');
  fx.inst = await staffOf(DEMO_NODES.foshan, 'INST');
  fx.cc = await staffOf(DEMO_NODES.foshan, 'CC');
  fx.hyPf = (await staffOf(DEMO_NODES.heyuan, 'PF'))[0];
  fx.hyCorp = (await staffOf(DEMO_NODES.heyuan, 'CORP'))[0];
  fx.outletAm = (
    await q<{ staffNo: string }>(
      sql`SELECT s.staff_no AS "staffNo" FROM staff s JOIN staff_roles r ON r.staff_id = s.id JOIN org_nodes n ON n.id = r.scope_node_id
          WHERE r.role_code = 'personal_am' AND n.level = 'outlet' AND n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY s.id LIMIT 1`,
    )
  )[0].staffNo;
});
afterAll(() => t?.close());

describe('recording a cross-sale (SPEC §7)', () => {
  it('records a sale with its departments and people, scores it in the same transaction, and reads it back', async () => {
    const before = await counts();
    const body = sale({
      productCode: 'CREDIT',
      departments: [
        { code: 'CORP', ratio: '60' },
        { code: 'INST', ratio: 40 },
      ],
      people: [
        { staffNo: fx.cc[0], departmentCode: 'CC', role: '营销人员' },
        { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人', contribution: '70' },
        { staffNo: fx.corp[1], departmentCode: 'CORP', contribution: 30 },
        { staffNo: fx.inst[0], departmentCode: 'INST' },
      ],
      uscc: fx.fsCompany,
      saleDate: '2026-11-03',
      quantity: '2',
    });
    const res = await fsAdmin.post('/api/sales', body);
    expect(res.statusCode, res.body).toBe(201);
    const { status, saleId } = res.json();
    expect(status).toBe('created');
    const after = await counts();
    expect(after.sales).toBe(before.sales + 1);
    expect(after.depts).toBe(before.depts + 2);
    expect(after.people).toBe(before.people + 4);
    expect(after.ledger).toBeGreaterThan(before.ledger);

    const detail = (await fsAdmin.get(`/api/sales/${saleId}`)).json();
    expect(detail).toMatchObject({
      sourceId: body.sourceId,
      productCode: 'CREDIT',
      hostDepartmentCode: 'CC',
      nodeId: DEMO_NODES.foshan,
      quantity: '2',
      unitScore: '10.00', // the version from 2026-11-01
      points: '20.00',
    });
    expect(detail.personIdNumber).toMatch(/\*{4,}/);
    expect(detail.departments.map((d: { code: string; ratio: string }) => `${d.code}:${d.ratio}`)).toEqual(['CORP:60.00', 'INST:40.00']);
    expect(detail.people.find((p: { staffNo: string }) => p.staffNo === fx.corp[0])).toMatchObject({ departmentCode: 'CORP', role: '介绍人', contribution: '70.00' });

    const audit = await q<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'sale' AND entity_id = ${String(saleId)}`);
    expect(audit.map((a) => a.action)).toEqual(['sale.record']);
  });

  it('re-sending the same source id changes nothing and says so (200 duplicate)', async () => {
    const body = sale();
    const first = await fsAdmin.post('/api/sales', body);
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const again = await fsAdmin.post('/api/sales', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate', saleId: first.json().saleId, sourceId: body.sourceId });
    // The same sale written differently (a quantity as text, codes in lower case, people in another order) is still the same sale.
    const restyled = { ...body, quantity: '1.0000', productCode: 'debit', departments: [{ code: 'corp' }], people: [...body.people].reverse() };
    const third = await fsAdmin.post('/api/sales', restyled);
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json()).toMatchObject({ status: 'duplicate', saleId: first.json().saleId });
    expect(await counts()).toEqual(before);
  });

  it('re-sending a source id with different content is 409 SALE.CONFLICT naming the fields, and writes nothing (issue 12, rule 3)', async () => {
    const body = sale();
    const first = await fsAdmin.post('/api/sales', body);
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const changed = await fsAdmin.post('/api/sales', { ...body, quantity: 5 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error).toMatchObject({ code: 'SALE.CONFLICT', details: { sourceId: body.sourceId, saleId: first.json().saleId, fields: ['quantity'] } });
    expect(changed.json().error.message).toContain('数量');
    expect(changed.json().error.details.differences[0].zh).toContain('已登记 1，本次 5');
    const two = await fsAdmin.post('/api/sales', { ...body, saleDate: '2026-10-13', departments: [{ code: 'INST' }], people: [{ staffNo: fx.pf[0], departmentCode: 'PF' }] });
    expect(two.statusCode).toBe(409);
    expect(two.json().error.details.fields).toEqual(['saleDate', 'departments', 'people']);
    // In a batch the conflicting sale is named like any invalid one, and nothing is recorded.
    const batch = await fsAdmin.post('/api/sales/batch', { sales: [sale(), { ...body, quantity: 5 }] });
    expect(batch.statusCode).toBe(400);
    expect(batch.json().error).toMatchObject({ code: 'SALE.BATCH_INVALID', details: [{ index: 1, errors: [{ code: 'SALE.CONFLICT', field: 'quantity' }] }] });
    expect(await counts()).toEqual(before);
    const [{ fp }] = await q<{ fp: string | null }>(sql`SELECT content_sha256 AS fp FROM sales WHERE id = ${first.json().saleId}`);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares a sale recorded before fingerprints field by field', async () => {
    const body = sale();
    const first = await fsAdmin.post('/api/sales', body);
    await t.database.db.execute(sql`UPDATE sales SET content_sha256 = NULL WHERE id = ${first.json().saleId}`);
    expect((await fsAdmin.post('/api/sales', body)).statusCode).toBe(200);
    const changed = await fsAdmin.post('/api/sales', { ...body, quantity: 2 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.details.fields).toEqual(['quantity']);
  });

  it('lets an outlet account manager record for the branch, defaulting the branch from the first person', async () => {
    const am = await t.login(fx.outletAm);
    const res = await am.post('/api/sales', sale());
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('every rejection has a stable code and a clear message', () => {
  it('SALE.UNKNOWN_PRODUCT', () => expectRejected(sale({ productCode: 'NOPE' }), 'SALE.UNKNOWN_PRODUCT', /产品代码 NOPE 不存在/));
  it('SALE.UNKNOWN_CLIENT (unknown, or none given)', async () => {
    await expectRejected(sale({ idNumber: '110101199003074514' }), 'SALE.UNKNOWN_CLIENT', /个人客户不存在/);
    await expectRejected(sale({ idNumber: null, uscc: '91440606MA4UXXXX0X' }), 'SALE.UNKNOWN_CLIENT', /对公客户不存在/);
    await expectRejected(sale({ idNumber: null }), 'SALE.UNKNOWN_CLIENT', /身份证号码或统一社会信用代码/);
  });
  it('SALE.UNKNOWN_DEPARTMENT (participant, host, person)', async () => {
    await expectRejected(sale({ departments: [{ code: 'XYZ' }] }), 'SALE.UNKNOWN_DEPARTMENT', /参与部门代码 XYZ 不是佛山分行的部门/);
    await expectRejected(sale({ hostDepartmentCode: 'XYZ' }), 'SALE.UNKNOWN_DEPARTMENT', /主办部门代码 XYZ/);
  });
  it('SALE.RATIOS_NOT_100 (sum, or some missing)', async () => {
    await expectRejected(
      sale({
        departments: [
          { code: 'CORP', ratio: 60 },
          { code: 'INST', ratio: 30 },
        ],
      }),
      'SALE.RATIOS_NOT_100',
      /合计为 90%/,
    );
    await expectRejected(sale({ departments: [{ code: 'CORP', ratio: 60 }, { code: 'INST' }] }), 'SALE.RATIOS_NOT_100', /全部填写或全部不填/);
  });
  it('SALE.HOST_AS_PARTICIPANT and SALE.NOT_CROSS_SALE', async () => {
    await expectRejected(sale({ departments: [{ code: 'CORP' }, { code: 'PF' }] }), 'SALE.HOST_AS_PARTICIPANT', /主办部门 PF 不能同时作为参与部门/);
    await expectRejected(sale({ departments: [{ code: 'PF' }], people: [{ staffNo: fx.pf[0], departmentCode: 'PF' }] }), 'SALE.NOT_CROSS_SALE', /不属于交叉营销/);
    await expectRejected(sale({ departments: [], people: [{ staffNo: fx.pf[0], departmentCode: 'PF' }] }), 'SALE.NOT_CROSS_SALE', /不属于交叉营销/);
  });
  it('SALE.DUPLICATE_PARTICIPANT', () => expectRejected(sale({ departments: [{ code: 'CORP' }, { code: 'corp' }] }), 'SALE.DUPLICATE_PARTICIPANT', /CORP 重复/));
  it('SALE.FUTURE_DATE (Beijing day)', async () => {
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    await expectRejected(sale({ saleDate: tomorrow }), 'SALE.FUTURE_DATE', /晚于今日/);
  });
  it('SALE.NO_SCORE and SALE.PRODUCT_INACTIVE', async () => {
    await expectRejected(sale({ saleDate: '2025-12-31' }), 'SALE.NO_SCORE', /没有生效的单位分值/);
    const created = await admin.post('/api/products', { code: 'T_OFF', name: '停用产品', lineCode: 'CARD', hostDepartmentCode: 'PF', unit: '张', score: { score: '1', effectiveFrom: '2026-01-01' } });
    expect(created.statusCode, created.body).toBe(201);
    await admin.patch(`/api/products/${created.json().id}`, { active: false });
    await expectRejected(sale({ productCode: 'T_OFF' }), 'SALE.PRODUCT_INACTIVE', /已停用/);
  });
  it('SALE.UNKNOWN_STAFF (unknown, other branch) and a person in a department not on the sale', async () => {
    await expectRejected(
      sale({
        people: [
          { staffNo: fx.pf[0], departmentCode: 'PF' },
          { staffNo: 'NOBODY1', departmentCode: 'CORP' },
        ],
      }),
      'SALE.UNKNOWN_STAFF',
      /工号 NOBODY1 不存在/,
    );
    await expectRejected(
      sale({
        people: [
          { staffNo: fx.pf[0], departmentCode: 'PF' },
          { staffNo: fx.hyCorp, departmentCode: 'CORP' },
        ],
      }),
      'SALE.UNKNOWN_STAFF',
      /不是佛山分行的员工/,
    );
    await expectRejected(sale({ people: [{ staffNo: fx.pf[0], departmentCode: 'INST' }] }), 'SALE.STAFF_DEPARTMENT_NOT_ON_SALE', /不是该笔销售的主办或参与部门/);
    await expectRejected(
      sale({
        people: [
          { staffNo: fx.pf[0], departmentCode: 'PF' },
          { staffNo: fx.pf[0], departmentCode: 'PF' },
        ],
      }),
      'SALE.DUPLICATE_PERSON',
      /重复列出/,
    );
  });
  it('SALE.CONTRIBUTIONS_NOT_100', async () => {
    await expectRejected(
      sale({
        people: [
          { staffNo: fx.corp[0], departmentCode: 'CORP', contribution: 50 },
          { staffNo: fx.corp[1], departmentCode: 'CORP', contribution: 40 },
        ],
      }),
      'SALE.CONTRIBUTIONS_NOT_100',
      /CORP 部门营销人员贡献比例/,
    );
  });
  it('SALE.UNKNOWN_DEVELOPMENT and SALE.DEVELOPMENT_REQUIRED (mortgage)', async () => {
    const mortgage = { productCode: 'MORTGAGE', departments: [{ code: 'RE' }], people: [{ staffNo: fx.pf[0], departmentCode: 'PF' }] };
    await expectRejected(sale(mortgage), 'SALE.DEVELOPMENT_REQUIRED', /个人住房贷款须填写楼盘编号/);
    await expectRejected(sale({ ...mortgage, developmentCode: 'NO-SUCH' }), 'SALE.UNKNOWN_DEVELOPMENT', /楼盘编号 NO-SUCH 不存在/);
    const ok = await fsAdmin.post('/api/sales', sale({ ...mortgage, developmentCode: 'FS-LP-001' }));
    expect(ok.statusCode, ok.body).toBe(201);
  });
  it('SALE.UNKNOWN_BRANCH', () => expectRejected(sale({ branchCode: '99999' }), 'SALE.UNKNOWN_BRANCH', /机构号 99999/));
  it('answers in English when asked', async () => {
    const res = await fsAdmin.request({ method: 'POST', url: '/api/sales', payload: sale({ productCode: 'NOPE' }), headers: { 'accept-language': 'en' } });
    expect(res.json().error).toMatchObject({ code: 'SALE.UNKNOWN_PRODUCT', message: 'unknown product code NOPE' });
  });
  it('refuses malformed numbers at the door (REQUEST.INVALID)', async () => {
    const res = await fsAdmin.post('/api/sales', sale({ quantity: '1.23456' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('REQUEST.INVALID');
  });
});

describe('batches (≤ 5,000, all or nothing)', () => {
  it('records every sale, reporting duplicates', async () => {
    const known = sale();
    expect((await fsAdmin.post('/api/sales', known)).statusCode).toBe(201);
    const res = await fsAdmin.post('/api/sales/batch', {
      sales: [sale(), known, sale({ productCode: 'MBANK', hostDepartmentCode: null, departments: [{ code: 'INST' }], people: [{ staffNo: fx.inst[0], departmentCode: 'INST' }] })],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, duplicates: 1 });
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['created', 'duplicate', 'created']);
  });

  it('writes nothing when one sale is wrong, and names it', async () => {
    const before = await counts();
    const res = await fsAdmin.post('/api/sales/batch', { sales: [sale(), sale({ departments: [{ code: 'PF' }], people: [{ staffNo: fx.pf[0], departmentCode: 'PF' }] }), sale()] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SALE.BATCH_INVALID');
    expect(res.json().error.details).toEqual([
      { index: 1, sourceId: expect.any(String), errors: [{ code: 'SALE.NOT_CROSS_SALE', field: 'departments', message: expect.stringMatching(/不属于交叉营销/) }] },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a source id twice in one batch (SALE.DUPLICATE_SOURCE)', async () => {
    const s = sale();
    const res = await fsAdmin.post('/api/sales/batch', { sales: [s, s] });
    expect(res.json().error.code).toBe('SALE.DUPLICATE_SOURCE');
  });
});

describe('scope: a branch sees and records only its own sales', () => {
  it('fs users cannot record for 河源, nor read its sales', async () => {
    const hySale = sale({
      idNumber: fx.hyPerson,
      people: [
        { staffNo: fx.hyPf, departmentCode: 'PF' },
        { staffNo: fx.hyCorp, departmentCode: 'CORP' },
      ],
    });
    await expectRejected({ ...hySale, branchCode: fx.hyCode }, 'AUTH.OUT_OF_SCOPE', /河源分行不在您的管理范围内/, fsAdmin, 403);
    await expectRejected(hySale, 'AUTH.OUT_OF_SCOPE', /河源分行不在您的管理范围内/, fsAdmin, 403);
    const created = await hyAdmin.post('/api/sales', hySale);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().saleId;
    const read = await fsAdmin.get(`/api/sales/${id}`);
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    const list = (await fsAdmin.get(`/api/sales?pageSize=200&q=${hySale.sourceId}`)).json();
    expect(list.total).toBe(0);
    const all = (await fsAdmin.get('/api/sales?pageSize=200&month=2026-10')).json();
    expect(all.items.every((s: { nodeId: number }) => s.nodeId === DEMO_NODES.foshan)).toBe(true);
    expect((await admin.get(`/api/sales/${id}`)).statusCode).toBe(200);
    const staff = await t.login('fs_staff');
    expect((await staff.get('/api/sales')).json().error.code).toBe('AUTH.FORBIDDEN');
  });
});

describe('list, filters, paging, export', () => {
  it('filters by month, product, department, person, development and source id, paged on the server', async () => {
    const page1 = (await fsAdmin.get('/api/sales?month=2026-10&pageSize=10')).json();
    expect(page1.items).toHaveLength(10);
    expect(page1.total).toBeGreaterThan(10);
    const page2 = (await fsAdmin.get('/api/sales?month=2026-10&pageSize=10&page=2')).json();
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page1.items.every((s: { saleDate: string }) => s.saleDate.startsWith('2026-10'))).toBe(true);

    const credit = (await fsAdmin.get('/api/sales?productCode=CREDIT&pageSize=200')).json();
    expect(credit.total).toBeGreaterThan(0);
    expect(credit.items.every((s: { productCode: string }) => s.productCode === 'CREDIT')).toBe(true);

    const inst = demoDepartmentId(DEMO_NODES.foshan, 'INST');
    const byDept = (await fsAdmin.get(`/api/sales?departmentId=${inst}&pageSize=200`)).json();
    expect(byDept.items.every((s: { hostDepartmentId: number; departments: { departmentId: number }[] }) => s.hostDepartmentId === inst || s.departments.some((d) => d.departmentId === inst))).toBe(
      true,
    );

    const [person] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${fx.corp[0]}`);
    const byPerson = (await fsAdmin.get(`/api/sales?staffId=${person.id}&pageSize=200`)).json();
    expect(byPerson.total).toBeGreaterThan(0);
    expect(byPerson.items.every((s: { people: { staffId: number }[] }) => s.people.some((p) => p.staffId === person.id))).toBe(true);

    const [dev] = await q<{ id: number }>(sql`SELECT id FROM developments WHERE code = 'FS-LP-001'`);
    const byDev = (await fsAdmin.get(`/api/sales?developmentId=${dev.id}&pageSize=200`)).json();
    expect(byDev.total).toBeGreaterThan(0);
    expect(byDev.items.every((s: { developmentCode: string }) => s.developmentCode === 'FS-LP-001')).toBe(true);

    const bySource = (await fsAdmin.get('/api/sales?q=DEMO-FS202610-000')).json();
    expect(bySource.total).toBe(9);
  });

  it('exports the filtered sales to .xlsx with the import headers', async () => {
    const res = await fsAdmin.get('/api/sales/export.xlsx?month=2026-11');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('交易流水号');
    const total = (await fsAdmin.get('/api/sales?month=2026-11')).json().total;
    expect(ws.actualRowCount - 1).toBe(total);
  });
});

describe('Excel import of sales (SPEC §14)', () => {
  const HEADERS = ['交易流水号', '产品代码', '客户身份证号码', '统一社会信用代码', '项目编号', '楼盘编号', '销售日期', '数量', '主办部门代码', '参与部门', '营销人员'];
  async function sheet(data: (string | number | null)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('销售');
    ws.addRow(HEADERS);
    for (const r of data) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  async function upload(bytes: Buffer) {
    const res = await fsAdmin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(bytes, '十月交叉销售.xlsx') });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(t.database.db, res.json().id);
    return (await fsAdmin.get(`/api/imports/jobs/${res.json().id}`)).json();
  }
  const row = (id: string, over: Partial<Record<string, string | number | null>> = {}) => {
    const v = {
      id,
      product: 'WMP',
      idNo: fx.fsPerson,
      uscc: null,
      project: null,
      dev: null,
      date: '2026年10月15日',
      qty: 12.5,
      host: null,
      depts: 'CORP:60,INST:40',
      people: `${fx.pf[0]}@PF:营销:100,${fx.corp[0]}@CORP:介绍`,
      ...over,
    };
    return [v.id, v.product, v.idNo, v.uscc, v.project, v.dev, v.date, v.qty, v.host, v.depts, v.people];
  };

  it('refuses a file with one bad row (named row and cell), then imports it fixed, then re-imports it unchanged', async () => {
    const tag = Date.now().toString(36);
    const good = [
      row(`IMP-${tag}-1`),
      row(`IMP-${tag}-2`, { product: 'FUND', depts: 'CORP、INST', people: null }),
      row(`IMP-${tag}-3`, { uscc: fx.fsCompany, idNo: null, depts: 'RE', people: `${fx.pf[0]}@PF` }),
    ];
    const bad = [good[0], row(`IMP-${tag}-2`, { product: 'FUND', depts: 'CORP:60,INST:30', people: null }), good[2]];
    const before = await counts();
    const failed = await upload(await sheet(bad));
    expect(failed).toMatchObject({ status: 'failed', errorRows: 1, inserted: 0, messageCode: 'IMPORT.ROW_ERRORS' });
    expect(await counts()).toEqual(before);
    const report = await fsAdmin.get(`/api/imports/jobs/${failed.id}/errors.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain('第3行 参与部门');
    expect(text).toContain('SALE.RATIOS_NOT_100');

    const done = await upload(await sheet(good));
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'done', inserted: 3, unchanged: 0 });
    const mid = await counts();
    expect(mid.sales).toBe(before.sales + 3);

    const again = await upload(await sheet(good));
    expect(again).toMatchObject({ status: 'done', inserted: 0, unchanged: 3 });
    expect(await counts()).toEqual(mid);

    // A source id on file with other content is an error row naming the cell; nothing is written for it.
    const changed = [good[0], row(`IMP-${tag}-2`, { product: 'FUND', depts: 'CORP、INST', people: null, qty: 20 }), good[2]];
    const conflict = await upload(await sheet(changed));
    expect(conflict).toMatchObject({ status: 'failed', errorRows: 1, inserted: 0, messageCode: 'IMPORT.ROW_ERRORS' });
    const conflictReport = await fsAdmin.get(`/api/imports/jobs/${conflict.id}/errors.xlsx`);
    const cwb = new ExcelJS.Workbook();
    await cwb.xlsx.load(conflictReport.rawPayload as unknown as ArrayBuffer);
    const ctext = JSON.stringify(cwb.worksheets[0].getSheetValues());
    expect(ctext).toContain('第3行 数量');
    expect(ctext).toContain('SALE.CONFLICT');
    expect(await counts()).toEqual(mid);

    const [imported] = await q<{ quantity: number }>(sql`SELECT quantity_1e4::int AS quantity FROM sales WHERE source_id = ${`IMP-${tag}-1`}`);
    expect(imported.quantity).toBe(125_000);
  });

  it('serves the sales template with Chinese headers', async () => {
    const res = await fsAdmin.get('/api/imports/templates/sales');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1, 12)).toEqual([...HEADERS]);
  });
});
