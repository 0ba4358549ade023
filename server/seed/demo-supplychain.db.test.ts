import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../db/client.js';
import { createTestDatabase } from '../test/harness.js';
import { seedDemoSupplyChain } from './demo-supplychain.js';

/** The supply-chain demo goes through the services: limits with their rules, the cross-check refusal left pending, the warning day; once. */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe('seedDemoSupplyChain', () => {
  it('populates the programme of 佛山分行 and runs once', async () => {
    expect(await seedDemoSupplyChain(database.db)).toEqual({ clients: 7, admitted: 5 });
    const q = <T>(s: ReturnType<typeof sql>) => rows<T>(database.db, s);
    const clients = await q<{ code: string; status: string; limit: number | null; rule: string | null }>(
      sql`SELECT client_code AS code, status, limit_fen::float8 AS limit, limit_rule AS rule FROM sc_clients ORDER BY client_code`,
    );
    // 张大山: min(800,000, 30 % × 2,100,000 = 630,000) = 630,000 by orders; 李家湾: the 2,000,000 household cap.
    expect(clients.find((c) => c.code === 'YZH-001')).toMatchObject({ status: 'admitted', limit: 63_000_000, rule: 'orders' });
    expect(clients.find((c) => c.code === 'YZH-002')).toMatchObject({ limit: 200_000_000, rule: 'household_cap' });
    expect(clients.find((c) => c.code === 'YZH-003')).toMatchObject({ status: 'recommended', limit: null });
    const days = await q<{ day: string; level: string; ratioBp: number }>(sql`SELECT day::text, level, ratio_bp AS "ratioBp" FROM sc_npl_days ORDER BY day`);
    // 70,000 ÷ 3,170,000 = 2.208 % → 220 bp, over the 2 % line.
    expect(days).toEqual([
      { day: '2026-11-30', level: 'warn', ratioBp: 220 },
      { day: '2026-12-01', level: 'warn', ratioBp: 220 },
    ]);
    const [{ status }] = await q<{ status: string }>(sql`SELECT status FROM sc_programmes WHERE code = 'TQ-2026'`);
    expect(status).toBe('active');
    expect(await seedDemoSupplyChain(database.db)).toBeNull();
  });
});
