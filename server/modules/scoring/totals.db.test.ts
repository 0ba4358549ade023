import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { sales } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { draftStatement } from '../statements/statement.service.js';
import { getNodeOr404 } from '../org/org.queries.js';
import { recomputeAll, recomputePeriod, scoreSales } from './ledger.service.js';
import { totalsFromLedgerStatement } from './ledger.sql.js';
import { addFigures, addScore, makeDevelopment, makeProduct, makeSale, staffOf } from './testing.js';

const FS = DEMO_NODES.foshan;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
const db = () => t.database.db;

type Total = { node_id: number; period: string; grain: string; k1: number; k2: number; role: string; points: number; voided: number; sales: number };
const norm = (l: Total[]) => l.map((r) => `${r.node_id}|${r.period}|${r.grain}|${r.k1}|${r.k2}|${r.role}|${Number(r.points)}|${Number(r.voided)}|${Number(r.sales)}`).sort();

/** The maintained totals, without the rows that have gone back to nothing. */
async function kept() {
  return norm(
    await rows<Total>(
      db(),
      sql`SELECT node_id, period::text AS period, grain, k1, k2, role, points_hundredths AS points, voided_hundredths AS voided, sales FROM statement_totals
          WHERE points_hundredths <> 0 OR voided_hundredths <> 0 OR sales <> 0`,
    ),
  );
}
const fromLedger = async () => norm(await rows<Total>(db(), totalsFromLedgerStatement()));
const ledgerRows = async () => Number((await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM ledger_entries`))[0].n);

describe('statement totals kept as the ledger is written', () => {
  it('match the ledger after scoring, re-scoring, voiding, un-voiding and striking', async () => {
    const wm = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const mort = await makeProduct(db(), { score: 5000, mortgage: true, host: 'RE' });
    const dev = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2026-03-15', total: 100, bank: 80 }] });
    const [corp1, corp2] = await staffOf(db(), FS, 'CORP');
    const [pf1] = await staffOf(db(), FS, 'PF');
    const made = [
      await makeSale(db(), {
        productId: wm.id,
        nodeId: FS,
        saleDate: '2026-03-02',
        quantity1e4: 30_000,
        host: 'PF',
        participants: [{ dept: 'CORP' }, { dept: 'INST' }],
        people: [
          { staffId: corp1, dept: 'CORP' },
          { staffId: corp2, dept: 'CORP' },
          { staffId: pf1, dept: 'PF' },
        ],
        projectId: 7,
      }),
      await makeSale(db(), {
        productId: wm.id,
        nodeId: FS,
        saleDate: '2026-03-20',
        quantity1e4: 10_000,
        host: 'PF',
        participants: [
          { dept: 'EB', ratioBp: 6000 },
          { dept: 'CC', ratioBp: 4000 },
        ],
      }),
      await makeSale(db(), { productId: mort.id, nodeId: FS, saleDate: '2026-03-05', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }], developmentId: dev.id }),
      await makeSale(db(), { productId: wm.id, nodeId: FS, saleDate: '2026-04-01', quantity1e4: 20_000, host: 'PF', participants: [{ dept: 'CORP' }], people: [{ staffId: corp1, dept: 'CORP' }] }),
    ];
    const ids = made.map((s) => s.id);
    await scoreSales(db(), ids);
    expect(await kept()).toEqual(await fromLedger());

    // The statement reads the totals: March has three sales, one of them a voided mortgage (80 % < 85 %).
    const node = await getNodeOr404(db(), FS);
    const march = await draftStatement(db(), node, '2026-03');
    expect(march.totals.sales).toBe(3);
    expect(march.totals.voided.pointsHundredths).toBe(5000);
    expect(march.totals.total.pointsHundredths).toBe(3000 + 1000);
    const corp = march.departments.find((d) => d.departmentId === demoDepartmentId(FS, 'CORP'))!;
    expect(corp.sales).toBe(1);
    expect(march.people.filter((p) => p.departmentId === demoDepartmentId(FS, 'CORP')).map((p) => p.sales)).toEqual([1, 1]);
    expect(march.projects.map((p) => p.projectId)).toEqual([7, null]);
    expect(march.people.find((p) => p.staffId === pf1)?.roles).toEqual(['营销人员']);
    expect(march.developments.find((d) => d.developmentId === dev.id)).toMatchObject({ verdict: 'void', mortgageSales: 1 });

    // A back-dated score, new figures (the void lifts), a struck sale: each keeps totals == ledger.
    await addScore(db(), wm.id, 1100, '2026-03-15');
    await recomputePeriod(db(), { nodeId: FS, period: '2026-03-01' });
    expect(await kept()).toEqual(await fromLedger());
    await addFigures(db(), dev.id, { asOf: '2026-03-30', total: 100, bank: 90 });
    await recomputePeriod(db(), { nodeId: FS, period: '2026-03-01' });
    expect(await kept()).toEqual(await fromLedger());
    await db().update(sales).set({ struckAt: new Date(), struckReason: '抽查不实' }).where(eq(sales.id, made[0].id));
    await scoreSales(db(), [made[0].id]);
    expect(await kept()).toEqual(await fromLedger());

    // The April sale also took the new score; only a recompute of everything notices it.
    expect((await recomputeAll(db())).sales).toBe(1);
    expect(await kept()).toEqual(await fromLedger());

    const after = await draftStatement(db(), node, '2026-03');
    expect(after.totals.sales).toBe(2);
    expect(after.totals.voided.pointsHundredths).toBe(0);
    // The struck sale's lines net to zero; its people drop out of the statement.
    const struck = await rows<{ net: number }>(db(), sql`SELECT coalesce(sum(points_hundredths), 0)::int AS net FROM ledger_entries WHERE sale_id = ${made[0].id} AND kind <> 'void'`);
    expect(Number(struck[0].net)).toBe(0);
    expect(after.people.some((p) => p.staffId === corp2)).toBe(false);
    expect(after.projects.map((p) => p.projectId)).toEqual([null]);
  });

  it('recompute re-allocates only what changed, and notices a score value edited in place', async () => {
    const p = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const a = await makeSale(db(), { productId: p.id, nodeId: FS, saleDate: '2026-05-06', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }, { dept: 'INST' }, { dept: 'EB' }] });
    await scoreSales(db(), [a.id]);
    const before = await ledgerRows();
    expect((await recomputeAll(db())).entries).toBe(0);
    expect((await recomputeAll(db(), { everySale: true })).entries).toBe(0);
    expect(await ledgerRows()).toBe(before);

    // Nobody should edit a version in place, but if someone does the key (which carries the
    // value, not just the version id) moves and the recompute follows it.
    await db().execute(sql`UPDATE product_scores SET score_hundredths = 1003 WHERE product_id = ${p.id}`);
    const r = await recomputePeriod(db(), { nodeId: FS, period: '2026-05-01' });
    expect(r.sales).toBe(1);
    const net = await rows<{ net: number }>(db(), sql`SELECT sum(points_hundredths)::int AS net FROM ledger_entries WHERE sale_id = ${a.id}`);
    expect(Number(net[0].net)).toBe(1003);
    expect((await recomputeAll(db())).entries).toBe(0);
    expect(await kept()).toEqual(await fromLedger());
  });
});

describe('a locked month (SPEC §9.5)', () => {
  it('takes no more entries; corrections and late sales land in the open month as adjustments', async () => {
    const p = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const spec = { productId: p.id, nodeId: FS, quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }, { dept: 'INST' }] };
    const early = await makeSale(db(), { ...spec, saleDate: '2026-02-03' });
    await scoreSales(db(), [early.id], { today: '2026-03-05' });
    await db().execute(sql`INSERT INTO periods (node_id, period, state, locked_at) VALUES (${FS}, '2026-02-01', 'locked', now())`);
    const feb = async () =>
      (
        await rows<Total>(
          db(),
          sql`SELECT node_id, period::text AS period, grain, k1, k2, points_hundredths AS points, voided_hundredths AS voided, sales FROM statement_totals WHERE node_id = ${FS} AND period = '2026-02-01'`,
        )
      )
        .map((r) => JSON.stringify(r))
        .sort();
    const frozen = await feb();

    // The database itself refuses an entry dated in the locked month.
    const err = await db()
      .execute(
        sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, points_hundredths, rule_version) VALUES (${early.id}, ${FS}, '2026-02-01', 'allocation', ${demoDepartmentId(FS, 'PF')}, 1, 'x')`,
      )
      .then(() => null)
      .catch((e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code);
    expect(err).toBe('LK001');

    // A late sale dated in February and a back-dated score: both land in November, labelled.
    const node = await getNodeOr404(db(), FS);
    const novBefore = await draftStatement(db(), node, '2026-11');
    const late = await makeSale(db(), { ...spec, saleDate: '2026-02-20' });
    await scoreSales(db(), [late.id], { today: '2026-11-25' });
    await addScore(db(), p.id, 1200, '2026-02-01');
    const r = await recomputePeriod(db(), { nodeId: FS, period: '2026-02-01', today: '2026-11-25' });
    expect(r.sales).toBe(2);
    expect(await feb()).toEqual(frozen);
    const written = await rows<{ period: string; adjusts: string | null; n: number; net: number }>(
      db(),
      sql`SELECT period::text AS period, adjusts_period::text AS adjusts, count(*)::int AS n, sum(points_hundredths)::int AS net FROM ledger_entries WHERE sale_id IN (${early.id}, ${late.id}) GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(written.map((w) => [w.period, w.adjusts, Number(w.net)])).toEqual([
      ['2026-02-01', null, 1000],
      ['2026-11-01', '2026-02-01', 200 + 1200],
    ]);
    expect(await kept()).toEqual(await fromLedger());

    const nov = await draftStatement(db(), node, '2026-11');
    expect(nov.adjustments.every((a) => a.adjustsMonth === '2026-02' && a.writtenMonth === '2026-11')).toBe(true);
    expect(nov.adjustments.reduce((a, x) => a + x.pointsHundredths, 0)).toBe(1400);
    expect(nov.totals.total.pointsHundredths - novBefore.totals.total.pointsHundredths).toBe(1400);
    expect(nov.totals.sales).toBe(novBefore.totals.sales);
    const febStatement = await draftStatement(db(), node, '2026-02');
    expect(febStatement.totals.total.pointsHundredths).toBe(1000);
    expect(febStatement.laterAdjustments).toEqual(nov.adjustments);
  });
});

describe('set-based references on the sales tables (decision 0013)', () => {
  const pgCode = (e: unknown): string | undefined => {
    for (let x = e as { code?: string; cause?: unknown } | undefined; x; x = x.cause as typeof x) if (x.code) return x.code;
    return undefined;
  };
  const refused = async (q: ReturnType<typeof sql>) => {
    const err = await db()
      .execute(q)
      .then(() => null)
      .catch((e: unknown) => e);
    return pgCode(err);
  };

  it('refuses a dangling reference in any row of an INSERT, and the delete of a referenced row', async () => {
    const p = await makeProduct(db(), { score: 100 });
    const s = await makeSale(db(), { productId: p.id, nodeId: FS, saleDate: '2026-06-01', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }] });
    expect(await refused(sql`INSERT INTO sale_departments (sale_id, department_id) VALUES (${s.id}, ${demoDepartmentId(FS, 'INST')}), (987654321, ${demoDepartmentId(FS, 'EB')})`)).toBe('23503');
    expect(await refused(sql`INSERT INTO sale_people (sale_id, staff_id, department_id, role) VALUES (${s.id}, 987654321, ${demoDepartmentId(FS, 'CORP')}, '营销人员')`)).toBe('23503');
    expect(await refused(sql`UPDATE sales SET product_id = 987654321 WHERE id = ${s.id}`)).toBe('23503');
    // The references checked by a primary-key probe per row (0047), not an anti-join.
    for (const col of ['person_id', 'company_id', 'development_id']) expect(await refused(sql`UPDATE sales SET ${sql.raw(col)} = 987654321 WHERE id = ${s.id}`)).toBe('23503');
    expect(await refused(sql`INSERT INTO sale_people (sale_id, staff_id, department_id, role) VALUES (987654321, (SELECT min(id) FROM staff), ${demoDepartmentId(FS, 'CORP')}, '营销人员')`)).toBe(
      '23503',
    );
    expect(await refused(sql`INSERT INTO sales (source_id, product_id, sale_date, quantity_1e4, host_department_id, node_id) VALUES ('T-DANGLING', ${p.id}, '2026-06-01', 1, 987654321, ${FS})`)).toBe(
      '23503',
    );
    expect(await refused(sql`DELETE FROM products WHERE id = ${p.id}`)).toBe('23503');
    expect(await refused(sql`DELETE FROM departments WHERE id = ${demoDepartmentId(FS, 'CORP')}`)).toBe('23503');
    // Nothing of the refused statements stayed.
    const n = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM sale_departments WHERE sale_id = ${s.id}`);
    expect(Number(n[0].n)).toBe(1);
  });
});
