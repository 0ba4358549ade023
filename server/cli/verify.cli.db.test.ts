import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, type Db, PGLITE_EXTENSIONS, rows } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import { DEMO_NODES } from '../seed/demo-ids.js';
import { recordAnchor } from '../modules/audit/audit.anchors.js';
import { createTestDatabase } from '../test/harness.js';

/**
 * `audit verify [--ledger]` and `settle --verify` as a shell runs them (finding 9, 10): exit
 * status, what they name, and that checking writes nothing. The child process needs a database
 * of its own: on PostgreSQL a copy of the demo bank, on PGlite a directory loaded from its dump.
 */
let database: Database;
let env: Record<string, string>;
let dir = '';

async function open(): Promise<Database> {
  if (process.env.LINKAGE_TEST_DB === 'pg') return database;
  const client = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
  await client.waitReady;
  return { db: drizzle(client, { schema }) as unknown as Db, kind: 'pglite', pglite: client, close: () => client.close() };
}

/** Runs `work` on the database while no child holds it (PGlite: one process at a time). */
async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const handle = await open();
  try {
    return await work(handle.db);
  } finally {
    if (handle.kind === 'pglite') await handle.close();
  }
}

beforeAll(async () => {
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url! };
  } else {
    dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-verify-'));
    const seeded = new PGlite(dir, { loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]), extensions: PGLITE_EXTENSIONS });
    await seeded.waitReady;
    await seeded.close();
    env = { DATA_DIR: dir, DATABASE_URL: '' };
  }
});
afterAll(async () => {
  if (process.env.LINKAGE_TEST_DB === 'pg') await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

const footprint = (db: Db) =>
  rows<{ ledger: number; totals: number; audit: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM ledger_entries)::int AS ledger, (SELECT coalesce(sum(points_hundredths), 0) FROM statement_totals)::bigint AS totals,
               (SELECT count(*) FROM audit_log)::int AS audit`,
  ).then(([r]) => ({ ledger: Number(r.ledger), totals: Number(r.totals), audit: Number(r.audit) }));

// Child processes on a shared machine: two spawns, each given time.
describe('the verify commands', () => {
  it('settle --verify exits 4 naming a tampered sale; audit verify --ledger exits 3 for entries deleted behind an anchor, lists the ledger too; nothing written', { timeout: 300_000 }, async () => {
    const { sourceId, before } = await withDb(async (db) => {
      const [line] = await rows<{ id: number; source_id: string }>(
        db,
        sql`SELECT e.id, s.source_id FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
            WHERE e.node_id = ${DEMO_NODES.foshan} AND e.period = '2026-10-01' AND e.kind = 'allocation' ORDER BY e.id LIMIT 1`,
      );
      await db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER USER`);
      await db.execute(sql`UPDATE ledger_entries SET points_hundredths = points_hundredths + 100000 WHERE id = ${line.id}`);
      await db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER USER`);
      return { sourceId: line.source_id, before: await footprint(db) };
    });

    const settle = cli(['settle', '--branch', '44100', '--month', '2026-10', '--verify']);
    expect(settle.status, settle.stderr).toBe(4);
    expect(settle.stdout).toContain(sourceId);
    expect(settle.stderr).toContain('MISMATCH');
    expect(await withDb(footprint)).toEqual(before);

    const after = await withDb(async (db) => {
      await db.transaction((tx) => recordAnchor(tx, { kind: 'import', ref: 'cli-test', nodeId: null }));
      await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await db.execute(sql`DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)`);
      await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
      return footprint(db);
    });
    const audit = cli(['audit', 'verify', '--ledger']);
    expect(audit.status, audit.stderr).toBe(3);
    expect(audit.stderr).toContain('newest entries deleted');
    expect(audit.stderr).toContain('import cli-test');
    expect(audit.stderr).toContain(sourceId);
    expect(audit.stderr).toContain('ledger MISMATCH');
    expect(await withDb(footprint)).toEqual(after);
  });
});
