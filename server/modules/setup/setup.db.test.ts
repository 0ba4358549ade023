import { eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { type Database, rows } from '../../db/client.js';
import { departments, orgNodes } from '../../db/schema/index.js';
import { prepareDatabase } from '../../ops/prepare.js';
import { resetDatabase } from '../../ops/reset.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { createEmptyTestDatabase, createTestDatabase, testConfig } from '../../test/harness.js';
import { STANDARD_DEPARTMENTS } from '../org/standard-departments.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { assertDemoAllowed, installationState } from './installation.js';
import { setUpBank } from './setup.service.js';

const PASSWORD = 'Kaiyuan#2027ab';

async function login(app: FastifyInstance, staffNo: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo, password } });
  const sid = res.cookies.find((c) => c.name === 'linkage_sid')?.value;
  return { res, headers: { cookie: `linkage_sid=${sid}`, 'x-csrf-token': res.statusCode === 200 ? (res.json().csrfToken as string) : '' } };
}

/** An empty, migrated database with no bank and the app on it, per describe block. */
function emptyInstallation() {
  const env = {} as { database: Database; app: FastifyInstance };
  beforeAll(async () => {
    env.database = await createEmptyTestDatabase();
    await prepareDatabase(env.database, { SEED_DEMO: false });
    env.app = await buildApp(env.database, testConfig());
    await env.app.ready();
  });
  afterAll(async () => {
    await env.app.close();
    await env.database.close();
  });
  return env;
}

describe('first run from the console (GET/POST /api/setup) on an empty database', () => {
  const env = emptyInstallation();

  it('says not installed, refuses a weak password, then sets up the bank once; two at once: one wins', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ installed: false, demo: false });
    const weak = await env.app.inject({ method: 'POST', url: '/api/setup', payload: { bankName: '开元银行广东省分行', adminStaffNo: '90000001', password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('AUTH.WEAK_PASSWORD');
    expect((await installationState(env.database.db)).installed).toBe(false);

    // Two first runs at once (the console's and another): exactly one creates the bank.
    const results = await Promise.allSettled([
      setUpBank(env.database.db, { bankName: '开元银行广东省分行', bankCode: '44000', adminStaffNo: '９０００００01', adminName: '林静', password: PASSWORD }, 'console'),
      setUpBank(env.database.db, { bankName: '另一家银行', adminStaffNo: '90000002', password: PASSWORD }, 'cli'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SETUP.ALREADY_DONE' });
    expect(await env.database.db.select({ code: orgNodes.code }).from(orgNodes)).toHaveLength(1);

    expect((await env.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ installed: true, demo: false });
    const again = await env.app.inject({ method: 'POST', url: '/api/setup', payload: { bankName: '第三家', adminStaffNo: '90000003', password: PASSWORD } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SETUP.ALREADY_DONE');
  });

  it('the administrator holds the admin role over the root, which has the standard departments; new branches get them too', async () => {
    const [root] = await env.database.db.select().from(orgNodes);
    const staffNo = root.code === '44000' ? '90000001' : '90000002';
    const { res, headers } = await login(env.app, staffNo, PASSWORD);
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.mustChangePassword).toBe(false);
    expect(me.grants).toEqual([expect.objectContaining({ role: 'admin', scopeNodeId: root.id, scopeLevel: 'province', roleZh: '系统管理员' })]);
    expect(root).toMatchObject({ level: 'province', parentId: null, path: `/${root.id}/` });
    const rootDepts = await env.database.db.select({ code: departments.code }).from(departments).where(eq(departments.nodeId, root.id));
    expect(rootDepts.map((d) => d.code).sort()).toEqual(STANDARD_DEPARTMENTS.map((d) => d.code).sort());

    const branch = await env.app.inject({ method: 'POST', url: '/api/org/nodes', headers, payload: { code: '44100', name: '佛山分行', level: 'branch', parentId: root.id } });
    expect(branch.statusCode).toBe(201);
    const depts = await env.app.inject({ method: 'GET', url: `/api/org/departments?nodeId=${branch.json().id}`, headers });
    expect(
      depts
        .json()
        .items.map((d: { code: string }) => d.code)
        .sort(),
    ).toEqual(STANDARD_DEPARTMENTS.map((d) => d.code).sort());
    const sub = await env.app.inject({ method: 'POST', url: '/api/org/nodes', headers, payload: { code: '4410001', name: '禅城支行', level: 'subbranch', parentId: branch.json().id } });
    expect(sub.statusCode).toBe(201);
    expect(await env.database.db.select().from(departments).where(eq(departments.nodeId, sub.json().id))).toEqual([]);
  });

  it('a 二级分行 opened by the org-tree import gets the standard departments too (a 支行 none), audited', async () => {
    const [root] = await env.database.db.select().from(orgNodes).where(isNull(orgNodes.parentId));
    const staffNo = root.code === '44000' ? '90000001' : '90000002';
    const { headers } = await login(env.app, staffNo, PASSWORD);
    const csv = `机构号,机构名称,机构层级,上级机构号\n44200,河源分行,二级分行,${root.code}\n4420001,源城支行,支行,44200\n`;
    const res = await env.app.inject({ method: 'POST', url: '/api/imports/org-nodes', headers, payload: uploadForm(Buffer.from(csv), '机构.csv') });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForImport(env.database.db, res.json().id);
    expect(job).toMatchObject({ status: 'done', inserted: 2 });
    const [branch] = await env.database.db.select().from(orgNodes).where(eq(orgNodes.code, '44200'));
    const [sub] = await env.database.db.select().from(orgNodes).where(eq(orgNodes.code, '4420001'));
    const opened = await env.database.db.select().from(departments).where(eq(departments.nodeId, branch.id));
    expect(opened.map((d) => d.code).sort()).toEqual(STANDARD_DEPARTMENTS.map((d) => d.code).sort());
    expect(opened.find((d) => d.code === 'PF')).toMatchObject({ name: '个人金融部', kind: 'personal_finance', committeeOffice: true });
    expect(await env.database.db.select().from(departments).where(eq(departments.nodeId, sub.id))).toEqual([]);
    const audited = await rows<{ n: number }>(env.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'department.create' AND node_id = ${branch.id}`);
    expect(audited[0].n).toBe(STANDARD_DEPARTMENTS.length);
  });

  it('the demo loaders refuse this database; a start with SEED_DEMO loads nothing and the demo password opens nothing', async () => {
    await expect(assertDemoAllowed(env.database.db)).rejects.toMatchObject({ code: 'SETUP.REAL_USERS' });
    await expect(resetDatabase(env.database, () => undefined)).rejects.toMatchObject({ code: 'SETUP.REAL_USERS' });
    expect(await prepareDatabase(env.database, { SEED_DEMO: true })).toBe(false);
    expect((await login(env.app, 'admin', DEMO_PASSWORD)).res.statusCode).toBe(401);
    expect(await env.database.db.select({ id: orgNodes.id }).from(orgNodes)).toHaveLength(5);
  });
});

describe('first run with a one-time password (the CLI path)', () => {
  const env = emptyInstallation();

  it('returns a one-time password that must be changed before anything else', async () => {
    const r = await setUpBank(env.database.db, { bankName: '开元银行', adminStaffNo: 'root01' }, 'cli');
    expect(r.oneTimePassword).toMatch(/^.{16}$/);
    const { res, headers } = await login(env.app, 'root01', r.oneTimePassword!);
    expect(res.json().mustChangePassword).toBe(true);
    const blocked = await env.app.inject({ method: 'GET', url: '/api/org/nodes', headers });
    expect(blocked.json().error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    const changed = await env.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { current: r.oneTimePassword, next: PASSWORD } });
    expect(changed.statusCode).toBe(204);
    expect((await env.app.inject({ method: 'GET', url: '/api/org/nodes', headers })).statusCode).toBe(200);
  });
});

describe('the demo bank', () => {
  it('is a demo database: installed, demo, and the demo loaders may run on it', async () => {
    const database = await createTestDatabase();
    try {
      expect(await installationState(database.db)).toEqual({ installed: true, demo: true });
      await expect(assertDemoAllowed(database.db)).resolves.toBeUndefined();
      await expect(setUpBank(database.db, { bankName: 'x', adminStaffNo: 'x1', password: PASSWORD }, 'cli')).rejects.toMatchObject({ code: 'SETUP.ALREADY_DONE' });
    } finally {
      await database.close();
    }
  });
});
