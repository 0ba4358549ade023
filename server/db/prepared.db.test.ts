import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { type Database, preparedRows, rows } from './client.js';

/**
 * preparedRows (decision 0053): the same rows as `rows`, whatever the values, inside and outside a
 * transaction; on PostgreSQL through one named statement per text, reused by every call.
 */
describe('named prepared statements', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 1 });
  });
  afterAll(() => database?.close());

  it('answer as rows does, for every value, and reuse one name per text', async () => {
    const q = (n: number, tag: string) => sql`SELECT g AS n, ${tag}::text AS tag, json_build_object('k', g) AS j FROM generate_series(1, ${n}::int) g`;
    for (let i = 0; i < 12; i++) {
      const n = (i % 4) + 1;
      expect(await preparedRows(database.db, q(n, `t${i}`))).toEqual(await rows(database.db, q(n, `t${i}`)));
    }
    const inTx = await database.db.transaction((tx) => preparedRows<{ n: number }>(tx, q(3, 'tx')));
    expect(inTx.map((r) => r.n)).toEqual([1, 2, 3]);
    if (database.pool) {
      // One connection: the session's own prepared statements are the one name of q's text.
      const named = await rows<{ name: string; statement: string }>(database.db, sql`SELECT name, statement FROM pg_prepared_statements`);
      expect(named).toHaveLength(1);
      expect(named[0].name).toMatch(/^linkage_\d+$/);
      expect(named[0].statement).toContain('generate_series');
    }
  });
});
