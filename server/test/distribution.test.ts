import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../db/client.js';
import { citusCalls, DISTRIBUTION, DISTRIBUTION_COLUMN } from '../db/distribution.js';
import { createEmptyTestDatabase } from './harness.js';

/**
 * The Citus rules of issue 17 goal 6 (decision 0043), checked on the catalog of a freshly migrated
 * database — what the migrations really built, not what the Drizzle schema says: every table
 * classified in server/db/distribution.ts; every distributed table carries the distribution column
 * in every primary key and unique index; no foreign key crosses shards; docs/deploy/citus.md places
 * every table.
 */
let database: Database;
interface Fk {
  name: string;
  from: string;
  to: string;
  fromCols: string[];
  toCols: string[];
}
let tables: string[];
let fks: Fk[];

beforeAll(async () => {
  database = await createEmptyTestDatabase();
  // Ordinary and partitioned tables of the public schema; partitions follow their parent.
  tables = (
    await rows<{ name: string }>(
      database.db,
      sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    )
  ).map((r) => r.name);
  fks = await rows<Fk>(
    database.db,
    sql`SELECT c.conname AS name, f.relname AS "from", t.relname AS "to",
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS "fromCols",
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS "toCols"
        FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
        JOIN pg_namespace n ON n.oid = f.relnamespace
        WHERE c.contype = 'f' AND n.nspname = 'public' AND NOT f.relispartition ORDER BY 1`,
  );
});
afterAll(async () => {
  await database?.close();
});

const kindOf = (t: string) => DISTRIBUTION[t]?.kind;
const distributed = () => tables.filter((t) => kindOf(t) === 'distributed');

describe('Citus readiness of the schema (decision 0043)', () => {
  it('classifies every table of the migrated schema, and only those', () => {
    expect(tables.length).toBeGreaterThan(100);
    expect(
      tables.filter((t) => !(t in DISTRIBUTION)),
      'tables missing from server/db/distribution.ts',
    ).toEqual([]);
    expect(
      Object.keys(DISTRIBUTION).filter((t) => !tables.includes(t)),
      'entries of server/db/distribution.ts naming no table',
    ).toEqual([]);
    for (const [t, p] of Object.entries(DISTRIBUTION)) if (p.kind === 'local') expect(p.why.length, `${t}: say why it stays local`).toBeGreaterThan(10);
    expect(distributed()).toEqual(
      expect.arrayContaining(['sales', 'sale_departments', 'sale_people', 'sale_scoring', 'ledger_entries', 'statement_totals', 'completion_totals', 'product_points_totals']),
    );
  });

  it('gives every distributed table a NOT NULL distribution column', async () => {
    const cols = await rows<{ table: string; notnull: boolean }>(
      database.db,
      sql`SELECT c.relname AS table, a.attnotnull AS notnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND a.attname = ${DISTRIBUTION_COLUMN} AND NOT a.attisdropped`,
    );
    const notNull = new Map(cols.map((c) => [c.table, c.notnull]));
    for (const t of distributed()) expect(notNull.get(t), `${t}.${DISTRIBUTION_COLUMN} NOT NULL`).toBe(true);
  });

  it('puts the distribution column in every primary key and unique index of a distributed table', async () => {
    const uniques = await rows<{ table: string; index: string; cols: string[] }>(
      database.db,
      sql`SELECT t.relname AS table, c.relname AS index,
                 ARRAY(SELECT a.attname::text FROM unnest(i.indkey) k(n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND i.indisunique`,
    );
    const offending = uniques.filter((u) => kindOf(u.table) === 'distributed' && !u.cols.includes(DISTRIBUTION_COLUMN)).map((u) => `${u.table}.${u.index}`);
    expect(offending, `unique keys without ${DISTRIBUTION_COLUMN}`).toEqual([]);
    // Each distributed table has a primary key (Citus needs one for its replication identity and upserts).
    const withPk = new Set(uniques.filter((u) => u.index.endsWith('pkey') || u.index.endsWith('_pk')).map((u) => u.table));
    for (const t of distributed()) expect(withPk.has(t), `${t} has a primary key`).toBe(true);
  });

  it('lets no foreign key cross shards', () => {
    const wrong: string[] = [];
    for (const fk of fks) {
      const from = kindOf(fk.from);
      const to = kindOf(fk.to);
      if (from === 'distributed') {
        // → a reference table, or a co-located distributed table joined through the distribution column.
        const colocated = to === 'distributed' && fk.fromCols.indexOf(DISTRIBUTION_COLUMN) >= 0 && fk.fromCols.indexOf(DISTRIBUTION_COLUMN) === fk.toCols.indexOf(DISTRIBUTION_COLUMN);
        if (to !== 'reference' && !colocated) wrong.push(`${fk.name}: distributed ${fk.from} → ${to} ${fk.to}`);
      } else if (to === 'distributed') {
        wrong.push(`${fk.name}: ${from} ${fk.from} → distributed ${fk.to}`);
      } else if (from === 'reference' && to !== 'reference') {
        wrong.push(`${fk.name}: reference ${fk.from} → ${to} ${fk.to}`);
      }
    }
    expect(wrong).toEqual([]);
    // The check sees foreign keys at all (a catalog query gone wrong would pass everything).
    expect(fks.length).toBeGreaterThan(100);
  });

  it('fills the distribution column on insert from the org tree (province = the tier-1 branch)', async () => {
    const [province] = await rows<{ ok: boolean }>(
      database.db,
      sql`WITH h AS (INSERT INTO org_nodes (code, name, level, path) VALUES ('D0', '总行', 'head', '/') RETURNING id),
               p AS (INSERT INTO org_nodes (code, name, level, parent_id, path) SELECT 'D1', '省分行', 'province', id, '/' FROM h RETURNING id)
          SELECT true AS ok FROM p`,
    );
    expect(province?.ok).toBe(true);
    const [branch] = await rows<{ id: number; province_id: number; province: number }>(
      database.db,
      sql`INSERT INTO org_nodes (code, name, level, parent_id, path) SELECT 'D2', '二级分行', 'branch', id, '/' FROM org_nodes WHERE code = 'D1'
          RETURNING id, province_id, (SELECT id FROM org_nodes WHERE code = 'D1') AS province`,
    );
    expect(branch!.province_id).toBe(branch!.province);
    const [head] = await rows<{ id: number; province_id: number }>(database.db, sql`SELECT id, province_id FROM org_nodes WHERE code = 'D0'`);
    expect(head!.province_id).toBe(head!.id);
    const [total] = await rows<{ province_id: number }>(database.db, sql`INSERT INTO statement_totals (node_id, period, grain, k1) VALUES (${branch!.id}, '2026-01-01', 'B', 0) RETURNING province_id`);
    expect(total!.province_id).toBe(branch!.province);
    // A node cannot change province: its facts would be left on the old shard.
    const moved = await database.db.execute(sql`UPDATE org_nodes SET parent_id = ${head!.id} WHERE id = ${branch!.id}`).then(
      () => 'moved',
      (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
    );
    expect(moved).toMatch(/cannot move from province/);
  });

  it('places every table in docs/deploy/citus.md with the calls generated from the manifest', () => {
    const references = new Map<string, string[]>();
    for (const fk of fks) references.set(fk.from, [...(references.get(fk.from) ?? []), fk.to]);
    const calls = citusCalls(references);
    const doc = readFileSync(new URL('../../docs/deploy/citus.md', import.meta.url), 'utf8');
    const block = /<!-- citus-calls:start -->\n```sql\n([\s\S]*?)```\n<!-- citus-calls:end -->/.exec(doc)?.[1];
    expect(block, 'docs/deploy/citus.md: the block between the citus-calls markers').toBeDefined();
    expect(block!.trim().split('\n'), 'regenerate the block: citusCalls() in server/db/distribution.ts').toEqual(calls);
    expect(calls.length).toBe(tables.filter((t) => kindOf(t) !== 'local').length);
  });
});
