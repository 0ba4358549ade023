import { asc, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, rows } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { entryHash } from './audit.chain.js';
import { waitForImport } from '../imports/import.service.js';
import { uploadForm } from '../imports/testing.js';

// Each test tampers with its own copy of the demo bank: what one breaks, the next must not see.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());
const db = () => t.database.db;

/** The SQLSTATE of a refused statement (Drizzle wraps the driver's error), or null when it ran. */
async function refused(db: Db, q: ReturnType<typeof sql>): Promise<string | null> {
  return db.execute(q).then(
    () => null,
    (e: unknown) => {
      for (let x = e as { code?: string; cause?: unknown } | undefined; x; x = x.cause as typeof x) if (x.code) return x.code;
      return 'unknown';
    },
  );
}

/** What an insider with table rights does: the table's own triggers off, the statement, back on. */
async function bypassing(table: string, q: ReturnType<typeof sql>) {
  await db().execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`));
  try {
    await db().execute(q);
  } finally {
    await db().execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER USER`));
  }
}

/** A small staff import through the API: a finished import anchors the audit head it saw. */
async function importSomething(n: string) {
  const admin = await t.login('fs_admin');
  const csv = `工号,姓名,所属机构号\nFS97${n},锚点测试${n},44100\n`;
  const res = await admin.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(Buffer.from(csv), 'anchor.csv') });
  expect(res.statusCode, res.body).toBe(202);
  const job = await waitForImport(db(), res.json().id);
  expect(job.status).toBe('done');
}

async function verify() {
  const admin = await t.login('admin');
  const res = await admin.get('/api/audit/verify');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const count = async (table: string) => Number((await rows<{ n: number }>(db(), sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0].n);

describe('TRUNCATE is refused where rows may not be deleted (finding 9)', () => {
  it('every append-only table, locked months and runs, and the parents the sales refer to', async () => {
    for (const table of ['audit_log', 'audit_anchors', 'ledger_entries', 'quota_plan_versions', 'assessment_run_lines']) {
      expect(await refused(db(), sql.raw(`TRUNCATE ${table}`)), table).toBe('42501');
    }
    // CASCADE reaches the same triggers through the referencing tables.
    expect(await refused(db(), sql`TRUNCATE org_nodes CASCADE`)).not.toBeNull();
    expect(await refused(db(), sql`TRUNCATE sales`)).toBe('23503');
    expect(await refused(db(), sql`TRUNCATE products CASCADE`)).toBe('23503');

    // A locked month: its row, and its statement totals, can be neither truncated nor deleted.
    await db().execute(sql`INSERT INTO periods (node_id, period, state, locked_at) VALUES (11, '2026-10-01', 'locked', now())`);
    expect(await refused(db(), sql`TRUNCATE periods`)).toBe('LK001');
    expect(await refused(db(), sql`TRUNCATE statement_totals`)).toBe('LK001');
    expect(await count("statement_totals WHERE node_id = 11 AND period = '2026-10-01'")).toBeGreaterThan(0);
    expect(await refused(db(), sql`DELETE FROM statement_totals WHERE node_id = 11 AND period = '2026-10-01'`)).toBe('LK001');
    // An open month's totals are derived data: deleting them is the verifier's business, not refused.
    expect(await refused(db(), sql`DELETE FROM statement_totals WHERE node_id = 11 AND period = '2026-11-01' AND grain = 'B'`)).toBeNull();

    expect(await count('audit_log')).toBeGreaterThan(0);
    expect(await count('ledger_entries')).toBeGreaterThan(0);
  });
});

describe('audit verify finds entries that vanished (finding 9)', () => {
  it('an intact chain with anchors verifies, and reports its head', async () => {
    await importSomething('01');
    const res = await verify();
    expect(res).toMatchObject({ ok: true, broken: null, head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(res.anchors).toBeGreaterThan(0);
    expect(res.checked).toBe(res.head.seq);
  });

  it('deleting the newest entries (triggers off) leaves the chain behind its anchor', async () => {
    await importSomething('02');
    const [{ n }] = await rows<{ n: number }>(db(), sql`SELECT max(id)::int AS n FROM audit_log`);
    await bypassing('audit_log', sql`DELETE FROM audit_log WHERE id > ${Number(n) - 3}`);
    const res = await verify();
    expect(res.ok).toBe(false);
    expect(res.broken).toMatchObject({ reason: 'behind_anchor' });
  });

  it('TRUNCATE with the triggers bypassed: the anchors outlive the log and name it', async () => {
    await importSomething('03');
    await db().transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`TRUNCATE audit_log`);
    });
    expect(await count('audit_log')).toBe(0);
    const res = await verify();
    expect(res).toMatchObject({ ok: false, checked: 0, broken: { reason: 'behind_anchor' } });
  });

  it('a deleted entry in the middle is a gap in the sequence', async () => {
    await importSomething('04');
    const [mid] = await rows<{ id: number }>(db(), sql`SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 2`);
    await bypassing('audit_log', sql`DELETE FROM audit_log WHERE id = ${mid.id}`);
    const res = await verify();
    expect(res.ok).toBe(false);
    expect(res.broken).toMatchObject({ reason: 'seq_gap', seq: 4 });
  });

  it('an entry rewritten and the rest of the chain re-hashed (a forger with the code) contradicts the anchor', async () => {
    await importSomething('05');
    const all = await db().select().from(auditLog).orderBy(asc(auditLog.id));
    const forged = all[2];
    let prev = all[1].hash;
    await db().execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    try {
      for (const r of all.slice(2)) {
        const actorName = r.id === forged.id ? '伪造者' : r.actorName;
        const hash = entryHash(prev, { ...r, actorName, at: r.at.toISOString() });
        await db().execute(sql`UPDATE audit_log SET actor_name = ${actorName}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}`);
        prev = hash;
      }
    } finally {
      await db().execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    }
    const res = await verify();
    expect(res.ok).toBe(false);
    expect(res.broken).toMatchObject({ reason: 'anchor_mismatch' });
  });
});
