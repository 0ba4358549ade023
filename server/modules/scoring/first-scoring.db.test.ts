import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { scoreSales } from './ledger.service.js';
import { type SaleSpec, makeDevelopment, makeProduct, makeSale, staffOf } from './testing.js';

/**
 * Decision 0045: sales never scored take the first-scoring statement (first-scoring.sql.ts), all
 * others the general one (ledger.sql.ts). The same random sales, recorded twice, scored once by
 * each: the same ledger lines, the same rule keys and flags, and the same change to every
 * maintained total (statement, product points, completion).
 */
const FS = DEMO_NODES.foshan;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
const db = () => t.database.db;

type Row = Record<string, string | number | boolean | null>;
const key = (r: Row) => JSON.stringify(Object.values(r).map((v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v)));

/** The totals tables as maps key → figures (as text: bigint-safe). */
async function totals(): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const add = (k: string, v: number[]) => {
    const prev = out.get(k) ?? v.map(() => 0);
    out.set(
      k,
      prev.map((x, i) => x + v[i]),
    );
  };
  for (const r of await rows<Row>(db(), sql`SELECT node_id, period::text, grain, k1, k2, role, points_hundredths::int AS p, voided_hundredths::int AS v, sales FROM statement_totals`))
    add(`S|${r.node_id}|${r.period}|${r.grain}|${r.k1}|${r.k2}|${r.role}`, [Number(r.p), Number(r.v), Number(r.sales)]);
  for (const r of await rows<Row>(db(), sql`SELECT node_id, period::text, department_id, staff_id, product_id, points_hundredths::int AS p FROM product_points_totals`))
    add(`P|${r.node_id}|${r.period}|${r.department_id}|${r.staff_id}|${r.product_id}`, [Number(r.p), 0, 0]);
  for (const r of await rows<Row>(db(), sql`SELECT node_id, grain, k, period::text, department_id, product_id, quantity_1e4::bigint::text AS q, sales FROM completion_totals`))
    add(`C|${r.node_id}|${r.grain}|${r.k}|${r.period}|${r.department_id}|${r.product_id}`, [Number(r.q), Number(r.sales), 0]);
  return out;
}

function delta(after: Map<string, number[]>, before: Map<string, number[]>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) {
    const b = before.get(k) ?? v.map(() => 0);
    const d = v.map((x, i) => x - b[i]);
    if (d.some((x) => x !== 0)) out.push(`${k}=${d.join('/')}`);
  }
  return out.sort();
}

/** A sale's ledger lines and key, without its id (the two copies differ only by id). */
async function scoredAs(saleId: number) {
  const lines = await rows<Row>(
    db(),
    sql`SELECT period::text, kind, department_id, staff_id, role, points_hundredths::int AS p, rule_version, reverses_id, adjusts_period::text
        FROM ledger_entries WHERE sale_id = ${saleId}`,
  );
  const [k] = await rows<Row>(db(), sql`SELECT rule_key, counted FROM sale_scoring WHERE sale_id = ${saleId}`);
  return { lines: lines.map(key).sort(), key: k ?? null };
}

describe('first scoring of new sales (decision 0045)', () => {
  it('writes what the general statement writes: lines, keys, every total', async () => {
    const wm = await makeProduct(db(), { score: 1337, from: '2000-01-01' });
    const mort = await makeProduct(db(), { score: 5000, mortgage: true, host: 'RE' });
    const passing = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2026-01-01', total: 100, bank: 90 }] });
    const failing = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'partial', loanShareBp: 6000, figures: [{ asOf: '2026-01-01', total: 100, bank: 50 }] });
    const depts = ['PF', 'CORP', 'INST', 'RE', 'EB', 'CC'];
    const people = new Map<string, number[]>();
    for (const d of depts) people.set(d, await staffOf(db(), FS, d));
    const arb = fc.record({
      q: fc.integer({ min: 1, max: 3_000_000 }),
      mortgage: fc.integer({ min: 0, max: 3 }),
      parts: fc.subarray(depts, { maxLength: 4 }),
      ratios: fc.boolean(),
      r: fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 6, maxLength: 6 }),
      who: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.option(fc.integer({ min: 0, max: 10000 }))), { maxLength: 5 }),
      month: fc.integer({ min: 1, max: 3 }),
      project: fc.option(fc.integer({ min: 1, max: 3 })),
    });
    const specs: SaleSpec[] = fc.sample(arb, { numRuns: 30, seed: 20261207 }).map((x) => {
      const isMortgage = x.mortgage > 0;
      const host = isMortgage ? 'RE' : 'PF';
      const ppl = new Map<string, { staffId: number; dept: string; contributionBp: number | null; role: string }>();
      for (const [di, si, c] of x.who) {
        // Any department, also one not on the sale (the allocation ignores that person).
        const dept = depts[di];
        const list = people.get(dept)!;
        if (list.length === 0) continue;
        const staffId = list[si % list.length];
        ppl.set(`${dept}/${staffId}`, { staffId, dept, contributionBp: c, role: si % 2 ? '介绍人' : '营销人员' });
      }
      return {
        productId: isMortgage ? mort.id : wm.id,
        nodeId: FS,
        saleDate: `2026-0${x.month}-1${x.month}`,
        quantity1e4: isMortgage ? 10_000 : x.q,
        host,
        // The host may be listed among the participants too (it is not one of them).
        participants: x.parts.map((d, i) => ({ dept: d, ratioBp: x.ratios ? x.r[i] : null })),
        people: [...ppl.values()],
        developmentId: isMortgage ? (x.mortgage === 1 ? failing.id : passing.id) : null,
        projectId: x.project,
      };
    });
    const t0 = await totals();
    const general: number[] = [];
    for (const s of specs) general.push((await makeSale(db(), s)).id);
    const g = await scoreSales(db(), general, { general: true });
    const t1 = await totals();
    // Recorded after every scored sale: new to the ledger, so the first-scoring statement.
    const first: number[] = [];
    for (const s of specs) first.push((await makeSale(db(), s)).id);
    const f = await scoreSales(db(), first);
    const t2 = await totals();

    expect(g.written).toBeGreaterThan(60);
    expect({ written: f.written, reversed: f.reversed, sales: f.sales }).toEqual({ written: g.written, reversed: 0, sales: g.sales });
    for (let i = 0; i < specs.length; i++) expect(await scoredAs(first[i]), JSON.stringify(specs[i])).toEqual(await scoredAs(general[i]));
    const byGeneral = delta(t1, t0);
    expect(byGeneral.some((k) => k.startsWith('C|'))).toBe(true);
    expect(byGeneral.some((k) => k.startsWith('S|') && k.includes('|V|'))).toBe(true);
    expect(delta(t2, t1)).toEqual(byGeneral);
    // Scoring the new sales again finds nothing to change (the general statement reads their lines).
    expect((await scoreSales(db(), first)).entries).toBe(0);
  });
});
