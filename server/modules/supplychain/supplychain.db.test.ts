import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { makeIdNumber } from '../customers/ids.rules.js';
import { runSupplyChainNplJob } from './npl.job.js';

/**
 * The supply-chain programme through the API (SPEC §12, seed 002; decision 0039), with a worked
 * example derived by hand. All amounts below in 元 unless said; the API speaks fen (× 100).
 *
 * Programme TQ-2026 of 佛山分行, defaults: total 400,000,000, household 2,000,000, 30 % of orders,
 * margin 5 %, NPL warn 2 % / suspend 3 %, tolerance 5 %. Applications dated 2026-11-20, so the
 * order window is 2025-11 … 2026-10 (12 months).
 *
 *  A  recommended   800,000; provider orders 175,000 × 12 = 2,100,000 → 30 % = 630,000 → limit 630,000 (orders).
 *     The enterprise says 178,000 for 2026-10: |3,000| ≤ 5 % × 175,000 = 8,750 → within tolerance.
 *  B  recommended 3,000,000; orders 1,000,000 × 12 = 12,000,000 → 30 % = 3,600,000; cap 2,000,000 → limit 2,000,000 (household_cap).
 *  B2 same household as B: cap 2,000,000 − 2,000,000 = 0 → refused SC.HOUSEHOLD_FULL.
 *  C  enterprise says 120,000 for 2026-06, the provider 100,000: 20,000 > 5 % × 100,000 = 5,000 → not admitted.
 *  G  recommended 1,000,000; orders 400,000 × 10 = 4,000,000 → 1,200,000 → limit 1,000,000 (recommended).
 *  Granted so far 630,000 + 2,000,000 + 1,000,000 = 3,630,000. The total is then set to 3,730,000:
 *  E  recommended 500,000, orders 2,400,000 (→ 720,000) → remaining 100,000 → limit 100,000 (programme_remaining).
 *  F  the same → remaining 0 → refused SC.PROGRAMME_FULL.
 *
 * NPL (balance of draws overdue > 90 days ÷ balance), exact integers: the NPL draw's balance is
 * N = 59,700 = 5,970,000 fen (= 199 × 3 × 10,000 fen, so each line below divides exactly):
 *   day 1  balance 3,000,000: 5,970,000 × 10000 = 59,700,000,000 < 200 × 300,000,000 = 60,000,000,000 → 1.99 %, normal
 *   day 2  balance 2,985,000: 59,700,000,000 = 200 × 298,500,000 → exactly 2.00 %, warns
 *   day 3  balance 1,990,000: 59,700,000,000 = 300 × 199,000,000 → exactly 3.00 %, suspends
 */
let t: TestApp;
let restore: () => void;
let setClock: (iso: string) => void;
let admin: Client;
let fsAdmin: Client;
let fsChair: Client;
let hyAdmin: Client;
let programmeId = 0;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const Y = 100;

async function importCsv(who: Client, kind: string, csv: string) {
  const res = await who.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(Buffer.from(csv), `${kind}.csv`, 'all') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

const REC_HEADER = '方案编号,客户编号,客户名称,客户类型,户号,证件号码,结算网点机构号,打分卡得分,推荐融资金额（元）,推荐函编号,申请日期\n';
const idOf = (n: number) => makeIdNumber('440604', '1975-03-08', 100 + n);
const REC_CSV =
  REC_HEADER +
  [
    ['A', '张大山养殖场', 'H-A', 88, '800000'],
    ['B', '李家湾生猪养殖合作社', 'H-B', 92, '3000000'],
    ['B2', '李小湾', 'H-B', 70, '100000'],
    ['C', '王二饲养户', 'H-C', 75, '500000'],
    ['G', '陈记家禽', 'H-G', 81, '1000000'],
    ['E', '刘村养殖户', 'H-E', 78, '500000'],
    ['F', '周氏农场', 'H-F', 77, '500000'],
  ]
    .map(([code, name, hh, score, amount], i) => `TQ-2026,${code},${name},养殖户,${hh},${idOf(i)},,${score},${amount},TJH-${code},2026-11-20`)
    .join('\n') +
  '\n';

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i < 2 ? 2025 : 2026}-${String(i < 2 ? 11 + i : i - 1).padStart(2, '0')}`);
function ordersCsv(): string {
  const lines = ['方案编号,客户编号,订单月份,数据来源,订单金额（元）'];
  const both = (client: string, month: string, ent: number, prov: number) => {
    lines.push(`TQ-2026,${client},${month},核心企业,${ent}`, `TQ-2026,${client},${month},三方数据服务商,${prov}`);
  };
  for (const m of MONTHS) {
    both('A', m, m === '2026-10' ? 178_000 : 175_000, 175_000);
    both('B', m, 1_000_000, 1_000_000);
    both('B2', m, 100_000, 100_000);
    both('C', m, m === '2026-06' ? 120_000 : 100_000, 100_000);
    if (m >= '2026-01') both('G', m, 400_000, 400_000);
    both('E', m, 200_000, 200_000);
    both('F', m, 200_000, 200_000);
  }
  return lines.join('\n') + '\n';
}

const LOAN_HEADER = '方案编号,借据号,客户编号,放款日期,到期日期,放款金额（元）,贷款余额（元）,累计还本（元）,逾期金额（元）,逾期天数,当月核心企业代偿（元）,数据日期\n';
const loan = (no: string, client: string, amount: number, balance: number, overdueDays = 0, overdue = 0, compensated = 0, asOf = '2026-12-07') =>
  `TQ-2026,${no},${client},2026-01-10,2027-01-09,${amount},${balance},${amount - balance},${overdue},${overdueDays},${compensated},${asOf}\n`;

beforeAll(async () => {
  const c = useTestClock('2026-12-07T02:00:00Z');
  restore = c.restore;
  setClock = (iso) => c.clock.set(iso);
  t = await createTestApp();
  [admin, fsAdmin, fsChair, hyAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('fs_president'), t.login('hy_admin')]);
  const [owner] = await q<{ id: number }>(sql`SELECT s.id FROM staff s WHERE s.staff_no = 'fs_admin'`);
  const res = await fsAdmin.post('/api/supplychain/programmes', {
    code: 'TQ-2026',
    name: '特驱农牧贷',
    enterpriseName: '四川特驱农牧集团',
    nodeId: DEMO_NODES.foshan,
    ownerStaffId: owner.id,
    agreementNo: 'HZXY-2026-01',
    guaranteeNo: 'DBHT-2026-01',
    signedOn: '2026-11-01',
  });
  expect(res.statusCode, res.body).toBe(201);
  programmeId = res.json().id;
  expect(res.json()).toMatchObject({ totalCapFen: 40_000_000_000, householdCapFen: 200_000_000, orderRatioBp: 3000, marginBp: 500, warnBp: 200, suspendBp: 300, status: 'active' });
});

afterAll(async () => {
  restore();
  await t?.close();
});

describe('lists, cross-check and admission', () => {
  it('imports the recommendations and both order histories, idempotently, and refuses a programme outside the scope', async () => {
    const rec = await importCsv(fsAdmin, 'supplychain-recommendations', REC_CSV);
    expect(rec.job).toMatchObject({ status: 'done', inserted: 7 });
    const ord = await importCsv(fsAdmin, 'supplychain-orders', ordersCsv());
    expect(ord.job).toMatchObject({ status: 'done', inserted: 12 * 2 * 6 + 10 * 2 });
    // Re-import: nothing changes.
    expect((await importCsv(fsAdmin, 'supplychain-recommendations', REC_CSV)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 7 });
    expect((await importCsv(fsAdmin, 'supplychain-orders', ordersCsv())).job).toMatchObject({ status: 'done', inserted: 0, updated: 0 });
    // 河源 cannot import into 佛山's programme: the row and cell are named, nothing written.
    const hy = await importCsv(hyAdmin, 'supplychain-recommendations', REC_HEADER + `TQ-2026,Z,某户,养殖户,H-Z,${idOf(50)},,60,abc,,2026-11-20\n`);
    expect(hy.job.status).toBe('failed');
    const codes = hy.errors.items.map((e: { columnKey: string; code: string }) => `${e.columnKey}:${e.code}`);
    expect(codes).toEqual(expect.arrayContaining(['recommendedFen:IMPORT.INVALID']));
    const hy2 = await importCsv(hyAdmin, 'supplychain-recommendations', REC_HEADER + `TQ-2026,Z,某户,养殖户,H-Z,${idOf(50)},,60,1000,,2026-11-20\n`);
    expect(hy2.errors.items.map((e: { code: string }) => e.code)).toEqual(['SC.PROGRAMME_NOT_FOUND']);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM sc_clients WHERE client_code = 'Z'`);
    expect(n).toBe(0);
  });

  it('shows the cross-check per client and month; 河源 sees nothing of 佛山', async () => {
    const list = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}/clients`)).json().items as { id: number; clientCode: string; beyondMonths: number; providerOrdersFen: number }[];
    const by = (code: string) => list.find((c) => c.clientCode === code)!;
    expect(by('A')).toMatchObject({ beyondMonths: 0, providerOrdersFen: 2_100_000 * Y });
    expect(by('C')).toMatchObject({ beyondMonths: 1 });
    const c = (await fsAdmin.get(`/api/supplychain/clients/${by('C').id}`)).json();
    expect(c.crossCheck.months.filter((m: { beyond: boolean }) => m.beyond)).toEqual([{ month: '2026-06-01', enterpriseFen: 12_000_000, providerFen: 10_000_000, diffFen: 2_000_000, beyond: true }]);
    const a = (await fsAdmin.get(`/api/supplychain/clients/${by('A').id}`)).json();
    expect(a.crossCheck.months.find((m: { month: string }) => m.month === '2026-10-01')).toMatchObject({ diffFen: 300_000, beyond: false });
    expect((await hyAdmin.get(`/api/supplychain/programmes/${programmeId}`)).statusCode).toBe(404);
    expect((await hyAdmin.get(`/api/supplychain/clients/${by('A').id}`)).statusCode).toBe(404);
    expect((await hyAdmin.post(`/api/supplychain/clients/${by('A').id}/admit`, {})).statusCode).toBe(404);
    expect((await hyAdmin.get('/api/supplychain/programmes')).json().items).toEqual([]);
  });

  it('admits with the limit and the rule that bound it (the worked example)', async () => {
    const list = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}/clients`)).json().items as { id: number; clientCode: string }[];
    const id = (code: string) => list.find((c) => c.clientCode === code)!.id;
    const admit = (code: string) => fsAdmin.post(`/api/supplychain/clients/${id(code)}/admit`, {});
    const a = await admit('A');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'admitted', limitFen: 630_000 * Y, limitRule: 'orders' });
    expect(a.json().limitInputs).toMatchObject({ recommendedFen: 800_000 * Y, orders12mFen: 2_100_000 * Y, candidates: { recommended: 80_000_000, orders: 63_000_000, household_cap: 200_000_000 } });
    expect((await admit('B')).json()).toMatchObject({ limitFen: 2_000_000 * Y, limitRule: 'household_cap' });
    expect((await admit('B2')).json().error).toMatchObject({ code: 'SC.HOUSEHOLD_FULL' });
    const c = await admit('C');
    expect(c.statusCode).toBe(409);
    expect(c.json().error).toMatchObject({ code: 'SC.CROSS_CHECK_FAILED' });
    expect((await admit('G')).json()).toMatchObject({ limitFen: 1_000_000 * Y, limitRule: 'recommended' });
    expect((await admit('A')).json().error).toMatchObject({ code: 'SC.CLIENT_DECIDED' });
    // The total is configuration: 3,730,000 leaves 100,000 after 3,630,000 granted.
    const p = await fsAdmin.patch(`/api/supplychain/programmes/${programmeId}`, { totalCapFen: 3_730_000 * Y });
    expect(p.json()).toMatchObject({ grantedFen: 3_630_000 * Y, remainingFen: 100_000 * Y });
    expect((await fsAdmin.patch(`/api/supplychain/programmes/${programmeId}`, { totalCapFen: 3_000_000 * Y })).json().error).toMatchObject({ code: 'SC.PROGRAMME_FULL' });
    expect((await admit('E')).json()).toMatchObject({ limitFen: 100_000 * Y, limitRule: 'programme_remaining' });
    expect((await admit('F')).json().error).toMatchObject({ code: 'SC.PROGRAMME_FULL' });
    const detail = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}`)).json();
    expect(detail).toMatchObject({ grantedFen: 3_730_000 * Y, remainingFen: 0, admitted: 4 });
    // Audited, and the owner told to have the clients draw.
    const [{ audits }] = await q<{ audits: number }>(sql`SELECT count(*)::int AS audits FROM audit_log WHERE action = 'supplychain.client.admit'`);
    expect(audits).toBe(4);
    const [{ notes }] = await q<{ notes: number }>(
      sql`SELECT count(*)::int AS notes FROM notifications n JOIN staff s ON s.id = n.staff_id WHERE s.staff_no = 'fs_admin' AND n.kind = 'supplychain.admitted'`,
    );
    expect(notes).toBe(4);
    // 导入白名单: the programme's batch (source supply_chain) holds the four admitted, each at its limit.
    const wl = await q<{ source: string; code: string; amount: number; ref: string }>(
      sql`SELECT b.source, b.code, e.amount_fen::float8 AS amount, e.source_ref AS ref FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id ORDER BY e.amount_fen`,
    );
    expect(wl).toEqual([
      { source: 'supply_chain', code: 'SC-TQ-2026', amount: 100_000 * Y, ref: 'E' },
      { source: 'supply_chain', code: 'SC-TQ-2026', amount: 630_000 * Y, ref: 'A' },
      { source: 'supply_chain', code: 'SC-TQ-2026', amount: 1_000_000 * Y, ref: 'G' },
      { source: 'supply_chain', code: 'SC-TQ-2026', amount: 2_000_000 * Y, ref: 'B' },
    ]);
    // The 证件号码 leaves the server masked.
    expect(a.json().idNo).not.toBe(idOf(0));
    expect(a.json().idNo).toContain('*');
    // A recommendation with a wrong check digit is refused by cell.
    const bad = await importCsv(fsAdmin, 'supplychain-recommendations', REC_HEADER + `TQ-2026,Z,某户,养殖户,H-Z,${idOf(51).slice(0, 17)}0,,60,1000,,2026-11-20\n`);
    expect(bad.errors.items.map((e: { columnKey: string }) => e.columnKey)).toContain('idNo');
    // A decided client's recommendation cannot change by re-import.
    const changed = await importCsv(fsAdmin, 'supplychain-recommendations', REC_HEADER + `TQ-2026,A,张大山养殖场,养殖户,H-A,${idOf(0)},,88,900000,TJH-A,2026-11-20\n`);
    expect(changed.errors.items.map((e: { code: string }) => e.code)).toEqual(['SC.CLIENT_DECIDED']);
  });
});

describe('draws, margin, the loan feed and the NPL thresholds', () => {
  let aId = 0;
  it('draws within the limit and a year, with 5 % margin; refuses over the limit or the term', async () => {
    [{ id: aId }] = await q<{ id: number }>(sql`SELECT id FROM sc_clients WHERE client_code = 'A'`);
    const over = await fsAdmin.post(`/api/supplychain/clients/${aId}/draws`, { loanNo: 'X-1', amountFen: 630_001 * Y, drawnOn: '2026-12-07', maturityOn: '2027-12-07' });
    expect(over.json().error).toMatchObject({ code: 'SC.OVER_LIMIT' });
    const long = await fsAdmin.post(`/api/supplychain/clients/${aId}/draws`, { loanNo: 'X-1', amountFen: 100 * Y, drawnOn: '2026-12-07', maturityOn: '2027-12-08' });
    expect(long.json().error).toMatchObject({ code: 'SC.TERM_TOO_LONG' });
    const [{ id: cId }] = await q<{ id: number }>(sql`SELECT id FROM sc_clients WHERE client_code = 'C'`);
    expect((await fsAdmin.post(`/api/supplychain/clients/${cId}/draws`, { loanNo: 'X-2', amountFen: 100, drawnOn: '2026-12-07', maturityOn: '2027-06-07' })).json().error).toMatchObject({
      code: 'SC.NOT_ADMITTED',
    });
  });

  it('the loan feed: draws with margin, repayments release it, compensation is shown; 1.99 % / 2.00 % / 3.00 %', async () => {
    // Day 1 (as of 12-07): L1 A 600,000; L2 B 2,000,000; L3 G 59,700 overdue 91 days (NPL); L4 G 340,300. Balance 3,000,000.
    const day1 = LOAN_HEADER + loan('L1', 'A', 600_000, 600_000) + loan('L2', 'B', 2_000_000, 2_000_000) + loan('L3', 'G', 59_700, 59_700, 91, 59_700, 1_200) + loan('L4', 'G', 340_300, 340_300);
    expect((await importCsv(fsAdmin, 'supplychain-loans', day1)).job).toMatchObject({ status: 'done', inserted: 4 });
    const draws = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}/draws`)).json().items as { loanNo: string; marginFen: number; marginReleasedFen: number; nonPerforming: boolean }[];
    expect(draws.find((d) => d.loanNo === 'L1')).toMatchObject({ marginFen: 30_000 * Y, marginReleasedFen: 0 });
    expect(draws.find((d) => d.loanNo === 'L3')).toMatchObject({ marginFen: 2_985 * Y, nonPerforming: true });
    expect((await importCsv(fsAdmin, 'supplychain-loans', day1)).job).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    const run = (iso: string) => runSupplyChainNplJob(t.database.db, new Date(iso));
    expect((await run('2026-12-07T16:30:00Z')).done).toHaveLength(1); // 12-08 Beijing
    expect((await run('2026-12-07T17:00:00Z')).done).toHaveLength(0); // the same day: claimed once
    const level = async (day: string) =>
      (await q<{ level: string; ratioBp: number }>(sql`SELECT level, ratio_bp AS "ratioBp" FROM sc_npl_days WHERE programme_id = ${programmeId} AND day = ${day}`))[0];
    expect(await level('2026-12-08')).toEqual({ level: 'normal', ratioBp: 199 });

    // Day 2: B repaid 15,000 → balance 2,985,000 → exactly 2.00 %: the owner and the branch are warned.
    await importCsv(fsAdmin, 'supplychain-loans', LOAN_HEADER + loan('L2', 'B', 2_000_000, 1_985_000, 0, 0, 0, '2026-12-08'));
    const l2 = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}/draws`)).json().items.find((d: { loanNo: string }) => d.loanNo === 'L2');
    // Margin 100,000; repaid 15,000 of 2,000,000 → 100,000 × 15,000 / 2,000,000 = 750 released.
    expect(l2).toMatchObject({ marginFen: 100_000 * Y, marginReleasedFen: 750 * Y, balanceFen: 1_985_000 * Y });
    await run('2026-12-08T16:30:00Z');
    expect(await level('2026-12-09')).toEqual({ level: 'warn', ratioBp: 200 });
    const [{ warned }] = await q<{ warned: number }>(
      sql`SELECT count(*)::int AS warned FROM notifications n JOIN staff s ON s.id = n.staff_id WHERE s.staff_no = 'fs_admin' AND n.kind = 'supplychain.npl_warning'`,
    );
    expect(warned).toBe(1);
    expect((await fsAdmin.get(`/api/supplychain/programmes/${programmeId}`)).json().status).toBe('active');

    // Day 3: B's balance 990,000 → total 1,990,000 → exactly 3.00 %: suspended.
    await importCsv(fsAdmin, 'supplychain-loans', LOAN_HEADER + loan('L2', 'B', 2_000_000, 990_000, 0, 0, 0, '2026-12-09'));
    await run('2026-12-09T16:30:00Z');
    expect(await level('2026-12-10')).toEqual({ level: 'suspend', ratioBp: 300 });
    const detail = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}`)).json();
    expect(detail).toMatchObject({ status: 'suspended', balanceFen: 1_990_000 * Y, nplFen: 59_700 * Y, nplRatioBp: 300 });
    expect(detail.compensations).toEqual([{ month: '2026-12', amountFen: 1_200 * Y, draws: 1 }]);
    // Nothing new while suspended: no draw in the console, none from the feed.
    setClock('2026-12-10T02:00:00Z');
    expect((await fsAdmin.post(`/api/supplychain/clients/${aId}/draws`, { loanNo: 'X-3', amountFen: 100 * Y, drawnOn: '2026-12-10', maturityOn: '2027-06-10' })).json().error).toMatchObject({
      code: 'SC.PROGRAMME_SUSPENDED',
    });
    const refused = await importCsv(fsAdmin, 'supplychain-loans', LOAN_HEADER + loan('L5', 'A', 10_000, 10_000));
    expect(refused.errors.items.map((e: { code: string }) => e.code)).toEqual(['SC.PROGRAMME_SUSPENDED']);
  });

  it('a four-eyes reassessment reopens it: the requester cannot approve; the reopening is audited', async () => {
    const req = await fsAdmin.post(`/api/supplychain/programmes/${programmeId}/reassessments`, { reason: '核心企业已代偿逾期利息，经营正常，重新评估后申请恢复' });
    expect(req.statusCode, req.body).toBe(201);
    expect((await fsAdmin.post(`/api/supplychain/programmes/${programmeId}/reassessments`, { reason: '再次' })).json().error).toMatchObject({ code: 'SC.REASSESSMENT_PENDING' });
    const self = await fsAdmin.post(`/api/supplychain/reassessments/${req.json().id}/decide`, { approve: true, note: '同意' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error).toMatchObject({ code: 'SC.SELF_APPROVAL' });
    expect((await hyAdmin.post(`/api/supplychain/reassessments/${req.json().id}/decide`, { approve: true, note: '同意' })).statusCode).toBe(404);
    const ok = await fsChair.post(`/api/supplychain/reassessments/${req.json().id}/decide`, { approve: true, note: '风险可控，同意恢复' });
    expect(ok.json()).toMatchObject({ status: 'approved', programmeStatus: 'active' });
    const p = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}`)).json();
    expect(p).toMatchObject({ status: 'active', reopenedAtBp: 300 });
    expect(p.reassessments[0]).toMatchObject({ status: 'approved', ratioBp: 300 });
    const audits = await q<{ action: string }>(sql`SELECT action FROM audit_log WHERE action LIKE 'supplychain.reassessment.%' OR action = 'supplychain.programme.suspend' ORDER BY id`);
    expect(audits.map((a) => a.action)).toEqual(['supplychain.programme.suspend', 'supplychain.reassessment.request', 'supplychain.reassessment.approve']);
    // The next day at the same 3.00 %: the reassessment accepted it — still active; a draw goes through.
    await runSupplyChainNplJob(t.database.db, new Date('2026-12-10T16:30:00Z'));
    expect((await fsAdmin.get(`/api/supplychain/programmes/${programmeId}`)).json().status).toBe('active');
    const d = await fsAdmin.post(`/api/supplychain/clients/${aId}/draws`, { loanNo: 'X-4', amountFen: 30_000 * Y, drawnOn: '2026-12-10', maturityOn: '2027-12-10' });
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json()).toMatchObject({ marginFen: 1_500 * Y });
    // A repaid loan releases all its margin.
    await importCsv(fsAdmin, 'supplychain-loans', LOAN_HEADER + loan('L4', 'G', 340_300, 0, 0, 0, 0, '2026-12-10'));
    const l4 = (await fsAdmin.get(`/api/supplychain/programmes/${programmeId}/draws`)).json().items.find((x: { loanNo: string }) => x.loanNo === 'L4');
    expect(l4).toMatchObject({ marginFen: 17_015 * Y, marginReleasedFen: 17_015 * Y });
    void admin;
  });
});
