import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { staff, staffRoles } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { useTestClock } from '../../calendar/index.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { addBatch, addEntry } from './performance.fixtures.js';
import { runInclusiveQuarterJob } from './quarter.job.js';

/**
 * SPEC §12 / seed 002 on the demo bank (whose 佛山 already has its groups and 2026-Q3's result):
 * 汕头's sub-branches grouped from 2026-10-01 (金平, 龙湖, 潮阳 优先发展行; 澄海 特色行 alone), 河源's
 * 源城 and 东源 优先发展行 with no whitelist business at all. In 2026-Q4 金平 drew 950,000 元 (two
 * outlets), 龙湖 1,000,000 元 (its drawing at 23:30 on 31 December, Beijing time), 潮阳 nothing:
 * 潮阳 is cut, 澄海 is kept alone, 源城 and 东源 tie.
 */
let t: TestApp;
let FS = 0; // 汕头分行
const HY = DEMO_NODES.heyuan;
const n: Record<string, number> = {};
const s: Record<string, number> = {};
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const clock = useTestClock('2026-09-20T02:00:00Z');
const WAN = 1_000_000; // 1 万元 in 分
const before: Record<string, number> = {};
const audits = async (...actions: string[]) => {
  const [a] = await q<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM audit_log WHERE action IN (${sql.join(
      actions.map((x) => sql`${x}`),
      sql`, `,
    )})`,
  );
  return a.n - actions.reduce((m, x) => m + (before[x] ?? 0), 0);
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  [{ id: FS }] = await q<{ id: number }>(sql`SELECT id FROM org_nodes WHERE level = 'branch' AND name LIKE '汕头%'`);
  for (const r of await q<{ id: number; name: string }>(sql`SELECT id, name FROM org_nodes WHERE path LIKE ${`%/${FS}/%`} OR path LIKE ${`%/${HY}/%`}`)) n[r.name] = r.id;
  const [tpl] = await q<{ passwordHash: string }>(sql`SELECT password_hash AS "passwordHash" FROM staff WHERE staff_no = 'admin'`);
  for (const [staffNo, name] of [
    ['st_admin', '汕头分行系统管理员'],
    ['st_am', '汕头客户经理'],
    ['st_lead', '汕头普惠金融部负责人'],
  ]) {
    const [p] = await db.insert(staff).values({ staffNo, name, nodeId: FS, passwordHash: tpl.passwordHash, mustChangePassword: false }).returning();
    s[staffNo] = p.id;
  }
  await db.insert(staffRoles).values({ staffId: s.st_admin, roleCode: 'admin', scopeNodeId: FS });
  for (const r of await q<{ id: number; staffNo: string }>(sql`SELECT id, staff_no AS "staffNo" FROM staff WHERE staff_no = 'hy_admin'`)) s[r.staffNo] = r.id;
  for (const r of await q<{ action: string; n: number }>(sql`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'perf_%' GROUP BY action`)) before[r.action] = r.n;
  const find = (part: string) => {
    const k = Object.keys(n).find((name) => name.includes(part));
    if (!k) throw new Error(`no node ${part}`);
    return n[k];
  };
  Object.assign(n, {
    chancheng: find('金平'),
    nanhai: find('龙湖'),
    shunde: find('潮阳'),
    sanshui: find('澄海'),
    yuancheng: find('源城'),
    dongyuan: find('东源'),
    A1: find('长平路'),
    A2: find('金砂路'),
    B1: find('珠池路'),
    C1: find('棉城'),
    D1: find('澄华'),
  });
  const batch = await addBatch(db, { code: 'T-2026Q3', name: '经营快贷白名单（测试）', ownerNodeId: FS, at: '2026-10-01T01:00:00Z' });
  const at = '2026-10-05T02:00:00Z';
  let i = 0;
  const entry = (outletNodeId: number, staffId: number | null, amountFen: number, contacts: { at: string; statusAfter: 'contacted' | 'interested' | 'applied' | 'drawn' | 'refused' }[] = []) =>
    addEntry(db, { batchId: batch, idNo: `91440600TEST${String(++i).padStart(6, '0')}`, clientName: `测试商户${i}`, outletNodeId, staffId, amountFen, assignedAt: at, contacts });
  // 长平路 (金平), st_am: 4 entries — 3 contacted, 2 interested, 2 applied, 2 drawn (800,000 元).
  await entry(n.A1, s.st_am, 50 * WAN, [
    { at: '2026-10-10T02:00:00Z', statusAfter: 'contacted' },
    { at: '2026-10-20T02:00:00Z', statusAfter: 'interested' },
    { at: '2026-11-05T02:00:00Z', statusAfter: 'applied' },
    { at: '2026-11-15T02:00:00Z', statusAfter: 'drawn' },
  ]);
  await entry(n.A1, s.st_am, 30 * WAN, [
    { at: '2026-10-11T02:00:00Z', statusAfter: 'contacted' },
    { at: '2026-11-01T02:00:00Z', statusAfter: 'drawn' },
  ]);
  await entry(n.A1, s.st_am, 20 * WAN, [{ at: '2026-10-12T02:00:00Z', statusAfter: 'refused' }]);
  await entry(n.A1, s.st_am, 10 * WAN);
  // 金砂路 (金平), not yet given to anyone: 3 entries, 1 drawn (150,000 元).
  await entry(n.A2, null, 15 * WAN);
  await db.execute(sql`UPDATE whitelist_entries SET status = 'drawn', status_at = '2026-10-15T02:00:00Z' WHERE id_no = '91440600TEST000005'`);
  await entry(n.A2, null, 10 * WAN);
  await entry(n.A2, null, 10 * WAN);
  // 珠池路 (龙湖): drawn at 23:30 on 31 Dec Beijing time (Q4); the other first contacted at 00:30 on 1 Jan (2027).
  await entry(n.B1, s.st_am, 100 * WAN, [{ at: '2026-12-31T15:30:00Z', statusAfter: 'drawn' }]);
  await entry(n.B1, s.st_am, 40 * WAN, [{ at: '2026-12-31T16:30:00Z', statusAfter: 'contacted' }]);
  // 棉城 (潮阳): contacted and interested, nothing drawn.
  await entry(n.C1, s.st_am, 20 * WAN, [{ at: '2026-11-01T02:00:00Z', statusAfter: 'contacted' }]);
  await entry(n.C1, s.st_am, 20 * WAN, [{ at: '2026-11-02T02:00:00Z', statusAfter: 'interested' }]);
  // 澄华 (澄海): one entry, drawn in December.
  await entry(n.D1, s.st_am, 5 * WAN, [{ at: '2026-12-10T02:00:00Z', statusAfter: 'drawn' }]);
});
afterAll(async () => {
  clock.restore();
  await t?.close();
});

const line = <T extends { nodeId: number }>(list: T[], nodeId: number) => list.find((l) => l.nodeId === nodeId) as T & Record<string, unknown>;

describe('outlet and person performance', () => {
  it('counts the funnel of a range in exact integers, by outlet, with half-up basis points', async () => {
    clock.clock.set('2027-01-07T02:00:00Z');
    const admin = await t.login('admin');
    const r = await admin.get(`/api/inclusive/performance/outlets?from=2026-10-01&to=2026-12-31&nodeId=${FS}`);
    expect(r.statusCode).toBe(200);
    const items = r.json().items;
    expect(line(items, n.A1)).toMatchObject({ entries: 4, contacted: 3, interested: 2, applied: 2, drawn: 2, entriesFen: 110 * WAN, drawnFen: 80 * WAN, contactedBp: 7500, drawnBp: 5000 });
    expect(line(items, n.A2)).toMatchObject({ entries: 3, contacted: 1, drawn: 1, drawnFen: 15 * WAN, drawnBp: 3333 });
    // The 00:30 contact on 1 January (Beijing) is not in Q4.
    expect(line(items, n.B1)).toMatchObject({ entries: 2, contacted: 1, drawn: 1, drawnFen: 100 * WAN, drawnBp: 5000 });
    expect(line(items, n.C1)).toMatchObject({ entries: 2, contacted: 2, interested: 1, drawn: 0, drawnBp: 0 });
    expect(items[0].nodeId).toBe(n.D1); // 1 of 1 drawn: 100 %
    const oct = (await admin.get(`/api/inclusive/performance/outlets?from=2027-01-01&to=2027-01-31&nodeId=${n.nanhai}`)).json().items;
    expect(oct).toEqual([expect.objectContaining({ nodeId: n.B1, entries: 2, contacted: 1, drawn: 0, drawnBp: 0 })]);
  });

  it('by person, with the outlet’s not-yet-given entries on their own line', async () => {
    const admin = await t.login('admin');
    const items = (await admin.get(`/api/inclusive/performance/people?from=2026-10-01&to=2026-12-31&nodeId=${n.chancheng}`)).json().items;
    expect(items).toHaveLength(2);
    expect(items.find((l: { staffId: number | null }) => l.staffId === s.st_am)).toMatchObject({ nodeId: n.A1, entries: 4, drawn: 2, drawnFen: 80 * WAN });
    expect(items.find((l: { staffId: number | null }) => l.staffId === null)).toMatchObject({ nodeId: n.A2, entries: 3, drawn: 1 });
  });

  it('keeps a branch to its own subtree and refuses bad ranges', async () => {
    const hy = await t.login('hy_admin');
    const own = (await hy.get('/api/inclusive/performance/outlets?from=2026-10-01&to=2026-12-31')).json().items;
    expect(own).toEqual([]);
    expect((await hy.get(`/api/inclusive/performance/outlets?from=2026-10-01&to=2026-12-31&nodeId=${FS}`)).statusCode).toBe(403);
    expect((await hy.get(`/api/inclusive/performance/people?from=2026-10-01&to=2026-12-31&nodeId=${n.A1}`)).statusCode).toBe(403);
    const admin = await t.login('admin');
    expect((await admin.get('/api/inclusive/performance/outlets?from=2026-12-31&to=2026-10-01')).json().error.code).toBe('PERF.RANGE_INVALID');
    const fsStaff = await t.login('fs_staff');
    expect((await fsStaff.get('/api/inclusive/performance/outlets?from=2026-10-01&to=2026-12-31')).statusCode).toBe(403);
  });
});

describe('groups and the quarterly rule', () => {
  it('sets effective-dated groups in scope, audited, never backdated', async () => {
    clock.clock.set('2026-09-20T02:00:00Z');
    const fs = await t.login('st_admin');
    const put = (client: typeof fs, nodeId: number, group: string | null, validFrom = '2026-10-01') =>
      client.put('/api/inclusive/groups', { nodeId, group, validFrom, reason: '2026年普惠金融责任状分类' });
    for (const [node, g] of [
      [n.chancheng, 'priority'],
      [n.nanhai, 'priority'],
      [n.shunde, 'priority'],
      [n.sanshui, 'featured'],
    ] as const)
      expect((await put(fs, node, g)).statusCode).toBe(200);
    expect((await put(fs, n.yuancheng, 'priority')).statusCode).toBe(403);
    expect((await put(fs, n.A1, 'priority')).json().error.code).toBe('PERF.NOT_SUBBRANCH');
    expect((await put(fs, n.chancheng, 'follow', '2026-09-01')).json().error.code).toBe('PERF.BACKDATED');
    const hy = await t.login('hy_admin');
    expect((await put(hy, n.yuancheng, 'priority')).statusCode).toBe(200);
    expect((await put(hy, n.dongyuan, 'priority')).statusCode).toBe(200);
    expect(await audits('perf_group.set')).toBe(6);
    // Later, 澄海 moves to 跟进发展行 from 8 January: Q4 still reads the groups of 31 December.
    clock.clock.set('2027-01-07T02:00:00Z');
    expect((await put(fs, n.sanshui, 'follow', '2027-01-01')).json().error.code).toBe('PERF.BACKDATED');
    expect((await put(fs, n.sanshui, 'follow', '2027-01-08')).statusCode).toBe(200);
    const sep = (await fs.get('/api/inclusive/groups?day=2026-12-31')).json();
    expect(line(sep.members, n.sanshui)).toMatchObject({ group: 'featured', validFrom: '2026-10-01', validTo: '2027-01-07' });
    expect(sep.members.every((m: { branchNodeId: number }) => m.branchNodeId === FS)).toBe(true);
    const dec = (await fs.get('/api/inclusive/groups?day=2027-01-08')).json();
    expect(line(dec.members, n.sanshui)).toMatchObject({ group: 'follow', validFrom: '2027-01-08', validTo: null });
    expect(dec.history.length).toBe(5);
  });

  it('the job takes the ended quarter once, with the inputs, ranks and flags', async () => {
    const first = await runInclusiveQuarterJob(t.database.db, new Date('2027-01-07T02:00:00Z'));
    expect(first.done).toEqual([expect.objectContaining({ period: '2026-Q4' })]);
    expect((await runInclusiveQuarterJob(t.database.db, new Date('2027-01-07T03:00:00Z'))).done).toEqual([]);
    const admin = await t.login('admin');
    const list = (await admin.get('/api/inclusive/quarters')).json();
    expect(list.lastEndedQuarter).toBe('2026-Q4');
    const q4 = list.items.filter((h: { quarter: string }) => h.quarter === '2026-Q4');
    expect(q4).toHaveLength(1);
    const r = (await admin.get(`/api/inclusive/quarters/${q4[0].id}`)).json();
    expect(r).toMatchObject({ quarter: '2026-Q4', version: 1, measure: 'drawn_amount', takenBy: 'scheduler', periodFrom: '2026-10-01', periodTo: '2026-12-31' });
    expect(line(r.items, n.nanhai)).toMatchObject({ group: 'priority', rank: 1, members: 3, value: 100 * WAN, outcome: 'kept', inputs: { entries: 2, drawnCount: 1, drawnAmountFen: 100 * WAN } });
    expect(line(r.items, n.chancheng)).toMatchObject({ rank: 2, value: 95 * WAN, tiebreak: 4286, inputs: { entries: 7, drawnCount: 3, drawnAmountFen: 95 * WAN } });
    expect(line(r.items, n.shunde)).toMatchObject({ rank: 3, value: 0, flagged: true, outcome: 'cut' });
    expect(line(r.items, n.sanshui)).toMatchObject({ group: 'featured', members: 1, flagged: false, outcome: 'single' });
    expect(line(r.items, n.yuancheng)).toMatchObject({ outcome: 'tied_cut', flagged: true, rank: 1 });
    expect(line(r.items, n.dongyuan)).toMatchObject({ outcome: 'tied_cut', flagged: true });
    // A tier-2 branch reads only its own lines.
    const fsLines = (await (await t.login('st_admin')).get(`/api/inclusive/quarters/${r.id}`)).json().items;
    expect(fsLines.map((l: { nodeId: number }) => l.nodeId).sort()).toEqual([n.chancheng, n.nanhai, n.shunde, n.sanshui].sort());
    const hyList = (await (await t.login('hy_admin')).get('/api/inclusive/quarters')).json().items;
    expect(hyList.find((h: { quarter: string }) => h.quarter === '2026-Q4')).toMatchObject({ lines: 2, flagged: 2 });
  });

  it('is frozen; a re-run needs a reason and is the next version; only the province runs it', async () => {
    const db = t.database.db;
    const [res] = await q<{ id: number }>(sql`SELECT id FROM incl_quarter_results WHERE quarter = '2026-Q4' AND version = 1`);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => String(e.cause?.message ?? e.message),
      );
    expect(await refusal(db.execute(sql`UPDATE incl_quarter_lines SET flagged = false WHERE result_id = ${res.id}`))).toMatch(/frozen/);
    expect(await refusal(db.execute(sql`DELETE FROM incl_quarter_results WHERE id = ${res.id}`))).toMatch(/frozen/);
    const fs = await t.login('st_admin');
    expect((await fs.post('/api/inclusive/quarters', { quarter: '2026-Q4', reason: '补录' })).json().error.code).toBe('AUTH.BANK_WIDE_REQUIRED');
    const admin = await t.login('admin');
    expect((await admin.post('/api/inclusive/quarters', { quarter: '2026-Q4' })).json().error.code).toBe('PERF.QUARTER_TAKEN');
    expect((await admin.post('/api/inclusive/quarters', { quarter: '2027-Q1', reason: 'x' })).json().error.code).toBe('PERF.QUARTER_NOT_ENDED');
    // A drawing of 3,000,000 元 in 潮阳 on 20 December is recorded late: the re-run cuts 金平 instead.
    const [b] = await q<{ id: number }>(sql`SELECT id FROM whitelist_batches WHERE code = 'T-2026Q3'`);
    await addEntry(db, {
      batchId: b.id,
      idNo: '91440600LATE000001',
      clientName: '补录商户',
      outletNodeId: n.C1,
      staffId: s.st_am,
      amountFen: 300 * WAN,
      assignedAt: '2026-10-05T02:00:00Z',
      contacts: [{ at: '2026-12-20T02:00:00Z', statusAfter: 'drawn' }],
    });
    const r = await admin.post('/api/inclusive/quarters', { quarter: '2026-Q4', reason: '潮阳支行12月提款补录' });
    expect(r.statusCode).toBe(201);
    const v2 = r.json();
    expect(v2).toMatchObject({ version: 2, latestVersion: 2, reason: '潮阳支行12月提款补录' });
    expect(v2.takenBy).not.toBe('scheduler');
    expect(line(v2.items, n.shunde)).toMatchObject({ rank: 1, value: 300 * WAN, outcome: 'kept' });
    expect(line(v2.items, n.chancheng)).toMatchObject({ rank: 3, outcome: 'cut' });
    const v1 = (await admin.get(`/api/inclusive/quarters/${res.id}`)).json();
    expect(v1).toMatchObject({ version: 1, latestVersion: 2 });
    expect(line(v1.items, n.shunde)).toMatchObject({ outcome: 'cut' });
    expect(await audits('perf_quarter.take', 'perf_quarter.rerun')).toBe(2);
  });

  it('the measure is bank-wide and versioned', async () => {
    const fs = await t.login('st_admin');
    expect((await fs.post('/api/inclusive/measures', { measure: 'conversion_bp', validFrom: '2027-04-01', reason: '改为转化率' })).json().error.code).toBe('AUTH.BANK_WIDE_REQUIRED');
    const admin = await t.login('admin');
    expect((await admin.post('/api/inclusive/measures', { measure: 'conversion_bp', validFrom: '2027-04-01', reason: '二季度起按转化率考核' })).statusCode).toBe(201);
    const items = (await admin.get('/api/inclusive/measures')).json().items;
    expect(items.map((m: { measure: string; validTo: string | null }) => [m.measure, m.validTo])).toEqual([
      ['conversion_bp', null],
      ['drawn_amount', '2027-03-31'],
    ]);
  });
});

describe('蹲点 visits', () => {
  it('suggests good, average and poor outlets from last month’s ranking', async () => {
    const fs = await t.login('st_admin');
    const r = (await fs.get('/api/inclusive/visits/suggestions?month=2027-01')).json();
    expect(r.basedOn).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(r.items.map((i: { category: string }) => i.category)).toEqual(['good', 'average', 'poor']);
    expect(r.items[0].outlet).toMatchObject({ nodeId: n.D1, drawnBp: 10000 });
    expect(r.items[2].outlet.drawnBp).toBe(0);
  });

  it('plans, records with follow-ups, tracks them to closure, in scope and audited', async () => {
    const fs = await t.login('st_admin');
    const plan = { month: '2027-01', nodeId: n.C1, category: 'poor', leaderStaffId: s.st_lead, plannedOn: '2027-01-10' };
    const p = await fs.post('/api/inclusive/visits', plan);
    expect(p.statusCode).toBe(201);
    const id = p.json().id;
    expect(p.json()).toMatchObject({ status: 'planned', leaderName: expect.any(String), nodeId: n.C1 });
    expect((await fs.post('/api/inclusive/visits', plan)).json().error.code).toBe('PERF.VISIT_EXISTS');
    expect((await fs.post('/api/inclusive/visits', { ...plan, nodeId: n.shunde })).json().error.code).toBe('PERF.NOT_OUTLET');
    expect((await fs.post('/api/inclusive/visits', { ...plan, nodeId: n.A1, leaderStaffId: s.hy_admin })).json().error.code).toBe('PERF.STAFF_NOT_IN_SCOPE');
    const hy = await t.login('hy_admin');
    expect((await hy.post('/api/inclusive/visits', { ...plan, nodeId: n.A1, leaderStaffId: s.hy_admin })).statusCode).toBe(403);
    expect((await hy.get(`/api/inclusive/visits/${id}`)).statusCode).toBe(404);
    expect((await hy.post(`/api/inclusive/visits/${id}/cancel`, { reason: 'x' })).statusCode).toBe(404);

    const record = {
      visitedOn: '2027-01-07',
      participants: '普惠金融部 张伟、顺德支行 李娜',
      findings: '白名单客户多为老结算户，网点人员电话营销被误认为诈骗电话',
      problems: '分配不均，大堂经理未参与',
      actions: [
        { action: '统一营销话术并发送告知短信', ownerStaffId: s.st_am, dueOn: '2027-01-20' },
        { action: '白名单按客户结算网点重新分配', ownerStaffId: s.st_lead, dueOn: '2027-01-05' },
      ],
    };
    expect((await fs.post(`/api/inclusive/visits/${id}/record`, { ...record, actions: [{ ...record.actions[0], ownerStaffId: s.hy_admin }] })).json().error.code).toBe('PERF.STAFF_NOT_IN_SCOPE');
    expect((await fs.post(`/api/inclusive/visits/${id}/record`, { ...record, visitedOn: '2027-01-08' })).statusCode).toBe(400);
    const done = await fs.post(`/api/inclusive/visits/${id}/record`, record);
    expect(done.statusCode).toBe(200);
    const v = done.json();
    expect(v).toMatchObject({ status: 'done', visitedOn: '2027-01-07', participants: record.participants });
    expect(v.actions.map((a: { state: string }) => a.state)).toEqual(['overdue', 'open']);
    expect((await fs.post(`/api/inclusive/visits/${id}/record`, record)).json().error.code).toBe('PERF.VISIT_STATE');

    const overdue = v.actions[0].id;
    expect((await hy.post(`/api/inclusive/actions/${overdue}/close`, { closingNote: 'x' })).statusCode).toBe(404);
    const closed = (await fs.post(`/api/inclusive/actions/${overdue}/close`, { closingNote: '已按结算网点重新分配' })).json();
    expect(closed.actions[0]).toMatchObject({ state: 'closed', closedOn: '2027-01-07', closingNote: '已按结算网点重新分配' });
    expect((await fs.post(`/api/inclusive/actions/${overdue}/close`, { closingNote: 'again' })).json().error.code).toBe('PERF.ACTION_CLOSED');

    // A second visit planned and cancelled: planned vs done counts the one not cancelled.
    const other = (await fs.post('/api/inclusive/visits', { ...plan, nodeId: n.D1, category: 'good' })).json();
    expect((await fs.post(`/api/inclusive/visits/${other.id}/cancel`, { reason: '与季度检查合并' })).json().status).toBe('cancelled');
    const tally = (await fs.get('/api/inclusive/visits/tally')).json().items;
    expect(tally[0]).toEqual({ month: '2027-01', planned: 1, done: 1, cancelled: 1, doneBp: 10000, openActions: 1, overdueActions: 0 });
    expect((await hy.get('/api/inclusive/visits/tally')).json().items).toEqual([]);
    expect((await hy.get('/api/inclusive/visits?month=2027-01')).json().items).toEqual([]);
    const [a] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'perf_visit.%' AND node_id = ${n.C1}`);
    expect(a.n).toBe(3);
  });
});
