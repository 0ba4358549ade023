import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { auditLog, corporateClients, individuals, staff, staffRoles } from '../../db/schema/index.js';
import { DEMO_COMPANIES, DEMO_PEOPLE } from '../../seed/customers.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { usccCheckChar } from './ids.rules.js';

let t: TestApp;
let admin: Client;
let fsAdmin: Client;
let fsCompliance: Client;
let fsPresident: Client;
let fsAm: Client;
let hyAdmin: Client;

/** A full 18-character ID number anywhere in a response body. */
const FULL_ID = /\b\d{17}[\dX]\b/;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  fsAdmin = await t.login('fs_admin');
  fsCompliance = await t.login('fs_compliance');
  fsPresident = await t.login('fs_president');
  hyAdmin = await t.login('hy_admin');
  // A 佛山 corporate account manager (holds corporate_am at a node inside 佛山分行).
  const [am] = await rows<{ staffNo: string }>(
    t.database.db,
    sql`SELECT s.staff_no AS "staffNo" FROM staff s JOIN staff_roles r ON r.staff_id = s.id JOIN org_nodes n ON n.id = r.scope_node_id
        WHERE r.role_code = 'corporate_am' AND n.path LIKE ${`%/${DEMO_NODES.foshan}/%`} ORDER BY s.id LIMIT 1`,
  );
  fsAm = await t.login(am.staffNo);
});
afterAll(() => t.close());

describe('corporate clients', () => {
  it('lists a branch’s clients only, with paging and search by name and USCC', async () => {
    const res = await fsAdmin.get('/api/customers/companies?pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(10);
    expect(body.items.every((c: { nodeName: string }) => !c.nodeName.startsWith('河源'))).toBe(true);
    expect(body.items.some((c: { id: number }) => c.id === DEMO_COMPANIES.heyuanFarm)).toBe(false);

    const byName = (await fsAdmin.get(`/api/customers/companies?q=${encodeURIComponent('美迪')}`)).json();
    expect(byName.items.map((c: { id: number }) => c.id).sort()).toEqual([DEMO_COMPANIES.meidi, DEMO_COMPANIES.meidiKitchen]);

    const [meidi] = await t.database.db.select().from(corporateClients).where(eq(corporateClients.id, DEMO_COMPANIES.meidi));
    const byUscc = (await fsAdmin.get(`/api/customers/companies?q=${meidi.uscc.slice(0, 12).toLowerCase()}`)).json();
    expect(byUscc.items.map((c: { id: number }) => c.id)).toContain(DEMO_COMPANIES.meidi);

    const dev = (await fsAdmin.get('/api/customers/companies?typeCode=developer&pageSize=200')).json();
    expect(dev.items.every((c: { typeCode: string }) => c.typeCode === 'developer')).toBe(true);
  });

  it('client 360: facts, managers, group, people with masked IDs and exact 元 amounts', async () => {
    const res = await fsAm.get(`/api/customers/companies/${DEMO_COMPANIES.meidi}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toMatch(FULL_ID);
    const c = res.json();
    expect(c.name).toBe('佛山市顺德区美迪电器集团股份有限公司');
    expect(c.typeName).toBe('企业');
    expect(c.industryName).toBe('制造业');
    expect(c.creditLine).toBe('500000000.00');
    expect(c.facts).toMatchObject({ listedQuality: true });
    expect(c.accountManagerName).toBeTruthy();
    expect(c.departmentName).toBe('公司业务部');
    expect(c.children.map((x: { id: number }) => x.id)).toEqual([DEMO_COMPANIES.meidiKitchen]);
    const chair = c.people.find((p: { personId: number }) => p.personId === DEMO_PEOPLE.meidiChair);
    expect(chair.role).toBe('legal_rep');
    expect(chair.roleName).toBe('法定代表人');
    expect(chair.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(chair.aum).toMatch(/^\d+\.\d{2}$/);
    expect(c.people.length).toBeGreaterThanOrEqual(30);
    const kid = (await fsAm.get(`/api/customers/companies/${DEMO_COMPANIES.meidiKitchen}`)).json();
    expect(kid.parents.map((x: { id: number }) => x.id)).toEqual([DEMO_COMPANIES.meidi]);
  });

  it('a sibling branch’s clients are invisible: 403 on direct access, filtered from lists', async () => {
    for (const c of [fsAdmin, fsAm, fsPresident]) {
      const res = await c.get(`/api/customers/companies/${DEMO_COMPANIES.heyuanFarm}`);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    }
    expect((await hyAdmin.get(`/api/customers/companies/${DEMO_COMPANIES.heyuanFarm}`)).statusCode).toBe(200);
    expect((await hyAdmin.get(`/api/customers/companies/${DEMO_COMPANIES.meidi}`)).statusCode).toBe(403);
    expect((await fsAdmin.get(`/api/customers/individuals/${DEMO_PEOPLE.heyuanFarmHead}`)).statusCode).toBe(403);
    expect((await fsAdmin.get(`/api/customers/companies?nodeId=${DEMO_NODES.heyuan}`)).statusCode).toBe(403);
    const all = (await admin.get(`/api/customers/companies?nodeId=${DEMO_NODES.heyuan}&pageSize=200`)).json();
    expect(all.items.map((c: { id: number }) => c.id)).toContain(DEMO_COMPANIES.heyuanFarm);
  });

  it('creates and updates with USCC validation, audited before/after', async () => {
    const body17 = '91440604MA55AB12C';
    const uscc = body17 + usccCheckChar(body17);
    const bad = await fsAm.post('/api/customers/companies', {
      uscc: `${body17}0`.replace(/0$/, uscc.endsWith('0') ? '1' : '0'),
      name: '佛山市禅城区测试五金有限公司',
      typeCode: 'enterprise',
      nodeId: DEMO_NODES.foshan,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('CUSTOMER.BAD_USCC');
    const res = await fsAm.post('/api/customers/companies', {
      uscc: uscc.toLowerCase(),
      name: '佛山市禅城区测试五金有限公司',
      typeCode: 'enterprise',
      industryCode: 'C',
      nodeId: DEMO_NODES.foshan,
      creditLineFen: 12_345_678_901,
      facts: { countyQualityFirm: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.uscc).toBe(uscc);
    expect(created.creditLine).toBe('123456789.01');
    expect((await fsAm.post('/api/customers/companies', { uscc, name: '重复', typeCode: 'enterprise', nodeId: DEMO_NODES.foshan })).json().error.code).toBe('CUSTOMER.USCC_TAKEN');
    expect((await fsAm.post('/api/customers/companies', { uscc: '91350100M000100Y43', name: '越权', typeCode: 'enterprise', nodeId: DEMO_NODES.heyuan })).statusCode).toBe(403);
    expect((await fsAm.patch(`/api/customers/companies/${created.id}`, { facts: { hotelStars: 9 } })).statusCode).toBe(400);

    const up = await fsAm.patch(`/api/customers/companies/${created.id}`, { listed: true, facts: { listedQuality: true } });
    expect(up.statusCode, up.body).toBe(200);
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'customer.company.update'));
    expect(entry.entityId).toBe(String(created.id));
    expect(entry.before).toMatchObject({ listed: false, facts: { countyQualityFirm: true } });
    expect(entry.after).toMatchObject({ listed: true, facts: { listedQuality: true } });
    // Read-only roles cannot write.
    expect((await fsPresident.patch(`/api/customers/companies/${created.id}`, { listed: false })).statusCode).toBe(403);
  });

  it('reference lists', async () => {
    const types = (await fsAm.get('/api/customers/types')).json();
    expect(types.map((x: { nameZh: string }) => x.nameZh)).toContain('政府融资平台');
    const ind = (await fsAm.get('/api/customers/industries')).json();
    expect(ind).toHaveLength(20);
  });
});

describe('individuals', () => {
  it('search by name, ID suffix and phone suffix; never a full ID in any list, detail or export', async () => {
    const [p] = await t.database.db.select().from(individuals).where(eq(individuals.id, DEMO_PEOPLE.meidiExecutive));
    const byId = await fsAdmin.get(`/api/customers/individuals?idSuffix=${p.idSuffix}`);
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.body).not.toMatch(FULL_ID);
    expect(byId.json().items.map((x: { id: number }) => x.id)).toContain(p.id);
    if (p.phone) {
      const byPhone = (await fsAdmin.get(`/api/customers/individuals?phoneSuffix=${p.phone.slice(-4)}`)).json();
      expect(byPhone.items.map((x: { id: number }) => x.id)).toContain(p.id);
      expect(JSON.stringify(byPhone)).not.toContain(p.phone);
    }
    const byName = (await fsAdmin.get(`/api/customers/individuals?q=${encodeURIComponent(p.name)}`)).json();
    expect(byName.items.map((x: { id: number }) => x.id)).toContain(p.id);
    const page = await fsAdmin.get('/api/customers/individuals?pageSize=200');
    expect(page.body).not.toMatch(FULL_ID);
    expect(page.json().items.every((x: { idNumber: string }) => /^\d{4}\*{10}[\dX]{4}$/.test(x.idNumber))).toBe(true);
    const detail = await fsAdmin.get(`/api/customers/individuals/${p.id}`);
    expect(detail.body).not.toMatch(FULL_ID);
    const xlsx = await fsAdmin.get('/api/customers/individuals/export.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.includes(Buffer.from(p.idNumber))).toBe(false);
  });

  it('person 360: every company linked and the holdings', async () => {
    const res = await fsAm.get(`/api/customers/individuals/${DEMO_PEOPLE.meidiChair}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    const ids = p.companies.map((c: { companyId: number }) => c.companyId);
    expect(ids).toContain(DEMO_COMPANIES.meidi);
    expect(ids).toContain(DEMO_COMPANIES.meidiKitchen);
    expect(p.companies.find((c: { companyId: number; role: string }) => c.companyId === DEMO_COMPANIES.meidi && c.role === 'legal_rep').title).toBe('董事长');
    expect(p.holdings.length).toBeGreaterThan(0);
    expect(p.holdings.map((h: { productName: string }) => h.productName)).toContain('借记卡');
  });

  it('create/update check the ID number (GB 11643) and mask it in the audit log', async () => {
    const bad = await fsAm.post('/api/customers/individuals', { idNumber: '440606199001010011', name: '测试', nodeId: DEMO_NODES.foshan });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('CUSTOMER.BAD_ID_NUMBER');
    const res = await fsAm.post('/api/customers/individuals', { idNumber: '11010519491231002x', name: '测试客户', nodeId: DEMO_NODES.foshan, phone: '13800138000', aumFen: 123 });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.idNumber).toBe('1101**********002X');
    expect(p.gender).toBe('F');
    expect(p.birthDate).toBe('1949-12-31');
    expect(p.aum).toBe('1.23');
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'customer.person.create'));
    expect(JSON.stringify(entry.after)).not.toMatch(FULL_ID);
    expect(JSON.stringify(entry.after)).not.toContain('13800138000');
    const dup = await fsAm.post('/api/customers/individuals', { idNumber: '11010519491231002X', name: '重复', nodeId: DEMO_NODES.foshan });
    expect(dup.json().error.code).toBe('CUSTOMER.ID_NUMBER_TAKEN');
    const up = await fsAm.patch(`/api/customers/individuals/${p.id}`, { vipTier: '金卡' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().vipTier).toBe('金卡');
  });

  it('reveal: needs customer.reveal and a reason, writes pii.reveal with the reason', async () => {
    const url = `/api/customers/individuals/${DEMO_PEOPLE.meidiExecutive}/reveal`;
    // 佛山 committee chair reads customers but may not reveal.
    expect((await fsPresident.post(url, { field: 'idNumber', reason: '核实客户身份' })).statusCode).toBe(403);
    expect((await fsCompliance.post(url, { field: 'idNumber', reason: '查' })).statusCode).toBe(400);
    // A sibling branch's administrator may not reveal 佛山 people.
    expect((await hyAdmin.post(url, { field: 'idNumber', reason: '核实客户身份' })).statusCode).toBe(403);
    const res = await fsCompliance.post(url, { field: 'idNumber', reason: '反洗钱核查需要' });
    expect(res.statusCode, res.body).toBe(200);
    const [p] = await t.database.db.select().from(individuals).where(eq(individuals.id, DEMO_PEOPLE.meidiExecutive));
    expect(res.json()).toEqual({ field: 'idNumber', value: p.idNumber });
    const entries = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'pii.reveal'));
    expect(entries).toHaveLength(1);
    expect(entries[0].entityId).toBe(String(DEMO_PEOPLE.meidiExecutive));
    expect(entries[0].after).toEqual({ field: 'idNumber', reason: '反洗钱核查需要' });
    expect(JSON.stringify(entries[0])).not.toContain(p.idNumber);
  });
});

describe('relationships and graph', () => {
  it('links company↔person and company↔company with audit; cycles refused', async () => {
    const person = DEMO_PEOPLE.meidiKitchenHead;
    const res = await fsAm.post('/api/customers/links', { companyId: DEMO_COMPANIES.meidi, personId: person, role: 'middle', title: '采购经理', since: '2020-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json();
    expect((await fsAm.post('/api/customers/links', { companyId: DEMO_COMPANIES.meidi, personId: person, role: 'middle' })).json().error.code).toBe('CUSTOMER.LINK_EXISTS');
    expect((await fsAm.patch(`/api/customers/links/${link.id}`, { until: '2019-01-01' })).json().error.code).toBe('CUSTOMER.BAD_DATES');
    expect((await fsAm.patch(`/api/customers/links/${link.id}`, { until: '2025-06-30' })).json().until).toBe('2025-06-30');
    expect((await fsAm.post('/api/customers/links', { companyId: DEMO_COMPANIES.heyuanFarm, personId: person, role: 'staff' })).statusCode).toBe(403);
    expect((await fsAm.delete(`/api/customers/links/${link.id}`)).statusCode).toBe(204);

    const cyc = await fsAm.post('/api/customers/group-links', { parentId: DEMO_COMPANIES.meidiKitchen, childId: DEMO_COMPANIES.meidi });
    expect(cyc.json().error.code).toBe('CUSTOMER.LINK_CYCLE');
    const g = await fsAm.post('/api/customers/group-links', { parentId: DEMO_COMPANIES.meidi, childId: DEMO_COMPANIES.fsDeveloper, since: '2021-05-01' });
    expect(g.statusCode, g.body).toBe(201);
    expect((await fsAm.patch(`/api/customers/group-links/${g.json().id}`, { since: '2021-06-01' })).json().since).toBe('2021-06-01');
    expect((await fsAm.delete(`/api/customers/group-links/${g.json().id}`)).statusCode).toBe(204);
    const actions = (await t.database.db.select({ a: auditLog.action }).from(auditLog)).map((r) => r.a);
    for (const a of ['customer.link.create', 'customer.link.update', 'customer.link.delete', 'customer.group.create', 'customer.group.delete']) expect(actions).toContain(a);
  });

  it('graph around a company and around a person, scoped and capped', async () => {
    const res = await fsAm.get(`/api/customers/graph?companyId=${DEMO_COMPANIES.meidi}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toMatch(FULL_ID);
    const g = res.json();
    expect(g.nodes.find((n: { root: boolean }) => n.root).id).toBe(`c${DEMO_COMPANIES.meidi}`);
    expect(g.nodes.map((n: { id: string }) => n.id)).toContain(`p${DEMO_PEOPLE.meidiChair}`);
    expect(g.nodes.map((n: { id: string }) => n.id)).toContain(`c${DEMO_COMPANIES.meidiKitchen}`);
    expect(g.edges).toContainEqual({ source: `c${DEMO_COMPANIES.meidi}`, target: `c${DEMO_COMPANIES.meidiKitchen}`, kind: 'group', label: '集团成员' });
    const ids = new Set(g.nodes.map((n: { id: string }) => n.id));
    expect(g.edges.every((e: { source: string; target: string }) => ids.has(e.source) && ids.has(e.target))).toBe(true);

    const deep = (await fsAm.get(`/api/customers/graph?personId=${DEMO_PEOPLE.meidiChair}&depth=2&limit=20`)).json();
    expect(deep.nodes.length).toBeLessThanOrEqual(20);
    expect(deep.truncated).toBe(true);
    expect(deep.nodes.map((n: { id: string }) => n.id)).toContain(`c${DEMO_COMPANIES.meidiKitchen}`);
    expect((await fsAm.get(`/api/customers/graph?companyId=${DEMO_COMPANIES.heyuanFarm}`)).statusCode).toBe(403);
    expect((await fsAm.get('/api/customers/graph')).statusCode).toBe(400);
  });
});

describe('roles without customer permissions', () => {
  it('HR has no customer.read', async () => {
    const hr = await t.login('fs_hr');
    expect((await hr.get('/api/customers/companies')).statusCode).toBe(403);
  });

  it('an outlet manager reads only its own node’s subtree', async () => {
    const [om] = await rows<{ staffNo: string; nodeId: number }>(
      t.database.db,
      sql`SELECT s.staff_no AS "staffNo", r.scope_node_id AS "nodeId" FROM staff s JOIN staff_roles r ON r.staff_id = s.id
          JOIN org_nodes n ON n.id = r.scope_node_id WHERE r.role_code = 'outlet_manager' AND n.level = 'subbranch' AND n.path LIKE ${`%/${DEMO_NODES.foshan}/%`} ORDER BY s.id LIMIT 1`,
    );
    void staff;
    void staffRoles;
    const c = await t.login(om.staffNo);
    const list = (await c.get('/api/customers/companies?pageSize=200')).json();
    expect(list.items.every((x: { nodeId: number }) => x.nodeId === om.nodeId)).toBe(true);
  });
});
