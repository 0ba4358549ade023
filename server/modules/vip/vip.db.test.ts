import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * 贵宾客户识别 through the API (SPEC §5, Art. 15): tiers are bank-wide and effective-dated; the people
 * a 佛山 project reached are screened; a qualifying one is registered, signed and given an AM whose
 * grade matches (a lower grade refused); the 临界 list ranks by gap and exports; another branch
 * neither reads nor writes any of it; the tiers import names every bad row and cell and a re-import
 * changes nothing.
 */
let t: TestApp;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let projectId = 0;
let rich = 0; // qualifies for PLATINUM
let near = 0; // 45,000 元: inside the band under GOLD
let am = 0;
let hyAm = 0;

const tier = (code: string, rank: number, yuan: number, grade: number, extra: Record<string, unknown> = {}) => ({
  code,
  nameZh: `${code}客户`,
  nameEn: code,
  rank,
  aumThresholdFen: yuan * 100,
  requiredGrade: grade,
  validFrom: '2026-12-01',
  ...extra,
});

beforeAll(async () => {
  restore = useTestClock('2026-12-01T02:00:00Z').restore;
  t = await createTestApp();
  [admin, fsAdmin, hyAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin')]);
  const [{ company, outlet }] = await q<{ company: number; outlet: number }>(
    sql`SELECT cp.company_id AS company, (SELECT id FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${FS}/%`} ORDER BY id LIMIT 1) AS outlet
          FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
         WHERE n.path LIKE ${`/1/2/${FS}/%`} GROUP BY cp.company_id HAVING count(DISTINCT cp.person_id) >= 3 ORDER BY cp.company_id LIMIT 1`,
  );
  [{ id: projectId }] = await q<{ id: number }>(
    sql`INSERT INTO projects (node_id, company_id, name, co_outlet_node_id, created_at) VALUES (${FS}, ${company}, '贵宾测试项目', ${outlet}, now()) RETURNING id`,
  );
  const [{ id: activity }] = await q<{ id: number }>(
    sql`INSERT INTO activities (project_id, kind, title, starts_at, created_at) VALUES (${projectId}, 'salon', '理财沙龙', now(), now()) RETURNING id`,
  );
  const people = (await q<{ id: number }>(sql`SELECT DISTINCT person_id AS id FROM company_people WHERE company_id = ${company} ORDER BY 1 LIMIT 2`)).map((r) => r.id);
  [rich, near] = people;
  for (const p of people) await q(sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, checkin_code) VALUES (${activity}, ${p}, now(), ${`code-${p}`}) RETURNING id`);
  await q(sql`UPDATE individuals SET aum_fen = 60000000, vip_tier = NULL WHERE id = ${rich} RETURNING id`);
  await q(sql`UPDATE individuals SET aum_fen = 4500000, vip_tier = NULL WHERE id = ${near} RETURNING id`);
  await q(sql`DELETE FROM holdings WHERE person_id = ${rich} RETURNING id`);
  for (const code of ['DEBIT', 'WMP', 'FUND'])
    await q(sql`INSERT INTO holdings (person_id, product_code, product_name, amount_fen, since) VALUES (${rich}, ${code}, ${code}, 100000, '2020-01-01') RETURNING id`);
  [{ id: am }] = await q<{ id: number }>(
    sql`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
         WHERE sr.role_code = 'personal_am' AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
  );
  [{ id: hyAm }] = await q<{ id: number }>(
    sql`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
         WHERE sr.role_code = 'personal_am' AND s.active AND n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} ORDER BY s.id LIMIT 1`,
  );
});

afterAll(async () => {
  restore();
  await t?.close();
});

describe('tiers are bank-wide, effective-dated configuration', () => {
  it('needs vip.configure at the root: a branch administrator is refused and nothing is written', async () => {
    const res = await fsAdmin.post('/api/vip/tiers', tier('GOLD', 1, 50_000, 2));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH.BANK_WIDE_REQUIRED');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM vip_tiers`);
    expect(n).toBe(0);
  });

  it('adds tiers in order, refuses a disordered or backdated one, keeps history', async () => {
    for (const b of [tier('GOLD', 1, 50_000, 2), tier('PLATINUM', 2, 500_000, 3, { minProducts: 3, requiredProductCode: 'DEBIT' }), tier('PRIVATE', 4, 6_000_000, 5)]) {
      const res = await admin.post('/api/vip/tiers', b);
      expect(res.statusCode, res.body).toBe(201);
    }
    const bad = await admin.post('/api/vip/tiers', tier('DIAMOND', 3, 400_000, 4));
    expect(bad.json().error.code).toBe('VIP.TIER_ORDER');
    const past = await admin.post('/api/vip/tiers', tier('GOLD', 1, 60_000, 2, { validFrom: '2026-11-30' }));
    expect(past.json().error.code).toBe('VIP.TIER_BACKDATED');
    const next = await admin.post('/api/vip/tiers', tier('GOLD', 1, 80_000, 2, { validFrom: '2027-01-01' }));
    expect(next.statusCode, next.body).toBe(201);
    const history = (await fsAdmin.get('/api/vip/tiers?history=true')).json().items.filter((x: { code: string }) => x.code === 'GOLD');
    expect(history.map((x: { validFrom: string; validTo: string | null }) => [x.validFrom, x.validTo])).toEqual([
      ['2027-01-01', null],
      ['2026-12-01', '2026-12-31'],
    ]);
    const now = (await fsAdmin.get('/api/vip/tiers')).json().items;
    expect(now.map((x: { code: string }) => x.code)).toEqual(['PRIVATE', 'PLATINUM', 'GOLD']);
    expect(now.find((x: { code: string }) => x.code === 'GOLD').aumThresholdFen).toBe(5_000_000);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'vip.tier.%'`);
    expect(n).toBe(4);
  });
});

describe('screening → registration → one-to-one → AM', () => {
  let regId = 0;
  it('screens the people the project reached; another branch sees none of them', async () => {
    const list = (await fsAdmin.get(`/api/vip/screening?projectId=${projectId}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ personId: rich, tierCode: 'PLATINUM', requiredGrade: 3, registered: false });
    const all = (await fsAdmin.get(`/api/vip/screening?projectId=${projectId}&show=all`)).json();
    expect(all.items.map((r: { personId: number }) => r.personId).sort()).toEqual([rich, near].sort());
    expect((await hyAdmin.get('/api/vip/screening?show=all')).json().items.find((r: { personId: number }) => r.personId === rich)).toBeUndefined();
    const run = (await fsAdmin.post('/api/vip/screening', { projectId })).json();
    expect(run).toMatchObject({ asOf: '2026-12-01', screened: 2, qualifying: 1, written: 2 });
    const kept = await q<{ tierCode: string | null }>(sql`SELECT tier_code AS "tierCode" FROM vip_screenings WHERE person_id = ${rich}`);
    expect(kept).toEqual([{ tierCode: 'PLATINUM' }]);
  });

  it('refuses a person outside the caller’s scope, one who does not qualify, and a second registration', async () => {
    const other = await hyAdmin.post('/api/vip/registrations', { items: [{ personId: rich, projectId }] });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('VIP.PERSON_NOT_REACHED');
    const poor = await fsAdmin.post('/api/vip/registrations', {
      items: [
        { personId: rich, projectId },
        { personId: near, projectId },
      ],
    });
    expect(poor.json().error.code).toBe('VIP.NOT_QUALIFIED');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM vip_registrations`);
    expect(n).toBe(0); // all or nothing
    const ok = await fsAdmin.post('/api/vip/registrations', { items: [{ personId: rich, projectId }] });
    expect(ok.statusCode, ok.body).toBe(201);
    regId = ok.json().items[0].id;
    expect(ok.json().items[0]).toMatchObject({ tierCode: 'PLATINUM', aumFen: 60_000_000, signedAt: null });
    expect((await fsAdmin.post('/api/vip/registrations', { items: [{ personId: rich, projectId }] })).json().error.code).toBe('VIP.ALREADY_REGISTERED');
    const [{ vipTier }] = await q<{ vipTier: string }>(sql`SELECT vip_tier AS "vipTier" FROM individuals WHERE id = ${rich}`);
    expect(vipTier).toBe('PLATINUM客户');
  });

  it('assigns an AM only after signing and only of a matching grade in scope', async () => {
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/am`, { staffId: am })).json().error.code).toBe('VIP.NOT_SIGNED');
    expect((await hyAdmin.post(`/api/vip/registrations/${regId}/sign`)).json().error.code).toBe('VIP.REGISTRATION_NOT_FOUND');
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/sign`)).statusCode).toBe(200);
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/am`, { staffId: am })).json().error.code).toBe('VIP.AM_NO_GRADE');
    expect((await fsAdmin.put(`/api/vip/grades/${am}`, { grade: 2, validFrom: '2026-12-01' })).statusCode).toBe(200);
    const low = await fsAdmin.post(`/api/vip/registrations/${regId}/am`, { staffId: am });
    expect(low.statusCode).toBe(409);
    expect(low.json().error).toMatchObject({ code: 'VIP.AM_GRADE_TOO_LOW', details: { grade: 2, requiredGrade: 3 } });
    expect((await fsAdmin.put(`/api/vip/grades/${hyAm}`, { grade: 5, validFrom: '2026-12-01' })).json().error.code).toBe('VIP.AM_NOT_FOUND');
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/am`, { staffId: hyAm })).json().error.code).toBe('VIP.AM_NOT_FOUND');
    expect((await fsAdmin.put(`/api/vip/grades/${am}`, { grade: 3, validFrom: '2026-12-01' })).statusCode).toBe(200);
    const cands = (await fsAdmin.get(`/api/vip/registrations/${regId}/am-candidates`)).json().items;
    expect(cands.map((c: { staffId: number }) => c.staffId)).toContain(am);
    const ok = await fsAdmin.post(`/api/vip/registrations/${regId}/am`, { staffId: am });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ amStaffId: am });
    const [{ dedicated }] = await q<{ dedicated: number }>(sql`SELECT dedicated_am_id AS dedicated FROM individuals WHERE id = ${rich}`);
    expect(dedicated).toBe(am);
    const actions = (await q<{ action: string }>(sql`SELECT action FROM audit_log WHERE action IN ('vip.register', 'vip.sign', 'vip.assign_am', 'vip.screen') ORDER BY seq`)).map((r) => r.action);
    expect(actions).toEqual(['vip.screen', 'vip.register', 'vip.sign', 'vip.assign_am']);
    expect((await hyAdmin.get('/api/vip/registrations')).json().total).toBe(0);
    expect((await fsAdmin.get('/api/vip/registrations')).json().items[0]).toMatchObject({ id: regId, amStaffId: am });
  });

  it('counts the VIP on the project board', async () => {
    const board = (await fsAdmin.get(`/api/projects/${projectId}/board`)).json();
    expect(board.funnel.find((s: { stage: string }) => s.stage === 'vip')).toMatchObject({ count: 1 });
  });

  it('ends a registration with a reason: kept on the row, tier and AM cleared, audited; then the person can be registered again', async () => {
    expect((await hyAdmin.post(`/api/vip/registrations/${regId}/end`, { reason: '客户资产下降' })).json().error.code).toBe('VIP.REGISTRATION_NOT_FOUND');
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/end`, { reason: '' })).statusCode).toBe(400);
    const ended = await fsAdmin.post(`/api/vip/registrations/${regId}/end`, { reason: '客户资产下降，不再符合白金标准' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'ended', endReason: '客户资产下降，不再符合白金标准', endedBy: expect.any(String), endedAt: '2026-12-01T02:00:00.000Z' });
    expect((await fsAdmin.post(`/api/vip/registrations/${regId}/end`, { reason: '再次终止' })).json().error.code).toBe('VIP.ALREADY_ENDED');
    const [person] = await q<{ tier: string | null; dedicated: number | null }>(sql`SELECT vip_tier AS tier, dedicated_am_id AS dedicated FROM individuals WHERE id = ${rich}`);
    expect(person).toEqual({ tier: null, dedicated: null });
    const [audit] = await q<{ after: { reason: string } }>(sql`SELECT after FROM audit_log WHERE action = 'vip.end' AND entity_id = ${String(regId)}`);
    expect(audit.after.reason).toBe('客户资产下降，不再符合白金标准');
    expect((await fsAdmin.get('/api/vip/registrations')).json().total).toBe(0);
    expect((await fsAdmin.get('/api/vip/registrations?status=ended')).json().items[0]).toMatchObject({ id: regId, status: 'ended' });
    const again = await fsAdmin.post('/api/vip/registrations', { items: [{ personId: rich, projectId }] });
    expect(again.statusCode, again.body).toBe(201);
  });
});

describe('临界区间客户', () => {
  it('lists people within the band under a tier, nearest first, in scope only, and exports them', async () => {
    const list = (await fsAdmin.get('/api/vip/near?pageSize=200')).json();
    expect(list.bandPercent).toBe(80);
    const hit = list.items.find((r: { personId: number }) => r.personId === near);
    expect(hit).toMatchObject({ nearTierCode: 'GOLD', gapFen: 500_000, closenessBp: 9000 });
    const gaps = list.items.map((r: { gapFen: number }) => r.gapFen);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect((await hyAdmin.get('/api/vip/near?pageSize=200')).json().items.find((r: { personId: number }) => r.personId === near)).toBeUndefined();
    const x = await fsAdmin.request({ method: 'GET', url: '/api/vip/near/export.xlsx' });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('排名');
    expect(ws.rowCount - 1).toBe(list.total);
  });
});

describe('the tiers import', () => {
  const HEAD = '等级代码,等级名称,英文名称,等级序号,金融资产门槛（元）,最少持有产品数,必备产品代码,客户经理最低等级,生效日期,失效日期,备注';
  async function upload(who: Client, csv: string) {
    const res = await who.request({ method: 'POST', url: '/api/imports/vip-tiers?mode=all', payload: uploadForm(Buffer.from(csv), 'tiers.csv', 'all') });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(t.database.db, res.json().id);
    return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
  }

  it('names every bad row and cell and writes nothing', async () => {
    const csv = [HEAD, 'DIAMOND,钻石客户,Diamond,3,1000000,,NOPE,4,2027-02-01,,', 'X1,坏,Bad,abc,0,,,9,2026-01-01,,', 'OLD,旧,Old,3,2000000,,,4,2026-11-01,,'].join('\n');
    const { job, errors } = await upload(admin, csv);
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 3 });
    const at = (row: number, column: string) => errors.items.find((e: { row: number; column: string }) => e.row === row && e.column === column);
    expect(at(2, '必备产品代码').message).toContain('NOPE');
    expect(at(3, '等级序号')).toBeTruthy();
    expect(at(3, '金融资产门槛（元）')).toBeTruthy();
    expect(at(3, '客户经理最低等级')).toBeTruthy();
    expect(at(4, '生效日期').code).toBe('VIP.TIER_BACKDATED');
    const denied = await upload(fsAdmin, [HEAD, 'DIAMOND,钻石客户,Diamond,3,1000000,,,4,2027-02-01,,'].join('\n'));
    expect(denied.errors.items[0].code).toBe('AUTH.BANK_WIDE_REQUIRED');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM vip_tiers WHERE code = 'DIAMOND'`);
    expect(n).toBe(0);
  });

  it('imports tier versions; the same file again changes nothing', async () => {
    const csv = [HEAD, 'DIAMOND,钻石客户,Diamond,3,1000000,3,WMP,4,2027-02-01,,', 'GOLD,GOLD客户,GOLD,1,80000,,,2,2027-01-01,,'].join('\n');
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 1, unchanged: 1 });
    const count = async () => (await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'vip.tier.%'`))[0].n;
    const before = await count();
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
    const [{ n: tiers }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM vip_tiers`);
    expect(tiers).toBe(5);
    expect(await count()).toBe(before);
  });
});
