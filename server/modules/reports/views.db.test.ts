import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { createTestDatabase } from '../../test/harness.js';
import { completionView, salesView } from './views.js';

/**
 * The two own-data views on a worked example: 佛山分行's 2025 (quotas/testing.ts, figures computed
 * by hand there) plus quotas set here. 2025 holds none of the demo seed's sales.
 *
 * Sales: s1 2025-03-05 CARD ×10 (PF 2.00 + CORP 8.00 points); 河源分行 CARD ×100 the same day
 * (100.00); s2 2025-06-10 CARD ×5 (5.00); s3 2025-06-11 CARD ×7 struck; s4 2025-09-01 MORT ×1
 * voided by the mortgage rule (scores nothing, completes nothing); s5 2025-09-02 MORT ×1 (20.00).
 * Quotas 2025 (approved plan): PF×CARD 20, CORP×CARD 30, RE×MORT 2.
 */
describe('own-data views (issue 16)', () => {
  let database: Database;
  let y: Awaited<ReturnType<typeof seedQuotaYear>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    y = await seedQuotaYear(db);
    const [plan] = await rows<{ id: number }>(db, sql`INSERT INTO quota_plans (node_id, year, state, approved_version) VALUES (${y.FS}, 2025, 'approved', 1) RETURNING id`);
    const quota = async (dept: string, productId: number, quantity1e4: number) =>
      db.execute(sql`INSERT INTO quotas (plan_id, node_id, year, department_id, product_id, quantity_1e4) VALUES (${plan.id}, ${y.FS}, 2025, ${await y.dept(dept)}, ${productId}, ${quantity1e4})`);
    await quota('PF', y.card.id, 200_000);
    await quota('CORP', y.card.id, 300_000);
    await quota('RE', y.mort.id, 20_000);
    // A draft plan's quotas do not count: 河源分行 has one, never approved.
    const [draft] = await rows<{ id: number }>(db, sql`INSERT INTO quota_plans (node_id, year) VALUES (${DEMO_NODES.heyuan}, 2025) RETURNING id`);
    await db.execute(
      sql`INSERT INTO quotas (plan_id, node_id, year, department_id, product_id, quantity_1e4) VALUES (${draft.id}, ${DEMO_NODES.heyuan}, 2025, ${await y.dept('PF')}, ${y.card.id}, 10000)`,
    );
  });
  afterAll(async () => database?.close());

  const pick = <T extends { nodeId: number; productCode: string }>(lines: T[], nodeId: number, productCode: string) => lines.find((l) => l.nodeId === nodeId && l.productCode === productCode);

  it('sales: a day, per branch and product — count, quantity, the departments’ points', async () => {
    const d = await salesView(database.db, '2025-03-05', '2025-03-05');
    expect(d.lines.filter((l) => l.productCode === y.card.code)).toHaveLength(2);
    expect(pick(d.lines, y.FS, y.card.code)).toMatchObject({ sales: 1, quantity1e4: 100_000, pointsHundredths: 1_000, nodeName: '佛山分行', unit: '张' });
    expect(pick(d.lines, DEMO_NODES.heyuan, y.card.code)).toMatchObject({ sales: 1, quantity1e4: 1_000_000, pointsHundredths: 10_000 });
  });

  it('sales: a month leaves out the struck sale; a voided mortgage counts as a sale without points', async () => {
    const june = await salesView(database.db, '2025-06-01', '2025-06-30');
    expect(june.lines).toEqual([expect.objectContaining({ nodeId: y.FS, productCode: y.card.code, sales: 1, quantity1e4: 50_000, pointsHundredths: 500 })]);
    const sept = await salesView(database.db, '2025-09-01', '2025-09-30');
    expect(pick(sept.lines, y.FS, y.mort.code)).toMatchObject({ sales: 2, quantity1e4: 20_000, pointsHundredths: 2_000 });
  });

  it('completion: year-to-date against the approved quotas, per branch and product, in basis points', async () => {
    const march = await completionView(database.db, '2025-03-31');
    expect(march.year).toBe(2025);
    // CARD: PF 10 (host of s1) + CORP 10 (participant) of 20 + 30.
    expect(pick(march.lines, y.FS, y.card.code)).toMatchObject({ quota1e4: 500_000, done1e4: 200_000, completionBp: 4_000 });
    expect(pick(march.lines, y.FS, y.mort.code)).toMatchObject({ quota1e4: 20_000, done1e4: 0, completionBp: 0 });
    // 河源分行's plan is a draft: no line.
    expect(march.lines.some((l) => l.nodeId === DEMO_NODES.heyuan)).toBe(false);
    const june = await completionView(database.db, '2025-06-30');
    // + s2: CORP 5 (CC and INST have no quota); s3 struck.
    expect(pick(june.lines, y.FS, y.card.code)).toMatchObject({ done1e4: 250_000, completionBp: 5_000 });
    const sept = await completionView(database.db, '2025-09-30');
    // RE×MORT: s5 only (s4 voided) — 1 of 2.
    expect(pick(sept.lines, y.FS, y.mort.code)).toMatchObject({ done1e4: 10_000, completionBp: 5_000 });
    // As of the day before s5: nothing yet.
    expect(pick((await completionView(database.db, '2025-09-01')).lines, y.FS, y.mort.code)).toMatchObject({ done1e4: 0 });
  });
});
