import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from './client.js';
import { createTestDatabase } from '../test/harness.js';
import type { Database } from './client.js';

/**
 * A DATE column reads back as the day written, on a server whose clock is in Beijing: a Date at
 * local midnight would print as the day before in UTC (2026-11-15 → 2026-11-14).
 */
describe('DATE values on a server in Asia/Shanghai', () => {
  const tz = process.env.TZ;
  let database: Database;
  beforeAll(async () => {
    process.env.TZ = 'Asia/Shanghai';
    database = await createTestDatabase();
  });
  afterAll(async () => {
    process.env.TZ = tz;
    if (tz === undefined) delete process.env.TZ;
    await database.close();
  });

  it('come back as the written day through drizzle and through the raw driver', async () => {
    expect(new Date(2026, 10, 15).getTimezoneOffset()).toBe(-480);
    const [r] = await rows<{ d: unknown }>(database.db, sql`SELECT DATE '2026-11-15' AS d`);
    expect(r.d).toBe('2026-11-15');
    if (database.pool) {
      const raw = await database.pool.query<{ d: unknown }>(`SELECT DATE '2026-11-15' AS d`);
      expect(raw.rows[0].d).toBe('2026-11-15');
    }
  });
});
