import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, MIGRATIONS_DIR, migrateDatabase, rows } from './client.js';
import { MONTH_PARTITIONED, PARTITION_COLUMN } from './partitions.js';
import { verifyLedger } from '../modules/scoring/ledger.verify.js';
import { seedSplitRules } from '../modules/scoring/split-rules.service.js';
import { seedDemoCustomers, TEST_SCALE } from '../seed/customers.js';
import { seedDemoBank } from '../seed/demo-bank.js';
import { seedDemoScoring } from '../seed/scoring.js';
import { seedTargetCriteria } from '../seed/targets.js';
import { createUnmigratedTestDatabase } from '../test/harness.js';

/**
 * Migrations 0048 and 0049 on a database that already holds a bank's figures (an upgrade, not a
 * clean install): every sale, ledger line and total comes through unchanged into its month's
 * partition, every sale has its key, the sales' and the ledger's ids continue where their identities
 * stopped, and the ledger verifies.
 */
let database: Database;
let dir: string;

/** What the four tables hold, independent of their physical layout. */
async function fingerprint(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of MONTH_PARTITIONED) {
    const [r] = await rows<{ n: number; digest: string }>(
      database.db,
      sql`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM ${sql.identifier(t)} x`,
    );
    out[t] = r;
  }
  return out;
}

beforeAll(async () => {
  // The migrations folder as it was before 0048.
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-0047-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < '0048');
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  database = await createUnmigratedTestDatabase();
  await migrateDatabase(database, dir);
  // Today's recording path reads the source-id keys from sale_keys (0049); on the 0047 schema they are
  // the sales' own columns. The view lets today's seed record the old bank; it goes before the upgrade.
  await database.db.execute(sql`CREATE VIEW sale_keys AS SELECT id AS sale_id, province_id, source_id, sale_date, content_sha256 FROM sales`);
  await seedDemoBank(database.db);
  await seedDemoCustomers(database.db, TEST_SCALE);
  await seedTargetCriteria(database.db);
  await seedSplitRules(database.db);
  await seedDemoScoring(database.db);
}, 240_000);

afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('migrations 0048 and 0049 on a database with figures', () => {
  it('moves every row unchanged into its month’s partition; every sale has its key; the ledger verifies; sale and ledger ids continue', async () => {
    const [kind] = await rows<{ k: string }>(database.db, sql`SELECT relkind::text AS k FROM pg_class WHERE oid = 'ledger_entries'::regclass`);
    expect(kind.k).toBe('r');
    const before = await fingerprint();
    expect((before.ledger_entries as { n: number }).n).toBeGreaterThan(0);
    const [{ max }] = await rows<{ max: string }>(database.db, sql`SELECT max(id)::text AS max FROM ledger_entries`);
    const [{ lastSale }] = await rows<{ lastSale: number }>(database.db, sql`SELECT last_value::int AS "lastSale" FROM sales_id_seq`);

    await database.db.execute(sql`DROP VIEW sale_keys`);
    await migrateDatabase(database);

    expect(await fingerprint()).toEqual(before);
    for (const t of MONTH_PARTITIONED) {
      const [r] = await rows<{ kind: string; misplaced: number }>(
        database.db,
        sql`SELECT (SELECT relkind::text FROM pg_class WHERE oid = ${t}::regclass) AS kind,
                   (SELECT count(*)::int FROM ${sql.identifier(t)} WHERE tableoid::regclass::text <> ${t} || '_' || to_char(${sql.identifier(PARTITION_COLUMN[t])}, 'YYYY_MM')) AS misplaced`,
      );
      expect(r, t).toEqual({ kind: 'p', misplaced: 0 });
    }
    expect((await verifyLedger(database.db, {})).ok).toBe(true);
    // The next ledger line takes the next id (a zero-point line, written last: it is no scoring's).
    const [next] = await rows<{ id: string }>(
      database.db,
      sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version, role)
          SELECT sale_id, node_id, period, 'void', department_id, staff_id, 0, rule_version, role FROM ledger_entries ORDER BY id LIMIT 1 RETURNING id::text`,
    );
    expect(BigInt(next.id)).toBe(BigInt(max) + 1n);
    const [seq] = await rows<{ seq: string | null }>(database.db, sql`SELECT pg_get_serial_sequence('ledger_entries', 'id') AS seq`);
    expect(seq.seq).toBe('public.ledger_entries_id_seq');

    // Every sale has its key (source id, date, fingerprint), and the next sale takes the next id.
    const [keys] = await rows<{ sales: number; matched: number; keys: number }>(
      database.db,
      sql`SELECT (SELECT count(*)::int FROM sales) AS sales, (SELECT count(*)::int FROM sale_keys) AS keys,
                 (SELECT count(*)::int FROM sales s JOIN sale_keys k ON k.sale_id = s.id AND k.province_id = s.province_id AND k.source_id = s.source_id
                     AND k.sale_date = s.sale_date AND k.content_sha256 IS NOT DISTINCT FROM s.content_sha256) AS matched`,
    );
    expect(keys).toEqual({ sales: (before.sales as { n: number }).n, keys: (before.sales as { n: number }).n, matched: (before.sales as { n: number }).n });
    const [sale] = await rows<{ id: number }>(
      database.db,
      sql`INSERT INTO sales (source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id)
          SELECT 'UPGRADE-1', product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id FROM sales ORDER BY id LIMIT 1 RETURNING id`,
    );
    expect(sale.id).toBe(lastSale + 1);
    const [saleSeq] = await rows<{ seq: string | null }>(database.db, sql`SELECT pg_get_serial_sequence('sales', 'id') AS seq`);
    expect(saleSeq.seq).toBe('public.sales_id_seq');
  });
});
