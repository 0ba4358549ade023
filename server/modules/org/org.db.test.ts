import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
let fsAdmin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  fsAdmin = await t.login('fs_admin');
});
afterAll(() => t.close());

describe('org tree and scope', () => {
  it('the province administrator sees the whole province', async () => {
    const { items } = (await admin.get('/api/org/nodes')).json();
    const branches = items.filter((n: { level: string }) => n.level === 'branch');
    expect(branches.length).toBeGreaterThanOrEqual(12);
    expect(items.some((n: { name: string }) => n.name.includes('河源'))).toBe(true);
  });

  it('counts the staff of each node and department', async () => {
    const { items } = (await admin.get('/api/org/nodes')).json();
    const foshan = items.find((n: { id: number }) => n.id === DEMO_NODES.foshan);
    const detail = (await admin.get(`/api/org/nodes/${DEMO_NODES.foshan}`)).json();
    expect(foshan.staffCount).toBe(detail.staffCount);
    expect(new Set(items.map((n: { staffCount: number }) => n.staffCount)).size).toBeGreaterThan(2);
    const depts = (await admin.get(`/api/org/departments?nodeId=${DEMO_NODES.foshan}`)).json().items;
    expect(depts.reduce((a: number, d: { staffCount: number }) => a + d.staffCount, 0)).toBeGreaterThan(0);
  });

  it('a tier-2 administrator sees only their own subtree', async () => {
    const { items } = (await fsAdmin.get('/api/org/nodes')).json();
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((n: { path: string }) => n.path.startsWith(`/1/2/${DEMO_NODES.foshan}/`))).toBe(true);
    expect(items.some((n: { name: string }) => n.name.includes('河源'))).toBe(false);
  });

  it('a sibling branch is 403 with no data, for reads and writes', async () => {
    const read = await fsAdmin.get(`/api/org/nodes/${DEMO_NODES.heyuan}`);
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect(read.body).not.toContain('河源');
    expect((await fsAdmin.get(`/api/org/departments?nodeId=${DEMO_NODES.heyuan}`)).statusCode).toBe(403);
    expect((await fsAdmin.get(`/api/staff?nodeId=${DEMO_NODES.heyuan}`)).statusCode).toBe(403);
    expect((await fsAdmin.patch(`/api/org/nodes/${DEMO_NODES.heyuan}`, { name: '改名' })).statusCode).toBe(403);
    const staffList = (await fsAdmin.get('/api/staff?pageSize=200')).json();
    expect(staffList.items.every((s: { nodeName: string }) => !s.nodeName.includes('河源'))).toBe(true);
  });

  it('creates a sub-branch and an outlet with correct paths, audited; refuses a wrong level', async () => {
    const sub = await fsAdmin.post('/api/org/nodes', { code: '44199', name: '狮山支行', level: 'subbranch', parentId: DEMO_NODES.foshan, address: '佛山市南海区狮山镇' });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().path).toBe(`/1/2/${DEMO_NODES.foshan}/${sub.json().id}/`);
    const outlet = await fsAdmin.post('/api/org/nodes', { code: '4419901', name: '狮山营业室', level: 'outlet', parentId: sub.json().id });
    expect(outlet.statusCode).toBe(201);
    const bad = await fsAdmin.post('/api/org/nodes', { code: '4419902', name: '错层', level: 'outlet', parentId: DEMO_NODES.foshan });
    expect(bad.json().error.code).toBe('ORG.BAD_PARENT');
    const dup = await fsAdmin.post('/api/org/nodes', { code: '44199', name: '重复', level: 'subbranch', parentId: DEMO_NODES.foshan });
    expect(dup.statusCode).toBe(409);
    const audit = (await admin.get(`/api/audit?action=org.create&entityId=${sub.json().id}`)).json();
    expect(audit.items[0].after).toMatchObject({ code: '44199', name: '狮山支行' });
    expect((await fsAdmin.delete(`/api/org/nodes/${sub.json().id}`)).json().error.code).toBe('ORG.HAS_CHILDREN');
    expect((await fsAdmin.delete(`/api/org/nodes/${outlet.json().id}`)).statusCode).toBe(204);
    expect((await fsAdmin.delete(`/api/org/nodes/${sub.json().id}`)).statusCode).toBe(204);
  });

  it('departments are data per branch, with the committee office', async () => {
    const detail = (await fsAdmin.get(`/api/org/nodes/${DEMO_NODES.foshan}`)).json();
    expect(detail.departments.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['公司业务部', '个人金融部', '内控合规部']));
    expect(detail.departments.filter((d: { committeeOffice: boolean }) => d.committeeOffice)).toHaveLength(1);
    expect(detail.committee.find((m: { position: string }) => m.position === 'chair')).toBeTruthy();
    const created = await fsAdmin.post('/api/org/departments', { nodeId: DEMO_NODES.foshan, code: 'INCL', name: '普惠金融部', kind: 'other' });
    expect(created.statusCode).toBe(201);
    const renamed = await fsAdmin.patch(`/api/org/departments/${created.json().id}`, { name: '普惠金融事业部' });
    expect(renamed.json().name).toBe('普惠金融事业部');
    expect((await fsAdmin.delete(`/api/org/departments/${created.json().id}`)).statusCode).toBe(204);
  });

  it('exports the tree to Excel', async () => {
    const res = await fsAdmin.get('/api/org/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
