import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from './client.js';
import { bigramContains } from './like.js';
import { createTestDatabase } from '../test/harness.js';

let database: Database;
beforeAll(async () => void (database = await createTestDatabase()));
afterAll(() => database.close());

const NAMES = ['佛山市顺德区美迪电器集团股份有限公司', '广东照明电器有限公司', '电子器件厂', 'ABC Trading Co', '器电反序公司', '50%_利润公司'];

/** The names of NAMES matching `q` through bigramContains. */
async function matching(q: string): Promise<string[]> {
  const values = sql.join(
    NAMES.map((n) => sql`(${n}::text)`),
    sql`, `,
  );
  const r = await rows<{ name: string }>(database.db, sql`SELECT v.name FROM (VALUES ${values}) AS v(name) WHERE ${bigramContains(sql`v.name`, q)}`);
  return r.map((x) => x.name).sort();
}

describe('bigramContains (decision 0047)', () => {
  it('finds two-character fragments anywhere, in order, and nothing else', async () => {
    expect(await matching('电器')).toEqual(['佛山市顺德区美迪电器集团股份有限公司', '广东照明电器有限公司'].sort());
    // Both bigrams of 器电 are absent from 电子器件厂; 器电反序公司 has them adjacent.
    expect(await matching('器电')).toEqual(['器电反序公司']);
    expect(await matching('美迪电器集团')).toEqual(['佛山市顺德区美迪电器集团股份有限公司']);
    expect(await matching('电器厂')).toEqual([]);
  });

  it('ignores case for Latin letters, takes % and _ literally, and one character is a plain LIKE', async () => {
    expect(await matching('trad')).toEqual(['ABC Trading Co']);
    expect(await matching('0%')).toEqual(['50%_利润公司']);
    expect(await matching('%_')).toEqual(['50%_利润公司']);
    expect(await matching('器')).toEqual(['佛山市顺德区美迪电器集团股份有限公司', '器电反序公司', '广东照明电器有限公司', '电子器件厂'].sort());
  });

  it('is served by the bigram index on corporate_clients', async () => {
    // One transaction: on PostgreSQL the SET and the EXPLAIN must share a pooled connection.
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return rows<Record<string, string>>(tx, sql`EXPLAIN SELECT id FROM corporate_clients c WHERE ${bigramContains(sql`c.name`, '电器')}`);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('corporate_clients_name_bigrams');
  });
});
