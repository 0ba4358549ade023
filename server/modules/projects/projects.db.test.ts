import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * 营销项目 through the API (issue 13): a target unit's team, an activity with invitations and
 * check-in (QR code and by hand), a lead from the activity won into a sale filled in from the team,
 * the board's funnel and points, and the hand-over to the co-organising outlet. Scope: another
 * branch neither reads nor writes any of it.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let fsAdmin: Client;
let am: Client; // 44110014 陈雨君, personal AM (佛山 信用卡中心 CC)
let hyAdmin: Client;
let fsStaff: Client;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let company = 0;
let people: number[] = [];
let corpAm = { id: 0, staffNo: '', dept: '' };
let amId = 0;
let outlet = 0;
let outletAm = { id: 0, staffNo: '' };
let projectId = 0;
let activityId = 0;

beforeAll(async () => {
  const c = useTestClock('2026-12-01T02:00:00Z');
  clock = c.clock;
  restore = c.restore;
  t = await createTestApp();
  [fsAdmin, am, hyAdmin, fsStaff] = await Promise.all([t.login('fs_admin'), t.login('44110014'), t.login('hy_admin'), t.login('fs_staff')]);
  [{ id: amId }] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = '44110014'`);
  // A 佛山 company with at least four people linked to it.
  [{ company }] = await q<{ company: number }>(
    sql`SELECT cp.company_id AS company FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
         WHERE n.path LIKE ${`/1/2/${FS}/%`} GROUP BY cp.company_id HAVING count(DISTINCT cp.person_id) >= 4 ORDER BY cp.company_id LIMIT 1`,
  );
  people = (await q<{ id: number }>(sql`SELECT DISTINCT person_id AS id FROM company_people WHERE company_id = ${company} ORDER BY 1 LIMIT 4`)).map((r) => r.id);
  [corpAm] = await q<{ id: number; staffNo: string; dept: string }>(
    sql`SELECT s.id, s.staff_no AS "staffNo", d.code AS dept FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id JOIN departments d ON d.id = s.department_id
         WHERE sr.role_code = 'corporate_am' AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
  );
  [{ outlet, ...outletAm }] = await q<{ outlet: number; id: number; staffNo: string }>(
    sql`SELECT n.id AS outlet, s.id, s.staff_no AS "staffNo" FROM org_nodes n JOIN staff s ON s.node_id = n.id JOIN staff_roles sr ON sr.staff_id = s.id
         WHERE n.level = 'outlet' AND n.path LIKE ${`/1/2/${FS}/%`} AND sr.role_code = 'personal_am' AND s.active ORDER BY n.id, s.id LIMIT 1`,
  );
  // The unit is on 佛山's target list (version 1 of one department's list).
  const [{ dept, by }] = await q<{ dept: number; by: number }>(
    sql`SELECT d.id AS dept, (SELECT id FROM staff WHERE staff_no = 'fs_admin') AS by FROM departments d WHERE d.node_id = ${FS} ORDER BY d.id LIMIT 1`,
  );
  const [{ id: v }] = await q<{ id: number }>(sql`INSERT INTO target_list_versions (node_id, department_id, version_no, created_by) VALUES (${FS}, ${dept}, 1, ${by}) RETURNING id`);
  await q(sql`INSERT INTO target_list_entries (version_id, company_id, criteria) VALUES (${v}, ${company}, '[]'::jsonb) RETURNING version_id`);
});

afterAll(async () => {
  restore();
  await t?.close();
});

const team = () => [
  { staffId: corpAm.id, role: 'corporate_am' },
  { staffId: amId, role: 'personal_am' },
  { staffId: outletAm.id, role: 'outlet_am' },
];

describe('a project works a target unit', () => {
  it('forms a team only for a target unit, with a corporate and a personal AM, once per unit', async () => {
    const [{ other }] = await q<{ other: number }>(
      sql`SELECT c.id AS other FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} AND c.id <> ${company} ORDER BY c.id LIMIT 1`,
    );
    const notTarget = await fsAdmin.post('/api/projects', { companyId: other, coOutletNodeId: outlet, members: team() });
    expect(notTarget.json().error.code).toBe('PROJECT.NOT_TARGET');
    const noCorp = await fsAdmin.post('/api/projects', { companyId: company, coOutletNodeId: outlet, members: team().slice(1) });
    expect(noCorp.json().error.code).toBe('PROJECT.TEAM_NEEDS_CORPORATE');
    const badOutlet = await fsAdmin.post('/api/projects', { companyId: company, coOutletNodeId: FS, members: team() });
    expect(badOutlet.json().error.code).toBe('PROJECT.BAD_OUTLET');
    // 陈雨君 works projects but does not form teams; 河源's administrator cannot reach 佛山's unit.
    expect((await am.post('/api/projects', { companyId: company, coOutletNodeId: outlet, members: team() })).statusCode).toBe(403);
    expect((await hyAdmin.post('/api/projects', { companyId: company, coOutletNodeId: outlet, members: team() })).statusCode).toBe(403);

    const res = await fsAdmin.post('/api/projects', { companyId: company, coOutletNodeId: outlet, members: team() });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    projectId = p.id;
    expect(p.team.map((m: { role: string }) => m.role)).toEqual(['corporate_am', 'personal_am', 'outlet_am']);
    expect(p.name).toMatch(/公私联动营销项目$/);
    expect((await fsAdmin.post('/api/projects', { companyId: company, coOutletNodeId: outlet, members: team() })).json().error.code).toBe('PROJECT.DUPLICATE');
    const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE staff_id = ${amId} AND kind = 'project.team'`);
    expect(n.n).toBe(1);
  });

  it('is read by the team and the branch, and by nobody in another branch', async () => {
    expect((await am.get(`/api/projects/${projectId}`)).json().mayWork).toBe(true);
    expect((await hyAdmin.get(`/api/projects/${projectId}`)).statusCode).toBe(404);
    expect((await hyAdmin.get('/api/projects')).json().items).toEqual([]);
    expect((await fsStaff.get(`/api/projects/${projectId}`)).statusCode).toBe(403);
  });

  it('plans an activity, invites the unit’s people only, and checks in by QR code and by hand', async () => {
    const a = await am.post(`/api/projects/${projectId}/activities`, { kind: 'salon', title: '年末理财沙龙', startsAt: '2026-12-05T06:30:00Z', place: '企业三楼会议室' });
    expect(a.statusCode, a.body).toBe(201);
    activityId = a.json().id;
    const [{ stranger }] = await q<{ stranger: number }>(
      sql`SELECT id AS stranger FROM individuals WHERE id NOT IN (SELECT person_id FROM company_people WHERE company_id = ${company}) ORDER BY id LIMIT 1`,
    );
    expect((await am.post(`/api/projects/activities/${activityId}/invitees`, { personIds: [people[0], stranger] })).json().error.code).toBe('ACTIVITY.NOT_UNIT_PERSON');
    expect((await am.post(`/api/projects/activities/${activityId}/invitees`, { personIds: people.slice(0, 3) })).json()).toEqual({ invited: 3, already: 0 });
    expect((await am.post(`/api/projects/activities/${activityId}/invitees`, { personIds: people.slice(0, 3) })).json()).toEqual({ invited: 0, already: 3 });
    expect((await hyAdmin.post(`/api/projects/activities/${activityId}/invitees`, { personIds: [people[3]] })).statusCode).toBe(404);

    const detail = (await am.get(`/api/projects/activities/${activityId}`)).json();
    expect(detail.invitees).toHaveLength(3);
    expect(detail.invitees[0].phone ?? '').not.toMatch(/^1\d{10}$/);
    const code = detail.invitees[0].checkinPath.split('/').pop();
    // Another branch's administrator scanning the code learns nothing: the code is "unknown".
    expect((await hyAdmin.post(`/api/projects/checkin/${code}`)).json().error.code).toBe('ACTIVITY.BAD_CODE');
    expect((await am.post('/api/projects/checkin/AAAAAAAAAAAAAAAAAAAAAA')).json().error.code).toBe('ACTIVITY.BAD_CODE');
    clock.set('2026-12-05T06:25:00Z');
    const first = (await am.post(`/api/projects/checkin/${code}`)).json();
    expect(first).toMatchObject({ already: false, attended: 1, invited: 3 });
    clock.set('2026-12-05T06:26:00Z');
    const again = (await am.post(`/api/projects/checkin/${code}`)).json();
    expect(again).toMatchObject({ already: true, attended: 1, checkedInAt: '2026-12-05T06:25:00.000Z' });
    const manual = await am.post(`/api/projects/activities/${activityId}/invitees/${detail.invitees[1].id}/checkin`);
    expect(manual.json()).toMatchObject({ already: false, attended: 2 });
    const after = (await am.get(`/api/projects/activities/${activityId}`)).json();
    expect(after.invitees.map((v: { checkInMethod: string | null }) => v.checkInMethod)).toEqual(['qr', 'manual', null]);
    expect(after).toMatchObject({ invited: 3, attended: 2, accepted: 2 });

    const pdf = await am.get(`/api/projects/activities/${activityId}/qr-sheet.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await am.get(`/api/projects/activities/${activityId}/attendees.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const svg = await am.get(`/api/projects/activities/${activityId}/invitees/${detail.invitees[2].id}/qr.svg`);
    expect(svg.body).toMatch(/^<svg /);
  });

  it('wins a lead from the activity into a sale filled in from the team, with the project’s points on the board', async () => {
    clock.set('2026-12-06T02:00:00Z');
    const lead = await am.post('/api/leads', { productCode: 'FUND', personId: people[0], contactName: '沙龙客户', source: 'activity', projectId, activityId, keepMine: true });
    expect(lead.statusCode, lead.body).toBe(201);
    expect(lead.json()).toMatchObject({ projectId, activityId, ownerStaffId: amId });
    const outsider = await hyAdmin.post('/api/leads', { productCode: 'FUND', contactName: 'x', projectId });
    expect(outsider.statusCode).toBeGreaterThanOrEqual(400);

    const won = await am.post(`/api/leads/${lead.json().id}/win`, { sourceId: 'PRJ-WIN-0001', saleDate: '2026-12-06', quantity: '10' });
    expect(won.statusCode, won.body).toBe(200);
    const saleId = won.json().sale.saleId;
    const [sale] = await q<{ projectId: number }>(sql`SELECT project_id AS "projectId" FROM sales WHERE id = ${saleId}`);
    expect(sale.projectId).toBe(projectId);
    const people2 = await q<{ staffId: number; role: string }>(sql`SELECT staff_id AS "staffId", role FROM sale_people WHERE sale_id = ${saleId} ORDER BY staff_id`);
    expect(people2.map((p) => p.staffId).sort()).toEqual([corpAm.id, amId].sort());
    expect(people2.find((p) => p.staffId === corpAm.id)?.role).toBe('介绍人');
    // 基金 × 10 万元 at 3.00 = 30.00 points, all on the project's board.
    const board = (await am.get(`/api/projects/${projectId}/board`)).json();
    expect(board.points.totalHundredths).toBe(3000);
    expect(board.funnel.map((f: { stage: string; count: number }) => [f.stage, f.count]).slice(1, 3)).toEqual([
      ['invited', 3],
      ['attended', 2],
    ]);
    expect(board.funnel.find((f: { stage: string }) => f.stage === 'won').count).toBe(1);
    expect(board.timeline[0]).toMatchObject({ title: '年末理财沙龙', attended: 2 });
    expect(board.whiteSpace.people).toBeGreaterThanOrEqual(4);
    expect(board.whiteSpace.rows[0].cells).toHaveLength(board.whiteSpace.lines.length);

    // A sale naming another branch's project is refused by the one sale path.
    const [{ hyProject }] = await q<{ hyProject: number }>(sql`SELECT ${projectId}::int AS "hyProject"`);
    const bad = await hyAdmin.post('/api/sales', {
      sourceId: 'PRJ-HY-1',
      productCode: 'FUND',
      idNumber: null,
      uscc: null,
      projectId: hyProject,
      saleDate: '2026-12-06',
      quantity: '1',
      branchCode: '44200',
      departments: [],
      people: [],
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('hands the won client to the outlet AM, who records the feedback', async () => {
    const [{ leadId }] = await q<{ leadId: number }>(sql`SELECT id AS "leadId" FROM leads WHERE project_id = ${projectId} AND stage = 'won'`);
    const receivers = (await am.get(`/api/projects/${projectId}/receivers`)).json().items;
    expect(receivers.some((r: { staffId: number }) => r.staffId === outletAm.id)).toBe(true);
    expect((await am.post('/api/projects/handovers', { leadId, toStaffId: corpAm.id, task: '回访', dueOn: '2026-12-13' })).json().error.code).toBe('HANDOVER.BAD_RECEIVER');
    const h = await am.post('/api/projects/handovers', { leadId, toStaffId: outletAm.id, task: '一周内电话回访，了解基金定投意向', dueOn: '2026-12-13' });
    expect(h.statusCode, h.body).toBe(201);
    expect((await am.post('/api/projects/handovers', { leadId, toStaffId: outletAm.id, task: '再次', dueOn: '2026-12-13' })).json().error.code).toBe('HANDOVER.DONE');
    expect((await am.post(`/api/projects/handovers/${h.json().id}/feedback`, { feedback: 'x' })).json().error.code).toBe('HANDOVER.NOT_RECEIVER');
    const receiver = await t.login(outletAm.staffNo);
    const mine = (await receiver.get('/api/projects/handovers')).json().items;
    expect(mine).toHaveLength(1);
    const done = await receiver.post(`/api/projects/handovers/${h.json().id}/feedback`, { feedback: '已回访，客户计划每月定投2000元' });
    expect(done.json()).toMatchObject({ status: 'done', overdue: false });
    const [audit] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('handover.create', 'handover.feedback', 'activity.checkin', 'project.create')`);
    expect(audit.n).toBe(5);
  });

  it('writes 营销方案 as versions from a template, the allocation totalling exactly 100 %', async () => {
    const body = { personId: people[0], segment: 'executive', templateCode: 'EXEC', anchorProductCode: 'PBWMP', bundleProductCodes: ['INS', 'GOLD'], advice: '以私行理财为核心' };
    expect((await am.post(`/api/projects/${projectId}/plans`, { ...body, allocation: { deposit: 5000, wealth: 4999 } })).json().error.code).toBe('PLAN.ALLOCATION_TOTAL');
    expect((await am.post(`/api/projects/${projectId}/plans`, { ...body, allocation: { crypto: 10000 } })).json().error.code).toBe('PLAN.ALLOCATION_CLASS');
    const v1 = await am.post(`/api/projects/${projectId}/plans`, { ...body, allocation: { deposit: 1000, wealth: 4000, fund: 2000, insurance: 2000, gold: 1000 } });
    expect(v1.statusCode, v1.body).toBe(201);
    const v2 = await am.post(`/api/projects/${projectId}/plans`, { ...body, allocation: { deposit: 2000, wealth: 8000 } });
    expect(v2.json()).toMatchObject({ version: 2, anchorProduct: { code: 'PBWMP' }, bundle: [{ code: 'INS' }, { code: 'GOLD' }] });
    expect((await am.get(`/api/projects/${projectId}/plans`)).json().items.map((p: { version: number }) => p.version)).toEqual([2, 1]);
  });

  it('sets a phase goal and counts what was done toward it', async () => {
    const g = await fsAdmin.post('/api/projects/goals', { nodeId: FS, title: '四季度公私联动沙龙', measure: 'attendees', targetValue: 4, startsOn: '2026-10-01', endsOn: '2026-12-31' });
    expect(g.statusCode, g.body).toBe(201);
    expect(g.json()).toMatchObject({ actual: 2, progressBp: 5000, met: false, state: 'running' });
    expect((await am.post('/api/projects/goals', { nodeId: FS, title: 'x', measure: 'won', targetValue: 1, startsOn: '2026-10-01', endsOn: '2026-12-31' })).statusCode).toBe(403);
    const won = await fsAdmin.post('/api/projects/goals', { nodeId: FS, title: '成交', measure: 'won', targetValue: 1, startsOn: '2026-12-01', endsOn: '2026-12-31' });
    expect(won.json()).toMatchObject({ actual: 1, progressBp: 10000, met: true });
  });

  it('changes the team with history kept, and closes the project', async () => {
    const res = await fsAdmin.put(`/api/projects/${projectId}/team`, { members: team().slice(0, 2), reason: '网点客户经理调岗' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().team).toHaveLength(2);
    const [hist] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM project_members WHERE project_id = ${projectId} AND left_at IS NOT NULL`);
    expect(hist.n).toBe(1);
    expect((await fsAdmin.post(`/api/projects/${projectId}/close`)).json().status).toBe('closed');
    expect((await am.post(`/api/projects/${projectId}/activities`, { kind: 'visit', title: '上门', startsAt: '2026-12-07T02:00:00Z' })).json().error.code).toBe('PROJECT.CLOSED');
  });
});
