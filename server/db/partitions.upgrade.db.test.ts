import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, MIGRATIONS_DIR, migrateDatabase, rows } from './client.js';
import { MONTH_PARTITIONED } from './partitions.js';
import { verifyLedger } from '../modules/scoring/ledger.verify.js';
import { seedSplitRules } from '../modules/scoring/split-rules.service.js';
import { seedDemoCustomers, TEST_SCALE } from '../seed/customers.js';
import { seedDemoBank } from '../seed/demo-bank.js';
import { seedDemoScoring } from '../seed/scoring.js';
import { seedTargetCriteria } from '../seed/targets.js';
import { createUnmigratedTestDatabase } from '../test/harness.js';

/**
 * Migration 0048 on a database that already holds a bank's figures (an upgrade, not a clean
 * install): every row of the ledger and the totals comes through unchanged into its month's
 * partition, the ledger's ids continue where the identity stopped, and the ledger verifies.
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

describe('migration 0048 on a database with figures', () => {
  it('moves every row unchanged into its month’s partition; the ledger verifies; ledger ids continue', async () => {
    const [kind] = await rows<{ k: string }>(database.db, sql`SELECT relkind::text AS k FROM pg_class WHERE oid = 'ledger_entries'::regclass`);
    expect(kind.k).toBe('r');
    const before = await fingerprint();
    expect((before.ledger_entries as { n: number }).n).toBeGreaterThan(0);
    const [{ max }] = await rows<{ max: string }>(database.db, sql`SELECT max(id)::text AS max FROM ledger_entries`);

    await migrateDatabase(database);

    expect(await fingerprint()).toEqual(before);
    for (const t of MONTH_PARTITIONED) {
      const [r] = await rows<{ kind: string; misplaced: number }>(
        database.db,
        sql`SELECT (SELECT relkind::text FROM pg_class WHERE oid = ${t}::regclass) AS kind,
                   (SELECT count(*)::int FROM ${sql.identifier(t)} WHERE tableoid::regclass::text <> ${t} || '_' || to_char(period, 'YYYY_MM')) AS misplaced`,
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
  });
});
