import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { uploadForm } from '../imports/testing.js';
import { waitForImport } from '../imports/imports.routes.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { makeSale } from '../scoring/testing.js';

/**
 * The year-end assessment through the API on the hand-computed year of quotas/testing.ts, with
 * approved quotas CORP×CARD 20, INST×CARD 20, PF×MORT 2 and a pool of 10,000.00 元:
 *
 * gate: CORP 15/20 = 75 % passes; INST 5/20 = 25 % gated (its 2.00 points count nothing);
 *       PF × MORT 1/2 = exactly 50 % passes.
 * counted points: PF 18.00, CORP 10.00, RE 4.00, CC 1.00, INST 0 — 33.00 in all.
 * pool 1,000,000 分 × points ÷ 3,300: CORP 303,030.30…, PF 545,454.54…, RE 121,212.12…, CC 30,303.03…
 *       floors add up to 999,999; the spare 分 goes to the largest remainder (PF):
 *       CORP 3,030.30  PF 5,454.55  RE 1,212.12  CC 303.03  INST 0.00  = 10,000.00
 * PF's 545,455 分 by the outlet AM's 2.00 and PF's own 16.00: 60,606.11… → 60,606 and
 *       484,848.88… → 484,849 (the spare 分 to the larger remainder).
 */
let t: TestApp;
let fx: Awaited<ReturnType<typeof seedQuotaYear>>;
let hr: Client;
let chair: Client;
let fsAdmin: Client;
let hyAdmin: Client;
let fsStaff: Client;
const FS = DEMO_NODES.foshan;
const Y = 2025;
let run1 = 0;

beforeAll(async () => {
  t = await createTestApp();
  fx = await seedQuotaYear(t.database.db);
  [hr, chair, fsAdmin, hyAdmin, fsStaff] = await Promise.all([t.login('fs_hr'), t.login('fs_president'), t.login('fs_admin'), t.login('hy_admin'), t.login('fs_staff')]);
  for (const q of [
    { departmentId: fx.dept('CORP'), productId: fx.card.id, quantity: 20 },
    { departmentId: fx.dept('INST'), productId: fx.card.id, quantity: 20 },
    { departmentId: fx.dept('PF'), productId: fx.mort.id, quantity: 2 },
  ]) {
    expect((await fsAdmin.post('/api/quotas', { nodeId: FS, year: Y, ...q })).statusCode).toBe(201);
  }
  expect((await chair.post(`/api/quotas/plans/${FS}/${Y}/approve`)).statusCode).toBe(200);
  // Art. 22: the assessment period of 2025 has ended — every month of 佛山分行 locked.
  await setMonths(FS, Y);
});

/** Sets the 12 months of a branch's year in the database: locked, except the months given. */
async function setMonths(nodeId: number, year: number, except: Record<number, 'draft' | 'published' | 'audited'> = {}) {
  for (let m = 1; m <= 12; m++) {
    const period = `${year}-${String(m).padStart(2, '0')}-01`;
    const state: string = except[m] ?? 'locked';
    await t.database.db.execute(
      sql`INSERT INTO periods (node_id, period, state, locked_at) VALUES (${nodeId}, ${period}::date, ${state}, ${state === 'locked' ? sql`now()` : sql`NULL`})
          ON CONFLICT (node_id, period) DO UPDATE SET state = EXCLUDED.state, locked_at = EXCLUDED.locked_at`,
    );
  }
}
afterAll(() => t?.close());

type Dept = { code: string; reward: { amount: string; amountFen: number }; counted: { points: string }; gated: { points: string } };
type Person = { departmentId: number; staffId: number | null; reward: { amountFen: number } };

describe('the year-end run (Art. 22)', () => {
  it('HR runs it: the gate, the points after it and the pool to the cent', async () => {
    const res = await hr.post('/api/assessment/runs', { nodeId: FS, year: Y, pool: '10,000.00' });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    run1 = run.id;
    expect(run).toMatchObject({ state: 'draft', gateBp: 5000, quotaVersion: 1, pool: { amount: '10000.00', amountFen: 1_000_000 }, createdBy: { name: expect.any(String) } });
    const r = run.result;
    expect(r.gate.map((g: { departmentName: string; completionBp: number; passed: boolean }) => [g.departmentName, g.completionBp, g.passed])).toEqual([
      ['公司业务部', 7500, true],
      ['机构业务部', 2500, false],
      ['个人金融部', 5000, true],
    ]);
    expect(r.gate[1].reason.zh).toContain('低于50.00%门槛，该产品2.00积分不计入部门得分');
    // Codes beside ids and names on every line (issue 18 part 5): no lookup needed to read them.
    const branchCode = run.nodeCode;
    expect(branchCode).toMatch(/\S/);
    for (const g of r.gate) expect(g).toMatchObject({ branchCode, departmentCode: expect.stringMatching(/^[A-Z]+$/), productCode: expect.stringMatching(/\S/) });
    expect(r.gate.map((g: { departmentCode: string }) => g.departmentCode)).toEqual(['CORP', 'INST', 'PF']);
    const [gateProduct] = await rows<{ code: string }>(t.database.db, sql`SELECT code FROM products WHERE id = ${r.gate[0].productId}`);
    expect(r.gate[0].productCode).toBe(gateProduct.code);
    for (const d of r.departments) expect(d.branchCode).toBe(branchCode);
    for (const p of r.people) {
      const [dept] = await rows<{ code: string }>(t.database.db, sql`SELECT code FROM departments WHERE id = ${p.departmentId}`);
      expect(p).toMatchObject({ branchCode, departmentCode: dept.code });
      if (p.staffId !== null) expect(p.staffNo).toMatch(/\S/);
    }
    for (const o of r.outlets) expect(o).toMatchObject({ branchCode, outletCode: expect.stringMatching(/\S/) });
    const d = Object.fromEntries(r.departments.map((x: Dept) => [x.code, x]));
    expect(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, (v as Dept).reward.amount]))).toEqual({ CORP: '3030.30', INST: '0.00', RE: '1212.12', PF: '5454.55', CC: '303.03' });
    expect([d.INST.counted.points, d.INST.gated.points]).toEqual(['0.00', '2.00']);
    expect(r.totals.reward).toEqual({ amount: '10000.00', amountFen: 1_000_000 });
    const fen = (dept: string, staffId: number | null) => r.people.find((p: Person) => p.departmentId === fx.dept(dept) && p.staffId === staffId)?.reward.amountFen;
    expect([fen('CORP', fx.corp0), fen('PF', fx.outletAm.id), fen('PF', null), fen('RE', null), fen('CC', null), fen('INST', null)]).toEqual([303_030, 60_606, 484_849, 121_212, 30_303, 0]);
    expect(r.outlets).toEqual([expect.objectContaining({ outletNodeId: fx.outlet.id, points: { points: '2.00', pointsHundredths: 200 }, sales: 1 })]);
    // Stored: its lines per department and person add up to the pool; audited.
    const [sum] = await rows<{ fen: number; n: number }>(t.database.db, sql`SELECT sum(reward_fen)::int AS fen, count(*)::int AS n FROM assessment_run_lines WHERE run_id = ${run1}`);
    expect([sum.fen, sum.n]).toEqual([1_000_000, r.people.length]);
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'assessment.run' AND entity_id = ${String(run1)}`);
    expect(a.n).toBe(1);
    expect((await hr.get(`/api/assessment/runs?nodeId=${FS}&year=${Y}`)).json().items.map((x: { id: number }) => x.id)).toEqual([run1]);
  });

  it('the payout workbook has Chinese headers and a totals row that adds up to the pool', async () => {
    const res = await hr.get(`/api/assessment/runs/${run1}/payout.xlsx`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('奖励发放表')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['分行', '机构号', '部门', '部门代码', '员工号', '姓名', '积分', '奖励金额(元)', '专项奖励(元)', '合计(元)', '说明']);
    const body: ExcelJS.Row[] = [];
    ws.eachRow((row, n) => {
      if (n > 1 && n < ws.rowCount) body.push(row);
    });
    const fen = (v: ExcelJS.CellValue) => Math.round(Number(v) * 100);
    expect(body.reduce((s, row) => s + fen(row.getCell(8).value), 0)).toBe(1_000_000);
    const totals = ws.getRow(ws.rowCount);
    expect([totals.getCell(1).value, fen(totals.getCell(8).value), fen(totals.getCell(10).value)]).toEqual(['合计', 1_000_000, 1_000_000]);
    expect(body.map((row) => row.getCell(1).value).every((v) => v === '佛山分行')).toBe(true);
    expect(wb.getWorksheet('完成率门槛')!.rowCount).toBe(4);
  });
});

/** Row counts of every table of the schema. */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = await rows<{ table_name: string }>(
    t.database.db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) out[table_name] = (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table_name)}`))[0].n;
  return out;
}

describe('what-if (writes nothing)', () => {
  it('recomputes with another gate, pool or quotas side by side — and every table keeps its row count, no audit entry', async () => {
    const before = await tableCounts();
    const [lastAudit] = await rows<{ id: number }>(t.database.db, sql`SELECT coalesce(max(id), 0)::int AS id FROM audit_log`);

    const noGate = await hr.post('/api/assessment/what-if', { nodeId: FS, year: Y, gateBp: 0 });
    expect(noGate.statusCode, noGate.body).toBe(200);
    const w = noGate.json();
    expect(w).toMatchObject({ base: { source: 'run', runId: run1 }, written: false });
    const inst = w.departments.find((d: { departmentId: number }) => d.departmentId === fx.dept('INST'));
    expect(inst).toMatchObject({ branchCode: '44100', code: 'INST', baseCounted: { points: '0.00' }, whatIfCounted: { points: '2.00' }, baseReward: { amount: '0.00' } });
    for (const g of [...w.base.result.gate, ...w.whatIf.gate]) expect(g).toMatchObject({ branchCode: '44100', departmentCode: expect.stringMatching(/^[A-Z]+$/) });
    // 1,000,000 × 200 / 3,500 = 57,142.85… → 57,142 or 57,143
    expect(inst.whatIfReward.amountFen).toBeGreaterThanOrEqual(57_142);
    expect(w.whatIf.totals.reward.amountFen).toBe(1_000_000);
    expect(w.departments.reduce((s: number, d: { delta: { amountFen: number } }) => s + d.delta.amountFen, 0)).toBe(0);

    const other = (await chair.post('/api/assessment/what-if', { nodeId: FS, year: Y, poolFen: 2_000_000, quotas: [{ departmentId: fx.dept('INST'), productId: fx.card.id, quantity: '10' }] })).json();
    expect(other.whatIf.gate.find((g: { departmentId: number }) => g.departmentId === fx.dept('INST'))).toMatchObject({ completionBp: 5000, passed: true });
    expect(other.whatIf.totals.reward.amountFen).toBe(2_000_000);
    // A year without a run is computed from the data (2024: one sale of 100.00 points).
    const fresh = (await hr.post('/api/assessment/what-if', { nodeId: FS, year: 2024, pool: '1000', gateBp: 6000 })).json();
    expect(fresh.base).toMatchObject({ source: 'computed', runId: null, result: { totals: { reward: { amount: '1000.00' } } } });

    expect(await tableCounts()).toEqual(before);
    const [after] = await rows<{ id: number }>(t.database.db, sql`SELECT coalesce(max(id), 0)::int AS id FROM audit_log`);
    expect(after.id).toBe(lastAudit.id);
  });
});

describe('committee approval (Art. 23, four eyes) and the payout lock', () => {
  let run2 = 0;
  let run3 = 0;
  it('the person who ran it cannot approve; HR cannot approve at all', async () => {
    expect((await hr.post(`/api/assessment/runs/${run1}/approve`)).json().error.code).toBe('AUTH.FORBIDDEN');
    run2 = (await fsAdmin.post('/api/assessment/runs', { nodeId: FS, year: Y, poolFen: 1_000_000 })).json().id;
    const self = await fsAdmin.post(`/api/assessment/runs/${run2}/approve`);
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'ASSESSMENT.SELF_APPROVAL']);
  });

  it('a run whose inputs moved since is stale; a fresh run is approved, then it is the only one', async () => {
    const s = await makeSale(t.database.db, { productId: fx.card.id, nodeId: FS, saleDate: '2025-11-11', quantity1e4: 10_000, host: 'CC', participants: [{ dept: 'EB' }] });
    await scoreSales(t.database.db, [s.id]);
    const stale = await chair.post(`/api/assessment/runs/${run1}/approve`);
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'ASSESSMENT.STALE']);
    run3 = (await hr.post('/api/assessment/runs', { nodeId: FS, year: Y, pool: '10000' })).json().id;
    const ok = await chair.post(`/api/assessment/runs/${run3}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'approved', approvedBy: { name: expect.any(String) } });
    expect(ok.json().result.totals.reward.amountFen).toBe(1_000_000);
    // The approval anchors the audit head, its own entry included (decision 0016).
    const [anchor] = await rows<{ seq: number; hash: string; action: string; entity_id: string; run_seq: number; run_hash: string }>(
      t.database.db,
      sql`SELECT a.seq, a.hash, l.action, l.entity_id, r.audit_seq AS run_seq, r.audit_hash AS run_hash
          FROM audit_anchors a JOIN audit_log l ON l.seq = a.seq AND l.hash = a.hash JOIN assessment_runs r ON r.id = ${run3}
          WHERE a.kind = 'assessment.approve' AND a.ref = ${String(run3)}`,
    );
    expect(anchor).toMatchObject({ action: 'assessment.approve', entity_id: String(run3) });
    expect([Number(anchor.run_seq), anchor.run_hash]).toEqual([Number(anchor.seq), anchor.hash]);
    expect((await chair.post(`/api/assessment/runs/${run2}/approve`)).json().error.code).toBe('ASSESSMENT.ALREADY_FINAL');
    expect((await hr.post('/api/assessment/runs', { nodeId: FS, year: Y, pool: '10000' })).json().error.code).toBe('ASSESSMENT.ALREADY_FINAL');
  });

  it('HR locks it after the payout; a locked run cannot change, even in the database', async () => {
    expect((await hr.post(`/api/assessment/runs/${run1}/lock`)).json().error.code).toBe('ASSESSMENT.BAD_TRANSITION');
    const locked = await hr.post(`/api/assessment/runs/${run3}/lock`);
    expect(locked.json()).toMatchObject({ state: 'locked', lockedBy: { name: expect.any(String) } });
    expect((await hr.post(`/api/assessment/runs/${run3}/lock`)).json().error.code).toBe('ASSESSMENT.LOCKED');
    const code = async (q: ReturnType<typeof sql>) => {
      const e = await t.database.db.execute(q).then(
        () => null,
        (x: unknown) => x,
      );
      for (let x = e as { code?: string; cause?: unknown } | null; x; x = x.cause as typeof x) if (x.code) return x.code;
      return undefined;
    };
    expect(await code(sql`UPDATE assessment_runs SET pool_fen = 1 WHERE id = ${run3}`)).toBe('LK003');
    expect(await code(sql`DELETE FROM assessment_run_lines WHERE run_id = ${run1}`)).toBe('42501');
    const actions = await rows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE entity = 'assessment_run' AND entity_id = ${String(run3)} ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['assessment.run', 'assessment.approve', 'assessment.lock']);
  });
});

describe('the assessment period (Art. 22): final only after the year is', () => {
  it('a final run is refused while a month is open — naming the months — and what-if stays allowed, marked 试算', async () => {
    // 2024: nothing locked yet.
    const open = await hr.post('/api/assessment/runs', { nodeId: FS, year: 2024, pool: '1000' });
    expect([open.statusCode, open.json().error.code]).toEqual([409, 'ASSESSMENT.YEAR_OPEN']);
    expect(open.json().error.message).toContain('2024 年尚有月份未锁定：佛山分行 2024-01（草稿）');
    expect(open.json().error.details.openMonths).toHaveLength(12);
    // All but November locked: the message names November and its state.
    await setMonths(FS, 2024, { 11: 'published' });
    const nov = await hr.post('/api/assessment/runs', { nodeId: FS, year: 2024, pool: '1000' });
    expect([nov.statusCode, nov.json().error.code]).toEqual([409, 'ASSESSMENT.YEAR_OPEN']);
    expect(nov.json().error.message).toMatch(/^2024 年尚有月份未锁定：佛山分行 2024-11（公示中）。/);
    expect(nov.json().error.details.openMonths).toEqual([{ nodeId: FS, nodeName: '佛山分行', month: '2024-11', state: 'published' }]);
    const status = (await hr.get(`/api/assessment/year?nodeId=${FS}&year=2024`)).json();
    expect(status).toMatchObject({ closed: false, finalRun: null, openMonths: [{ month: '2024-11' }], reason: { zh: expect.stringContaining('佛山分行 2024-11') } });
    const trial = await hr.post('/api/assessment/what-if', { nodeId: FS, year: 2024, pool: '1000' });
    expect(trial.statusCode, trial.body).toBe(200);
    expect(trial.json()).toMatchObject({ trial: true, written: false, label: { zh: '试算' }, yearOpen: { zh: expect.stringContaining('2024-11（公示中）') } });
    const [runs] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM assessment_runs WHERE year = 2024`);
    expect(runs.n).toBe(0);
    // Once November is locked too, the run is made.
    await setMonths(FS, 2024);
    expect((await hr.get(`/api/assessment/year?nodeId=${FS}&year=2024`)).json()).toMatchObject({ closed: true, openMonths: [], reason: null });
    const ok = await hr.post('/api/assessment/runs', { nodeId: FS, year: 2024, pool: '1000' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await hr.post('/api/assessment/what-if', { nodeId: FS, year: 2024 })).json()).toMatchObject({ trial: true, yearOpen: null });
  });

  it('a province’s run needs the months of each branch under it', async () => {
    const prov = (await rows<{ id: number }>(t.database.db, sql`SELECT id FROM org_nodes WHERE level = 'province' ORDER BY id LIMIT 1`))[0].id;
    const admin = await t.login('admin');
    await setMonths(prov, 2024);
    const res = await admin.post('/api/assessment/runs', { nodeId: prov, year: 2024, pool: '1000' });
    expect(res.json().error?.code).toBe('ASSESSMENT.YEAR_OPEN');
    const names = new Set(res.json().error.details.openMonths.map((o: { nodeName: string }) => o.nodeName));
    expect(names.has('佛山分行')).toBe(false);
    expect(names.has('河源分行')).toBe(true);
  });
});

describe('a finally assessed year (2025 locked above): its sales are refused until the committee reopens it', () => {
  let person = '';
  let lockedRun = 0;
  const body = (sourceId: string) => ({
    sourceId,
    productCode: fx.card.code,
    idNumber: person,
    saleDate: '2025-11-20',
    quantity: 1,
    hostDepartmentCode: 'PF',
    departments: [{ code: 'CORP' }],
    people: [],
  });
  beforeAll(async () => {
    person = (
      await rows<{ id_number: string }>(t.database.db, sql`SELECT i.id_number FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`)
    )[0].id_number;
    lockedRun = (await rows<{ id: number }>(t.database.db, sql`SELECT id FROM assessment_runs WHERE node_id = ${FS} AND year = ${Y} AND state = 'locked'`))[0].id;
  });

  it('refuses a sale dated in the year through the API and the import; other years still pass', async () => {
    const res = await fsAdmin.post('/api/sales', body('YA-1'));
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'SALE.YEAR_ASSESSED']);
    expect(res.json().error.message).toContain('2025 年度考核已兑现锁定，该年度的交易不能再登记或更正');
    const other = await fsAdmin.post('/api/sales', { ...body('YA-2026'), saleDate: '2026-11-20' });
    expect(other.statusCode, other.body).toBe(201);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('销售');
    ws.addRow(['交易流水号', '产品代码', '客户身份证号码', '统一社会信用代码', '项目编号', '楼盘编号', '销售日期', '数量', '主办部门代码', '参与部门', '营销人员']);
    ws.addRow(['YA-IMP-1', fx.card.code, person, null, null, null, '2025年11月21日', 1, 'PF', 'CORP', null]);
    const up = await fsAdmin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(Buffer.from(await wb.xlsx.writeBuffer()), '补录.xlsx') });
    expect(up.statusCode, up.body).toBe(202);
    await waitForImport(t.database.db, up.json().id);
    expect((await fsAdmin.get(`/api/imports/jobs/${up.json().id}`)).json()).toMatchObject({ status: 'failed', errorRows: 1, inserted: 0 });
    const report = await fsAdmin.get(`/api/imports/jobs/${up.json().id}/errors.xlsx`);
    const rep = new ExcelJS.Workbook();
    await rep.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    expect(JSON.stringify(rep.worksheets[0].getSheetValues())).toContain('SALE.YEAR_ASSESSED');
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM sales WHERE source_id IN ('YA-1', 'YA-IMP-1')`);
    expect(n.n).toBe(0);
  });

  it('the committee reopens the year with a reason: the run is superseded, audited, readable; sales are accepted again; a new run can be made', async () => {
    expect((await hr.post(`/api/assessment/runs/${lockedRun}/reopen`, { reason: '补录十一月漏报交易' })).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await chair.post(`/api/assessment/runs/${lockedRun}/reopen`, { reason: ' ' })).statusCode).toBe(400);
    expect((await chair.post(`/api/assessment/runs/${lockedRun}/reopen`, {})).statusCode).toBe(400);
    const res = await chair.post(`/api/assessment/runs/${lockedRun}/reopen`, { reason: '补录十一月漏报交易' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: lockedRun, state: 'superseded', supersedeReason: '补录十一月漏报交易', supersededBy: { name: expect.any(String) }, supersededAt: expect.any(String) });
    expect((await hr.get(`/api/assessment/runs/${lockedRun}`)).json()).toMatchObject({ state: 'superseded', lockedAt: expect.any(String), result: { totals: { reward: { amountFen: 1_000_000 } } } });
    const [a] = await rows<{ before: { state: string }; after: { state: string; reason: string } }>(
      t.database.db,
      sql`SELECT before, after FROM audit_log WHERE action = 'assessment.reopen' AND entity_id = ${String(lockedRun)}`,
    );
    expect(a).toMatchObject({ before: { state: 'locked' }, after: { state: 'superseded', reason: '补录十一月漏报交易' } });
    expect((await chair.post(`/api/assessment/runs/${lockedRun}/reopen`, { reason: '再次' })).json().error.code).toBe('ASSESSMENT.NOT_FINAL');
    // A superseded run never changes again, even in the database.
    const e = await t.database.db.execute(sql`UPDATE assessment_runs SET state = 'locked' WHERE id = ${lockedRun}`).then(
      () => null,
      (x: unknown) => x,
    );
    let code: string | undefined;
    for (let x = e as { code?: string; cause?: unknown } | null; x && !code; x = x.cause as typeof x) code = x.code;
    expect(code).toBe('LK003');

    const again = await fsAdmin.post('/api/sales', body('YA-1'));
    expect(again.statusCode, again.body).toBe(201);
    const run = await hr.post('/api/assessment/runs', { nodeId: FS, year: Y, pool: '10000' });
    expect(run.statusCode, run.body).toBe(201);
    expect((await chair.post(`/api/assessment/runs/${run.json().id}/approve`)).json().state).toBe('approved');
    expect((await hr.post(`/api/assessment/runs/${run.json().id}/lock`)).json().state).toBe('locked');
    expect((await fsAdmin.post('/api/sales', body('YA-3'))).json().error.code).toBe('SALE.YEAR_ASSESSED');
    const list = (await hr.get(`/api/assessment/runs?nodeId=${FS}&year=${Y}`)).json().items.map((r: { id: number; state: string }) => [r.id, r.state]);
    expect(list).toContainEqual([lockedRun, 'superseded']);
    expect(list).toContainEqual([run.json().id, 'locked']);
  });
});

describe('award rules as configuration (Art. 17)', () => {
  it('the committee sets them from a year on; they are validated and audited', async () => {
    const none = (await hr.get(`/api/assessment/rules?nodeId=${FS}&year=2026`)).json();
    expect(none).toMatchObject({ inForce: null, history: [], defaults: { outletAttribution: true } });
    const rules = {
      kpiDeductions: [{ belowBp: 5000, deductHundredths: 300 }],
      specialAwards: [{ atLeastBp: 12000, amountFen: 100_000 }],
      keyProjects: [{ projectId: 7, amountFen: 50_000, label: '重点项目突破奖' }],
      outletAttribution: true,
    };
    expect((await hr.put('/api/assessment/rules', { nodeId: FS, effectiveYear: 2026, rules })).json().error.code).toBe('AUTH.FORBIDDEN');
    const bad = await chair.put('/api/assessment/rules', { nodeId: FS, effectiveYear: 2026, rules: { ...rules, keyProjects: [rules.keyProjects[0], rules.keyProjects[0]] } });
    expect(bad.statusCode).toBe(400);
    const put = await chair.put('/api/assessment/rules', { nodeId: FS, effectiveYear: 2026, rules });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().inForce).toMatchObject({ nodeId: FS, effectiveYear: 2026, rules });
    expect((await hr.get(`/api/assessment/rules?nodeId=${FS}&year=2027`)).json().inForce.effectiveYear).toBe(2026);
    expect((await hr.get(`/api/assessment/rules?nodeId=${FS}&year=2025`)).json().inForce).toBeNull();
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'assessment.rules.create'`);
    expect(a.n).toBe(1);
  });
});

describe('access (SPEC §1 scope)', () => {
  it('401 without a session; 403 out of scope or without the permission', async () => {
    expect((await t.anonymous.get(`/api/assessment/runs/${run1}`)).statusCode).toBe(401);
    expect((await t.anonymous.post('/api/assessment/what-if', { nodeId: FS, year: Y })).statusCode).toBe(401);
    const out = await hyAdmin.get(`/api/assessment/runs/${run1}`);
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'AUTH.OUT_OF_SCOPE']);
    expect((await hyAdmin.get(`/api/assessment/runs/${run1}/payout.xlsx`)).statusCode).toBe(403);
    expect((await hyAdmin.post('/api/assessment/runs', { nodeId: FS, year: Y, pool: '1' })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await hyAdmin.post('/api/assessment/what-if', { nodeId: FS, year: Y })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await fsStaff.get(`/api/assessment/runs?nodeId=${FS}`)).json().error.code).toBe('AUTH.FORBIDDEN');
    expect((await hr.get('/api/assessment/runs/999999')).json().error.code).toBe('ASSESSMENT.NOT_FOUND');
  });
});
