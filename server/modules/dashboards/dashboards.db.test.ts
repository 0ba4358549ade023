import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { seedQuotaYear } from '../quotas/testing.js';

let t: TestApp;
let fx: Awaited<ReturnType<typeof seedQuotaYear>>;
let chair: Client;
let admin: Client;
let hyAdmin: Client;
let outletAm: Client;
const FS = DEMO_NODES.foshan;

beforeAll(async () => {
  t = await createTestApp();
  fx = await seedQuotaYear(t.database.db);
  [chair, admin, hyAdmin, outletAm] = await Promise.all([t.login('fs_president'), t.login('admin'), t.login('hy_admin'), t.login(`qt_am_${fx.outlet.id}`)]);
  const fsAdmin = await t.login('fs_admin');
  const add = async (b: object) => expect((await fsAdmin.post('/api/quotas', { nodeId: FS, year: 2025, productId: fx.card.id, ...b })).statusCode).toBe(201);
  await add({ departmentId: fx.dept('CORP'), quantity: 20 });
  await add({ departmentId: fx.dept('INST'), quantity: 20 });
  await add({ departmentId: fx.dept('PF'), productId: fx.mort.id, quantity: 2 });
  await add({ departmentId: fx.dept('CORP'), staffId: fx.corp0, quantity: 10 });
  await add({ departmentId: fx.dept('PF'), outletNodeId: fx.outlet.id, quantity: 8 });
});
afterAll(() => t?.close());

type Row = {
  departmentCode: string;
  productId: number;
  staffId: number | null;
  outletNodeId: number | null;
  quota: string | null;
  completion: string;
  completionBp: number | null;
  reached50: boolean | null;
  reached100: boolean | null;
  sales: number;
};

describe('completion against quota (SPEC §10)', () => {
  it('counts host and participant sales; voided (mortgage rule) and struck sales, other years and branches stay out', async () => {
    const res = await chair.get(`/api/dashboards/completion?nodeId=${FS}&year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    const row = (dept: string, productId: number, o: { staffId?: number; outletNodeId?: number } = {}) =>
      c.rows.find((r: Row) => r.departmentCode === dept && r.productId === productId && r.staffId === (o.staffId ?? null) && r.outletNodeId === (o.outletNodeId ?? null)) as Row;
    // CORP: s1 10 + s2 5 = 15 of 20 → 75.00 %
    expect(row('CORP', fx.card.id)).toMatchObject({ quota: '20', completion: '15', completionBp: 7500, reached50: true, reached100: false, sales: 2 });
    // INST: s2 5 (s3, struck, does not count) of 20 → 25.00 %
    expect(row('INST', fx.card.id)).toMatchObject({ completion: '5', completionBp: 2500, reached50: false, sales: 1 });
    // PF × mortgage: s5 1 (s4, voided by the mortgage rule, does not count) of 2 → exactly 50 %
    expect(row('PF', fx.mort.id)).toMatchObject({ completion: '1', completionBp: 5000, reached50: true, reached100: false });
    // a person's and an outlet's quota
    expect(row('CORP', fx.card.id, { staffId: fx.corp0 })).toMatchObject({ quota: '10', completion: '15', completionBp: 15000, reached100: true });
    expect(row('PF', fx.card.id, { outletNodeId: fx.outlet.id })).toMatchObject({ quota: '8', completion: '10', completionBp: 12500 });
    // completion without a quota is shown without a percentage
    expect(row('PF', fx.card.id)).toMatchObject({ quota: null, completion: '10', completionBp: null, reached50: null });
    expect(row('CC', fx.card.id)).toMatchObject({ quota: null, completion: '5' });
    expect(row('RE', fx.mort.id)).toMatchObject({ quota: null, completion: '1' });
    expect(c.rows).toHaveLength(8);
    expect(c.departments).toEqual([
      { departmentId: fx.dept('CORP'), departmentCode: 'CORP', departmentName: '公司业务部', quotas: 1, reached50: 1, reached100: 0 },
      { departmentId: fx.dept('INST'), departmentCode: 'INST', departmentName: '机构业务部', quotas: 1, reached50: 0, reached100: 0 },
      { departmentId: fx.dept('PF'), departmentCode: 'PF', departmentName: '个人金融部', quotas: 1, reached50: 1, reached100: 0 },
    ]);
    expect(c.plan).toEqual({ state: 'draft', approvedVersion: 0 });
  });

  it('filters by months and by product line; a range across years is refused', async () => {
    const q1 = (await chair.get(`/api/dashboards/completion?nodeId=${FS}&from=2025-01&to=2025-03`)).json();
    expect(q1.rows.find((r: Row) => r.departmentCode === 'CORP' && r.staffId === null && r.outletNodeId === null)).toMatchObject({ completion: '10', completionBp: 5000 });
    const none = (await chair.get(`/api/dashboards/completion?nodeId=${FS}&year=2025&lineCode=WMP`)).json();
    expect(none.rows).toEqual([]);
    expect((await chair.get(`/api/dashboards/completion?nodeId=${FS}&from=2024-12&to=2025-01`)).json().error.code).toBe('DASHBOARD.ONE_YEAR');
    expect((await chair.get(`/api/dashboards/completion?nodeId=${FS}`)).json().error.code).toBe('DASHBOARD.BAD_PERIOD');
    expect((await chair.get(`/api/dashboards/completion?nodeId=${FS}&from=2025-05&to=2025-01`)).json().error.code).toBe('DASHBOARD.BAD_PERIOD');
  });
});

describe('rankings, trend and drill-down equal the hand sums', () => {
  it('ranks departments and people by points (statement totals), and by line from the ledger alike', async () => {
    const [ledger] = await rows<{ pts: number }>(
      t.database.db,
      sql`SELECT sum(points_hundredths)::int AS pts FROM ledger_entries WHERE node_id = ${FS} AND period BETWEEN '2025-01-01' AND '2025-12-01' AND kind <> 'void'`,
    );
    expect(ledger.pts).toBe(3500);
    for (const line of ['', '&lineCode=T_LINE']) {
      const r = (await chair.get(`/api/dashboards/rankings?nodeId=${FS}&year=2025${line}`)).json();
      expect(r.source).toBe(line ? 'ledger' : 'statement_totals');
      expect(r.total).toEqual({ points: '35.00', pointsHundredths: 3500 });
      expect(r.departments.map((d: { rank: number; code: string; points: string }) => `${d.rank}.${d.code}:${d.points}`)).toEqual([
        '1.PF:18.00',
        '2.CORP:10.00',
        '3.RE:4.00',
        '4.INST:2.00',
        '5.CC:1.00',
      ]);
      expect(r.people.map((p: { rank: number; staffId: number; points: string }) => [p.rank, p.staffId, p.points])).toEqual([
        [1, fx.corp0, '10.00'],
        [2, fx.outletAm.id, '2.00'],
      ]);
    }
    const wmp = (await chair.get(`/api/dashboards/rankings?nodeId=${FS}&year=2025&lineCode=WMP`)).json();
    expect([wmp.total.pointsHundredths, wmp.departments.length]).toEqual([0, 0]);
    const mid = (await chair.get(`/api/dashboards/rankings?nodeId=${FS}&from=2025-06&to=2025-09`)).json();
    expect(mid.total.points).toBe('25.00');
  });

  it('shows points per month with the voided points', async () => {
    const tr = (await chair.get(`/api/dashboards/trend?nodeId=${FS}&year=2025`)).json();
    expect(tr.months).toHaveLength(12);
    const m = (k: string) => tr.months.find((x: { month: string }) => x.month === k);
    expect([m('2025-03').points, m('2025-06').points, m('2025-09').points, m('2025-09').voided.points, m('2025-01').points]).toEqual(['10.00', '5.00', '20.00', '20.00', '0.00']);
    expect(tr.total.points).toBe('35.00');
    expect((await chair.get(`/api/dashboards/trend?nodeId=${FS}&year=2025&lineCode=T_LINE`)).json().total.points).toBe('35.00');
  });

  it('drills branch → departments → people, each level adding up to the one above', async () => {
    const branches = (await chair.get('/api/dashboards/drill?year=2025')).json();
    expect(branches.items.map((b: { id: number; points: string }) => [b.id, b.points])).toEqual([[FS, '35.00']]);
    const province = (await admin.get('/api/dashboards/drill?year=2025')).json();
    expect(province.items.map((b: { id: number }) => b.id)).toEqual(expect.arrayContaining([DEMO_NODES.province, FS, DEMO_NODES.heyuan]));
    expect(province.items.find((b: { id: number }) => b.id === DEMO_NODES.heyuan).points).toBe('100.00');

    const depts = (await chair.get(`/api/dashboards/drill?year=2025&nodeId=${FS}`)).json();
    expect(depts.level).toBe('departments');
    expect(depts.items.reduce((s: number, d: { pointsHundredths: number }) => s + d.pointsHundredths, 0)).toBe(3500);
    expect(depts.items[0]).toMatchObject({ code: 'PF', points: '18.00', shareBp: 5142 });
    const pf = (await chair.get(`/api/dashboards/drill?year=2025&nodeId=${FS}&departmentId=${fx.dept('PF')}`)).json();
    expect(pf).toMatchObject({ level: 'people', total: { points: '18.00' }, departmentLevel: { points: '16.00' } });
    expect(pf.items.map((p: { id: number; points: string }) => [p.id, p.points])).toEqual([[fx.outletAm.id, '2.00']]);
    expect((await chair.get(`/api/dashboards/drill?year=2025&nodeId=${FS}&departmentId=${DEMO_NODES.heyuan * 100 + 1}`)).json().error.code).toBe('DEPT.NOT_FOUND');
  });

  it('exports each board with Chinese headers', async () => {
    const load = async (url: string) => {
      const res = await chair.get(url);
      expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb;
    };
    const c = await load(`/api/dashboards/completion/export.xlsx?nodeId=${FS}&year=2025`);
    expect((c.worksheets[0].getRow(1).values as unknown[]).slice(1, 5)).toEqual(['部门代码', '部门', '产品代码', '产品']);
    const r = await load(`/api/dashboards/rankings/export.xlsx?nodeId=${FS}&year=2025`);
    const dep = r.getWorksheet('部门积分排名')!;
    expect(dep.getRow(dep.rowCount).values).toEqual([undefined, '合计', undefined, undefined, 35]);
    const tr = await load(`/api/dashboards/trend/export.xlsx?nodeId=${FS}&year=2025`);
    expect(tr.worksheets[0].rowCount).toBe(14); // header, 12 months, 合计
    const d = await load(`/api/dashboards/drill/export.xlsx?nodeId=${FS}&year=2025&departmentId=${fx.dept('PF')}`);
    expect(JSON.stringify(d.worksheets[0].getSheetValues())).toContain('部门留存');
  });
});

describe('access (SPEC §1 scope)', () => {
  it('401 without a session; 403 for a sibling branch; an outlet’s staff read their branch', async () => {
    expect((await t.anonymous.get(`/api/dashboards/rankings?nodeId=${FS}&year=2025`)).statusCode).toBe(401);
    const out = await hyAdmin.get(`/api/dashboards/rankings?nodeId=${FS}&year=2025`);
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'AUTH.OUT_OF_SCOPE']);
    expect((await hyAdmin.get(`/api/dashboards/completion/export.xlsx?nodeId=${FS}&year=2025`)).statusCode).toBe(403);
    expect((await hyAdmin.get('/api/dashboards/drill?year=2025')).json().items.map((b: { id: number }) => b.id)).toEqual([DEMO_NODES.heyuan]);
    expect((await outletAm.get(`/api/dashboards/rankings?nodeId=${FS}&year=2025`)).statusCode).toBe(200);
    expect((await outletAm.get(`/api/dashboards/rankings?nodeId=${DEMO_NODES.heyuan}&year=2025`)).statusCode).toBe(403);
  });
});
