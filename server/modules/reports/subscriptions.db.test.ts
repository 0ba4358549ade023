import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { seedDemoReportSubscriptions } from '../../seed/demo-report-subscriptions.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { seedReportCatalogue } from './definitions.service.js';
import { deliverPending } from './delivery.js';
import { recordJobRun, recoverStuckRuns, runReportRound, STUCK_AFTER_MS } from './jobruns.js';

/**
 * Subscriptions and delivery (issue 16, decision 0040) on the four-bank 旬 report of March 2025's
 * first 旬: 佛山 5,000万元… in 分, 河源 2,000万元… — a branch subscriber receives only its branch's
 * line, conditional subscriptions are sent or held on each side of their threshold (measured on
 * the subscriber's own subtree), opening a delivery is the receipt the province reads, a delivery
 * is made once however many runs race, and a re-run's version is delivered again.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
let fsStaff: Client;
const FS = DEMO_NODES.foshan;
const HY = DEMO_NODES.heyuan;
const CODE = 'PRD-FOUR-BANKS-T';
const q = <T>(query: Parameters<typeof rows>[1]) => rows<T>(t.database.db, query);
const staffId = async (no: string) => (await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${no}`))[0].id;
let issueId: number;

beforeAll(async () => {
  ({ clock, restore } = useTestClock('2025-03-11T09:00:00+08:00'));
  t = await createTestApp();
  await seedReportCatalogue(t.database.db, { validFrom: '2025-03-01' });
  for (const [node, own] of [
    [FS, 5_000_000_000],
    [HY, 2_000_000_000],
  ] as const)
    for (const [m, v] of Object.entries({ own, icbc: own + 7, abc: own - 3, boc: 11 }))
      await t.database.db.execute(sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, imported_at) VALUES ('four-bank-deposits', '2025-03-T1', ${node}, ${m}, ${v}, now())`);
  [admin, fsAdmin, hyAdmin, fsStaff] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin'), t.login('fs_staff')]);
});
afterAll(async () => {
  await t?.close();
  restore?.();
});

describe('subscribing', () => {
  it('subscribes oneself, or the staff of one’s own subtree only; checks the measure; audited', async () => {
    expect((await fsStaff.post('/api/reports/subscriptions', { code: CODE })).statusCode).toBe(201);
    expect((await fsStaff.post('/api/reports/subscriptions', { code: CODE })).json().error.code).toBe('REPORT.ALREADY_SUBSCRIBED');
    // 佛山's manager cannot subscribe a 河源 member of staff (out of scope, nothing revealed).
    expect((await fsAdmin.post('/api/reports/subscriptions', { code: CODE, staffId: await staffId('hy_admin') })).statusCode).toBe(403);
    expect((await fsAdmin.post('/api/reports/subscriptions', { code: CODE, condition: { measure: 'nope', comparator: 'lt', threshold: 1 } })).json().error.code).toBe('REPORT.BAD_MEASURE');
    // Conditional: 本行余额 below 3,000万元 (in 分) — 佛山 is above it, 河源 below.
    const below = { measure: 'own', comparator: 'lt', threshold: 3_000_000_000 };
    expect((await fsAdmin.post('/api/reports/subscriptions', { code: CODE, condition: below })).statusCode).toBe(201);
    // The province subscribes 河源's manager for it; and itself above 6,000万元 over the whole bank (7,000万元).
    const hy = await admin.post('/api/reports/subscriptions', { code: CODE, staffId: await staffId('hy_admin'), condition: below });
    expect(hy.statusCode, hy.body).toBe(201);
    expect(hy.json()).toMatchObject({ staffName: expect.any(String), createdByName: expect.any(String), condition: below });
    expect((await admin.post('/api/reports/subscriptions', { code: CODE, condition: { measure: 'own', comparator: 'gt', threshold: 6_000_000_000 } })).statusCode).toBe(201);
    // 河源 sees its own; the province sees all four.
    expect((await hyAdmin.get('/api/reports/subscriptions')).json().items).toHaveLength(1);
    expect((await admin.get('/api/reports/subscriptions')).json().items).toHaveLength(4);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.subscribe'`);
    expect(n).toBe(4);
  });
});

describe('delivery', () => {
  it('delivers once per subscription when the job produces the issue, filtered and conditional', async () => {
    const out = await runReportRound(t.database.db, clock.now());
    expect(out.failed).toEqual([]);
    [{ id: issueId }] = await q<{ id: number }>(sql`SELECT id FROM report_issues WHERE definition_code = ${CODE} AND period_key = '2025-03-T1' AND status = 'produced'`);
    const d = await q<{ staff_no: string; sent: boolean; measured: string | null; lines: number }>(
      sql`SELECT s.staff_no, x.sent, x.measured::text, x.lines FROM report_deliveries x JOIN staff s ON s.id = x.staff_id WHERE x.issue_id = ${issueId} ORDER BY s.staff_no`,
    );
    expect(d).toEqual([
      { staff_no: 'admin', sent: true, measured: '7000000000', lines: 2 },
      { staff_no: 'fs_admin', sent: false, measured: '5000000000', lines: 1 },
      { staff_no: 'fs_staff', sent: true, measured: null, lines: 1 },
      { staff_no: 'hy_admin', sent: true, measured: '2000000000', lines: 1 },
    ]);
    // Only reports someone subscribed to are delivered.
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_deliveries`);
    expect(n).toBe(4);
  });

  it('gives a branch subscriber its own lines only, as the console and the attachment show; opening is the receipt', async () => {
    const inbox = (await fsStaff.get('/api/notifications')).json();
    const note = (inbox.items as { kind: string; link: string; titleZh: string }[]).find((x) => x.kind === 'report.delivered');
    expect(note?.titleZh).toContain('2025年3月上旬');
    const mine = (await fsStaff.get('/api/reports/deliveries')).json().items as { id: number; readAt: string | null }[];
    expect(mine).toHaveLength(1);
    expect(note?.link).toBe(`/reports/deliveries/${mine[0].id}`);
    expect(mine[0].readAt).toBeNull();
    // Nobody else opens it — not even a manager of another branch.
    expect((await hyAdmin.get(`/api/reports/deliveries/${mine[0].id}`)).statusCode).toBe(404);
    expect((await fsAdmin.get('/api/reports/deliveries')).json().items).toEqual([]); // held: not sent
    clock.set('2025-03-11T10:30:00+08:00');
    const open = await fsStaff.get(`/api/reports/deliveries/${mine[0].id}`);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().issue.data.lines.map((l: { nodeId: number }) => l.nodeId)).toEqual([FS]);
    expect(open.json().delivery.readAt).toBe(new Date('2025-03-11T10:30:00+08:00').toISOString());
    const xlsx = await fsStaff.get(`/api/reports/deliveries/${mine[0].id}/attachment.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, '机构号', '机构', '本行余额（元）', '工商银行余额（元）', '农业银行余额（元）', '中国银行余额（元）']);
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe('50000000.00');
    // The province reads who has opened it; a branch may not.
    expect((await fsAdmin.get(`/api/reports/issues/${issueId}/receipts`)).statusCode).toBe(403);
    const rec = (await admin.get(`/api/reports/issues/${issueId}/receipts`)).json().items as { staffNo: string; sent: boolean; readAt: string | null }[];
    expect(rec.map((r) => [r.staffNo, r.sent, r.readAt !== null])).toEqual(
      expect.arrayContaining([
        ['fs_staff', true, true],
        ['fs_admin', false, false],
        ['hy_admin', true, false],
        ['admin', true, false],
      ]),
    );
    // Opening again keeps the first receipt.
    clock.set('2025-03-11T11:00:00+08:00');
    expect((await fsStaff.get(`/api/reports/deliveries/${mine[0].id}`)).json().delivery.readAt).toBe(new Date('2025-03-11T10:30:00+08:00').toISOString());
  });

  it('never delivers twice: another round and racing passes add nothing', async () => {
    await runReportRound(t.database.db, clock.now());
    const [a, b] = await Promise.all([deliverPending(t.database.db, clock.now()), deliverPending(t.database.db, clock.now())]);
    expect([...a.done, ...b.done]).toEqual([]);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'report.delivered'`);
    expect(n).toBe(3);
  });

  it('delivers a re-run as a new version, and ends a subscription', async () => {
    const subs = (await fsStaff.get('/api/reports/subscriptions')).json().items as { id: number }[];
    const res = await admin.post(`/api/reports/issues/${issueId}/rerun`, { reason: '佛山分行余额更正后重新生成' });
    expect(res.statusCode, res.body).toBe(201);
    const mine = (await fsStaff.get('/api/reports/deliveries')).json().items as { issueId: number; version: number }[];
    expect(mine.map((m) => m.version)).toEqual([2, 1]);
    expect((await hyAdmin.delete(`/api/reports/subscriptions/${subs[0].id}`)).statusCode).toBe(404);
    expect((await fsStaff.delete(`/api/reports/subscriptions/${subs[0].id}`)).statusCode).toBe(204);
    expect((await fsStaff.get('/api/reports/subscriptions')).json().items).toEqual([]);
  });
});

describe('rankings', () => {
  it('ranks the branches on a measure; a branch sees its own place, the province the table', async () => {
    const all = (await admin.get(`/api/reports/definitions/${CODE}/rankings?measure=own`)).json();
    expect(all.periods).toEqual([expect.objectContaining({ periodKey: '2025-03-T1', version: 2, of: 2 })]);
    expect(all.rows.map((r: { nodeId: number; points: { rank: number; value: number }[] }) => [r.nodeId, r.points[0]])).toEqual([
      [FS, { value: 5_000_000_000, rank: 1 }],
      [HY, { value: 2_000_000_000, rank: 2 }],
    ]);
    const hy = (await hyAdmin.get(`/api/reports/definitions/${CODE}/rankings?measure=own`)).json();
    expect(hy.rows).toEqual([expect.objectContaining({ nodeId: HY, points: [{ value: 2_000_000_000, rank: 2 }] })]);
    expect((await admin.get(`/api/reports/definitions/${CODE}/rankings?measure=nope`)).statusCode).toBe(400);
  });
});

describe('job runs', () => {
  it('records each run with its duration and result, and recovers a run whose process died', async () => {
    await t.database.db.execute(
      sql`INSERT INTO report_job_runs (job, instance, status, started_at, heartbeat_at) VALUES ('reports', 'dead:1', 'running', '2025-03-11T08:00:00+08:00', '2025-03-11T08:00:00+08:00')`,
    );
    clock.set('2025-03-12T09:00:00+08:00');
    await runReportRound(t.database.db, clock.now());
    const runs = (await fsStaff.get('/api/reports/job-runs')).json().items as { job: string; instance: string; status: string; durationMs: number | null; done: number; error: string | null }[];
    expect(runs.find((r) => r.instance === 'dead:1')).toMatchObject({ status: 'abandoned', error: expect.stringContaining('运行中断') });
    const latest = runs.find((r) => r.job === 'reports' && r.instance !== 'dead:1')!;
    expect(latest).toMatchObject({ status: 'ok', durationMs: expect.any(Number) });
    expect(latest.done).toBeGreaterThan(0); // 11 March's daily issues
    expect(runs.filter((r) => r.job === 'report-delivery').length).toBeGreaterThanOrEqual(3);
  });

  it('keeps a long run alive: its heartbeat moves while it works, so another instance does not take it for dead', async () => {
    const db = t.database.db;
    const start = clock.now();
    let seen: { id: number; heartbeat: Date } | undefined;
    const out = await recordJobRun(
      db,
      'report-delivery',
      start,
      async () => {
        // Work that outlasts a few beats: wait until this run's heartbeat has moved past its start.
        for (let i = 0; i < 250 && !seen; i++) {
          await new Promise((r) => setTimeout(r, 20));
          const [r] = await rows<{ id: number; heartbeat_at: Date | string }>(
            db,
            sql`SELECT id, heartbeat_at FROM report_job_runs WHERE status = 'running' AND instance <> 'dead:1' AND heartbeat_at > started_at ORDER BY id DESC LIMIT 1`,
          );
          if (r) seen = { id: Number(r.id), heartbeat: new Date(r.heartbeat_at) };
        }
        expect(seen).toBeDefined();
        // Another instance's next run, 30 minutes after the last beat but for one millisecond: not abandoned.
        const abandoned = await recoverStuckRuns(db, 'report-delivery', new Date(seen!.heartbeat.getTime() - 1 + STUCK_AFTER_MS));
        expect(abandoned).not.toContain(seen!.id);
        return { job: 'report-delivery', done: [], failed: [] };
      },
      10,
    );
    expect(out.failed).toEqual([]);
    const [run] = await rows<{ status: string; started_at: Date | string; finished_at: Date | string }>(db, sql`SELECT status, started_at, finished_at FROM report_job_runs WHERE id = ${seen!.id}`);
    expect(run.status).toBe('ok');
    expect(new Date(run.finished_at).getTime()).toBeGreaterThanOrEqual(seen!.heartbeat.getTime());
    expect(new Date(run.started_at).getTime()).toBe(start.getTime());
  });
});

describe('definition versions', () => {
  it('creates a new version through the API (province only, audited); a past issue keeps its version', async () => {
    expect((await fsAdmin.post(`/api/reports/definitions/${CODE}/versions`, { nameZh: '改名', reason: '测试' })).statusCode).toBe(403);
    expect((await admin.post(`/api/reports/definitions/${CODE}/versions`, { reason: '无变化' })).json().error.code).toBe('REPORT.DEFINITION_UNCHANGED');
    const res = await admin.post(`/api/reports/definitions/${CODE}/versions`, { nameZh: '地区同业四行个人存款旬报（新版）', due: { afterWorkingDays: 2, time: '12:00' }, reason: '按分行意见调整' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toBe(2);
    const versions = (await fsStaff.get(`/api/reports/definitions/${CODE}/versions`)).json().items as { version: number; nameZh: string; validFrom: string }[];
    expect(versions.map((v) => [v.version, v.nameZh, v.validFrom])).toEqual([
      [2, '地区同业四行个人存款旬报（新版）', '2025-03-12'],
      [1, '地区同业四行个人存款通报表', '2025-03-01'],
    ]);
    const past = (await admin.get(`/api/reports/issues/${issueId}`)).json();
    expect(past).toMatchObject({ definitionVersion: 1, nameZh: '地区同业四行个人存款通报表' });
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.definition_version'`);
    expect(n).toBe(1);
  });
});

describe('the demo subscriptions', () => {
  it('are written once (an active subscription is kept)', async () => {
    const count = async () => (await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_subscriptions WHERE active`))[0].n;
    const before = await count();
    await seedDemoReportSubscriptions(t.database.db);
    // fs_staff ended theirs above (new one), fs_admin's monthly analysis is new, hy_admin already has the 旬 report.
    expect(await count()).toBe(before + 2);
    await seedDemoReportSubscriptions(t.database.db);
    expect(await count()).toBe(before + 2);
  });
});
