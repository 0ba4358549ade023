import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_DEPARTMENTS } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { completionShiftStatement } from './completion.sql.js';
import { firstScoringStatement } from './first-scoring.sql.js';
import { frozenStates, scoringStatement, staleSalesStatement } from './ledger.sql.js';
import { lockLedger, recomputeAll, scoreSales } from './ledger.service.js';
import { verifyLedger } from './ledger.verify.js';
import { inProvinceOf } from './province.sql.js';
import { makeProduct, makeSale } from './testing.js';

/**
 * Issue 17 goal 6: the ledger and scoring SQL run per province. Two parts: the statements as
 * they are sent read every province-keyed table through its province (what lets Citus route each
 * to one worker), and a call over sales of two provinces scores each in its own — every line and
 * total exactly as the rules say (the verifier recomputes them), each keyed to its province.
 */
const KEYED = ['sales', 'sale_departments', 'sale_people', 'ledger_entries', 'sale_scoring', 'statement_totals', 'completion_totals', 'product_points_totals'];
const P = 424_242;

/**
 * The statement's text cut at each CTE or sub-select, and in each piece every read of a keyed
 * table (`FROM|JOIN <table> [alias]`) that has no `<alias>.province_id = $n` beside it, where $n
 * is the province. Writes must name province_id in their column list.
 */
function unrouted(statement: SQL): string[] {
  const q = new PgDialect().sqlToQuery(statement);
  const mark = q.params.flatMap((v, i) => (v === P ? [`$${i + 1}`] : []));
  expect(mark.length).toBeGreaterThan(0);
  const out: string[] = [];
  const pieces = q.sql.split(/\n(?=\w+ AS (?:MATERIALIZED )?\()/);
  for (const piece of pieces) {
    for (const m of piece.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+(${KEYED.join('|')})\\b(?:\\s+(?:AS\\s+)?(?!ON\\b|WHERE\\b|JOIN\\b|LEFT\\b|GROUP\\b)(\\w+))?`, 'g'))) {
      const alias = m[2] ?? m[1];
      const routed = mark.some((n) => new RegExp(`\\b${alias}\\.province_id = \\${n}::int`).test(piece));
      if (!routed) out.push(`${m[0]} in: ${piece.slice(0, 80).replace(/\s+/g, ' ')}…`);
    }
    for (const m of piece.matchAll(new RegExp(`INSERT INTO (${KEYED.join('|')})\\b[^(]*\\(([^)]*)\\)`, 'g'))) {
      if (!/\bprovince_id\b/.test(m[2])) out.push(`INSERT INTO ${m[1]} without province_id`);
    }
  }
  return out;
}

describe('scoring statements are routed to one province', () => {
  const filter = inProvinceOf(sql`s.id > 0`, P);
  it('the general statement, the first scoring and the stale-sales read', () => {
    expect(unrouted(scoringStatement(filter, '2026-01-01', frozenStates(), P))).toEqual([]);
    expect(unrouted(firstScoringStatement(filter, '2026-01-01', frozenStates(), P))).toEqual([]);
    expect(unrouted(staleSalesStatement(filter, P))).toEqual([]);
  });
  it('the check itself finds a read without its province', () => {
    // Without the province every keyed read is reported: the check is not vacuous.
    const found = unrouted(sql`${completionShiftStatement(sql`SELECT 1`, 1)} -- ${P}`);
    expect(found.some((x) => x.includes('sale_departments'))).toBe(true);
    expect(found.some((x) => x.includes('INSERT INTO completion_totals'))).toBe(false);
  });
});

describe('one call over two provinces', () => {
  let t: TestApp;
  let branch2 = 0;
  let product = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('scores each sale in its own province, exactly', async () => {
    const db = t.database.db;
    // A second province with one branch and the standard departments (ids as the demo's: node × 100 + i).
    const [p2] = await rows<{ id: number }>(db, sql`INSERT INTO org_nodes (code, name, level, parent_id, path) VALUES ('PZ', '浙江省分行', 'province', ${DEMO_NODES.head}, '/') RETURNING id`);
    await db.execute(sql`UPDATE org_nodes SET path = '/' || ${DEMO_NODES.head} || '/' || id || '/' WHERE id = ${p2.id}`);
    const [b2] = await rows<{ id: number; province_id: number }>(
      db,
      sql`INSERT INTO org_nodes (code, name, level, parent_id, path) VALUES ('PZ01', '杭州分行', 'branch', ${p2.id}, '/') RETURNING id, province_id`,
    );
    expect(Number(b2.province_id)).toBe(Number(p2.id));
    await db.execute(sql`UPDATE org_nodes SET path = '/' || ${DEMO_NODES.head} || '/' || ${p2.id} || '/' || id || '/' WHERE id = ${b2.id}`);
    for (const [i, d] of DEMO_DEPARTMENTS.entries())
      await db.execute(sql`INSERT INTO departments (id, node_id, code, name, kind) OVERRIDING SYSTEM VALUE VALUES (${b2.id * 100 + i + 1}, ${b2.id}, ${d.code}, ${d.name}, ${d.kind})`);

    const { id: productId } = await makeProduct(db, { score: 1250 });
    [branch2, product] = [Number(b2.id), productId];
    const { id: here } = await makeSale(db, { productId, nodeId: DEMO_NODES.foshan, saleDate: '2026-03-05', quantity1e4: 30_000, host: 'CORP', participants: [{ dept: 'PF' }] });
    const { id: there } = await makeSale(db, {
      productId,
      nodeId: b2.id,
      saleDate: '2026-03-06',
      quantity1e4: 20_000,
      host: 'CORP',
      participants: [
        { dept: 'PF', ratioBp: 6000 },
        { dept: 'INST', ratioBp: 4000 },
      ],
    });

    const r = await scoreSales(db, [here, there], { today: '2026-03-20' });
    expect(r.sales).toBe(2);
    const lines = await rows<{ sale_id: number; province_id: number; pts: number }>(
      db,
      sql`SELECT sale_id, province_id, sum(points_hundredths)::int AS pts FROM ledger_entries WHERE sale_id IN (${here}, ${there}) GROUP BY 1, 2 ORDER BY 1`,
    );
    const [fsProvince] = await rows<{ p: number }>(db, sql`SELECT province_id AS p FROM org_nodes WHERE id = ${DEMO_NODES.foshan}`);
    // 3 × 12.50 and 2 × 12.50 points, each wholly in its own province.
    expect(lines.map((l) => [Number(l.sale_id), Number(l.province_id), Number(l.pts)])).toEqual([
      [here, Number(fsProvince.p), 3750],
      [there, Number(p2.id), 2500],
    ]);
    const [tot] = await rows<{ p: number; province_id: number }>(
      db,
      sql`SELECT points_hundredths::int AS p, province_id FROM statement_totals WHERE node_id = ${b2.id} AND grain = 'B' AND period = '2026-03-01'`,
    );
    expect([Number(tot.p), Number(tot.province_id)]).toEqual([2500, Number(p2.id)]);
    // Every line and maintained total as the rules give it, in both branches.
    for (const nodeId of [DEMO_NODES.foshan, b2.id]) expect((await verifyLedger(db, { nodeId, period: '2026-03-01' })).ok).toBe(true);
    // A recompute over the whole bank (every province, one statement each) finds nothing to change.
    expect((await recomputeAll(db, { today: '2026-03-20', everySale: true })).entries).toBe(0);
  });

  it('scorers of different provinces run at the same time; the same province and bank-wide work wait', async () => {
    const db = t.database.db;
    const sale = async (nodeId: number) => (await makeSale(db, { productId: product, nodeId, saleDate: '2026-03-09', quantity1e4: 10_000, host: 'CORP', participants: [{ dept: 'PF' }] })).id;
    const [a1, a2, b1] = [await sale(DEMO_NODES.foshan), await sale(DEMO_NODES.foshan), await sale(branch2)];
    if (process.env.LINKAGE_TEST_DB !== 'pg') {
      // One connection (PGlite): the locks are taken and the sales scored, one after another.
      expect((await scoreSales(db, [a1, b1], { today: '2026-03-20' })).sales).toBe(2);
      expect((await scoreSales(db, [a2], { today: '2026-03-20' })).sales).toBe(1);
      return;
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // 广东's scorer holds its province (and the bank-wide key, shared) until released.
    const first = db.transaction(async (tx) => {
      expect((await scoreSales(tx, [a1], { today: '2026-03-20' })).sales).toBe(1);
      locked();
      await held;
    });
    await isLocked;
    // 浙江's scorer does not wait for 广东's.
    const other = await Promise.race([scoreSales(db, [b1], { today: '2026-03-20' }), new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    if (other === null) release(); // let the test end instead of hanging on the held transaction
    expect(other?.sales).toBe(1);
    // 广东's next scorer waits, and so does bank-wide work (which, queued, also holds back new
    // scorers of every province until it has run: PostgreSQL grants locks in order).
    const done: string[] = [];
    const same = scoreSales(db, [a2], { today: '2026-03-20' }).then(() => done.push('same province'));
    const wide = db.transaction((tx) => lockLedger(tx)).then(() => done.push('bank-wide'));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toEqual([]);
    release();
    await Promise.all([first, same, wide]);
    expect(done.sort()).toEqual(['bank-wide', 'same province']);
    for (const nodeId of [DEMO_NODES.foshan, branch2]) expect((await verifyLedger(db, { nodeId, period: '2026-03-01' })).ok).toBe(true);
  });
});
