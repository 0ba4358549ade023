import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { sales } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { getNodeOr404 } from '../org/org.queries.js';
import { recomputeAll, recomputePeriod, scoreSales } from '../scoring/ledger.service.js';
import { productPointsFromLedgerStatement } from '../scoring/ledger.sql.js';
import { addFigures, addScore, makeDevelopment, makeProduct, makeSale, staffOf } from '../scoring/testing.js';
import { rankings } from './dashboards.service.js';

/**
 * Rankings and the drill-down filtered by a product line read points per department × person ×
 * product, kept as the ledger is written (product_points_totals, decision 0018) — before, every
 * member of staff could make them sum the branch's ledger over the months asked.
 */
const FS = DEMO_NODES.foshan;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());
const db = () => t.database.db;

type Line = { node_id: number; period: string; department_id: number; staff_id: number; product_id: number; points: number | string };
const norm = (l: Line[]) => l.map((r) => `${r.node_id}|${r.period}|${r.department_id}|${r.staff_id}|${r.product_id}|${Number(r.points)}`).sort();
const kept = async () =>
  norm(await rows<Line>(db(), sql`SELECT node_id, period::text AS period, department_id, staff_id, product_id, points_hundredths AS points FROM product_points_totals WHERE points_hundredths <> 0`));
const fromLedger = async () => norm(await rows<Line>(db(), productPointsFromLedgerStatement()));

describe('points by product (line filters of rankings and drill-down)', () => {
  it('are kept as the ledger is written, through re-scores, voids, strikes and a locked month', async () => {
    const wm = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const mort = await makeProduct(db(), { score: 5000, mortgage: true, host: 'RE' });
    const dev = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2026-03-15', total: 100, bank: 80 }] });
    const [corp1, corp2] = await staffOf(db(), FS, 'CORP');
    const [pf1] = await staffOf(db(), FS, 'PF');
    const spec = { productId: wm.id, nodeId: FS, quantity1e4: 30_000, host: 'PF', participants: [{ dept: 'CORP' }, { dept: 'INST' }] };
    const made = [
      await makeSale(db(), {
        ...spec,
        saleDate: '2026-03-02',
        people: [
          { staffId: corp1, dept: 'CORP' },
          { staffId: corp2, dept: 'CORP' },
          { staffId: pf1, dept: 'PF' },
        ],
      }),
      await makeSale(db(), { ...spec, productId: mort.id, host: 'RE', saleDate: '2026-03-05', quantity1e4: 10_000, participants: [{ dept: 'PF' }], developmentId: dev.id }),
      await makeSale(db(), { ...spec, saleDate: '2026-02-03' }),
    ];
    await scoreSales(
      db(),
      made.map((s) => s.id),
      { today: '2026-03-05' },
    );
    expect(await kept()).toEqual(await fromLedger());

    await addScore(db(), wm.id, 1100, '2026-03-15');
    await recomputePeriod(db(), { nodeId: FS, period: '2026-03-01' });
    await addFigures(db(), dev.id, { asOf: '2026-03-30', total: 100, bank: 90 }); // the void lifts
    await recomputeAll(db());
    expect(await kept()).toEqual(await fromLedger());
    await db().update(sales).set({ struckAt: new Date(), struckReason: '抽查不实' }).where(eq(sales.id, made[0].id));
    await scoreSales(db(), [made[0].id]);
    expect(await kept()).toEqual(await fromLedger());

    // February locked: a back-dated score lands in the open month as an adjustment; the locked
    // month's product points stay as they were, and the database refuses a write into them.
    await db().execute(sql`INSERT INTO periods (node_id, period, state, locked_at) VALUES (${FS}, '2026-02-01', 'locked', now())`);
    const feb = async () => (await kept()).filter((r) => r.startsWith(`${FS}|2026-02-01|`));
    const frozen = await feb();
    await addScore(db(), wm.id, 1200, '2026-02-01');
    await recomputePeriod(db(), { nodeId: FS, period: '2026-02-01', today: '2026-11-25' });
    expect(await feb()).toEqual(frozen);
    expect(await kept()).toEqual(await fromLedger());
    const refused = await db()
      .execute(
        sql`INSERT INTO product_points_totals (node_id, period, department_id, staff_id, product_id, points_hundredths) VALUES (${FS}, '2026-02-01', ${demoDepartmentId(FS, 'EB')}, 0, ${wm.id}, 1)`,
      )
      .then(() => null)
      .catch((e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code);
    expect(refused).toBe('LK001');
  });

  it('rankings by line answer the same without reading the ledger or the sales', async () => {
    const node = await getNodeOr404(db(), FS);
    const query = { nodeId: FS, year: 2026, lineCode: 'WMP' };
    const expected = await rankings(db(), node, query);
    expect(expected.departments.length).toBeGreaterThan(0);
    expect(expected.people.length).toBeGreaterThan(0);
    class Rollback extends Error {}
    let seen: unknown = null;
    await db()
      .transaction(async (tx) => {
        for (const table of ['ledger_entries', 'sales']) await tx.execute(sql.raw(`ALTER TABLE ${table} RENAME TO hidden_${table}`));
        seen = await rankings(tx, node, query);
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(seen).toEqual(expected);
  });
});
