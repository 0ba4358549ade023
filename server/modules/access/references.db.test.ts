import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_COMPANIES } from '../../seed/customers.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * Issue 10, finding 11: a write that names another record (developer, client, staff, department,
 * org node, development …) is refused when that record lies outside the caller's scope, and the
 * refusal echoes nothing of it. Here a 佛山分行 administrator (every permission, over 佛山 only)
 * names 河源分行's records, one reference kind after the other.
 */
let t: TestApp;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

/** 河源's records, and what must never come back to 佛山 about them. */
const hy = {
  company: { id: 0, name: '', uscc: '' },
  person: { id: 0, name: '', idNumber: '' },
  staff: { id: 0, staffNo: '', name: '' },
  outlet: 0,
  corp: demoDepartmentId(DEMO_NODES.heyuan, 'CORP'),
  development: { code: '', name: '' },
};
const fs = { person: '', staffNo: [] as string[], pf: [] as string[], developmentId: 0, productId: 0 };

/** Row counts of the tables a refused write could have touched, and of the audit log. */
async function state() {
  const [r] = await q<Record<string, number>>(
    sql`SELECT (SELECT count(*) FROM developments)::int AS developments, (SELECT count(*) FROM sales)::int AS sales,
               (SELECT count(*) FROM corporate_clients)::int AS companies, (SELECT count(*) FROM individuals)::int AS people,
               (SELECT count(*) FROM company_people)::int AS links, (SELECT count(*) FROM company_links)::int AS groups,
               (SELECT count(*) FROM staff)::int AS staff, (SELECT count(*) FROM staff_roles)::int AS grants,
               (SELECT count(*) FROM committee_members)::int AS committee, (SELECT count(*) FROM quotas)::int AS quotas,
               (SELECT count(*) FROM target_nominations)::int AS nominations, (SELECT count(*) FROM audit_log)::int AS audit,
               (SELECT json_agg(d ORDER BY id)::text FROM developments d) AS devrows`,
  );
  return r;
}

/** Refused with `code`, nothing written, and none of `secrets` in the answer. */
async function expectRefused(send: () => Promise<LightMyRequestResponse>, code: string, secrets: string[]) {
  const before = await state();
  const res = await send();
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.json().error.code, res.body).toBe(code);
  for (const s of secrets.filter(Boolean)) expect(res.body, `echoes ${s}`).not.toContain(s);
  expect(await state()).toEqual(before);
}

let seq = 0;
const sale = (over: Record<string, unknown>) => ({
  sourceId: `REF-${Date.now().toString(36)}-${++seq}`,
  productCode: 'DEBIT',
  idNumber: fs.person,
  saleDate: '2026-10-12',
  quantity: 1,
  departments: [{ code: 'CORP' }],
  people: [
    { staffNo: fs.pf[0], departmentCode: 'PF' },
    { staffNo: fs.staffNo[0], departmentCode: 'CORP' },
  ],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  const hyPath = `/1/2/${DEMO_NODES.heyuan}/%`;
  const fsPath = `/1/2/${DEMO_NODES.foshan}/%`;
  [hy.company] = await q<typeof hy.company>(sql`SELECT id, name, uscc FROM corporate_clients WHERE id = ${DEMO_COMPANIES.heyuanFarm}`);
  [hy.person] = await q<typeof hy.person>(
    sql`SELECT i.id, i.name, i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${hyPath} ORDER BY i.id LIMIT 1`,
  );
  [hy.staff] = await q<typeof hy.staff>(sql`SELECT s.id, s.staff_no AS "staffNo", s.name FROM staff s WHERE s.department_id = ${hy.corp} AND s.active ORDER BY s.id LIMIT 1`);
  hy.outlet = (await q<{ id: number }>(sql`SELECT id FROM org_nodes WHERE level = 'outlet' AND path LIKE ${hyPath} ORDER BY id LIMIT 1`))[0].id;
  fs.person = (
    await q<{ idNumber: string }>(sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${fsPath} ORDER BY i.id LIMIT 1`)
  )[0].idNumber;
  const staffOf = async (node: number, code: string) =>
    (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(node, code)} AND active ORDER BY id`)).map((r) => r.staffNo);
  fs.staffNo = await staffOf(DEMO_NODES.foshan, 'CORP');
  fs.pf = await staffOf(DEMO_NODES.foshan, 'PF');
  fs.productId = (await q<{ id: number }>(sql`SELECT min(id)::int AS id FROM products WHERE active`))[0].id;
  // A 河源 development (the demo has none there): what a 佛山 sale must not be able to name.
  const [dev] = await q<{ code: string; name: string }>(
    sql`INSERT INTO developments (code, name, developer_id, node_id, lender_mode) VALUES ('HY-REF-001', '河源万绿花园（参照测试）', ${hy.company.id}, ${DEMO_NODES.heyuan}, 'sole')
        RETURNING code, name`,
  );
  hy.development = dev;
  const created = await fsAdmin.post('/api/developments', { code: 'FS-REF-001', name: '佛山参照测试楼盘', developerId: DEMO_COMPANIES.fsDeveloper, nodeId: DEMO_NODES.foshan, lenderMode: 'sole' });
  expect(created.statusCode, created.body).toBe(201);
  fs.developmentId = created.json().id;
});
afterAll(() => t?.close());

describe('a write may only name records inside the caller’s scope, and a refusal echoes nothing (finding 11)', () => {
  describe('developer company (developments)', () => {
    it('a 佛山 development with a 河源 developer is refused, naming nothing', () =>
      expectRefused(() => fsAdmin.post('/api/developments', { code: 'FS-REF-002', name: '佛山楼盘', developerId: hy.company.id, nodeId: DEMO_NODES.foshan, lenderMode: 'sole' }), 'AUTH.OUT_OF_SCOPE', [
        hy.company.name,
        hy.company.uscc,
      ]));
    it('changing a 佛山 development’s developer to a 河源 company is refused', () =>
      expectRefused(() => fsAdmin.patch(`/api/developments/${fs.developmentId}`, { developerId: hy.company.id }), 'AUTH.OUT_OF_SCOPE', [hy.company.name]));
  });

  describe('client (sales: single, batch)', () => {
    // A client is named by ID number or credit code: another branch's is answered exactly like one
    // that does not exist, so the refusal does not even tell that the number belongs to a client.
    it('a 佛山 sale to a 河源 individual is refused like an unknown one', async () => {
      await expectRefused(() => fsAdmin.post('/api/sales', sale({ idNumber: hy.person.idNumber })), 'SALE.UNKNOWN_CLIENT', [hy.person.name, hy.person.idNumber]);
      const unknown = (await fsAdmin.post('/api/sales', sale({ idNumber: '110101199003074514' }))).json().error.message;
      const other = (await fsAdmin.post('/api/sales', sale({ idNumber: hy.person.idNumber }))).json().error.message;
      const shape = (m: string) => m.replace(/\d{4}\*+\w{4}/, 'ID');
      expect(shape(other)).toBe(shape(unknown));
    });
    it('a 佛山 sale to a 河源 company is refused like an unknown one', () =>
      expectRefused(() => fsAdmin.post('/api/sales', sale({ idNumber: null, uscc: hy.company.uscc })), 'SALE.UNKNOWN_CLIENT', [hy.company.name]));
    it('a batch naming a 河源 client is refused whole', async () => {
      const before = await state();
      const res = await fsAdmin.post('/api/sales/batch', { sales: [sale({}), sale({ idNumber: hy.person.idNumber })] });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ index: 1, errors: [expect.objectContaining({ code: 'SALE.UNKNOWN_CLIENT', field: 'client' })] });
      expect(res.body).not.toContain(hy.person.name);
      expect(await state()).toEqual(before);
    });
    it('the same 佛山 sale with a 佛山 client goes through (the check is about scope, not sales)', async () => {
      const res = await fsAdmin.post('/api/sales', sale({}));
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('development, staff and departments on a sale', () => {
    it('a 河源 development', () => expectRefused(() => fsAdmin.post('/api/sales', sale({ developmentCode: hy.development.code })), 'SALE.UNKNOWN_DEVELOPMENT', [hy.development.name]));
    it('a 河源 person among the people', () =>
      expectRefused(
        () =>
          fsAdmin.post(
            '/api/sales',
            sale({
              people: [
                { staffNo: fs.pf[0], departmentCode: 'PF' },
                { staffNo: hy.staff.staffNo, departmentCode: 'CORP' },
              ],
            }),
          ),
        'SALE.UNKNOWN_STAFF',
        [hy.staff.name],
      ));
  });

  describe('client relationships', () => {
    it('linking a 河源 person to a 佛山 company', () =>
      expectRefused(() => fsAdmin.post('/api/customers/links', { companyId: DEMO_COMPANIES.meidi, personId: hy.person.id, role: 'executive' }), 'AUTH.OUT_OF_SCOPE', [hy.person.name]));
    it('a 河源 company as group parent of a 佛山 company', () =>
      expectRefused(() => fsAdmin.post('/api/customers/group-links', { parentId: hy.company.id, childId: DEMO_COMPANIES.fsHospital }), 'AUTH.OUT_OF_SCOPE', [hy.company.name]));
    it('a 河源 account manager on a 佛山 company', () =>
      expectRefused(() => fsAdmin.patch(`/api/customers/companies/${DEMO_COMPANIES.fsPlatform}`, { accountManagerId: hy.staff.id }), 'CUSTOMER.BAD_MANAGER', [hy.staff.name]));
    it('a 河源 department managing a 佛山 company', () =>
      expectRefused(() => fsAdmin.patch(`/api/customers/companies/${DEMO_COMPANIES.fsPlatform}`, { departmentId: hy.corp }), 'CUSTOMER.BAD_MANAGER', ['河源']));
    it('a new 佛山 company with a 河源 company’s credit code: refused without naming or numbering the holder', () =>
      expectRefused(() => fsAdmin.post('/api/customers/companies', { uscc: hy.company.uscc, name: '佛山新企业', typeCode: 'enterprise', nodeId: DEMO_NODES.foshan }), 'CUSTOMER.USCC_TAKEN', [
        hy.company.name,
        `"id":${hy.company.id}`,
      ]));
    it('a new 佛山 individual with a 河源 client’s ID number: refused without naming or numbering the holder', () =>
      expectRefused(() => fsAdmin.post('/api/customers/individuals', { idNumber: hy.person.idNumber, name: '佛山新客户', nodeId: DEMO_NODES.foshan }), 'CUSTOMER.ID_NUMBER_TAKEN', [
        hy.person.name,
        `"id":${hy.person.id}`,
      ]));
  });

  describe('target nominations', () => {
    it('a 佛山 department nominating a 河源 company', () =>
      expectRefused(
        () => fsAdmin.post('/api/targets/nominations', { companyId: hy.company.id, departmentId: demoDepartmentId(DEMO_NODES.foshan, 'CORP'), reason: '跨行提名测试' }),
        'TARGET.NOT_MANAGED',
        [hy.company.name],
      ));
  });

  describe('staff, roles, committees and the org tree', () => {
    it('a 佛山 employee in a 河源 department', () =>
      expectRefused(() => fsAdmin.post('/api/staff', { staffNo: 'fs_ref_1', name: '跨行部门', nodeId: DEMO_NODES.foshan, departmentId: hy.corp }), 'AUTH.OUT_OF_SCOPE', ['河源']));
    it('moving a 佛山 employee to a 河源 outlet', async () => {
      const [p] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${fs.staffNo[1]}`);
      await expectRefused(() => fsAdmin.patch(`/api/staff/${p.id}`, { nodeId: hy.outlet, departmentId: null }), 'AUTH.OUT_OF_SCOPE', ['河源']);
    });
    it('a role scoped to 河源', async () => {
      const [p] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${fs.staffNo[1]}`);
      await expectRefused(() => fsAdmin.put(`/api/staff/${p.id}/roles`, { roles: [{ role: 'staff', scopeNodeId: DEMO_NODES.heyuan }] }), 'ROLE.SCOPE_TOO_WIDE', ['河源']);
    });
    it('a 河源 employee on 佛山’s committee', async () => {
      const current = (await fsAdmin.get(`/api/org/nodes/${DEMO_NODES.foshan}/committee`))
        .json()
        .items.map((m: { staffId: number; position: string }) => ({ staffId: m.staffId, position: m.position }));
      await expectRefused(() => fsAdmin.put(`/api/org/nodes/${DEMO_NODES.foshan}/committee`, { members: [...current, { staffId: hy.staff.id, position: 'member' }] }), 'STAFF.NOT_FOUND', [
        hy.staff.name,
      ]);
    });
    it('a department or a node opened under 河源', async () => {
      await expectRefused(() => fsAdmin.post('/api/org/departments', { nodeId: DEMO_NODES.heyuan, code: 'FSX', name: '佛山开的部门', kind: 'other' }), 'AUTH.OUT_OF_SCOPE', ['河源']);
      await expectRefused(() => fsAdmin.post('/api/org/nodes', { code: 'FSX01', name: '佛山开的支行', level: 'subbranch', parentId: DEMO_NODES.heyuan }), 'AUTH.OUT_OF_SCOPE', ['河源']);
    });
  });

  describe('quotas', () => {
    const quota = (over: object) => ({ nodeId: DEMO_NODES.foshan, year: 2031, departmentId: demoDepartmentId(DEMO_NODES.foshan, 'CORP'), productId: fs.productId, quantity: '10', ...over });
    it('a 河源 department', () => expectRefused(() => fsAdmin.post('/api/quotas', quota({ departmentId: hy.corp })), 'QUOTA.BAD_DEPARTMENT', ['河源']));
    it('a 河源 person', () => expectRefused(() => fsAdmin.post('/api/quotas', quota({ staffId: hy.staff.id })), 'QUOTA.BAD_STAFF', [hy.staff.name]));
    it('a 河源 outlet', () => expectRefused(() => fsAdmin.post('/api/quotas', quota({ outletNodeId: hy.outlet })), 'QUOTA.BAD_OUTLET', ['河源']));
  });
});
