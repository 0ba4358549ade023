import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { correctSale } from './sales.correct.js';

/** Correcting a recorded sale (an upheld objection, SPEC §9.2): same checks as recording, ledger by reversal. */
const FS = DEMO_NODES.foshan;
const ACTOR = { id: null, name: 'test' };
let t: TestApp;
let fsAdmin: Client;
const fx = { person: '', pf: [] as string[], corp: [] as string[], inst: [] as string[], hyPf: '' };
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const staffNos = async (nodeId: number, code: string) =>
  (await q<{ n: string }>(sql`SELECT staff_no AS n FROM staff WHERE department_id = ${demoDepartmentId(nodeId, code)} AND active ORDER BY id`)).map((r) => r.n);
const ledger = (saleId: number) =>
  q<{ kind: string; department_id: number; staff_id: number | null; points_hundredths: number }>(
    sql`SELECT kind, department_id, staff_id, points_hundredths FROM ledger_entries WHERE sale_id = ${saleId} ORDER BY id`,
  );
const net = async (saleId: number, by: 'department_id' | 'staff_id') =>
  Object.fromEntries(
    (
      await q<{ k: number; n: number }>(
        sql`SELECT ${sql.raw(by)} AS k, sum(points_hundredths)::int AS n FROM ledger_entries WHERE sale_id = ${saleId} AND ${sql.raw(by)} IS NOT NULL GROUP BY 1 HAVING sum(points_hundredths) <> 0`,
      )
    ).map((r) => [r.k, Number(r.n)]),
  );

async function record(quantity: number) {
  const res = await fsAdmin.post('/api/sales', {
    sourceId: `CORR-${Date.now().toString(36)}-${quantity}`,
    productCode: 'WMP',
    idNumber: fx.person,
    saleDate: '2026-08-10',
    quantity,
    departments: [{ code: 'CORP' }],
    people: [
      { staffNo: fx.pf[0], departmentCode: 'PF' },
      { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().saleId as number;
}

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  fx.person = (await q<{ n: string }>(sql`SELECT i.id_number AS n FROM individuals i JOIN org_nodes o ON o.id = i.node_id WHERE o.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`))[0].n;
  fx.pf = await staffNos(FS, 'PF');
  fx.corp = await staffNos(FS, 'CORP');
  fx.inst = await staffNos(FS, 'INST');
  fx.hyPf = (await staffNos(DEMO_NODES.heyuan, 'PF'))[0];
});
afterAll(() => t?.close());

describe('correctSale (sales.correct.ts)', () => {
  it('rewrites participants and people, re-scores by reversal + new entries, audits before/after', async () => {
    const saleId = await record(10);
    const before = await ledger(saleId);
    // WMP 2.00/万元 × 10 = 20.00: host PF 20 % = 4.00, CORP 80 % = 16.00.
    expect(await net(saleId, 'department_id')).toEqual({ [demoDepartmentId(FS, 'PF')]: 400, [demoDepartmentId(FS, 'CORP')]: 1600 });
    const r = await t.database.db.transaction((tx) =>
      correctSale(
        tx,
        ACTOR,
        saleId,
        {
          departments: [
            { code: 'CORP', ratioBp: 7500 },
            { code: 'INST', ratioBp: 2500 },
          ],
          people: [
            { staffNo: fx.pf[0], departmentCode: 'PF', role: '营销人员', contributionBp: null },
            { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人', contributionBp: null },
            { staffNo: fx.inst[0], departmentCode: 'INST', role: '营销人员', contributionBp: null },
          ],
        },
        { today: '2026-09-02', reason: '异议成立' },
      ),
    );
    expect(r.before.departments.map((d) => d.code)).toEqual(['CORP']);
    expect(r.after.departments).toEqual([
      { code: 'CORP', departmentId: demoDepartmentId(FS, 'CORP'), ratioBp: 7500, weight: null },
      { code: 'INST', departmentId: demoDepartmentId(FS, 'INST'), ratioBp: 2500, weight: null },
    ]);
    expect(r.score.reversed).toBe(before.length);
    const after = await ledger(saleId);
    expect(after.slice(0, before.length)).toEqual(before); // nothing edited
    expect(after.slice(before.length).filter((e) => e.kind === 'reversal')).toHaveLength(before.length);
    // 16.00 × 75 % = 12.00 CORP, 4.00 INST, host unchanged.
    expect(await net(saleId, 'department_id')).toEqual({ [demoDepartmentId(FS, 'PF')]: 400, [demoDepartmentId(FS, 'CORP')]: 1200, [demoDepartmentId(FS, 'INST')]: 400 });
    const [a] = await q<{ before: { departments: unknown[] }; after: { reason: string } }>(sql`SELECT before, after FROM audit_log WHERE action = 'sale.correct' AND entity_id = ${String(saleId)}`);
    expect(a.before.departments).toHaveLength(1);
    expect(a.after.reason).toBe('异议成立');
  });

  it('corrects percentages to weights (1:2, decision 0026): stored as written, split exactly', async () => {
    const saleId = await record(10);
    // 20.00: PF 4.00; participants 16.00 by 1:2 → CORP 5.33 (rem 1/3), INST 10.66 (rem 2/3) + the spare 0.01 → 10.67.
    const r = await t.database.db.transaction((tx) =>
      correctSale(
        tx,
        ACTOR,
        saleId,
        {
          departments: [
            { code: 'CORP', ratioBp: null, weight: 1 },
            { code: 'INST', ratioBp: null, weight: 2 },
          ],
          people: [
            { staffNo: fx.pf[0], departmentCode: 'PF', role: '营销人员', contributionBp: null },
            { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人', contributionBp: null },
          ],
        },
        { today: '2026-09-02' },
      ),
    );
    expect(r.after.departments.map((d) => [d.code, d.ratioBp, d.weight])).toEqual([
      ['CORP', null, 1],
      ['INST', null, 2],
    ]);
    expect(await net(saleId, 'department_id')).toEqual({ [demoDepartmentId(FS, 'PF')]: 400, [demoDepartmentId(FS, 'CORP')]: 533, [demoDepartmentId(FS, 'INST')]: 1067 });
  });

  it('corrects the quantity alone, keeping departments and people', async () => {
    const saleId = await record(5);
    const r = await t.database.db.transaction((tx) => correctSale(tx, ACTOR, saleId, { quantity1e4: 30_000 }, { today: '2026-09-02' }));
    expect(r.after.quantity1e4).toBe(30_000);
    expect(r.after.people).toEqual(r.before.people);
    const [{ n }] = await q<{ n: number }>(sql`SELECT sum(points_hundredths)::int AS n FROM ledger_entries WHERE sale_id = ${saleId} AND kind <> 'void' AND staff_id IS NULL`);
    expect(Number(n ?? 0)).toBe(0); // every department has a person: no department-level lines
    expect(Object.values(await net(saleId, 'staff_id')).reduce((s, v) => s + v, 0)).toBe(600); // 3 万元 × 2.00
  });

  it('after a correction, the original re-sent is still a duplicate; other content is a conflict (issue 12, rule 3)', async () => {
    const body = {
      sourceId: `CORR-RESEND-${Date.now().toString(36)}`,
      productCode: 'WMP',
      idNumber: fx.person,
      saleDate: '2026-08-10',
      quantity: 4,
      departments: [{ code: 'CORP' }],
      people: [
        { staffNo: fx.pf[0], departmentCode: 'PF' },
        { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
      ],
    };
    const first = await fsAdmin.post('/api/sales', body);
    expect(first.statusCode, first.body).toBe(201);
    const saleId = first.json().saleId as number;
    await t.database.db.transaction((tx) => correctSale(tx, ACTOR, saleId, { quantity1e4: 60_000 }, { today: '2026-09-02' }));
    const before = await ledger(saleId);
    // The core system sends the original again: the same sale as first sent, not a conflict with the corrected one.
    expect((await fsAdmin.post('/api/sales', body)).json()).toMatchObject({ status: 'duplicate', saleId });
    // Sent as corrected: the same as what is on file.
    expect((await fsAdmin.post('/api/sales', { ...body, quantity: 6 })).json()).toMatchObject({ status: 'duplicate', saleId });
    const other = await fsAdmin.post('/api/sales', { ...body, quantity: 8 });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'SALE.CONFLICT', details: { fields: ['quantity'] } });
    expect(await ledger(saleId)).toEqual(before);
  });

  it('refuses what recording refuses, writing nothing; a struck sale and an empty correction too', async () => {
    const saleId = await record(7);
    const before = await ledger(saleId);
    const attempt = (c: Parameters<typeof correctSale>[3]) => t.database.db.transaction((tx) => correctSale(tx, ACTOR, saleId, c, { today: '2026-09-02' }));
    await expect(attempt({ departments: [{ code: 'PF', ratioBp: null }] })).rejects.toMatchObject({ code: 'SALE.NOT_CROSS_SALE' });
    await expect(
      attempt({
        departments: [
          { code: 'CORP', ratioBp: 6000 },
          { code: 'INST', ratioBp: 3000 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'SALE.RATIOS_NOT_100' });
    await expect(attempt({ people: [{ staffNo: fx.hyPf, departmentCode: 'PF', role: '营销人员', contributionBp: null }] })).rejects.toMatchObject({ code: 'SALE.UNKNOWN_STAFF' });
    await expect(attempt({ departments: [{ code: 'NOPE', ratioBp: null }] })).rejects.toMatchObject({ code: 'SALE.UNKNOWN_DEPARTMENT' });
    await expect(attempt({})).rejects.toMatchObject({ code: 'SALE.CORRECTION_EMPTY' });
    await expect(t.database.db.transaction((tx) => correctSale(tx, ACTOR, 99_999_999, { quantity1e4: 10_000 }, { today: '2026-09-02' }))).rejects.toMatchObject({ code: 'SALE.NOT_FOUND' });
    expect(await ledger(saleId)).toEqual(before);
    await t.database.db.execute(sql`UPDATE sales SET struck_at = now(), struck_reason = 'test' WHERE id = ${saleId}`);
    await expect(attempt({ quantity1e4: 10_000 })).rejects.toMatchObject({ code: 'SALE.STRUCK' });
  });

  it('refuses to correct a sale of a year whose assessment is locked, until the year is reopened (Art. 22, issue 12)', async () => {
    const saleId = await record(9);
    const before = await ledger(saleId);
    const [run] = await q<{ id: number }>(
      sql`INSERT INTO assessment_runs (node_id, year, state, pool_fen, gate_bp, inputs_hash, inputs, result, created_by, locked_at)
          VALUES (${FS}, 2026, 'locked', 0, 5000, 'test', '{}'::jsonb, '{}'::jsonb, 1, now()) RETURNING id`,
    );
    const attempt = () => t.database.db.transaction((tx) => correctSale(tx, ACTOR, saleId, { quantity1e4: 20_000 }, { today: '2026-12-02' }));
    await expect(attempt()).rejects.toMatchObject({ code: 'SALE.YEAR_ASSESSED', text: { zh: expect.stringContaining('2026 年度考核已兑现锁定，该年度的交易不能再登记或更正') } });
    expect(await ledger(saleId)).toEqual(before);
    // The committee reopened the year: the run is superseded, corrections pass again.
    await t.database.db.execute(sql`UPDATE assessment_runs SET state = 'superseded', superseded_at = now(), supersede_reason = 'test' WHERE id = ${run.id}`);
    expect((await attempt()).after.quantity1e4).toBe(20_000);
  });
});
