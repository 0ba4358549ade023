import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { runJobsOnce } from '../../jobs/runner.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { assignLeads } from './leads.rules.js';

/**
 * 商机 through the API (issue 13): routing by the capacity rule, scope, stages, the escalation
 * ladder on the clock, the pool, winning into a scored sale, and the handling rate. The clock
 * starts at 10:00 on 1 December in Beijing.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let am: Client; // 44110014 陈雨君, personal account manager in 佛山 信用卡中心 (CC)
let fsAdmin: Client;
let fsStaff: Client;
let hyAdmin: Client;
let amId = 0;
let ccDept = 0;
let fsPerson = 0;
let hyPerson = 0;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const ccManagers = () =>
  q<{ staffId: number; staffNo: string; open: number; capacity: number }>(
    sql`SELECT s.id AS "staffId", s.staff_no AS "staffNo", 0 AS open, coalesce(c.capacity, 30) AS capacity
          FROM staff s LEFT JOIN lead_capacities c ON c.staff_id = s.id
         WHERE s.active AND s.department_id = ${ccDept}
           AND EXISTS (SELECT 1 FROM staff_roles sr JOIN roles r ON r.code = sr.role_code WHERE sr.staff_id = s.id AND r.code <> 'admin' AND r.permissions @> '["lead.work"]'::jsonb)
         ORDER BY s.staff_no`,
  );
const open = (staffId: number) => q<{ n: number }>(sql`SELECT count(*)::int AS n FROM leads WHERE owner_staff_id = ${staffId} AND stage IN ('new','contacted','proposal')`).then((r) => r[0].n);

beforeAll(async () => {
  const c = useTestClock('2026-12-01T02:00:00Z');
  clock = c.clock;
  restore = c.restore;
  t = await createTestApp();
  [am, fsAdmin, fsStaff, hyAdmin] = await Promise.all([t.login('44110014'), t.login('fs_admin'), t.login('fs_staff'), t.login('hy_admin')]);
  [{ id: amId, dept: ccDept }] = await q<{ id: number; dept: number }>(sql`SELECT id, department_id AS dept FROM staff WHERE staff_no = '44110014'`);
  [{ id: fsPerson }] = await q<{ id: number }>(sql`SELECT i.id FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`);
  [{ id: hyPerson }] = await q<{ id: number }>(sql`SELECT i.id FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} ORDER BY i.id LIMIT 1`);
});

afterAll(async () => {
  restore();
  await t?.close();
});

describe('a lead is routed, worked and escalated', () => {
  let leadId = 0;

  it('routes a new lead to the least-loaded account manager of the product’s host department, and tells them', async () => {
    const managers = await ccManagers();
    expect(managers.some((m) => m.staffId === amId)).toBe(true);
    const loads = await Promise.all(managers.map(async (m) => ({ ...m, open: await open(m.staffId) })));
    const [expected] = assignLeads(1, loads);
    const res = await am.post('/api/leads', { productCode: 'CREDIT', personId: fsPerson, contactName: '王女士', source: 'referral', note: '同事转介绍，想办信用卡' });
    expect(res.statusCode, res.body).toBe(201);
    const lead = res.json();
    expect(lead).toMatchObject({ departmentCode: 'CC', nodeCode: '44100', stage: 'new', source: 'referral', ownerStaffId: expected, productCode: 'CREDIT', escalationLevel: 0 });
    expect(lead.nextEscalationAt).toBe('2026-12-04T02:00:00.000Z');
    const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE staff_id = ${expected} AND kind = 'lead.assigned'`);
    expect(n.n).toBe(1);
  });

  it('keeps a referral with its creator when asked, and shows it under 我的商机', async () => {
    const res = await am.post('/api/leads', { productCode: 'CREDIT', personId: fsPerson, contactName: '李先生', source: 'referral', keepMine: true });
    expect(res.statusCode, res.body).toBe(201);
    leadId = res.json().id;
    expect(res.json().ownerStaffId).toBe(amId);
    const mine = (await am.get('/api/leads?view=mine')).json();
    expect(mine.items.map((l: { id: number }) => l.id)).toContain(leadId);
    const detail = (await am.get(`/api/leads/${leadId}`)).json();
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'assigned']);
  });

  it('shows nothing to another branch, refuses staff without the permission, and refuses a client out of reach', async () => {
    expect((await hyAdmin.get(`/api/leads/${leadId}`)).statusCode).toBe(404);
    expect((await hyAdmin.post(`/api/leads/${leadId}/stage`, { stage: 'contacted' })).statusCode).toBe(404);
    expect((await hyAdmin.get('/api/leads')).json().items.some((l: { nodeCode: string }) => l.nodeCode === '44100')).toBe(false);
    expect((await fsStaff.get(`/api/leads/${leadId}`)).statusCode).toBe(404);
    expect((await fsStaff.post('/api/leads', { contactName: 'x', productCode: 'CREDIT' })).statusCode).toBe(403);
    const far = await am.post('/api/leads', { productCode: 'CREDIT', personId: hyPerson, contactName: '外行客户' });
    expect(far.statusCode).toBe(403);
    expect(far.body).not.toContain('河源');
  });

  it('moves forward only, needs a reason to be lost, and is won only by recording its sale', async () => {
    expect((await am.post(`/api/leads/${leadId}/stage`, { stage: 'won' })).json().error.code).toBe('LEAD.WIN_BY_SALE');
    const moved = await am.post(`/api/leads/${leadId}/stage`, { stage: 'contacted', note: '已电话联系' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ stage: 'contacted', note: '已电话联系' });
    expect((await am.post(`/api/leads/${leadId}/stage`, { stage: 'new' })).json().error.code).toBe('LEAD.BAD_STAGE');
    expect((await am.post(`/api/leads/${leadId}/stage`, { stage: 'lost' })).json().error.code).toBe('LEAD.LOST_REASON_REQUIRED');
  });

  it('climbs the ladder once per rung: 3 days the holder, 5 the managers, 7 back to the pool', async () => {
    const notes = (kind: string) => q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = ${kind} AND link = ${`/leads/${leadId}`}`).then((r) => r[0].n);
    clock.set('2026-12-04T01:59:00Z'); // 2 days 23:59 after the last touch
    await runJobsOnce(t.database.db);
    expect(await notes('lead.escalated')).toBe(0);
    clock.set('2026-12-04T02:00:00Z');
    await runJobsOnce(t.database.db);
    await runJobsOnce(t.database.db); // a second round (or server) notifies nobody twice
    expect(await notes('lead.escalated')).toBe(1);
    expect((await am.get(`/api/leads/${leadId}`)).json()).toMatchObject({ escalationLevel: 1, nextEscalationAt: '2026-12-06T02:00:00.000Z' });

    clock.set('2026-12-06T02:00:00Z');
    await runJobsOnce(t.database.db);
    const managers = await q<{ n: number }>(sql`SELECT count(DISTINCT staff_id)::int AS n FROM notifications WHERE kind = 'lead.escalated' AND link = ${`/leads/${leadId}`} AND staff_id <> ${amId}`);
    expect((await am.get(`/api/leads/${leadId}`)).json().escalationLevel).toBe(2);
    expect(managers[0].n).toBeGreaterThan(0);

    clock.set('2026-12-08T02:00:00Z');
    await runJobsOnce(t.database.db);
    const back = (await fsAdmin.get(`/api/leads/${leadId}`)).json();
    expect(back).toMatchObject({ ownerStaffId: null, escalationLevel: 3, flaggedAt: '2026-12-08T02:00:00.000Z', nextEscalationAt: null });
    expect(back.events.at(-1)).toMatchObject({ kind: 'returned', actorStaffId: null });
    expect(await notes('lead.returned')).toBeGreaterThan(0);
    // No longer held: he sees it in the pool, not under 我的商机, and may take it back.
    expect((await am.get('/api/leads?view=mine')).json().items.some((l: { id: number }) => l.id === leadId)).toBe(false);
    expect((await am.get('/api/leads?view=pool')).json().items.some((l: { id: number }) => l.id === leadId)).toBe(true);
    const claimed = await am.post(`/api/leads/${leadId}/claim`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ ownerStaffId: amId, escalationLevel: 0, nextEscalationAt: '2026-12-11T02:00:00.000Z' });
    expect((await am.post(`/api/leads/${leadId}/claim`)).json().error.code).toBe('LEAD.NOT_IN_POOL');
  });

  it('a manager reassigns only to an account manager of the lead’s department, and is audited', async () => {
    const [{ other }] = await q<{ other: number }>(sql`SELECT id AS other FROM staff WHERE staff_no = 'fs_staff'`);
    const bad = await fsAdmin.post(`/api/leads/${leadId}/assign`, { staffId: other });
    expect(bad.json().error.code).toBe('LEAD.BAD_ASSIGNEE');
    expect((await am.post(`/api/leads/${leadId}/assign`, { staffId: amId })).statusCode).toBe(403);
    // Who may take it: the department's account managers, with their load and capacity.
    const who = (await fsAdmin.get(`/api/leads/${leadId}/assignees`)).json().items as { staffId: number; open: number; capacity: number; name: string }[];
    expect(who.find((w) => w.staffId === amId)).toMatchObject({ name: '陈雨君', capacity: 30 });
    expect(who.map((w) => w.staffId).sort()).toEqual((await ccManagers()).map((m) => m.staffId).sort());
    expect((await hyAdmin.get(`/api/leads/${leadId}/assignees`)).statusCode).toBe(404);
    const ok = await fsAdmin.post(`/api/leads/${leadId}/assign`, { staffId: amId, reason: '客户指定' });
    expect(ok.statusCode, ok.body).toBe(200);
    const [a] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'lead.reassign' AND entity_id = ${String(leadId)}`);
    expect(a.n).toBe(1);
  });
});

describe('a won lead is a scored cross-sale', () => {
  it('records the sale from the lead (product, client, department, holder) and scores it: 基金 10 万元 → 24.00 to him', async () => {
    clock.set('2026-12-09T02:00:00Z');
    const made = await am.post('/api/leads', { productCode: 'FUND', departmentId: ccDept, personId: fsPerson, contactName: '张女士', source: 'activity', keepMine: true });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id;
    expect(made.json()).toMatchObject({ departmentCode: 'CC', productCode: 'FUND', ownerStaffId: amId });
    const won = await am.post(`/api/leads/${id}/win`, { sourceId: 'LEAD-WIN-0001', saleDate: '2026-12-09', quantity: '10' });
    expect(won.statusCode, won.body).toBe(200);
    const { lead, sale } = won.json();
    expect(sale).toMatchObject({ status: 'created', sourceId: 'LEAD-WIN-0001' });
    expect(lead).toMatchObject({ stage: 'won', saleId: sale.saleId, nextEscalationAt: null });
    const split = (await am.get(`/api/scoring/sales/${sale.saleId}/split`)).json();
    expect(split.people).toEqual([expect.objectContaining({ staffId: amId, points: '24.00' })]);
    expect(split.departments.map((d: { code?: string; points: string }) => d.points).sort()).toEqual(['24.00', '6.00']);
    // Final: neither moved nor won twice.
    expect((await am.post(`/api/leads/${id}/win`, { sourceId: 'LEAD-WIN-0002', saleDate: '2026-12-09', quantity: '1' })).json().error.code).toBe('LEAD.BAD_STAGE');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales WHERE source_id = 'LEAD-WIN-0002'`);
    expect(n).toBe(0);
  });

  it('refuses a lead with no client on file, saying so', async () => {
    const made = await am.post('/api/leads', { productCode: 'FUND', departmentId: ccDept, contactName: '路人', keepMine: true });
    const res = await am.post(`/api/leads/${made.json().id}/win`, { sourceId: 'LEAD-WIN-0003', saleDate: '2026-12-09', quantity: '1' });
    expect(res.json().error.code).toBe('LEAD.CLIENT_REQUIRED');
  });
});

describe('商机处理率 and the pool', () => {
  it('counts handled ÷ received by department and holder, only within the caller’s scope', async () => {
    const res = await fsAdmin.get('/api/leads/handling-rate?from=2026-12-01&to=2026-12-31');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // Four leads in 佛山 CC: 王女士 (new), 李先生 (contacted), 张女士 (won), 路人 (new) → 2 of 4.
    expect(r.all).toEqual({ total: 4, handled: 2, won: 1, rateBp: 5000, rate: '50.00' });
    expect(r.departments).toEqual([expect.objectContaining({ departmentCode: 'CC', nodeCode: '44100', total: 4, handled: 2 })]);
    expect((await hyAdmin.get('/api/leads/handling-rate?from=2026-12-01&to=2026-12-31')).json().all.total).toBe(0);
  });

  it('a manager sets capacities and empties the pool by the rule; a manager at capacity takes nothing', async () => {
    const managers = await ccManagers();
    for (const m of managers) expect((await fsAdmin.put(`/api/leads/capacity/${m.staffId}`, { capacity: 0 })).statusCode).toBe(200);
    const made = await am.post('/api/leads', { productCode: 'CREDIT', contactName: '池中客户' });
    expect(made.json().ownerStaffId).toBeNull();
    // The pool: this one, and 王女士, whom nobody touched for 7 days (returned by the ladder).
    expect((await fsAdmin.post(`/api/leads/pool/${ccDept}/assign`)).json()).toEqual({ assigned: 0, left: 2 });
    expect((await fsAdmin.put(`/api/leads/capacity/${amId}`, { capacity: 50 })).statusCode).toBe(200);
    expect((await fsAdmin.post(`/api/leads/pool/${ccDept}/assign`)).json()).toEqual({ assigned: 2, left: 0 });
    expect((await am.get(`/api/leads/${made.json().id}`)).json().ownerStaffId).toBe(amId);
    expect((await hyAdmin.put(`/api/leads/capacity/${amId}`, { capacity: 1 })).statusCode).toBe(403);
  });
});
