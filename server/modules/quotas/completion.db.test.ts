import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbOrTx, MIGRATIONS_DIR, rows } from '../../db/client.js';
import { sales } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { correctSale } from '../sales/sales.correct.js';
import { recomputeAll, recomputePeriod, scoreSales } from '../scoring/ledger.service.js';
import { addFigures, addScore, makeDevelopment, makeProduct, makeSale, type SaleSpec } from '../scoring/testing.js';
import { completionFacts, type CompletionQuery, type CompletionRow } from './completion.js';
import { completionOracle } from './completion.oracle.js';

/**
 * Completion is read from totals kept as the ledger is written (decision 0018). These tests hold
 * the totals to the on-read statement they replaced (completion.oracle.ts): identical figures on
 * the demo data, after every kind of change, and after the migration's backfill.
 */
const FS = DEMO_NODES.foshan;
const HY = DEMO_NODES.heyuan;
const ACTOR = { id: null, name: 'test' };
let t: TestApp;
let admin: Client;
const db = () => t.database.db;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(db(), query);

const norm = (l: CompletionRow[]) => l.map((r) => `${r.grain}|${r.departmentId}|${r.productId}|${r.k}|${r.quantity1e4}|${r.sales}`).sort();

/**
 * Every person, and every org node an outlet quota of the branch may name (a sub-branch or outlet
 * below it, QUOTA.BAD_OUTLET), asked at once: all P and O keys are compared.
 */
async function everyone(nodeId: number): Promise<{ staffIds: number[]; outletIds: number[] }> {
  const staffIds = (await q<{ id: number }>(sql`SELECT id FROM staff`)).map((r) => Number(r.id));
  const outletIds = (await q<{ id: number }>(sql`SELECT o.id FROM org_nodes o JOIN org_nodes b ON b.id = ${nodeId} WHERE o.path LIKE b.path || '%' AND o.id <> b.id`)).map((r) => Number(r.id));
  expect(outletIds.length).toBeGreaterThan(0);
  return { staffIds, outletIds };
}

/** Totals and oracle for a branch over whole months, without a line filter and (`byLine`) with each. */
async function expectSame(nodeId: number, from: string, to: string, label = '', byLine = true) {
  const who = await everyone(nodeId);
  const lines: (string | null)[] = [null];
  if (byLine) lines.push(...(await q<{ code: string }>(sql`SELECT code FROM product_lines ORDER BY code`)).map((l) => l.code));
  for (const lineCode of lines) {
    const query: CompletionQuery = { nodeId, from, to, lineCode, ...who };
    const [kept, oracle] = [norm(await completionFacts(db(), query)), norm(await completionOracle(db(), query))];
    expect(kept, `${label} node ${nodeId} ${from}…${to} line ${lineCode}`).toEqual(oracle);
  }
}

/** The whole year and each month of it that has sales, both branches. */
async function expectSameYear(year: number, label = '') {
  const months = (
    await q<{ m: number }>(sql`SELECT DISTINCT extract(month FROM sale_date)::int AS m FROM sales WHERE sale_date >= ${`${year}-01-01`}::date AND sale_date < ${`${year + 1}-01-01`}::date ORDER BY 1`)
  ).map((r) => Number(r.m));
  for (const nodeId of [FS, HY]) {
    await expectSame(nodeId, `${year}-01-01`, `${year + 1}-01-01`, label);
    for (const m of months) {
      const from = `${year}-${String(m).padStart(2, '0')}-01`;
      const to = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
      await expectSame(nodeId, from, to, label, false);
    }
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

describe('completion is read from totals (decision 0018)', () => {
  it('answers without reading the sales, their departments, people or the ledger', async () => {
    const query: CompletionQuery = { nodeId: FS, from: '2026-01-01', to: '2027-01-01', ...(await everyone(FS)) };
    const expected = norm(await completionOracle(db(), query));
    expect(expected.length).toBeGreaterThan(10); // the demo bank's 2026 sales
    class Rollback extends Error {}
    let seen: string[] = [];
    // Out of reach for the length of a transaction (DDL is transactional on both databases).
    await db()
      .transaction(async (tx) => {
        for (const table of ['sales', 'sale_departments', 'sale_people', 'ledger_entries']) {
          await tx.execute(sql.raw(`ALTER TABLE ${table} RENAME TO hidden_${table}`));
        }
        seen = norm(await completionFacts(tx, query));
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(seen).toEqual(expected);
  });

  it('equals the on-read computation on the demo data', async () => {
    await expectSameYear(2026, 'demo');
  });

  it('follows strikes, voids imposed and lifted, a score of zero, corrections, moves and recompute', async () => {
    const card = await makeProduct(db(), { score: 100, unit: '张' });
    const free = await makeProduct(db(), { score: 0, unit: '件' }); // no points: still counts
    const mort = await makeProduct(db(), { score: 2000, unit: '户', mortgage: true, host: 'RE' });
    const dev = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2025-01-31', total: 100, bank: 50 }] });
    const [outlet] = await q<{ id: number; code: string }>(sql`SELECT id, code FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${FS}/%`} ORDER BY id LIMIT 1`);
    const [pf0, pf1] = (await q<{ id: number }>(sql`SELECT id FROM staff WHERE department_id = ${demoDepartmentId(FS, 'PF')} ORDER BY id`)).map((r) => Number(r.id));
    const [corp0] = (await q<{ id: number }>(sql`SELECT id FROM staff WHERE department_id = ${demoDepartmentId(FS, 'CORP')} ORDER BY id`)).map((r) => Number(r.id));
    const spec = (o: Partial<SaleSpec>): SaleSpec => ({ productId: card.id, nodeId: FS, saleDate: '2025-04-10', quantity1e4: 30_000, host: 'PF', participants: [{ dept: 'CORP' }], ...o });
    const made = [
      await makeSale(
        db(),
        spec({
          people: [
            { staffId: pf0, dept: 'PF' },
            { staffId: pf1, dept: 'PF' },
            { staffId: corp0, dept: 'CORP' },
          ],
        }),
      ),
      await makeSale(db(), spec({ productId: free.id, saleDate: '2025-04-11', participants: [{ dept: 'PF' }, { dept: 'INST' }] })), // host also listed
      await makeSale(
        db(),
        spec({ productId: mort.id, host: 'RE', saleDate: '2025-05-03', quantity1e4: 10_000, participants: [{ dept: 'PF' }], developmentId: dev.id, people: [{ staffId: pf0, dept: 'PF' }] }),
      ),
      await makeSale(db(), spec({ saleDate: '2025-06-30', people: [{ staffId: corp0, dept: 'CORP' }] })),
    ];
    await scoreSales(
      db(),
      made.map((s) => s.id),
    );
    await expectSameYear(2025, 'scored');

    // The mortgage was voided (50 % < 85 %); new figures lift the void, a recompute counts it.
    await addFigures(db(), dev.id, { asOf: '2025-05-20', total: 100, bank: 90 });
    await recomputePeriod(db(), { nodeId: FS, period: '2025-05-01' });
    await expectSameYear(2025, 'void lifted');
    // … and worse figures void it again.
    await addFigures(db(), dev.id, { asOf: '2025-05-25', total: 100, bank: 10 });
    await recomputeAll(db());
    await expectSameYear(2025, 'void again');
    // A voided sale whose score drops to zero has no void line left: it counts again.
    await addScore(db(), mort.id, 0, '2025-05-01');
    await recomputeAll(db());
    await expectSameYear(2025, 'score zero');

    // Struck by the spot check (sales.struck_at, then rescored like spotchecks.service does).
    await db().update(sales).set({ struckAt: new Date(), struckReason: '抽查不实' }).where(eq(sales.id, made[3].id));
    await scoreSales(db(), [made[3].id]);
    await expectSameYear(2025, 'struck');

    // A person moves to an outlet (API), another back to the branch by the staff import.
    const moved = await admin.patch(`/api/staff/${pf0}`, { nodeId: outlet.id });
    expect(moved.statusCode, moved.body).toBe(200);
    // The outlet now completes pf0's counted 2025 sales for PF: the card sale of April and the
    // mortgage, which counts again since its score fell to zero.
    const atOutlet = await completionFacts(db(), { nodeId: FS, from: '2025-01-01', to: '2026-01-01', outletIds: [outlet.id] });
    expect(atOutlet.filter((r) => r.grain === 'O').sort((a, b) => a.productId - b.productId)).toEqual([
      { grain: 'O', departmentId: demoDepartmentId(FS, 'PF'), productId: card.id, k: outlet.id, quantity1e4: 30_000, sales: 1 },
      { grain: 'O', departmentId: demoDepartmentId(FS, 'PF'), productId: mort.id, k: outlet.id, quantity1e4: 10_000, sales: 1 },
    ]);
    await expectSameYear(2025, 'moved by the API');
    await expectSameYear(2026, 'moved by the API');
    await importStaffToBranch(pf0);
    await expectSameYear(2025, 'moved by the import');

    // The whole ledger re-allocated: nothing moves.
    await recomputeAll(db(), { everySale: true });
    await expectSameYear(2025, 'verify');
  });

  it('follows corrections of recorded sales (quantity, departments, people)', async () => {
    const [sale] = await q<{ id: number; sale_date: string }>(
      sql`SELECT s.id, s.sale_date::text AS sale_date FROM sales s WHERE s.node_id = ${FS} AND s.struck_at IS NULL AND s.person_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM sale_people p WHERE p.sale_id = s.id) ORDER BY s.id LIMIT 1`,
    );
    const staffNo = async (code: string, i: number) => (await q<{ n: string }>(sql`SELECT staff_no AS n FROM staff WHERE department_id = ${demoDepartmentId(FS, code)} AND active ORDER BY id`))[i].n;
    const [inst0, eb0] = [await staffNo('INST', 0), await staffNo('EB', 0)];
    await db().transaction((tx) =>
      correctSale(
        tx,
        ACTOR,
        Number(sale.id),
        {
          quantity1e4: 123_456,
          departments: [
            { code: 'INST', ratioBp: null },
            { code: 'EB', ratioBp: null },
          ],
          people: [
            { staffNo: inst0, departmentCode: 'INST', role: '营销人员', contributionBp: null },
            { staffNo: eb0, departmentCode: 'EB', role: '介绍人', contributionBp: null },
          ],
        },
        { today: '2026-12-01' },
      ),
    );
    await expectSameYear(2026, 'corrected');
    // A correction refused half-way (an unknown department) leaves the totals as they were.
    await expect(db().transaction((tx) => correctSale(tx, ACTOR, Number(sale.id), { departments: [{ code: 'NOPE', ratioBp: null }] }, { today: '2026-12-01' }))).rejects.toThrow();
    await expectSameYear(2026, 'refused correction');
  });

  it('stays equal to the on-read computation through random sales and random changes', async () => {
    // mulberry32: the same walk on every run and both databases.
    let seed = 20_260_418;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n);
    };
    const pick = <T>(xs: T[]) => xs[rnd(xs.length)];
    const depts = ['PF', 'CORP', 'INST', 'EB', 'CC', 'RE'];
    const people = await q<{ id: number; code: string }>(sql`SELECT s.id, d.code FROM staff s JOIN departments d ON d.id = s.department_id WHERE d.node_id = ${FS} ORDER BY s.id`);
    const outlets = (await q<{ id: number }>(sql`SELECT id FROM org_nodes WHERE path LIKE ${`/1/2/${FS}/%`} ORDER BY id`)).map((r) => Number(r.id));
    const products = [
      await makeProduct(db(), { score: 137, unit: '张' }),
      await makeProduct(db(), { score: 0, unit: '件' }),
      await makeProduct(db(), { score: 1500, unit: '户', mortgage: true, host: 'RE' }),
    ];
    const devs = [
      await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2024-01-31', total: 100, bank: 90 }] }),
      await makeDevelopment(db(), { nodeId: FS, lenderMode: 'partial', loanShareBp: 4000, figures: [{ asOf: '2024-01-31', total: 100, bank: 30 }] }),
    ];
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const product = pick(products);
      const host = product.mortgage ? 'RE' : pick(depts);
      const parts = [...new Set([pick(depts), pick(depts)])].map((dept) => ({ dept }));
      const crew = [...new Map([pick(people), pick(people), pick(people)].map((p) => [p.id, p])).values()];
      const s = await makeSale(db(), {
        productId: product.id,
        nodeId: FS,
        saleDate: `2024-${String(1 + rnd(3)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}`,
        quantity1e4: rnd(4) === 0 ? 0 : 1 + rnd(500_000),
        host,
        participants: parts,
        people: crew.map((p) => ({ staffId: Number(p.id), dept: rnd(3) === 0 ? host : p.code })),
        developmentId: product.mortgage ? pick(devs).id : null,
      });
      ids.push(s.id);
    }
    await scoreSales(db(), ids);
    await expectSame(FS, '2024-01-01', '2025-01-01', 'random sales');
    const ops = new Set<number>();
    for (let step = 0; step < 12; step++) {
      const op = rnd(4);
      ops.add(op);
      const sale = pick(ids);
      if (op === 0) {
        await db().update(sales).set({ struckAt: new Date(), struckReason: 'test' }).where(eq(sales.id, sale));
        await scoreSales(db(), [sale]);
      } else if (op === 1) {
        const dev = pick(devs);
        await addFigures(db(), dev.id, { asOf: `2024-0${1 + rnd(3)}-${String(2 + rnd(26)).padStart(2, '0')}`, total: 100, bank: rnd(101) });
        await recomputeAll(db());
      } else if (op === 2) {
        const person = pick(people);
        const res = await admin.patch(`/api/staff/${person.id}`, { nodeId: pick(outlets) });
        expect(res.statusCode, res.body).toBe(200);
      } else {
        await addScore(db(), pick(products).id, rnd(3) === 0 ? 0 : 1 + rnd(3000), `2024-0${1 + rnd(3)}-${String(1 + rnd(28)).padStart(2, '0')}`);
        await recomputeAll(db());
      }
      await expectSame(FS, '2024-01-01', '2025-01-01', `random step ${step} (op ${op})`);
    }
    // The walk went through every kind of change, and left sales on both sides of the line.
    expect([...ops].sort()).toEqual([0, 1, 2, 3]);
    const [side] = await q<{ struck: number; voided: number; counted: number }>(
      sql`SELECT count(*) FILTER (WHERE s.struck_at IS NOT NULL)::int AS struck, count(*) FILTER (WHERE s.struck_at IS NULL AND NOT k.counted)::int AS voided,
                 count(*) FILTER (WHERE k.counted)::int AS counted
          FROM sales s JOIN sale_scoring k ON k.sale_id = s.id WHERE s.id = ANY(${`{${ids.join(',')}}`}::int[])`,
    );
    expect(side.struck).toBeGreaterThan(0);
    expect(side.voided).toBeGreaterThan(0);
    expect(side.counted).toBeGreaterThan(0);
  });

  it("the migration's backfill builds the same totals from the ledger and the sales", async () => {
    const all = (d: DbOrTx) =>
      rows<{ r: string }>(
        d,
        sql`SELECT concat_ws('|', 'C', node_id, grain, k, period, department_id, product_id, quantity_1e4, sales) AS r FROM completion_totals WHERE sales <> 0
            UNION ALL
            SELECT concat_ws('|', 'P', node_id, period, department_id, staff_id, product_id, points_hundredths) FROM product_points_totals WHERE points_hundredths <> 0
            ORDER BY 1`,
      );
    const before = (await all(db())).map((x) => x.r);
    expect(before.some((r) => r.startsWith('P|'))).toBe(true);
    const counted = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM sale_scoring WHERE counted`);
    const file = readFileSync(`${MIGRATIONS_DIR}/0018_completion_totals.sql`, 'utf8');
    const backfill = file.split('--> statement-breakpoint').filter((s) => s.includes('-- backfill'));
    expect(backfill).toHaveLength(3);
    await db().transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM completion_totals`);
      await tx.execute(sql`DELETE FROM product_points_totals`);
      await tx.execute(sql`UPDATE sale_scoring SET counted = false`);
      // sale_scoring's key has carried the province since migration 0039 (distribution key).
      for (const statement of backfill) await tx.execute(sql.raw(statement.replace('ON CONFLICT ("sale_id")', 'ON CONFLICT ("sale_id", "province_id")')));
      expect((await all(tx)).map((x) => x.r)).toEqual(before);
      expect(await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM sale_scoring WHERE counted`)).toEqual(counted);
    });
    await expectSameYear(2026, 'backfilled');
  });
});

/** Moves a person back to the branch node by the staff roster import (CSV), as an administrator would. */
async function importStaffToBranch(staffId: number) {
  const [p] = await q<{ staff_no: string; name: string; dept: string }>(
    sql`SELECT s.staff_no, s.name, d.code AS dept FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.id = ${staffId}`,
  );
  const [node] = await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE id = ${FS}`);
  const csv = `工号,姓名,所属机构号,部门代码\n${p.staff_no},${p.name},${node.code},${p.dept}\n`;
  const res = await admin.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(Buffer.from(csv), 'staff.csv') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(db(), res.json().id);
  const job = (await admin.get(`/api/imports/jobs/${res.json().id}`)).json();
  expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', updated: 1 });
  const [now] = await q<{ node_id: number }>(sql`SELECT node_id FROM staff WHERE id = ${staffId}`);
  expect(Number(now.node_id)).toBe(FS);
}
