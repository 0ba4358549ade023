import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { runCloseWindowsJob, runPublicationJob } from '../../jobs/publication.job.js';
import { startJobRunner } from '../../jobs/runner.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { uploadForm } from '../imports/testing.js';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { guardLocked, isPeriodLockedError } from '../../db/period-lock.js';
import { findPeriod, noticeAnchor } from './periods.service.js';

/**
 * The whole life of a month through the API (SPEC §9): publication, an objection inside the
 * window and one a second too late, an upheld objection that corrects a sale, the spot check,
 * submission, audit, a contested approval, the lock in the database, the notifications.
 */
const FS = DEMO_NODES.foshan;
const MONTH = '2026-08';
const PERIOD = '2026-08-01';
// Tuesday 2026-09-01 10:00 Beijing: August is over, September's first working day.
const T0 = new Date('2026-09-01T02:00:00Z');
const CLOSES = new Date('2026-09-07T15:59:59Z');
const at = (d: Date, ms = 0) => new Date(d.getTime() + ms);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let restoreClock: () => void;
let testClock: TestClock;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const c: Record<'fsAdmin' | 'office' | 'staff' | 'compliance' | 'chair' | 'viceChair' | 'hyAdmin' | 'hyStaff', Client> = {} as never;
const fx = { fsPerson: '', pf: [] as string[], corp: [] as string[], inst: [] as string[], saleIds: [] as number[], objection: 0, ownObjection: 0, falseSale: 0, sample: [] as number[] };

const staffNos = async (nodeId: number, code: string) =>
  (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(nodeId, code)} AND active ORDER BY id`)).map((r) => r.staffNo);
const committee = async (position: string) =>
  (
    await q<{ staffNo: string }>(sql`SELECT s.staff_no AS "staffNo" FROM committee_members cm JOIN staff s ON s.id = cm.staff_id WHERE cm.node_id = ${FS} AND cm.position = ${position} ORDER BY s.id`)
  ).map((r) => r.staffNo);
const ledgerOf = (saleId: number) =>
  q<{ kind: string; department_id: number; staff_id: number | null; points_hundredths: number }>(
    sql`SELECT kind, department_id, staff_id, points_hundredths FROM ledger_entries WHERE sale_id = ${saleId} ORDER BY id`,
  );
const netOf = async (saleId: number) =>
  Number((await q<{ n: number }>(sql`SELECT coalesce(sum(points_hundredths) FILTER (WHERE kind <> 'void'), 0)::int AS n FROM ledger_entries WHERE sale_id = ${saleId}`))[0].n);
const audits = async (action: string, entityLike = '%') =>
  Number((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND entity_id LIKE ${entityLike}`))[0].n);
const notes = async (kind: string, nodeId = FS) => Number((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = ${kind} AND node_id = ${nodeId}`))[0].n);

beforeAll(async () => {
  t = await createTestApp();
  ({ clock: testClock, restore: restoreClock } = useTestClock(T0));
  c.fsAdmin = await t.login('fs_admin');
  c.office = await t.login((await committee('office'))[0]);
  c.staff = await t.login('fs_staff');
  c.compliance = await t.login('fs_compliance');
  c.chair = await t.login('fs_president');
  c.viceChair = await t.login((await committee('vice_chair'))[0]);
  c.hyAdmin = await t.login('hy_admin');
  const [hy] = await q<{ staffNo: string }>(
    sql`SELECT s.staff_no AS "staffNo" FROM staff s JOIN staff_roles r ON r.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
        WHERE r.role_code = 'staff' AND n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} AND s.active ORDER BY s.id LIMIT 1`,
  );
  c.hyStaff = await t.login(hy.staffNo);
  fx.fsPerson = (
    await q<{ idNumber: string }>(sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`)
  )[0].idNumber;
  fx.pf = await staffNos(FS, 'PF');
  fx.corp = await staffNos(FS, 'CORP');
  fx.inst = await staffNos(FS, 'INST');
  // Twelve August sales of 佛山分行, recorded and scored as the API does.
  const products = ['DEBIT', 'WMP', 'CREDIT', 'MBANK'];
  for (let i = 0; i < 12; i++) {
    const res = await c.fsAdmin.post('/api/sales', {
      sourceId: `LIFE-${i}`,
      productCode: products[i % products.length],
      idNumber: fx.fsPerson,
      saleDate: `2026-08-${String(3 + i).padStart(2, '0')}`,
      quantity: 2 + i,
      hostDepartmentCode: 'PF',
      departments: [{ code: 'CORP' }],
      people: [
        { staffNo: fx.pf[0], departmentCode: 'PF' },
        { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    fx.saleIds.push(res.json().saleId);
  }
});
afterAll(async () => {
  restoreClock?.();
  await t?.close();
});

describe('the month’s life through the API (SPEC §9)', () => {
  it('a draft has no public notice; strangers are refused', async () => {
    expect((await t.anonymous.get(`/api/periods/${FS}/${MONTH}/notice`)).statusCode).toBe(401);
    const draft = await c.staff.get(`/api/periods/${FS}/${MONTH}`);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ state: 'draft', scheduledPublicationDay: '2026-09-01', windowOpen: false, actions: [{ action: 'publish', allowed: false }] });
    expect((await c.staff.get(`/api/periods/${FS}/${MONTH}/notice`)).json().error.code).toBe('PERIOD.NOT_PUBLISHED');
    expect((await c.hyStaff.get(`/api/periods/${FS}/${MONTH}`)).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
  });

  it('publish: only the committee office of the branch; the window runs to the end of the seventh day; everyone is told', async () => {
    expect((await c.staff.post(`/api/periods/${FS}/${MONTH}/publish`)).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await c.hyAdmin.post(`/api/periods/${FS}/${MONTH}/publish`)).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await c.office.post(`/api/periods/${FS}/2026-09/publish`)).json().error.code).toBe('PERIOD.NOT_ENDED');
    const res = await c.office.post(`/api/periods/${FS}/${MONTH}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'published', publishedAt: T0.toISOString(), windowClosesAt: CLOSES.toISOString(), windowOpen: true });
    expect((await c.office.post(`/api/periods/${FS}/${MONTH}/publish`)).json().error.code).toBe('PERIOD.BAD_TRANSITION');
    expect(await audits('period.publish', `%/${MONTH}`)).toBe(1);
    // Set-based: one notification per active member of staff of the branch's subtree.
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM staff s JOIN org_nodes o ON o.id = s.node_id WHERE s.active AND o.path LIKE ${`/1/2/${FS}/%`}`);
    expect(await notes('period.published')).toBe(Number(n));
    expect((await c.staff.get('/api/notifications/unread-count')).json().unread).toBeGreaterThanOrEqual(1);
  });

  it('the notice: read by the branch’s staff and by those with scope over it, 403 for another branch; as PDF too', async () => {
    const res = await c.staff.get(`/api/periods/${FS}/${MONTH}/notice`);
    expect(res.statusCode, res.body).toBe(200);
    const n = res.json();
    expect(n.period.state).toBe('published');
    expect(n.statement.totals.sales).toBe(12);
    expect(n.statement.departments.map((d: { code: string }) => d.code).sort()).toEqual(['CORP', 'PF']);
    expect((await (await t.login('admin')).get(`/api/periods/${FS}/${MONTH}/notice`)).statusCode).toBe(200);
    expect((await c.chair.get(`/api/periods/${FS}/${MONTH}/notice`)).statusCode).toBe(200);
    expect((await c.hyStaff.get(`/api/periods/${FS}/${MONTH}/notice`)).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await c.hyAdmin.get(`/api/periods/${FS}/${MONTH}/notice`)).statusCode).toBe(403);
    expect((await t.anonymous.get(`/api/periods/${FS}/${MONTH}/notice.pdf`)).statusCode).toBe(401);
    const pdf = await c.staff.get(`/api/periods/${FS}/${MONTH}/notice.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await c.hyStaff.get(`/api/periods/${FS}/${MONTH}/notice.pdf`)).statusCode).toBe(403);
    // The notices a person may open: their own branch's; not a sibling's.
    expect((await c.staff.get('/api/periods/notices')).json().items).toEqual([
      expect.objectContaining({ nodeId: FS, month: MONTH, state: 'published', windowOpen: true, windowClosesAt: CLOSES.toISOString() }),
    ]);
    expect((await c.hyStaff.get('/api/periods/notices')).json().items).toEqual([]);
    // Line detail for every reader of the notice: each sale with its split (roles, contributions, ratios).
    const corp = n.statement.departments.find((d: { code: string }) => d.code === 'CORP');
    const drill = await c.staff.get(`/api/periods/${FS}/${MONTH}/notice/departments/${corp.departmentId}`);
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().items.length).toBe(corp.sales);
    expect(drill.json().items[0].departments.some((d: { code: string }) => d.code === 'CORP')).toBe(true);
    expect((await c.hyStaff.get(`/api/periods/${FS}/${MONTH}/notice/departments/${corp.departmentId}`)).statusCode).toBe(403);
    expect((await c.staff.get(`/api/periods/${FS}/2026-09/notice/departments/${corp.departmentId}`)).json().error.code).toBe('PERIOD.NOT_PUBLISHED');
  });

  it('objections: accepted inside the window, refused one second after it closes', async () => {
    testClock.set(at(T0, DAY));
    const target = { kind: 'sale', saleId: fx.saleIds[0] };
    expect((await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target, reason: '   ' })).json().error.code).toBe('OBJECTION.REASON_REQUIRED');
    const [other] = await q<{ id: number }>(sql`SELECT id FROM sales WHERE node_id = ${DEMO_NODES.heyuan} ORDER BY id LIMIT 1`);
    expect((await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target: { kind: 'sale', saleId: other.id }, reason: '不是本行的' })).json().error.code).toBe('OBJECTION.BAD_TARGET');
    expect((await c.hyStaff.post('/api/objections', { nodeId: FS, month: MONTH, target, reason: '看不到也提' })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    const res = await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target, reason: '机构业务部也参与了营销，应计入参与部门' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'open', targetKind: 'sale', sale: { id: fx.saleIds[0] }, assignedDepartment: { id: demoDepartmentId(FS, 'PF') } });
    fx.objection = res.json().id;
    expect(await notes('objection.raised')).toBeGreaterThanOrEqual(1);
    // a department line and a person line are lines too
    const dept = await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target: { kind: 'department', departmentId: demoDepartmentId(FS, 'CORP') }, reason: '部门积分偏低' });
    expect(dept.statusCode, dept.body).toBe(201);
    const [pfPerson] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${fx.pf[0]}`);
    const person = await c.office.post('/api/objections', { nodeId: FS, month: MONTH, target: { kind: 'person', staffId: pfPerson.id }, reason: '个人积分有误' });
    expect(person.statusCode, person.body).toBe(201);
    fx.ownObjection = person.json().id;

    testClock.set(CLOSES);
    expect((await c.staff.get(`/api/periods/${FS}/${MONTH}`)).json().windowOpen).toBe(true);
    testClock.set(at(CLOSES, 1000));
    const late = await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target, reason: '晚了一秒' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('OBJECTION.WINDOW_CLOSED');
    expect(late.json().error.message).toBe('公示期已结束，不能再提出异议');
  });

  it('submitting waits for the window and for every answer', async () => {
    testClock.set(at(T0, 2 * DAY));
    expect((await c.office.post(`/api/periods/${FS}/${MONTH}/submit`)).json().error.code).toBe('PERIOD.WINDOW_OPEN');
    testClock.set(at(CLOSES, HOUR));
    expect((await c.office.post(`/api/periods/${FS}/${MONTH}/submit`)).json().error.code).toBe('PERIOD.OPEN_OBJECTIONS');
  });

  it('an upheld objection corrects the sale: the ledger shows the reversal and the new lines; the objector is told', async () => {
    const saleId = fx.saleIds[0];
    const before = await ledgerOf(saleId);
    expect(before.every((e) => e.kind === 'allocation')).toBe(true);
    const instDept = demoDepartmentId(FS, 'INST');
    expect(before.some((e) => e.department_id === instDept)).toBe(false);
    // Nobody answers their own objection; a correction only with an upheld one; same rules as recording.
    expect((await c.office.post(`/api/objections/${fx.ownObjection}/answer`, { decision: 'dismissed', answer: '自己答' })).json().error.code).toBe('OBJECTION.SELF_ANSWER');
    expect((await c.staff.post(`/api/objections/${fx.objection}/answer`, { decision: 'dismissed', answer: '无权' })).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await c.office.post(`/api/objections/${fx.objection}/answer`, { decision: 'dismissed', answer: '不成立', correction: { quantity: 3 } })).json().error.code).toBe(
      'OBJECTION.CORRECTION_NOT_ALLOWED',
    );
    const bad = await c.office.post(`/api/objections/${fx.objection}/answer`, { decision: 'upheld', answer: '成立', correction: { departments: [{ code: 'PF' }] } });
    expect(bad.json().error.code).toBe('SALE.NOT_CROSS_SALE');
    expect(await ledgerOf(saleId)).toEqual(before);

    const res = await c.office.post(`/api/objections/${fx.objection}/answer`, {
      decision: 'upheld',
      answer: '经核实机构业务部参与营销，补记为参与部门',
      correction: {
        departments: [
          { code: 'CORP', ratio: 50 },
          { code: 'INST', ratio: 50 },
        ],
        people: [
          { staffNo: fx.pf[0], departmentCode: 'PF' },
          { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
          { staffNo: fx.inst[0], departmentCode: 'INST', role: '营销人员' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'upheld', answeredBy: { name: expect.any(String) } });
    expect(res.json().correction.after.departments.map((d: { code: string }) => d.code)).toEqual(['CORP', 'INST']);
    const after = await ledgerOf(saleId);
    const added = after.slice(before.length);
    expect(added.filter((e) => e.kind === 'reversal').length).toBe(before.length);
    expect(added.some((e) => e.kind === 'allocation' && e.department_id === instDept)).toBe(true);
    // Same points for the sale, now split three ways; the total is unchanged.
    expect(await netOf(saleId)).toBe(before.reduce((a, e) => a + Number(e.points_hundredths), 0));
    expect((await c.office.post(`/api/objections/${fx.objection}/answer`, { decision: 'dismissed', answer: '再答' })).json().error.code).toBe('OBJECTION.ALREADY_ANSWERED');
    expect(await audits('sale.correct')).toBe(1);

    const mine = (await c.staff.get('/api/notifications?unread=true')).json();
    expect(mine.items.some((n: { kind: string; title: string }) => n.kind === 'objection.answered' && n.title.includes('成立'))).toBe(true);

    // the other objections are dismissed (the office's own by another committee member); the list filters by status
    const open = (await c.office.get(`/api/objections?nodeId=${FS}&month=${MONTH}&status=open`)).json();
    expect(open.total).toBe(2);
    const member = await t.login((await committee('member'))[0]);
    for (const o of open.items) {
      const d = await member.post(`/api/objections/${o.id}/answer`, { decision: 'dismissed', answer: '积分按规则计算无误' });
      expect(d.statusCode, d.body).toBe(200);
    }
    const own2 = (await c.staff.get('/api/objections?mine=true')).json();
    expect(own2.items.map((o: { status: string }) => o.status).sort()).toEqual(['dismissed', 'upheld']);
    expect((await c.hyAdmin.get(`/api/objections/${fx.objection}`)).statusCode).toBe(404);
    expect((await c.hyAdmin.get('/api/objections')).json().total).toBe(0);
  });

  it('the scheduler records the window’s end once; then the office submits and compliance is told', async () => {
    const now = at(CLOSES, 2 * HOUR);
    testClock.set(now);
    const [a, b] = [await runCloseWindowsJob(t.database.db, now), await runCloseWindowsJob(t.database.db, now)];
    expect(a.done).toEqual([{ nodeId: FS, period: PERIOD }]);
    expect(b.done).toEqual([]);
    expect(await notes('period.window_closed')).toBeGreaterThanOrEqual(1);
    const res = await c.office.post(`/api/periods/${FS}/${MONTH}/submit`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'submitted', windowClosedAt: now.toISOString() });
    expect((await c.compliance.get('/api/notifications')).json().items[0].kind).toBe('period.submitted');
  });

  it('spot check: the same seed draws the same sample, another seed another; the draw is reproducible', async () => {
    testClock.set(at(T0, 8 * DAY));
    const url = `/api/spot-checks/${FS}/${MONTH}`;
    expect((await c.office.post(url, { count: 3, seed: 'S' })).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await c.compliance.post(url, { count: 3, percent: 10 })).statusCode).toBe(400);
    const s1 = await c.compliance.post(url, { count: 3, seed: 'S-2026-08' });
    expect(s1.statusCode, s1.body).toBe(201);
    const sample = s1.json().items.map((i: { saleId: number }) => i.saleId);
    expect(s1.json()).toMatchObject({ seed: 'S-2026-08', populationCount: 12, sampleSize: 3, summary: { sampled: 3, pending: 3 } });
    const s2 = await c.compliance.post(url, { count: 3, seed: 'S-2026-08' });
    expect(s2.json().items.map((i: { saleId: number }) => i.saleId)).toEqual(sample);
    const s3 = await c.compliance.post(url, { count: 3, seed: 'T-2026-08' });
    expect(s3.json().items.map((i: { saleId: number }) => i.saleId)).not.toEqual(sample);
    const pct = await c.compliance.post(url, { percent: 10, minimum: 4 });
    expect(pct.json()).toMatchObject({ sampleSize: 4, sizeRule: { percentBp: 1000, minimum: 4 } });
    expect(pct.json().seed).toMatch(/^[0-9a-f]{16}$/);
    // back to S: recorded and reproducible by anyone who reads the statement
    await c.compliance.post(url, { count: 3, seed: 'S-2026-08' });
    const v = (await c.chair.get(`${url}/verify`)).json();
    expect(v).toMatchObject({ seed: 'S-2026-08', reproduced: true, recorded: sample });
    fx.sample = sample;
    expect(await audits('spotcheck.draw')).toBe(5);
  });

  it('a sale found false is struck and reversed to zero; evidence is kept with its SHA-256; the summary adds up', async () => {
    const url = `/api/spot-checks/${FS}/${MONTH}`;
    const [falseSale, ok1, ok2] = fx.sample;
    fx.falseSale = falseSale;
    expect(await netOf(falseSale)).toBeGreaterThan(0);
    expect((await c.compliance.post(`${url}/items/${falseSale}`, { result: 'false' })).json().error.code).toBe('SPOTCHECK.NOTE_REQUIRED');
    const notSampled = fx.saleIds.find((id) => !fx.sample.includes(id))!;
    expect((await c.compliance.post(`${url}/items/${notSampled}`, { result: 'verified' })).json().error.code).toBe('SPOTCHECK.NOT_SAMPLED');

    const bytes = Buffer.from('%PDF-1.4 回访录音记录：客户否认办理');
    const up = await c.compliance.request({ method: 'POST', url: `${url}/items/${falseSale}/evidence`, payload: uploadForm(bytes, '回访记录.pdf') });
    expect(up.statusCode, up.body).toBe(201);
    const ev = up.json();
    expect(ev).toMatchObject({ fileName: '回访记录.pdf', size: bytes.length });
    expect(ev.sha256).toMatch(/^[0-9a-f]{64}$/);
    const down = await c.chair.get(`${url}/items/${falseSale}/evidence/${ev.id}`);
    expect(down.statusCode).toBe(200);
    expect(Buffer.compare(down.rawPayload, bytes)).toBe(0);
    expect((await c.compliance.request({ method: 'POST', url: `${url}/items/${falseSale}/evidence`, payload: {} })).json().error.code).toBe('SPOTCHECK.NO_FILE');

    const res = await c.compliance.post(`${url}/items/${falseSale}`, { result: 'false', note: '电话回访客户否认办理该业务' });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json().items.find((i: { saleId: number }) => i.saleId === falseSale);
    expect(item).toMatchObject({ result: 'false', struck: true, points: { pointsHundredths: 0 }, evidence: [{ id: ev.id }] });
    expect(await netOf(falseSale)).toBe(0);
    const [s] = await q<{ struck_reason: string }>(sql`SELECT struck_reason FROM sales WHERE id = ${falseSale} AND struck_at IS NOT NULL`);
    expect(s.struck_reason).toContain('电话回访客户否认办理该业务');
    expect((await ledgerOf(falseSale)).some((e) => e.kind === 'reversal')).toBe(true);
    expect((await c.compliance.post(`${url}/items/${falseSale}`, { result: 'verified' })).json().error.code).toBe('SPOTCHECK.ALREADY_FALSE');
    expect((await c.compliance.post(url, { count: 3, seed: 'X' })).json().error.code).toBe('SPOTCHECK.ALREADY_MARKED');

    // The audit cannot close with sales still unchecked.
    const early = (await c.compliance.post(`/api/periods/${FS}/${MONTH}/audit`)).json().error;
    expect(early).toMatchObject({ code: 'PERIOD.SPOT_CHECK_PENDING', details: { pending: 2 } });
    expect(early.message).toBe('还有 2 笔抽查样本未给出结论，不能完成审核');
    for (const id of [ok1, ok2]) expect((await c.compliance.post(`${url}/items/${id}`, { result: 'verified', note: '凭证齐全' })).statusCode).toBe(200);
    expect((await c.compliance.get(url)).json().summary).toEqual({ sampled: 3, verified: 2, false: 1, pending: 0 });
    const list = (await c.compliance.get(`/api/spot-checks?month=${MONTH}`)).json().items;
    expect(list.find((x: { nodeId: number }) => x.nodeId === FS)).toMatchObject({ drawn: true, sampled: 3, verified: 2, false: 1, pending: 0, state: 'submitted' });
    expect(list.every((x: { nodeId: number }) => x.nodeId === FS)).toBe(true);
  });

  it('audit by compliance, then two approvals at once: exactly one locks the month', async () => {
    expect((await c.chair.post(`/api/periods/${FS}/${MONTH}/audit`)).json().error.code).toBe('AUTH.FORBIDDEN');
    const audited = await c.compliance.post(`/api/periods/${FS}/${MONTH}/audit`);
    expect(audited.statusCode, audited.body).toBe(200);
    expect(audited.json().state).toBe('audited');
    expect((await c.chair.get('/api/notifications')).json().items[0]).toMatchObject({ kind: 'period.audited', title: expect.stringContaining('虚假 1 笔') });

    expect((await c.office.post(`/api/periods/${FS}/${MONTH}/approve`)).json().error.code).toBe('AUTH.FORBIDDEN');
    const [a, b] = await Promise.all([c.chair.post(`/api/periods/${FS}/${MONTH}/approve`), c.viceChair.post(`/api/periods/${FS}/${MONTH}/approve`)]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes, `${a.body} ${b.body}`).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(['PERIOD.LOCKED', 'PERIOD.CONFLICT']).toContain(loser.json().error.code);
    expect(await audits('period.approve', `%/${MONTH}`)).toBe(1);
    const p = (await c.staff.get(`/api/periods/${FS}/${MONTH}`)).json();
    expect(p).toMatchObject({ state: 'locked', actions: [] });
    expect(p.lockedAt).toBe(p.approvedAt);
    expect(await notes('period.locked')).toBeGreaterThanOrEqual(3);
    // Every transition is in the audit chain with before and after.
    const [entry] = await q<{ before: { state: string }; after: { state: string } }>(sql`SELECT before, after FROM audit_log WHERE action = 'period.approve' AND node_id = ${FS}`);
    expect([entry.before.state, entry.after.state]).toEqual(['audited', 'locked']);
    // The lock anchors the audit head (decision 0016): on the month's row and in audit_anchors,
    // the approval's own entry; the notice prints it from then on.
    const [anchor] = await q<{ seq: number; hash: string; action: string; p_seq: number; p_hash: string }>(
      sql`SELECT a.seq, a.hash, l.action, p.audit_seq AS p_seq, p.audit_hash AS p_hash
          FROM audit_anchors a JOIN audit_log l ON l.seq = a.seq AND l.hash = a.hash
          JOIN periods p ON p.node_id = a.node_id AND p.period = ${PERIOD}::date
          WHERE a.kind = 'period.lock' AND a.ref = ${`44100/${MONTH}`}`,
    );
    expect(anchor.action).toBe('period.approve');
    expect([Number(anchor.p_seq), anchor.p_hash]).toEqual([Number(anchor.seq), anchor.hash]);
    expect(await noticeAnchor(t.database.db, await findPeriod(t.database.db, FS, PERIOD))).toEqual({ seq: Number(anchor.seq), hash: anchor.hash, locked: true });
  });

  it('after the lock the database refuses any ledger entry or total for the month (SQLSTATE LK001 → 409 PERIOD.LOCKED)', async () => {
    const db = t.database.db;
    const saleId = fx.saleIds[1];
    const insert = () =>
      db.execute(sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version)
                     VALUES (${saleId}, ${FS}, ${PERIOD}::date, 'allocation', ${demoDepartmentId(FS, 'PF')}, NULL, 100, 'manual')`);
    const err = await insert().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPeriodLockedError(err)).toBe(true);
    await expect(guardLocked(insert)).rejects.toMatchObject({ code: 'PERIOD.LOCKED', status: 409 });
    const totals = await db
      .execute(
        sql`INSERT INTO statement_totals (node_id, period, grain, k1, k2, points_hundredths) VALUES (${FS}, ${PERIOD}::date, 'B', 0, 0, 1)
                   ON CONFLICT (node_id, period, grain, k1, k2, role, province_id) DO UPDATE SET points_hundredths = statement_totals.points_hundredths + 1`,
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isPeriodLockedError(totals)).toBe(true);
    const back = await db.execute(sql`UPDATE periods SET state = 'audited' WHERE node_id = ${FS} AND period = ${PERIOD}::date`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPeriodLockedError(back)).toBe(true);
    // Another month of the same branch is open.
    await db.execute(sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version)
                         VALUES (${saleId}, ${FS}, '2026-09-01'::date, 'allocation', ${demoDepartmentId(FS, 'PF')}, NULL, 0, 'manual')`);
    // Nothing else moves in a locked month either.
    expect((await c.compliance.post(`/api/spot-checks/${FS}/${MONTH}/items/${fx.sample[1]}`, { result: 'verified' })).json().error.code).toBe('PERIOD.LOCKED');
  });

  it('a locked month’s statement says so, and a recompute of it is refused by the API (issue 12 rule 6)', async () => {
    const s = await c.chair.get(`/api/statements/${FS}/${MONTH}`);
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().state).toBe('locked');
    const before = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries WHERE node_id = ${FS}`);
    const r = await c.chair.post(`/api/statements/${FS}/${MONTH}/recompute`);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error.code).toBe('PERIOD.LOCKED');
    expect(await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries WHERE node_id = ${FS}`)).toEqual(before);
    // The next month is still a draft and says so.
    expect((await c.chair.get(`/api/statements/${FS}/2026-10`)).json().state).toBe('draft');
  });

  it('notifications: my own, paged, counted, marked read one by one or all at once', async () => {
    const first = (await c.staff.get('/api/notifications?pageSize=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    const unread = (await c.staff.get('/api/notifications/unread-count')).json().unread;
    expect(unread).toBe(first.unread);
    const id = first.items[0].id;
    expect((await c.office.post(`/api/notifications/${id}/read`)).json().error.code).toBe('NOTIFICATION.NOT_FOUND');
    const r = await c.staff.post(`/api/notifications/${id}/read`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().readAt).not.toBeNull();
    expect((await c.staff.get('/api/notifications/unread-count')).json().unread).toBe(unread - 1);
    const all = await c.staff.post('/api/notifications/read-all');
    expect(all.json()).toEqual({ marked: unread - 1, unread: 0 });
    expect((await c.staff.get('/api/notifications/unread-count')).json().unread).toBe(0);
    expect((await t.anonymous.get('/api/notifications')).statusCode).toBe(401);
  });

  it('the publication day follows the settings: the working day to open on, holidays and make-up days', async () => {
    const day = async () => (await c.staff.get(`/api/periods/${FS}/2026-11`)).json().scheduledPublicationDay;
    expect(await day()).toBe('2026-12-01'); // Tuesday
    await t.database.db.execute(sql`INSERT INTO settings (key, value) VALUES ('publication.holidays', '["2026-12-01"]'::jsonb)`);
    expect(await day()).toBe('2026-12-02');
    await t.database.db.execute(sql`INSERT INTO settings (key, value) VALUES ('publication.openDay', '2'::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    expect(await day()).toBe('2026-12-03');
    await t.database.db.execute(sql`DELETE FROM settings WHERE key IN ('publication.holidays', 'publication.openDay')`);
  });
});

describe('the publication job (scheduler) runs once with two processes', () => {
  it('two runners racing publish the previous month of every branch once: one audit entry and one set of notifications each', async () => {
    // Monday 2026-10-05 10:00 Beijing: September is due (first working day 2026-10-01).
    const now = new Date('2026-10-05T02:00:00Z');
    let second: Database | undefined;
    try {
      // On PostgreSQL a second pool to the same database, as a second server process would have.
      second = t.database.kind === 'pg' ? await openDatabase({ url: t.database.url!, poolSize: 3 }) : undefined;
      const dbs = [t.database.db, second?.db ?? t.database.db];
      const [a, b] = await Promise.all(dbs.map((db) => runPublicationJob(db, now)));
      const [{ n: branches }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM org_nodes WHERE level IN ('province', 'branch') AND active`);
      expect(a.failed, JSON.stringify(a.failed)).toEqual([]);
      expect(b.failed, JSON.stringify(b.failed)).toEqual([]);
      expect(a.done.length + b.done.length).toBe(Number(branches));
      const [p] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM periods WHERE period = '2026-09-01' AND state = 'published' AND published_by IS NULL`);
      expect(Number(p.n)).toBe(Number(branches));
      expect(await audits('period.publish', '%/2026-09')).toBe(Number(branches));
      const [dup] = await q<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM (SELECT staff_id, node_id FROM notifications WHERE kind = 'period.published' AND link LIKE '%/2026-09/notice' GROUP BY 1, 2 HAVING count(*) > 1) x`,
      );
      expect(Number(dup.n)).toBe(0);
      const [fsNotes] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'period.published' AND link = ${`/periods/${FS}/2026-09/notice`}`);
      const [fsStaff] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM staff s JOIN org_nodes o ON o.id = s.node_id WHERE s.active AND o.path LIKE ${`/1/2/${FS}/%`}`);
      expect(Number(fsNotes.n)).toBe(Number(fsStaff.n));
      // A later round finds nothing to do.
      expect((await runPublicationJob(t.database.db, new Date(now.getTime() + HOUR))).done).toEqual([]);
      // Before the day, nothing is due: 2026-11-01 is a Sunday, October publishes on Monday the 2nd.
      expect((await runPublicationJob(t.database.db, new Date('2026-11-01T02:00:00Z'))).done).toEqual([]);
    } finally {
      await second?.close();
    }
  });

  it('the runner ticks every job with the clock (publication of October, September’s windows closing)', async () => {
    testClock.set(new Date('2026-11-03T02:00:00Z'));
    const runner = startJobRunner(t.database.db, { intervalSeconds: 3600 });
    await runner.tick();
    await runner.stop();
    const [{ n: branches }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM org_nodes WHERE level IN ('province', 'branch') AND active`);
    const [oct] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM periods WHERE period = '2026-10-01' AND state = 'published'`);
    expect(Number(oct.n)).toBe(Number(branches));
    const [sep] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM periods WHERE period = '2026-09-01' AND window_closed_at IS NOT NULL`);
    expect(Number(sep.n)).toBe(Number(branches));
    expect(await audits('period.window_close', '%/2026-09')).toBe(Number(branches));
  });
});
