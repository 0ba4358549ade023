import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { REPORT_CATALOGUE } from './catalogue.js';
import { seedReportCatalogue } from './definitions.service.js';
import { runReportJob } from './produce.js';
import { OWN_VIEWS } from './views.js';

/**
 * The reporting calendar end to end on 佛山分行's 2025 (quotas/testing.ts): the catalogue written
 * once, the job producing every ended period since the reports' start (1 March 2025) once — twice
 * run, or run by two at once, it writes each issue once —, the 旬 feed report waiting on its feed
 * until the import brings it, an issue read by a branch showing only that branch's lines, and a
 * re-run as version 2 with a reason while version 1 stays as it was sent.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
let fsStaff: Client;
let y: Awaited<ReturnType<typeof seedQuotaYear>>;
const q = <T>(query: Parameters<typeof rows>[1]) => rows<T>(t.database.db, query);

beforeAll(async () => {
  ({ clock, restore } = useTestClock('2025-03-12T09:00:00+08:00'));
  t = await createTestApp();
  const db = t.database.db;
  y = await seedQuotaYear(db);
  const [plan] = await rows<{ id: number }>(db, sql`INSERT INTO quota_plans (node_id, year, state, approved_version) VALUES (${y.FS}, 2025, 'approved', 1) RETURNING id`);
  for (const [dept, productId, qty] of [
    ['PF', y.card.id, 200_000],
    ['CORP', y.card.id, 300_000],
  ] as const)
    await db.execute(sql`INSERT INTO quotas (plan_id, node_id, year, department_id, product_id, quantity_1e4) VALUES (${plan.id}, ${y.FS}, 2025, ${await y.dept(dept)}, ${productId}, ${qty})`);
  [admin, fsAdmin, hyAdmin, fsStaff] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin'), t.login('fs_staff')]);
});
afterAll(async () => {
  await t?.close();
  restore?.();
});

const issueOf = async (code: string, periodKey: string, version = 1) =>
  (
    await q<{ id: number; status: string; waiting_on: string | null }>(
      sql`SELECT id, status, waiting_on FROM report_issues WHERE definition_code = ${code} AND period_key = ${periodKey} AND version = ${version}`,
    )
  )[0];

describe('the catalogue (seed 004, 41 reports)', () => {
  it('is written once, idempotently, as version 1 of each definition', async () => {
    expect(await seedReportCatalogue(t.database.db, { validFrom: '2025-03-01' })).toHaveLength(41);
    expect(await seedReportCatalogue(t.database.db, { validFrom: '2025-03-01' })).toEqual([]);
    const [{ n, v }] = await q<{ n: number; v: number }>(sql`SELECT count(*)::int AS n, max(version)::int AS v FROM report_definitions`);
    expect([n, v]).toEqual([41, 1]);
    const res = await fsStaff.get('/api/reports/catalogue');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { code: string; cadence: string; nameZh: string; producible: boolean; categoryZh: string }[];
    expect(items.map((i) => i.code)).toEqual(REPORT_CATALOGUE.map((d) => d.code));
    expect(items.find((i) => i.code === 'PRD-FOUR-BANKS-T')).toMatchObject({ cadence: 'ten_day', nameZh: '地区同业四行个人存款通报表', producible: true, categoryZh: '产品' });
    // Before the first run: the previous day's issue is late… missing once its due time has passed.
    expect(items.find((i) => i.code === 'PRD-SALES-D')).toMatchObject({ lastIssue: { id: null, periodKey: '2025-03-11', timeliness: 'pending' } });
  });
});

describe('producing issues', () => {
  it('produces every ended period once, freezes own data, and waits on a feed that has not arrived', async () => {
    const first = await runReportJob(t.database.db, clock.now());
    expect(first.failed).toEqual([]);
    const daily = await q<{ period_key: string }>(sql`SELECT period_key FROM report_issues WHERE definition_code = 'PRD-SALES-D' ORDER BY period_key`);
    expect(daily.map((d) => d.period_key)).toEqual([
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
      '2025-03-11',
    ]);
    expect(await issueOf('PRD-FOUR-BANKS-T', '2025-03-T1')).toMatchObject({ status: 'waiting_feed', waiting_on: 'four-bank-deposits' });
    expect(await issueOf('CHN-OUTLET-BUILD-W', '2025-W10')).toMatchObject({ status: 'waiting_feed', waiting_on: 'outlet-construction' });
    // Every own-data report has its view (views-own.ts): the leads report is produced too.
    expect(await issueOf('MKT-PEAK-SYS-W', '2025-W10')).toMatchObject({ status: 'produced' });
    // Not ended: this month, this 旬, this week.
    expect(await issueOf('MKT-RUN-ANALYSIS-M', '2025-03')).toBeUndefined();
    const again = await runReportJob(t.database.db, clock.now());
    expect(again.done).toEqual([]);
  });

  it('claims each (report, period) once when two runs race', async () => {
    clock.set('2025-03-13T08:00:00+08:00');
    const [a, b] = await Promise.all([runReportJob(t.database.db, clock.now()), runReportJob(t.database.db, clock.now())]);
    const made = [...a.done, ...b.done].map((d) => d.period).filter((p) => p.endsWith('2025-03-12'));
    expect(made.filter((p) => p === 'PRD-SALES-D/2025-03-12')).toHaveLength(1);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_issues WHERE period_key = '2025-03-12'`);
    expect(n).toBe(made.length);
  });

  it('keeps the figures as they were when produced: the sales day and the completion of 5 March', async () => {
    const sales = await issueOf('PRD-SALES-D', '2025-03-05');
    const res = await admin.get(`/api/reports/issues/${sales.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'produced', periodLabel: '2025年3月5日', version: 1, timeliness: 'late', nameZh: '个人金融业务产品销售日通报表' });
    expect(body.data.lines).toEqual([
      expect.objectContaining({ nodeId: y.FS, productCode: y.card.code, sales: 1, quantity1e4: 100_000, pointsHundredths: 1_000 }),
      expect.objectContaining({ nodeId: DEMO_NODES.heyuan, productCode: y.card.code, sales: 1, quantity1e4: 1_000_000, pointsHundredths: 10_000 }),
    ]);
    const peak = await issueOf('CUS-PEAK-PROGRESS-D', '2025-03-05');
    const p = (await admin.get(`/api/reports/issues/${peak.id}`)).json();
    expect(p.data.lines).toEqual([expect.objectContaining({ nodeId: y.FS, productCode: y.card.code, quota1e4: 500_000, done1e4: 200_000, completionBp: 4_000 })]);
    // The 11 March issue was produced on the 12th at 09:00, before its 10:00 due time.
    const on = await issueOf('PRD-SALES-D', '2025-03-11');
    expect((await admin.get(`/api/reports/issues/${on.id}`)).json().timeliness).toBe('on_time');
    // A produced issue is frozen in the database itself.
    await expect(t.database.db.execute(sql`UPDATE report_issues SET data = '{}'::jsonb WHERE id = ${sales.id}`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM report_issues WHERE id = ${sales.id}`)).rejects.toThrow();
  });

  it('shows a branch only its own lines', async () => {
    const sales = await issueOf('PRD-SALES-D', '2025-03-05');
    for (const [who, node] of [
      [fsAdmin, y.FS],
      [fsStaff, y.FS],
      [hyAdmin, DEMO_NODES.heyuan],
    ] as const) {
      const lines = (await who.get(`/api/reports/issues/${sales.id}`)).json().data.lines as { nodeId: number }[];
      expect(lines.map((l) => l.nodeId)).toEqual([node]);
    }
  });
});

describe('failures and definition versions', () => {
  it('stores a failed issue and produces it on the next run', async () => {
    const sales = OWN_VIEWS.sales!;
    OWN_VIEWS.sales = () => Promise.reject(new Error('view unavailable'));
    try {
      clock.set('2025-03-14T08:00:00+08:00');
      const run = await runReportJob(t.database.db, clock.now());
      expect(run.failed.map((f) => f.period)).toContain('PRD-SALES-D/2025-03-13');
      expect(await issueOf('PRD-SALES-D', '2025-03-13')).toMatchObject({ status: 'failed' });
      const cat = (await admin.get('/api/reports/catalogue')).json().items as { code: string; lastIssue: { status: string } }[];
      expect(cat.find((c) => c.code === 'PRD-SALES-D')!.lastIssue.status).toBe('failed');
    } finally {
      OWN_VIEWS.sales = sales;
    }
    const retry = await runReportJob(t.database.db, clock.now());
    expect(retry.done.map((d) => d.period)).toContain('PRD-SALES-D/2025-03-13');
    expect(await issueOf('PRD-SALES-D', '2025-03-13')).toMatchObject({ status: 'produced' });
  });

  it('a new definition version names the issues after it and never alters one before it', async () => {
    await t.database.db.execute(
      sql`INSERT INTO report_definitions (code, version, name_zh, name_en, category, cadence, due_after_working_days, due_time, owner_dept, source_kind, source, valid_from, reason, created_at)
          SELECT code, 2, '个人金融产品销售日报（新版）', 'Product sales, daily (v2)', category, cadence, due_after_working_days, '12:00', owner_dept, source_kind, source, '2025-03-14', '改为12点前报送', now()
            FROM report_definitions WHERE code = 'PRD-SALES-D' AND version = 1`,
    );
    clock.set('2025-03-15T08:00:00+08:00');
    await runReportJob(t.database.db, clock.now());
    const after = (await admin.get(`/api/reports/issues/${(await issueOf('PRD-SALES-D', '2025-03-14')).id}`)).json();
    expect(after).toMatchObject({ definitionVersion: 2, nameZh: '个人金融产品销售日报（新版）', dueAt: new Date('2025-03-17T12:00:00+08:00').toISOString() });
    const before = (await admin.get(`/api/reports/issues/${(await issueOf('PRD-SALES-D', '2025-03-12')).id}`)).json();
    expect(before).toMatchObject({ definitionVersion: 1, nameZh: '个人金融业务产品销售日通报表', dueAt: new Date('2025-03-13T10:00:00+08:00').toISOString() });
    // Production still starts from the first version's day: no gap, no re-issue.
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_issues WHERE definition_code = 'PRD-SALES-D' AND version = 1`);
    expect(n).toBe(14);
  });
});

describe('the four-bank feed (旬)', () => {
  const HEAD = '旬,机构号,本行余额（万元）,工商银行余额（万元）,农业银行余额（万元）,中国银行余额（万元）';
  async function upload(who: Client, csv: string) {
    const res = await who.request({ method: 'POST', url: '/api/imports/four-bank-deposits?mode=all', payload: uploadForm(Buffer.from(csv), 'four-banks.csv', 'all') });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(t.database.db, res.json().id);
    return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
  }
  const fs = '44100';

  it('names every bad row and cell and writes nothing', async () => {
    const { job, errors } = await upload(
      admin,
      [HEAD, `2025年3月上旬,${fs},1234567.89,2345678.9,1987654.32,876543.21`, '2025年3月第一旬,NOPE,abc,1,-2,1.234', `2025年4月上旬,${fs},1,1,1,1`].join('\n'),
    );
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 2 });
    const at = (row: number, column: string) => errors.items.find((e: { row: number; column: string }) => e.row === row && e.column === column);
    expect(at(3, '旬')).toBeTruthy();
    expect(at(3, '本行余额（万元）')).toBeTruthy();
    expect(at(3, '农业银行余额（万元）')).toBeTruthy();
    expect(at(3, '中国银行余额（万元）')).toBeTruthy();
    expect(at(4, '旬').message).toContain('尚未开始');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_feed_rows`);
    expect(n).toBe(0);
    // A tier-2 branch may not report another branch's figures.
    const other = await upload(fsAdmin, [HEAD, `2025年3月上旬,${'44200'},1,1,1,1`].join('\n'));
    expect(other.job.status).toBe('failed');
  });

  it('imports a 旬 (again: nothing changes), and the next run produces the waiting issue', async () => {
    const csv = [HEAD, `2025年3月上旬,${fs},1234567.89,2345678.9,1987654.32,876543.21`, `2025年3月上旬,44200,100,200,300,400`].join('\n');
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 2 });
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
    const [own] = await q<{ value: string }>(sql`SELECT value::text FROM report_feed_rows WHERE measure = 'own' AND node_id = ${y.FS}`);
    expect(own.value).toBe('1234567890000'); // 1,234,567.89 万元 in 分
    clock.set('2025-03-13T16:00:00+08:00');
    const run = await runReportJob(t.database.db, clock.now());
    expect(run.done.map((d) => d.period)).toContain('PRD-FOUR-BANKS-T/2025-03-T1');
    const issue = await issueOf('PRD-FOUR-BANKS-T', '2025-03-T1');
    expect(issue.status).toBe('produced');
    const body = (await fsAdmin.get(`/api/reports/issues/${issue.id}`)).json();
    // Due the 3rd working day after 10 March (13 March) at 17:00: on time.
    expect(body).toMatchObject({ timeliness: 'on_time', waitingOn: null });
    expect(body.data.lines).toEqual([expect.objectContaining({ nodeId: y.FS, values: { own: 1_234_567_890_000, icbc: 2_345_678_900_000, abc: 1_987_654_320_000, boc: 876_543_210_000 } })]);
  });
});

describe('re-running an issue', () => {
  it('needs report.manage held bank-wide and a reason; makes version 2 and keeps version 1', async () => {
    const v1 = await issueOf('PRD-SALES-D', '2025-03-05');
    expect((await fsStaff.post(`/api/reports/issues/${v1.id}/rerun`, { reason: '更正' })).statusCode).toBe(403);
    expect((await fsAdmin.post(`/api/reports/issues/${v1.id}/rerun`, { reason: '更正' })).statusCode).toBe(403);
    expect((await admin.post(`/api/reports/issues/${v1.id}/rerun`, {})).statusCode).toBe(400);
    // The day's figures change after the issue went out: a late sale of 5 March.
    await t.database.db.execute(sql`UPDATE sales SET struck_at = now(), struck_reason = '测试' WHERE node_id = ${DEMO_NODES.heyuan} AND sale_date = '2025-03-05'`);
    const res = await admin.post(`/api/reports/issues/${v1.id}/rerun`, { reason: '河源分行一笔销售认定虚假后重新生成' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toBe(2);
    const v2 = (await admin.get(`/api/reports/issues/${res.json().id}`)).json();
    expect(v2).toMatchObject({ version: 2, reason: '河源分行一笔销售认定虚假后重新生成', createdByName: expect.any(String) });
    expect(v2.data.lines.map((l: { nodeId: number }) => l.nodeId)).toEqual([y.FS]);
    expect(v2.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const old = (await admin.get(`/api/reports/issues/${v1.id}`)).json();
    expect(old.data.lines).toHaveLength(2);
    const list = (await fsStaff.get('/api/reports/definitions/PRD-SALES-D/issues')).json().items as { periodKey: string; version: number }[];
    expect(list.filter((i) => i.periodKey === '2025-03-05').map((i) => i.version)).toEqual([2, 1]);
    const [audit] = await q<{ action: string }>(sql`SELECT action FROM audit_log WHERE action = 'report.rerun'`);
    expect(audit).toBeTruthy();
  });

  it('answers 404 for an unknown report or issue', async () => {
    expect((await admin.get('/api/reports/definitions/NOPE/issues')).statusCode).toBe(404);
    expect((await admin.get('/api/reports/issues/999999')).statusCode).toBe(404);
  });
});
