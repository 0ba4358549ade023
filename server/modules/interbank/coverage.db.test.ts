import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { fiLandings, fiProspects, staff, staffRoles } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { useTestClock } from '../../calendar/index.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { addInstitution, addSigning, correctSigning, moveInstitution } from './coverage.fixtures.js';
import { runInterbankSnapshotJob } from './snapshots.job.js';
import { runSupervisionJob } from './supervision.job.js';

/**
 * Issue 14, coverage and the weekly briefing on the demo bank. 佛山 has 5 institutions, 3 signed by
 * Sunday 2026-11-22 (exactly 60 %: not flagged); 河源 has 5, 2 signed (40 %: flagged). One of 河源's
 * moves to 佛山 on 2026-11-23; the 省联社 (held by the province) and one member in 河源 form the
 * association. 100 institutions sat in 佛山's jurisdiction only in January, all signed then — the
 * province's own count on 2026-01-10 is 100 (150 ÷ 100 × 10 = 15).
 */
let t: TestApp;
const FS = DEMO_NODES.foshan;
const HY = DEMO_NODES.heyuan;
const PROV = DEMO_NODES.province;
const ids: Record<string, number> = {};
const signing: Record<string, number> = {};
let officer = 0;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const clock = useTestClock('2026-12-06T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  ids.assoc = await addInstitution(db, { nodeId: PROV, name: '广东省农村信用社联合社', kind: 'association' });
  for (const k of ['A1', 'A2', 'A3', 'A4', 'A5']) ids[k] = await addInstitution(db, { nodeId: FS, name: `佛山${k}农商行` });
  for (const k of ['B1', 'B2', 'B3', 'B4', 'B5']) ids[k] = await addInstitution(db, { nodeId: HY, name: `河源${k}农商行`, parentId: k === 'B3' ? ids.assoc : null });
  await moveInstitution(db, ids.B5, FS, '2026-11-23');
  signing.assoc = await addSigning(db, { institutionId: ids.assoc, nodeId: PROV, signedOn: '2026-11-03' });
  signing.A1 = await addSigning(db, { institutionId: ids.A1, nodeId: FS, signedOn: '2026-11-02' });
  signing.A2 = await addSigning(db, { institutionId: ids.A2, nodeId: FS, kind: 'product', signedOn: '2026-11-10' });
  signing.A3 = await addSigning(db, { institutionId: ids.A3, nodeId: FS, signedOn: '2026-11-18', unilateral: true });
  signing.A4 = await addSigning(db, { institutionId: ids.A4, nodeId: FS, signedOn: '2026-11-25' });
  signing.B1 = await addSigning(db, { institutionId: ids.B1, nodeId: HY, signedOn: '2026-11-05' });
  signing.B2 = await addSigning(db, { institutionId: ids.B2, nodeId: HY, signedOn: '2026-11-20' });
  // January's 100: in 佛山's jurisdiction from 2026-01-01 to 2026-01-31 only, signed on the 5th.
  await db.execute(sql`WITH i AS (
      INSERT INTO fi_institutions (code, name, kind, created_at, updated_at)
      SELECT 'JAN' || g, '一月机构' || g, 'village_bank', now(), now() FROM generate_series(1, 100) g RETURNING id)
    , j AS (INSERT INTO fi_jurisdictions (institution_id, node_id, valid_from, valid_to, set_at) SELECT id, ${FS}, DATE '2026-01-01', DATE '2026-01-31', now() FROM i RETURNING institution_id)
    INSERT INTO fi_signings (institution_id, node_id, kind, signed_on, recorded_at) SELECT institution_id, ${FS}, 'framework', DATE '2026-01-05', now() FROM j`);
  const at = new Date('2026-11-01T00:00:00Z');
  await db.insert(fiProspects).values([
    { institutionId: ids.A5, nodeId: FS, stage: 'negotiating', nextStep: '行领导拜访', updatedAt: at, createdAt: at },
    { institutionId: ids.B4, nodeId: HY, stage: 'dropped', updatedAt: at, createdAt: at },
    { institutionId: ids.B3, nodeId: HY, stage: 'approving', updatedAt: at, createdAt: at },
  ]);
  await db.insert(fiLandings).values({ institutionId: ids.A1, nodeId: FS, product: '零售智能风控', stage: 'testing', stageOn: '2026-11-15', note: '数据测试结果已出', updatedAt: at, createdAt: at });
  const [tpl] = await q<{ passwordHash: string }>(sql`SELECT password_hash AS "passwordHash" FROM staff WHERE staff_no = 'admin'`);
  const [p] = await db.insert(staff).values({ staffNo: 'hy_interbank', name: '河源联动负责人', nodeId: HY, passwordHash: tpl.passwordHash, mustChangePassword: false }).returning();
  await db.insert(staffRoles).values({ staffId: p.id, roleCode: 'interbank_officer', scopeNodeId: HY });
  officer = p.id;
});
afterAll(async () => {
  clock.restore();
  await t?.close();
});

const line = (list: { nodeId: number }[], nodeId: number) => list.find((l) => l.nodeId === nodeId) as Record<string, unknown>;

describe('coverage as of a day', () => {
  it('counts each institution for the branch whose jurisdiction covers the day, signed by then', async () => {
    const admin = await t.login('admin');
    const c = (await admin.get('/api/interbank/coverage?asOf=2026-11-22')).json();
    expect(c.thresholdBp).toBe(6000);
    expect(line(c.lines, FS)).toMatchObject({ institutions: 5, signed: 3, framework: 2, productOnly: 1, unilateral: 1, coverageBp: 6000, flagged: false });
    expect(line(c.lines, HY)).toMatchObject({ institutions: 5, signed: 2, coverageBp: 4000, flagged: true, scoreBasis: 'steps', scoreBp: 10000 });
    expect(c.province).toMatchObject({ institutions: 11, signed: 6, framework: 5, productOnly: 1, unilateral: 1, coverageBp: 5455 });
    expect(c.association).toMatchObject({ institutions: 2, signed: 1, unsigned: 1, coverageBp: 5000, names: ['广东省农村信用社联合社'] });
    // A week later B5 is 佛山's and A4 is signed: 4 of 6.
    const later = (await admin.get('/api/interbank/coverage?asOf=2026-11-29')).json();
    expect(line(later.lines, FS)).toMatchObject({ institutions: 6, signed: 4, coverageBp: 6667 });
    expect(line(later.lines, HY)).toMatchObject({ institutions: 4, signed: 2, coverageBp: 5000 });
    // January: the 100 whose jurisdiction has since ended.
    const jan = (await admin.get('/api/interbank/coverage?asOf=2026-01-10')).json();
    expect(jan.province).toMatchObject({ institutions: 111, signed: 100 });
    expect((await admin.get('/api/interbank/coverage?asOf=2026-02-01')).json().province).toMatchObject({ institutions: 11, signed: 0 });
  });

  it('the threshold is a setting: at 70 % 佛山’s 60 % is flagged too', async () => {
    const admin = await t.login('admin');
    expect((await admin.put('/api/settings/interbank.flagBelowPercent', { value: 70 })).statusCode).toBe(200);
    expect(line((await admin.get('/api/interbank/coverage?asOf=2026-11-22')).json().lines, FS)).toMatchObject({ flagged: true });
    expect((await admin.put('/api/settings/interbank.flagBelowPercent', { value: 60 })).statusCode).toBe(200);
  });

  it('a tier-2 branch reads the province’s totals and its own line only', async () => {
    const fs = await t.login('fs_admin');
    const c = (await fs.get('/api/interbank/coverage?asOf=2026-11-22')).json();
    expect(c.provinceLevel).toBe(false);
    expect(c.lines.map((l: { nodeId: number }) => l.nodeId)).toEqual([FS]);
    expect(c.province.signed).toBe(6);
  });
});

describe('weekly snapshots and the briefing', () => {
  let first: unknown;

  it('the job takes last week’s snapshot once, after the week has ended (Monday, Beijing)', async () => {
    const out = await runInterbankSnapshotJob(t.database.db, new Date('2026-11-23T02:00:00Z'));
    expect(out).toMatchObject({ done: [{ period: '2026-11-22' }], failed: [] });
    expect((await runInterbankSnapshotJob(t.database.db, new Date('2026-11-23T03:00:00Z'))).done).toEqual([]);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM fi_weekly_snapshots WHERE week_end = '2026-11-22'`);
    expect(n).toBe(1);
    const lines = await q<{ nodeId: number; coverageBp: number; flagged: boolean }>(
      sql`SELECT node_id AS "nodeId", coverage_bp AS "coverageBp", flagged FROM fi_snapshot_lines WHERE week_end = '2026-11-22' AND node_id IN (${FS}, ${HY}) ORDER BY node_id`,
    );
    expect(lines).toEqual([
      { nodeId: FS, coverageBp: 6000, flagged: false },
      { nodeId: HY, coverageBp: 4000, flagged: true },
    ]);
    const [audit] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.snapshot.take' AND entity_id = '2026-11-22'`);
    expect(audit.n).toBe(1);
  });

  it('the briefing: totals with the change from last week, the flagged branches, association, prospects, landings', async () => {
    const admin = await t.login('admin');
    const b = (await admin.get('/api/interbank/briefings/2026-11-22')).json();
    first = b;
    expect(b.data.province).toMatchObject({ signed: 6, unilateral: 1, coverageBp: 5455, added: 2, previousCoverageBp: 3636 });
    expect(b.data.lines.filter((l: { flagged: boolean }) => l.flagged).map((l: { nodeId: number }) => l.nodeId)).toEqual([HY]);
    expect(line(b.data.lines, HY)).toMatchObject({ added: 1 });
    expect(b.data.association).toMatchObject({ signed: 1, unsigned: 1 });
    expect(b.data.prospectCount).toBe(2);
    expect(b.data.landings).toEqual([expect.objectContaining({ product: '零售智能风控', stage: 'testing' })]);
    expect(b.paragraphs[0]).toContain('已签约6户（其中单方签约1户）');
    expect(b.paragraphs[1]).toContain('河源分行');
    expect(b.paragraphs[1]).not.toContain('佛山分行');
    expect(b.requirementsEdited).toBe(false);
  });

  it('never recomputed: signings changed after the snapshot leave the stored briefing as it was', async () => {
    const db = t.database.db;
    signing.A2b = await correctSigning(db, signing.A2, { kind: 'framework' }, '误录为产品协议，实为框架协议', new Date('2026-11-25T03:00:00Z'));
    signing.B4 = await addSigning(db, { institutionId: ids.B4, nodeId: HY, signedOn: '2026-11-21', recordedAt: new Date('2026-11-26T03:00:00Z') });
    const admin = await t.login('admin');
    // The live figure of the 22nd moved; the stored briefing did not.
    expect(line((await admin.get('/api/interbank/coverage?asOf=2026-11-22')).json().lines, HY)).toMatchObject({ signed: 3, flagged: false });
    expect((await admin.get('/api/interbank/briefings/2026-11-22')).json()).toEqual(first);
    expect((await admin.post('/api/interbank/briefings', { weekEnd: '2026-11-22' })).json().error.code).toBe('INTERBANK.SNAPSHOT_EXISTS');
  });

  it('the next week lists the correction with its reason; a future or non-Sunday week is refused', async () => {
    const admin = await t.login('admin');
    expect((await admin.post('/api/interbank/briefings', { weekEnd: '2026-11-28' })).json().error.code).toBe('INTERBANK.WEEK_INVALID');
    expect((await admin.post('/api/interbank/briefings', { weekEnd: '2026-12-06' })).json().error.code).toBe('INTERBANK.WEEK_INVALID');
    const res = await admin.post('/api/interbank/briefings', { weekEnd: '2026-11-29' });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b.data.previousWeekEnd).toBe('2026-11-22');
    expect(b.data.corrections).toEqual([
      expect.objectContaining({ signingId: signing.A2b, supersedesId: signing.A2, previousKind: 'product', kind: 'framework', reason: '误录为产品协议，实为框架协议' }),
    ]);
    // Against the stored week: 佛山 +1 (A4), 河源 +1 (B4, signed back-dated) and −0 for B5's move (unsigned).
    expect(line(b.data.lines, FS)).toMatchObject({ signed: 4, institutions: 6, added: 1, flagged: false });
    expect(line(b.data.lines, HY)).toMatchObject({ signed: 3, institutions: 4, added: 1, coverageBp: 7500, flagged: false });
    expect(b.data.province).toMatchObject({ signed: 8, added: 2 });
  });

  it('requirements are edited by the province only, and audited', async () => {
    const fs = await t.login('fs_admin');
    expect((await fs.put('/api/interbank/briefings/2026-11-22/requirements', { requirements: '佛山改写' })).json().error.code).toBe('AUTH.BANK_WIDE_REQUIRED');
    const admin = await t.login('admin');
    const res = await admin.put('/api/interbank/briefings/2026-11-22/requirements', { requirements: '低覆盖率二级分行立即采取措施，每周报送目标客户名单。' });
    expect(res.json()).toMatchObject({ requirements: '低覆盖率二级分行立即采取措施，每周报送目标客户名单。', requirementsEdited: true });
    expect(res.json().data).toEqual((first as { data: unknown }).data);
    const [a] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.briefing.requirements'`);
    expect(a.n).toBe(1);
  });

  it('a tier-2 branch reads its own line and flag, not the other branches', async () => {
    const hy = await t.login('hy_admin');
    const b = (await hy.get('/api/interbank/briefings/2026-11-22')).json();
    expect(b.provinceLevel).toBe(false);
    expect(b.data.lines.map((l: { nodeId: number }) => l.nodeId)).toEqual([HY]);
    expect(b.data.prospects.map((p: { nodeId: number }) => p.nodeId)).toEqual([HY]);
    expect(b.paragraphs.join('')).toContain('列入省分行每周督导');
    expect(b.paragraphs.join('')).not.toContain('佛山');
  });

  it('PDF with the Chinese font, and the workbook', async () => {
    const admin = await t.login('admin');
    const pdf = await admin.get('/api/interbank/briefings/2026-11-22/briefing.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toMatch(/NotoSansCJK|NotoSerifCJK/);
    const xlsx = await admin.get('/api/interbank/briefings/2026-11-22/briefing.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('weekly supervision of the flagged branch', () => {
  it('河源 owes three submissions for the next week, due Friday 17:00 Beijing', async () => {
    const subs = await q<{ kind: string; weekEnd: string; dueAt: Date }>(sql`SELECT kind, week_end::text AS "weekEnd", due_at AS "dueAt" FROM fi_submissions WHERE node_id = ${HY} ORDER BY kind`);
    expect(subs.map((s) => [s.kind, s.weekEnd, new Date(s.dueAt).toISOString()])).toEqual([
      ['progress', '2026-11-29', '2026-11-27T09:00:00.000Z'],
      ['targets', '2026-11-29', '2026-11-27T09:00:00.000Z'],
      ['visits', '2026-11-29', '2026-11-27T09:00:00.000Z'],
    ]);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM fi_submissions WHERE node_id = ${FS}`);
    expect(n).toBe(0);
  });

  it('reminds before the due time once, records on time and late, reports what is missing', async () => {
    const db = t.database.db;
    const notes = async (kind: string) => (await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = ${kind} AND staff_id = ${officer}`))[0].n;
    await runSupervisionJob(db, new Date('2026-11-25T12:00:00Z')); // more than 24 h before
    expect(await notes('interbank.submission_due')).toBe(0);
    await runSupervisionJob(db, new Date('2026-11-26T12:00:00Z'));
    await runSupervisionJob(db, new Date('2026-11-26T13:00:00Z'));
    expect(await notes('interbank.submission_due')).toBe(1);

    clock.clock.set('2026-11-27T08:30:00Z');
    const hy = await t.login('hy_interbank');
    const list = (await hy.get('/api/interbank/supervision?weekEnd=2026-11-29')).json().items as { id: number; kind: string; status: string }[];
    expect(list.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    const id = (k: string) => list.find((s) => s.kind === k)!.id;
    expect((await hy.post(`/api/interbank/supervision/${id('targets')}/submit`, { content: '目标客户：佛山B1、河源B4' })).json()).toMatchObject({ status: 'on_time' });
    const fs = await t.login('fs_admin');
    expect((await fs.post(`/api/interbank/supervision/${id('visits')}/submit`, { content: 'x' })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');

    clock.clock.set('2026-11-27T10:00:00Z');
    const hy2 = await t.login('hy_interbank');
    expect((await hy2.post(`/api/interbank/supervision/${id('visits')}/submit`, { content: '11月26日拜访河源B3' })).json()).toMatchObject({ status: 'late' });
    await runSupervisionJob(db, new Date('2026-11-27T10:00:00Z'));
    await runSupervisionJob(db, new Date('2026-11-27T11:00:00Z'));
    expect(await notes('interbank.submission_missing')).toBe(1);
    const after = (await hy2.get('/api/interbank/supervision?weekEnd=2026-11-29')).json().items as { kind: string; status: string }[];
    expect(Object.fromEntries(after.map((s) => [s.kind, s.status]))).toEqual({ targets: 'on_time', visits: 'late', progress: 'missing' });
    clock.clock.set('2026-12-06T02:00:00Z');
  });
});

describe('caliber, steps, plans and the adjustment', () => {
  it('the seeded caliber is 70/30 and the steps 1 = 60 %, 2 = 100 %; only the province adds versions, from today on', async () => {
    const admin = await t.login('admin');
    expect((await admin.get('/api/interbank/calibers')).json().items).toEqual([expect.objectContaining({ frameworkBp: 7000, productBp: 3000, validFrom: '2000-01-01', validTo: null })]);
    expect((await admin.get('/api/interbank/steps')).json().items[0].steps).toEqual([
      { signings: 1, bp: 6000 },
      { signings: 2, bp: 10000 },
    ]);
    const fs = await t.login('fs_admin');
    expect((await fs.post('/api/interbank/calibers', { frameworkBp: 6000, productBp: 4000, validFrom: '2027-01-01' })).json().error.code).toBe('AUTH.BANK_WIDE_REQUIRED');
    expect((await admin.post('/api/interbank/calibers', { frameworkBp: 6000, productBp: 4000, validFrom: '2026-01-01' })).json().error.code).toBe('INTERBANK.BACKDATED');
    expect((await admin.post('/api/interbank/calibers', { frameworkBp: 6000, productBp: 3000, validFrom: '2027-01-01' })).json().error.code).toBe('INTERBANK.CALIBER_SUM');
    const res = await admin.post('/api/interbank/calibers', { frameworkBp: 6000, productBp: 4000, validFrom: '2027-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    const list = (await admin.get('/api/interbank/calibers')).json().items;
    expect(list.map((c: { validFrom: string; validTo: string | null }) => [c.validFrom, c.validTo])).toEqual([
      ['2027-01-01', null],
      ['2000-01-01', '2026-12-31'],
    ]);
    expect(
      (
        await admin.post('/api/interbank/steps', {
          steps: [
            { signings: 2, bp: 5000 },
            { signings: 1, bp: 9000 },
          ],
          validFrom: '2027-01-01',
        })
      ).json().error.code,
    ).toBe('INTERBANK.STEPS_INVALID');
    const [a] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.caliber.set'`);
    expect(a.n).toBe(1);
  });

  it('a plan makes the weighted score: (framework × 70 % + product × 30 %) ÷ plan', async () => {
    const admin = await t.login('admin');
    expect((await admin.post('/api/interbank/plans', { year: 2026, nodeId: PROV, planCount: 10, reason: '年初下达' })).json().error.code).toBe('INTERBANK.NOT_TIER2');
    const res = await admin.post('/api/interbank/plans', { year: 2026, nodeId: FS, planCount: 10, reason: '年初下达' });
    expect(res.json()).toMatchObject({ outcome: 'inserted', plan: { planCount: 10, version: 1 } });
    expect((await admin.post('/api/interbank/plans', { year: 2026, nodeId: FS, planCount: 10, reason: '重复' })).json().outcome).toBe('unchanged');
    // 佛山 on the 29th: 4 framework (A2 corrected), no product agreement: 4 × 7000 ÷ 10 = 2800 bp.
    expect(line((await admin.get('/api/interbank/coverage?asOf=2026-11-29')).json().lines, FS)).toMatchObject({ planCount: 10, scoreBasis: 'plan', scoreBp: 2800 });
  });

  it('150 ÷ 100 × 10 = 15: the benchmark over the province’s own count on the chosen day, stored with its inputs', async () => {
    const admin = await t.login('admin');
    const body = { year: 2026, asOf: '2026-01-10', benchmarkName: '上海分行', benchmarkCount: 150, rounding: 'half_up' };
    const preview = (await admin.post('/api/interbank/plan-adjustments/preview', body)).json();
    expect(preview).toMatchObject({ ownCount: 100, lines: [{ nodeId: FS, planCount: 10, adjustedCount: 15 }] });
    expect((await admin.post('/api/interbank/plan-adjustments/preview', { ...body, asOf: '2020-06-01' })).json().error.code).toBe('INTERBANK.NO_OWN_SIGNINGS');
    const saved = await admin.post('/api/interbank/plan-adjustments', { ...body, reason: '按系统内标杆等比例调整' });
    expect(saved.statusCode, saved.body).toBe(201);
    const [row] = await q<{ benchmark_count: number; own_count: number; rounding: string; lines: unknown }>(sql`SELECT benchmark_count, own_count, rounding, lines FROM fi_plan_adjustments`);
    expect(row).toMatchObject({ benchmark_count: 150, own_count: 100, rounding: 'half_up', lines: [{ nodeId: FS, planCount: 10, adjustedCount: 15 }] });
    // The adjusted plan is the plan in force: 4 × 7000 ÷ 15 = 1866.67 → 1867 bp.
    expect(line((await admin.get('/api/interbank/coverage?asOf=2026-11-29')).json().lines, FS)).toMatchObject({ planCount: 15, scoreBp: 1867 });
    expect((await admin.get('/api/interbank/plan-adjustments?year=2026')).json().items[0]).toMatchObject({
      benchmarkName: '上海分行',
      ownCount: 100,
      lines: [{ nodeName: '佛山分行', adjustedCount: 15 }],
    });
  });

  it('rankings and trends read the stored weeks', async () => {
    const admin = await t.login('admin');
    const r = (await admin.get('/api/interbank/rankings?weeks=8')).json();
    expect(r.weeks).toEqual(['2026-11-22', '2026-11-29']);
    expect(r.byCoverage.slice(0, 3).map((l: { nodeId: number; rank: number }) => [l.nodeId, l.rank])).toEqual([
      [PROV, 1],
      [HY, 2],
      [FS, 3],
    ]);
    expect(r.series.find((s: { nodeId: number }) => s.nodeId === HY).coverageBp).toEqual([4000, 7500]);
    const hy = (await (await t.login('hy_admin')).get('/api/interbank/rankings')).json();
    expect(hy.byCoverage).toEqual([expect.objectContaining({ nodeId: HY, rank: 2 })]);
    expect(hy.series.map((s: { nodeId: number }) => s.nodeId)).toEqual([HY]);
  });
});
