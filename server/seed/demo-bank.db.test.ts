import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { type Database, type Db, migrateDatabase, openDatabase, rows } from '../db/client.js';
import { committeeMembers, departments, orgNodes, roles, settings, staff, staffRoles } from '../db/schema/index.js';
import { DEMO_BRANCH_NAMES, DEMO_DEPARTMENTS, isEmpty, seedDemoBank } from './demo-bank.js';
import { DEMO_ACCOUNTS, DEMO_NODES } from './demo-ids.js';

const REQUIRED_CITIES = ['佛山', '河源', '汕头', '汕尾', '肇庆', '江门', '阳江', '揭阳', '云浮', '中山', '湛江', '茂名', '惠州', '梅州'];

const orgSnapshot = (db: Db) =>
  db.select({ id: orgNodes.id, code: orgNodes.code, name: orgNodes.name, level: orgNodes.level, parentId: orgNodes.parentId, path: orgNodes.path }).from(orgNodes).orderBy(asc(orgNodes.id));
const staffSnapshot = (db: Db) =>
  db.select({ id: staff.id, staffNo: staff.staffNo, name: staff.name, nodeId: staff.nodeId, departmentId: staff.departmentId, title: staff.title }).from(staff).orderBy(asc(staff.id));

describe('demo bank seed', () => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has the head office, the province and the tier-2 branches with fixed ids', async () => {
    const nodes = await db.select().from(orgNodes);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get(DEMO_NODES.head)).toMatchObject({ name: '总行', level: 'head', code: '00001', parentId: null });
    expect(byId.get(DEMO_NODES.province)).toMatchObject({ name: '广东省分行', level: 'province', code: '44000', parentId: 1 });
    expect(byId.get(DEMO_NODES.foshan)?.name).toBe('佛山分行');
    expect(byId.get(DEMO_NODES.heyuan)?.name).toBe('河源分行');
    const branches = nodes.filter((n) => n.level === 'branch').sort((a, b) => a.id - b.id);
    expect(branches.length).toBeGreaterThanOrEqual(12);
    expect(branches.map((b) => b.name)).toEqual(DEMO_BRANCH_NAMES);
    for (const city of REQUIRED_CITIES) expect(branches.some((b) => b.name === `${city}分行`)).toBe(true);
    branches.forEach((b, i) => expect(b.id).toBe(11 + i));
    for (const b of branches) {
      const subs = nodes.filter((n) => n.parentId === b.id);
      expect(subs.length).toBeGreaterThanOrEqual(2);
      expect(subs.length).toBeLessThanOrEqual(4);
      for (const s of subs) {
        expect(s.level).toBe('subbranch');
        expect(s.id).toBeGreaterThanOrEqual(101);
        expect(s.name.endsWith('支行')).toBe(true);
        const outlets = nodes.filter((n) => n.parentId === s.id);
        expect(outlets.length).toBeGreaterThanOrEqual(1);
        expect(outlets.length).toBeLessThanOrEqual(3);
        for (const o of outlets) {
          expect(o.level).toBe('outlet');
          expect(o.id).toBeGreaterThanOrEqual(1001);
        }
      }
    }
    expect(nodes.filter((n) => n.parentId === DEMO_NODES.foshan).map((n) => n.name)).toEqual(['禅城支行', '南海支行', '顺德支行', '三水支行']);
    expect(new Set(nodes.map((n) => n.code)).size).toBe(nodes.length);
  });

  it('gives every node a path that matches its parent chain', async () => {
    const nodes = await db.select().from(orgNodes);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const n of nodes) {
      const chain: number[] = [];
      for (let cur: typeof n | undefined = n; cur; cur = cur.parentId == null ? undefined : byId.get(cur.parentId)) chain.unshift(cur.id);
      expect(n.path).toBe(`/${chain.join('/')}/`);
      expect(n.address).toBeTruthy();
    }
    expect(byId.get(1001)?.path).toBe('/1/2/11/101/1001/');
  });

  it('gives the province and each tier-2 branch the eleven departments, one committee office', async () => {
    const nodes = await db.select().from(orgNodes).where(eq(orgNodes.level, 'branch'));
    const depts = await db.select().from(departments);
    for (const node of [{ id: DEMO_NODES.province }, ...nodes]) {
      const own = depts.filter((d) => d.nodeId === node.id);
      expect(own.map((d) => d.code).sort()).toEqual(DEMO_DEPARTMENTS.map((d) => d.code).sort());
      const offices = own.filter((d) => d.committeeOffice);
      expect(offices).toHaveLength(1);
      expect(offices[0]).toMatchObject({ code: 'PF', kind: 'personal_finance', name: '个人金融部' });
    }
  });

  it('has a few hundred staff with unique 工号 and sensible placement', async () => {
    const people = await db.select().from(staff);
    expect(people.length).toBeGreaterThanOrEqual(400);
    expect(people.length).toBeLessThanOrEqual(600);
    expect(new Set(people.map((p) => p.staffNo)).size).toBe(people.length);
    const demoNos = new Set<string>(Object.values(DEMO_ACCOUNTS).map((a) => a.staffNo));
    for (const p of people) {
      if (!demoNos.has(p.staffNo)) expect(p.staffNo).toMatch(/^44\d{6}$/);
      expect(p.phone).toMatch(/^1[358]\d{9}$/);
      expect(p.email).toMatch(/^[a-z]+\d*@/);
      expect(p.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
      expect(p.mustChangePassword).toBe(false);
      expect(p.passwordHash).toBe(people[0].passwordHash);
    }
    const depts = await db.select().from(departments);
    const deptNode = new Map(depts.map((d) => [d.id, d.nodeId]));
    for (const p of people) if (p.departmentId != null) expect(deptNode.get(p.departmentId)).toBe(p.nodeId);
    const grants = await db.select().from(staffRoles);
    const withRole = new Set(grants.map((g) => g.staffId));
    for (const p of people) expect(withRole.has(p.id)).toBe(true);
    const roleCodes = new Set((await db.select().from(roles)).map((r) => r.code));
    for (const code of ['corporate_am', 'personal_am', 'outlet_manager', 'hr', 'finance', 'compliance', 'staff']) {
      expect(roleCodes.has(code)).toBe(true);
      expect(grants.some((g) => g.roleCode === code)).toBe(true);
    }
  });

  it('has every demo account with its role and scope', async () => {
    for (const a of Object.values(DEMO_ACCOUNTS)) {
      const [p] = await db.select().from(staff).where(eq(staff.staffNo, a.staffNo));
      expect(p, a.staffNo).toBeDefined();
      expect(p.nodeId).toBe(a.scope);
      expect(p.active).toBe(true);
      const grants = await db.select().from(staffRoles).where(eq(staffRoles.staffId, p.id));
      expect(
        grants.some((g) => g.roleCode === a.role && g.scopeNodeId === a.scope),
        a.staffNo,
      ).toBe(true);
    }
  });

  it("seats 佛山分行's committee with fs_president as the only chair", async () => {
    const members = await db
      .select({ position: committeeMembers.position, staffNo: staff.staffNo, departmentId: staff.departmentId })
      .from(committeeMembers)
      .innerJoin(staff, eq(staff.id, committeeMembers.staffId))
      .where(eq(committeeMembers.nodeId, DEMO_NODES.foshan));
    const chairs = members.filter((m) => m.position === 'chair');
    expect(chairs).toHaveLength(1);
    expect(chairs[0].staffNo).toBe(DEMO_ACCOUNTS.fsPresident.staffNo);
    expect(members.filter((m) => m.position === 'vice_chair')).toHaveLength(2);
    expect(members.filter((m) => m.position === 'member')).toHaveLength(6);
    expect(members.filter((m) => m.position === 'office')).toHaveLength(1);
    const nodes = await db.select({ id: orgNodes.id }).from(orgNodes).where(eq(orgNodes.level, 'branch'));
    const all = await db.select().from(committeeMembers);
    for (const n of nodes) expect(all.filter((m) => m.nodeId === n.id && m.position === 'chair')).toHaveLength(1);
  });

  it('writes the default settings, one audit entry, and moves the identity sequences past the seed', async () => {
    const s = new Map((await db.select().from(settings)).map((r) => [r.key, r.value]));
    expect(s.get('bank.name')).toBe('示范商业银行');
    expect(s.get('publication.windowDays')).toBe(7);
    // The split rule lives in split_rules, never in settings (issue 12 rule 8).
    expect(s.has('scoring.hostPercent')).toBe(false);
    expect(s.get('import.maxRows')).toBe(200000);
    const audit = await rows<{ action: string }>(db, sql`SELECT action FROM audit_log WHERE action = 'seed.demo_bank'`);
    expect(audit).toHaveLength(1);
  });

  it('is deterministic, and refuses to seed twice', async () => {
    const fresh = await openDatabase({ dataDir: 'memory://' });
    try {
      await migrateDatabase(fresh);
      expect(await isEmpty(fresh.db)).toBe(true);
      await seedDemoBank(fresh.db);
      expect(await isEmpty(fresh.db)).toBe(false);
      expect(await orgSnapshot(fresh.db)).toEqual(await orgSnapshot(db));
      expect(await staffSnapshot(fresh.db)).toEqual(await staffSnapshot(db));
      await expect(seedDemoBank(fresh.db)).rejects.toThrow(/empty/);

      // Identity sequences moved past the explicit ids: inserts without an id do not collide.
      const maxOf = async (table: string) => (await rows<{ max: number }>(fresh.db, sql.raw(`SELECT max(id)::int AS max FROM ${table}`)))[0].max;
      const maxNode = await maxOf('org_nodes');
      const [node] = await fresh.db.insert(orgNodes).values({ code: 'T0001', name: '测试网点', level: 'outlet', parentId: 101, path: '/pending/' }).returning({ id: orgNodes.id });
      expect(node.id).toBe(maxNode + 1);
      const maxDept = await maxOf('departments');
      const [dept] = await fresh.db.insert(departments).values({ nodeId: DEMO_NODES.foshan, code: 'NEW', name: '新部门', kind: 'other' }).returning({ id: departments.id });
      expect(dept.id).toBe(maxDept + 1);
      const maxStaff = await maxOf('staff');
      const [person] = await fresh.db.insert(staff).values({ staffNo: '99999999', name: '新员工', nodeId: DEMO_NODES.foshan }).returning({ id: staff.id });
      expect(person.id).toBe(maxStaff + 1);
      const maxGrant = await maxOf('staff_roles');
      const [g] = await fresh.db.insert(staffRoles).values({ staffId: person.id, roleCode: 'staff', scopeNodeId: DEMO_NODES.foshan }).returning({ id: staffRoles.id });
      expect(g.id).toBe(maxGrant + 1);
      const maxMember = await maxOf('committee_members');
      const [m] = await fresh.db.insert(committeeMembers).values({ nodeId: DEMO_NODES.foshan, staffId: person.id, position: 'member' }).returning({ id: committeeMembers.id });
      expect(m.id).toBe(maxMember + 1);
    } finally {
      await fresh.close();
    }
  });
});
