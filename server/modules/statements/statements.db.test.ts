import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, settleLines } from '../../cli/settle.command.js';
import { addDays, clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { makeDevelopment, makeProduct, makeSale, staffOf } from '../scoring/testing.js';

const FS = DEMO_NODES.foshan;
let t: TestApp;
let chair: Client;
let saleIds: number[] = [];
let voidedSale = 0;
let corp: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  chair = await t.login('fs_president');
  corp = await staffOf(db, FS, 'CORP');
  const pf = await staffOf(db, FS, 'PF');
  const wealth = await makeProduct(db, { score: 1000, name: '理财产品', unit: '万元' });
  const card = await makeProduct(db, { score: 333, name: '信用卡', unit: '张' });
  const mortgage = await makeProduct(db, { score: 5000, name: '个人住房贷款', unit: '笔', mortgage: true, host: 'RE' });
  const ok = await makeDevelopment(db, { nodeId: FS, lenderMode: 'sole', name: '达标楼盘', figures: [{ asOf: '2026-08-31', total: 100, bank: 85 }] });
  const below = await makeDevelopment(db, { nodeId: FS, lenderMode: 'partial', loanShareBp: 6000, name: '未达标楼盘', figures: [{ asOf: '2026-08-15', total: 100, bank: 59 }] });
  const s = [
    await makeSale(db, {
      productId: wealth.id,
      nodeId: FS,
      saleDate: '2026-08-03',
      quantity1e4: 1_000_100,
      host: 'PF',
      participants: [{ dept: 'CORP' }, { dept: 'INST' }, { dept: 'EB' }],
      people: [
        { staffId: corp[0], dept: 'CORP', role: '介绍人' },
        { staffId: pf[0], dept: 'PF', role: '产品经理' },
      ],
      projectId: 7,
    }),
    await makeSale(db, {
      productId: card.id,
      nodeId: FS,
      saleDate: '2026-08-09',
      quantity1e4: 70_000,
      host: 'CC',
      participants: [
        { dept: 'CORP', ratioBp: 7000 },
        { dept: 'PF', ratioBp: 3000 },
      ],
      people:
        corp.length > 1
          ? [
              { staffId: corp[0], dept: 'CORP', contributionBp: 6000 },
              { staffId: corp[1], dept: 'CORP', contributionBp: 4000 },
            ]
          : [{ staffId: corp[0], dept: 'CORP' }],
    }),
    await makeSale(db, { productId: mortgage.id, nodeId: FS, saleDate: '2026-08-20', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }], developmentId: ok.id }),
    await makeSale(db, {
      productId: mortgage.id,
      nodeId: FS,
      saleDate: '2026-08-21',
      quantity1e4: 10_000,
      host: 'RE',
      participants: [{ dept: 'PF' }],
      developmentId: below.id,
      people: [{ staffId: pf[0], dept: 'PF', role: '营销人员' }],
    }),
    // another month and another branch stay out of the October statement of 佛山分行
    await makeSale(db, { productId: wealth.id, nodeId: FS, saleDate: '2026-07-31', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }] }),
    await makeSale(db, { productId: wealth.id, nodeId: DEMO_NODES.heyuan, saleDate: '2026-08-03', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }] }),
  ];
  saleIds = s.map((x) => x.id);
  voidedSale = s[3].id;
  await scoreSales(db, saleIds);
});
afterAll(() => t.close());

describe('draft statement (SPEC §9 step 1)', () => {
  it('totals equal the sum of the ledger, and every breakdown adds up to them', async () => {
    const res = await chair.get(`/api/statements/${FS}/2026-08`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const [ledger] = await rows<{ pts: number; voided: number }>(
      t.database.db,
      sql`SELECT coalesce(sum(points_hundredths) FILTER (WHERE kind <> 'void'), 0)::int AS pts, coalesce(sum(points_hundredths) FILTER (WHERE kind = 'void'), 0)::int AS voided
          FROM ledger_entries WHERE node_id = ${FS} AND period = '2026-08-01'`,
    );
    // 100.01 万元 × 10.00 = 1000.10; 7 张 × 3.33 = 23.31; 1 笔 × 50.00 (passes); 50.00 voided.
    expect(s.totals.total).toEqual({ points: '1073.41', pointsHundredths: 107341 });
    expect(s.totals.total.pointsHundredths).toBe(Number(ledger.pts));
    expect(s.totals.voided).toEqual({ points: '50.00', pointsHundredths: 5000 });
    expect(Number(ledger.voided)).toBe(5000);
    expect(s.totals.sales).toBe(4);
    const sum = (xs: { pointsHundredths: number }[]) => xs.reduce((a, x) => a + x.pointsHundredths, 0);
    expect(sum(s.departments)).toBe(107341);
    expect(sum(s.products)).toBe(107341);
    expect(sum(s.projects)).toBe(107341);
    expect(sum(s.people) + s.totals.departmentLevel.pointsHundredths).toBe(107341);
    for (const x of [...s.departments, ...s.people]) expect(x.points).toMatch(/^-?\d+\.\d{2}$/);
    // the card sale: host CC 20 % of 23.31 = 4.662 → 4.66; CORP 70 % of 80 % = 13.0536 → 13.05; PF 5.5944 → 5.60
    const cc = s.departments.find((d: { code: string }) => d.code === 'CC');
    expect(cc.points).toBe('4.66');
    const p = s.people.find((x: { staffId: number }) => x.staffId === corp[0]);
    expect(p.roles).toContain('介绍人');
    expect(p.departmentName).toBe('公司业务部');
    // Codes beside ids and names on every line (issue 18 part 5): 机构号, department code, staff number, product code.
    expect(s.node.code).toBe('44100');
    expect(p).toMatchObject({ branchCode: '44100', departmentCode: 'CORP', staffNo: expect.stringMatching(/\S/) });
    for (const x of [...s.departments, ...s.people, ...s.projects, ...s.products, ...s.developments, ...s.adjustments, ...s.laterAdjustments]) expect(x.branchCode).toBe('44100');
    for (const x of s.people) expect(x.departmentCode).toMatch(/^[A-Z]+$/);
    for (const x of s.products) expect(x.code).toMatch(/\S/);
    for (const x of [...s.adjustments, ...s.laterAdjustments]) expect(x.departmentCode).toMatch(/^[A-Z]+$/);
  });

  it('lists the months that have scored sales, newest first (where the page opens), a province’s with its branches’', async () => {
    const fs = (await chair.get(`/api/statements/${FS}/months`)).json().items as { month: string; sales: number; total: { pointsHundredths: number } }[];
    const months = fs.map((m) => m.month);
    expect(months).toEqual([...months].sort().reverse());
    expect(months).toEqual(expect.arrayContaining(['2026-08', '2026-07']));
    for (const m of fs) expect(m.sales !== 0 || m.total.pointsHundredths !== 0).toBe(true);
    const aug = fs.find((m) => m.month === '2026-08')!;
    const s = (await chair.get(`/api/statements/${FS}/2026-08`)).json();
    expect(aug).toMatchObject({ sales: s.totals.sales, total: s.totals.total });
    // A branch's president reads his branch only.
    expect((await chair.get(`/api/statements/${DEMO_NODES.province}/months`)).statusCode).toBe(403);
    const admin = await t.login('admin');
    const province = (await admin.get(`/api/statements/${DEMO_NODES.province}/months`)).json().items as { month: string; sales: number }[];
    expect(province.find((m) => m.month === '2026-08')!.sales).toBeGreaterThanOrEqual(aug.sales + 1);
  });

  it('a province’s month by branch: its own line first, every branch with its totals and state', async () => {
    const admin = await t.login('admin');
    const res = await admin.get(`/api/statements/${DEMO_NODES.province}/2026-08/branches`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { nodeId: number; state: string; sales: number; total: { pointsHundredths: number } }[];
    expect(items[0].nodeId).toBe(DEMO_NODES.province);
    const fs = (await chair.get(`/api/statements/${FS}/2026-08`)).json();
    expect(items.find((b) => b.nodeId === FS)).toMatchObject({ state: fs.state, sales: fs.totals.sales, total: fs.totals.total });
    expect(items.find((b) => b.nodeId === DEMO_NODES.heyuan)!.sales).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect((await chair.get(`/api/statements/${DEMO_NODES.province}/2026-08/branches`)).statusCode).toBe(403);
  });

  it('the development table shows the ratio, the threshold and the voided points', async () => {
    const s = (await chair.get(`/api/statements/${FS}/2026-08`)).json();
    const below = s.developments.find((d: { name: string }) => d.name === '未达标楼盘');
    expect(below).toMatchObject({
      lenderMode: 'partial',
      thresholdBp: 6000,
      ratioBp: 5900,
      bankHouseholds: 59,
      totalHouseholds: 100,
      verdict: 'void',
      mortgageSales: 1,
      voided: { points: '50.00', pointsHundredths: 5000 },
      points: { pointsHundredths: 0 },
    });
    const ok = s.developments.find((d: { name: string }) => d.name === '达标楼盘');
    expect(ok).toMatchObject({ thresholdBp: 8500, ratioBp: 8500, verdict: 'pass', points: { points: '50.00' }, voided: { pointsHundredths: 0 } });
  });

  it('drill-down: a department’s and a person’s sales, each with its split', async () => {
    const d = await chair.get(`/api/statements/${FS}/2026-08/departments/${demoDepartmentId(FS, 'CORP')}`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().items.map((x: { id: number }) => x.id)).toEqual(saleIds.slice(0, 2));
    const card = d.json().items[1];
    expect(card.departments.find((x: { host: boolean }) => x.host).code).toBe('CC');
    expect(card.departments.reduce((a: number, x: { pointsHundredths: number }) => a + x.pointsHundredths, 0)).toBe(card.total.pointsHundredths);
    expect(card.departments.find((x: { code: string }) => x.code === 'CORP').ratioBp).toBe(7000);
    expect(card).toMatchObject({ nodeCode: '44100', product: { code: expect.stringMatching(/\S/) } });
    for (const x of card.people) expect(x.departmentCode).toMatch(/^[A-Z]+$/);
    const p = await chair.get(`/api/statements/${FS}/2026-08/people/${corp[0]}`);
    expect(p.json().items).toHaveLength(2);
  });

  it('a sale’s split with its ledger trace; the void is visible', async () => {
    const res = await chair.get(`/api/scoring/sales/${voidedSale}/split`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.total.pointsHundredths).toBe(0);
    expect(s.voided.points).toBe('50.00');
    expect(s.entries.every((e: { kind: string }) => e.kind === 'void')).toBe(true);
    // The trail's times are instants (ISO, UTC) that the console prints in Beijing time — never a database's text in its own zone.
    expect(s.entries.every((e: { createdAt: string }) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.createdAt))).toBe(true);
    expect(s.ruleVersion).toContain('mortgage:void:59/100');
  });

  it('exports a workbook with Chinese headers and totals that add up', async () => {
    const res = await chair.get(`/api/statements/${FS}/2026-08/export.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '部门积分', '个人积分', '项目积分', '产品积分', '楼盘按揭']);
    const ws = wb.getWorksheet('部门积分')!;
    expect(ws.getRow(1).getCell(3).value).toBe('积分');
    let cents = 0;
    for (let r = 2; r < ws.rowCount; r++) cents += Math.round(Number(ws.getRow(r).getCell(3).value) * 100);
    expect(Math.round(Number(ws.getRow(ws.rowCount).getCell(3).value) * 100)).toBe(cents);
    expect(cents).toBe(107341);
  });

  it('scope: a sibling branch’s reader gets 403; no permission → 403', async () => {
    const hy = await t.login('hy_admin');
    expect((await hy.get(`/api/statements/${FS}/2026-08`)).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await hy.get(`/api/scoring/sales/${saleIds[0]}/split`)).statusCode).toBe(403);
    expect((await hy.get(`/api/statements/${DEMO_NODES.heyuan}/2026-08`)).statusCode).toBe(200);
    const staff = await t.login('fs_staff');
    expect((await staff.get(`/api/statements/${FS}/2026-08`)).statusCode).toBe(403);
    expect((await chair.get(`/api/statements/101/2026-08`)).json().error.code).toBe('STATEMENT.NOT_A_BRANCH');
  });

  it('CLI settle prints the same totals as the API', async () => {
    const api = (await chair.get(`/api/statements/${FS}/2026-08`)).json();
    const out: string[] = [];
    const s = await settle(t.database.db, { branch: '44100', month: '2026-08', recompute: true }, (l) => out.push(l));
    expect(out[0]).toMatch(/^\[1\/2\] 重算/);
    expect(out.join('\n')).toContain('冲销 0 条，新增 0 条');
    expect(out.slice(-settleLines(s).length)).toEqual(settleLines(s));
    expect(out.join('\n')).toContain(`合计 total ${api.totals.total.points}`);
    for (const d of api.departments) expect(out).toContain(`${d.code}\t${d.name}\t${d.points}\t作废 ${d.voided.points}`);
    for (const p of api.people) expect(out.some((l) => l.startsWith(`${p.staffNo}\t${p.name}\t${p.departmentName}\t${p.points}`))).toBe(true);
  });
});

describe('split rules (SPEC §7 configuration)', () => {
  it('lists the default, refuses a rule not summing to 100 % or dated in the past, refuses a branch-level chair, adds one as admin (audited)', async () => {
    const later = addDays(clock.today(), 30);
    const list = (await chair.get('/api/scoring/split-rules')).json();
    expect(list.items[0]).toMatchObject({ effectiveFrom: '2000-01-01', hostBp: 2000, participantsBp: 8000 });
    expect((await chair.post('/api/scoring/split-rules', { effectiveFrom: later, hostBp: 2500, participantsBp: 7500 })).json().error.code).toBe('SCORING.CONFIGURE_SCOPE');
    const admin = await t.login('admin');
    expect((await admin.post('/api/scoring/split-rules', { effectiveFrom: later, hostBp: 2500, participantsBp: 7000 })).json().error.code).toBe('SCORING.SPLIT_NOT_100');
    // 30 % + 80 % = 110 %: refused, whatever the date.
    expect((await admin.post('/api/scoring/split-rules', { effectiveFrom: later, hostBp: 3000, participantsBp: 8000 })).json().error.code).toBe('SCORING.SPLIT_NOT_100');
    // Periods already scored keep their rule: yesterday (Beijing) is refused, today is not.
    const past = await admin.post('/api/scoring/split-rules', { effectiveFrom: addDays(clock.today(), -1), hostBp: 2500, participantsBp: 7500 });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.code).toBe('SCORING.SPLIT_PAST_DATE');
    const ok = await admin.post('/api/scoring/split-rules', { effectiveFrom: later, hostBp: 2500, participantsBp: 7500 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await admin.get('/api/scoring/split-rules')).json().items.at(-1)).toMatchObject({ effectiveFrom: later, hostBp: 2500, createdByName: ok.json().createdByName });
    expect((await admin.post('/api/scoring/split-rules', { effectiveFrom: later, hostBp: 2500, participantsBp: 7500 })).statusCode).toBe(409);
    const audit = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scoring.split_rule.add'`);
    expect(audit[0].n).toBe(1);
  });

  it('recompute endpoint: nothing changed → nothing written', async () => {
    const r = await chair.post(`/api/statements/${FS}/2026-08/recompute`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().entries).toBe(0);
  });
});
