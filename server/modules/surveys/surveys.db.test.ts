import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { verifyAuditChain } from '../audit/audit.service.js';

/**
 * 金融需求调查表 through the API (issue 13): codes issued for an activity, answered on a phone without
 * login, once; forged, expired and used links refused with nothing written; leads made and assigned
 * by the rules; walk-ins linked to the unit; answers in full for the team only; the board counts.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let fsAdmin: Client;
let am: Client; // 44110014 陈雨君, personal AM on the team
let hyAdmin: Client;
let fsStaff: Client;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let company = 0;
let people: number[] = [];
let projectId = 0;
let activityId = 0;
let links: string[] = [];
let generic = '';

const anon = (method: 'GET' | 'POST', path: string, payload?: unknown, ip = '10.0.0.1') =>
  t.app.inject({ method, url: `/api${path.replace(/^\/s\//, '/public/survey/')}`, payload: payload as object, remoteAddress: ip });
const answers = (over: Record<string, unknown> = {}) => ({ interests: [], loanIntent: 'none', loanHorizon: null, investBand: 'none', contactTime: 'any', note: null, ...over });
const counts = async () =>
  (
    await q<{ responses: number; used: number; people: number; audits: number; leads: number }>(
      sql`SELECT (SELECT count(*) FROM survey_responses)::int AS responses, (SELECT count(*) FROM survey_tokens WHERE used_at IS NOT NULL)::int AS used,
                 (SELECT count(*) FROM individuals)::int AS people, (SELECT count(*) FROM audit_log)::int AS audits, (SELECT count(*) FROM leads)::int AS leads`,
    )
  )[0];

beforeAll(async () => {
  const c = useTestClock('2026-12-01T02:00:00Z');
  clock = c.clock;
  restore = c.restore;
  t = await createTestApp();
  [fsAdmin, am, hyAdmin, fsStaff] = await Promise.all([t.login('fs_admin'), t.login('44110014'), t.login('hy_admin'), t.login('fs_staff')]);
  const [{ id: amId }] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = '44110014'`);
  [{ company }] = await q<{ company: number }>(
    sql`SELECT cp.company_id AS company FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
         WHERE n.path LIKE ${`/1/2/${FS}/%`} GROUP BY cp.company_id HAVING count(DISTINCT cp.person_id) >= 4 ORDER BY cp.company_id LIMIT 1`,
  );
  people = (await q<{ id: number }>(sql`SELECT DISTINCT person_id AS id FROM company_people WHERE company_id = ${company} ORDER BY 1 LIMIT 4`)).map((r) => r.id);
  const [corp] = await q<{ id: number }>(
    sql`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
         WHERE sr.role_code = 'corporate_am' AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
  );
  const [outlet] = await q<{ outlet: number; id: number }>(
    sql`SELECT n.id AS outlet, s.id FROM org_nodes n JOIN staff s ON s.node_id = n.id JOIN staff_roles sr ON sr.staff_id = s.id
         WHERE n.level = 'outlet' AND n.path LIKE ${`/1/2/${FS}/%`} AND sr.role_code = 'personal_am' AND s.active ORDER BY n.id, s.id LIMIT 1`,
  );
  const [{ dept, by }] = await q<{ dept: number; by: number }>(
    sql`SELECT d.id AS dept, (SELECT id FROM staff WHERE staff_no = 'fs_admin') AS by FROM departments d WHERE d.node_id = ${FS} ORDER BY d.id LIMIT 1`,
  );
  const [{ id: v }] = await q<{ id: number }>(sql`INSERT INTO target_list_versions (node_id, department_id, version_no, created_by) VALUES (${FS}, ${dept}, 1, ${by}) RETURNING id`);
  await q(sql`INSERT INTO target_list_entries (version_id, company_id, criteria) VALUES (${v}, ${company}, '[]'::jsonb) RETURNING version_id`);
  const members = [
    { staffId: corp.id, role: 'corporate_am' },
    { staffId: amId, role: 'personal_am' },
    { staffId: outlet.id, role: 'outlet_am' },
  ];
  const p = await fsAdmin.post('/api/projects', { companyId: company, coOutletNodeId: outlet.outlet, members });
  expect(p.statusCode, p.body).toBe(201);
  projectId = p.json().id;
  const a = await am.post(`/api/projects/${projectId}/activities`, { kind: 'salon', title: '年末理财沙龙', startsAt: '2026-12-05T06:30:00Z', place: '企业三楼会议室' });
  activityId = a.json().id;
  expect((await am.post(`/api/projects/activities/${activityId}/invitees`, { personIds: people.slice(0, 4) })).json()).toEqual({ invited: 4, already: 0 });
});

afterAll(async () => {
  restore();
  await t?.close();
});

describe('issuing survey codes', () => {
  it('the team issues one code per invitee and one generic code; other branches and non-members cannot', async () => {
    expect((await hyAdmin.post(`/api/surveys/activities/${activityId}/tokens`)).statusCode).toBe(404);
    expect((await fsStaff.post(`/api/surveys/activities/${activityId}/tokens`)).statusCode).toBe(403);
    expect((await am.post(`/api/surveys/activities/${activityId}/tokens`)).json()).toEqual({ issued: 4, renewed: 0, generic: true });
    expect((await am.post(`/api/surveys/activities/${activityId}/tokens`)).json()).toEqual({ issued: 0, renewed: 0, generic: false });
    const s = (await am.get(`/api/surveys/activities/${activityId}`)).json();
    expect(s.counts).toMatchObject({ invited: 4, sent: 4, answered: 0 });
    links = s.invitees.map((v: { surveyPath: string }) => v.surveyPath);
    generic = s.generic.surveyPath;
    expect(links.every((l) => /^\/s\/[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/.test(l))).toBe(true);
    expect((await hyAdmin.get(`/api/surveys/activities/${activityId}`)).statusCode).toBe(404);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'survey.issue'`);
    expect(n).toBe(2);
    const pdf = await am.get(`/api/surveys/activities/${activityId}/qr-sheet.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('answering on a phone', () => {
  it('shows only the person’s own name and the questions', async () => {
    const res = await anon('GET', links[0]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const [{ name }] = await q<{ name: string }>(sql`SELECT name FROM individuals WHERE id = ${people[0]}`);
    expect(body.personName).toBe(name);
    expect(Object.keys(body).sort()).toEqual(['activityTitle', 'bankName', 'expiresAt', 'kind', 'personName', 'questions']);
    expect(body.questions.map((x: { key: string }) => x.key)).toContain('loanIntent');
  });

  it('a forged or unknown token is 404 and writes nothing', async () => {
    const before = await counts();
    const [id, exp, sig] = links[1].slice(3).split('.');
    for (const bad of [`${id}.${exp}.${'A'.repeat(22)}`, `zzzz.${exp}.${sig}`, 'nonsense', `${(parseInt(id, 36) + 1000).toString(36)}.${exp}.${sig}`]) {
      const res = await anon('POST', `/s/${bad}`, { answers: answers({ loanIntent: 'mortgage', loanHorizon: '3m' }), consent: true });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'SURVEY.BAD_TOKEN', message: expect.stringContaining('问卷链接无效') });
    }
    expect(await counts()).toEqual(before);
  });

  it('two submissions of one link at once: exactly one wins, the other is told it was used', async () => {
    const body = { answers: answers({ loanIntent: 'mortgage', loanHorizon: '3m', investBand: '50to100', interests: ['INS'] }), consent: true };
    const res = await Promise.all([anon('POST', links[0], body, '10.0.0.2'), anon('POST', links[0], body, '10.0.0.3')]);
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const lost = res.find((r) => r.statusCode === 409)!;
    expect(lost.json().error.message).toContain('已提交');
    expect(res.find((r) => r.statusCode === 200)!.json()).toEqual({ ok: true, leads: 3 });
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM survey_responses WHERE person_id = ${people[0]}`);
    expect(n).toBe(1);
    expect((await anon('GET', links[0])).statusCode).toBe(409);
  });

  it('makes leads by the rules, routed to the product’s department and assigned by capacity, audited', async () => {
    const leads = await q<{ product: string; dept: string; owner: number | null; source: string; projectId: number; activityId: number; sourceKey: string }>(
      sql`SELECT p.code AS product, d.code AS dept, l.owner_staff_id AS owner, l.source, l.project_id AS "projectId", l.activity_id AS "activityId", l.source_key AS "sourceKey"
            FROM leads l JOIN products p ON p.id = l.product_id JOIN departments d ON d.id = l.department_id WHERE l.person_id = ${people[0]} AND l.source = 'survey' ORDER BY l.id`,
    );
    expect(leads.map((l) => [l.product, l.dept])).toEqual([
      ['MORTGAGE', 'PF'],
      ['WMP', 'PF'],
      ['INS', 'PF'],
    ]);
    expect(leads.every((l) => l.owner !== null && l.projectId === projectId && l.activityId === activityId)).toBe(true);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('survey.submit', 'lead.create')`);
    expect(n).toBeGreaterThanOrEqual(4);
    // Written set-based for the batch: each lead's history in order, its holder told, the chain intact.
    const events = await q<{ kind: string }>(sql`SELECT e.kind FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE l.person_id = ${people[0]} ORDER BY e.id`);
    expect(events.map((e) => e.kind)).toEqual(['created', 'assigned', 'created', 'assigned', 'created', 'assigned']);
    const [{ told }] = await q<{ told: number }>(
      sql`SELECT count(*)::int AS told FROM notifications nt JOIN leads l ON nt.link = '/leads/' || l.id AND nt.staff_id = l.owner_staff_id WHERE l.person_id = ${people[0]} AND nt.kind = 'lead.assigned'`,
    );
    expect(told).toBe(3);
    expect((await verifyAuditChain(t.database.db)).broken).toBeNull();
  });

  it('without consent the answers are kept and no lead is made', async () => {
    const res = await anon('POST', links[1], { answers: answers({ loanIntent: 'mortgage', loanHorizon: '3m' }), consent: false });
    expect(res.json()).toEqual({ ok: true, leads: 0 });
  });

  it('an expired link is 410 with its message and writes nothing; re-issuing gives a new link', async () => {
    clock.set('2026-12-15T02:00:01Z');
    const before = await counts();
    const res = await anon('POST', links[2], { answers: answers(), consent: true });
    expect(res.statusCode).toBe(410);
    expect(res.json().error).toMatchObject({ code: 'SURVEY.EXPIRED', message: expect.stringContaining('已过期') });
    expect((await anon('GET', links[2])).statusCode).toBe(410);
    expect(await counts()).toEqual(before);
    expect((await am.post(`/api/surveys/activities/${activityId}/tokens`)).json()).toMatchObject({ issued: 0, renewed: 3 });
    const s = (await am.get(`/api/surveys/activities/${activityId}`)).json();
    const fresh = s.invitees[2].surveyPath;
    expect(fresh).not.toBe(links[2]);
    expect((await anon('GET', links[2])).statusCode).toBe(410);
    expect((await anon('POST', fresh, { answers: answers(), consent: true })).statusCode).toBe(200);
    generic = s.generic.surveyPath;
  });

  it('a walk-in types name and phone: a new person linked to the unit; the same phone twice is refused', async () => {
    expect((await anon('POST', generic, { answers: answers(), consent: true })).json().error.code).toBe('SURVEY.WALK_IN_DETAILS');
    expect((await anon('GET', generic)).json()).toMatchObject({ kind: 'generic', personName: null });
    const body = { answers: answers({ interests: ['CREDIT'] }), consent: true, name: '路人甲', phone: '139 0000 1234' };
    const ok = await anon('POST', generic, body);
    expect(ok.json()).toEqual({ ok: true, leads: 1 });
    const [p] = await q<{ id: number; role: string; idNumber: string }>(
      sql`SELECT i.id, cp.role, i.id_number AS "idNumber" FROM individuals i JOIN company_people cp ON cp.person_id = i.id AND cp.company_id = ${company} WHERE i.phone = '13900001234'`,
    );
    expect(p).toMatchObject({ role: 'staff', idNumber: expect.stringMatching(/^SV[0-9A-F]{16}$/) });
    const again = await anon('POST', generic, body);
    expect(again.statusCode).toBe(409);
    const [{ cc }] = await q<{ cc: string }>(sql`SELECT d.code AS cc FROM leads l JOIN departments d ON d.id = l.department_id WHERE l.person_id = ${p.id}`);
    expect(cc).toBe('CC');
  });
});

describe('who sees the answers', () => {
  it('the team in full; the branch administrator masked; phones always masked', async () => {
    const team = (await am.get(`/api/surveys/activities/${activityId}`)).json();
    expect(team.fullAnswers).toBe(true);
    expect(team.counts).toMatchObject({ invited: 4, answered: 4, walkIns: 1, leads: 4 });
    expect(team.responses[0].answers.loanIntent).toBe('mortgage');
    expect(team.responses.every((r: { phone: string | null }) => !/^1\d{10}$/.test(r.phone ?? ''))).toBe(true);
    expect(team.invitees.map((v: { status: string }) => v.status)).toEqual(['answered', 'answered', 'answered', 'sent']);
    const branch = (await fsAdmin.get(`/api/surveys/activities/${activityId}`)).json();
    expect(branch.fullAnswers).toBe(false);
    expect(branch.responses.every((r: { answers: unknown }) => r.answers === null)).toBe(true);
  });

  it('the board’s funnel counts the surveyed people of the project', async () => {
    const board = (await am.get(`/api/projects/${projectId}/board`)).json();
    expect(board.funnel.find((f: { stage: string }) => f.stage === 'surveyed').count).toBe(4);
  });
});
