import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase, rows } from '../../db/client.js';
import { seedDemoBank } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { appendAudit, BANK_WIDE, verifyAuditChain } from './audit.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Edits one audit row the way an insider with table rights would: trigger off, update, trigger on. */
async function tamper(db: Database['db'], id: number) {
  await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
  await db.execute(sql`UPDATE audit_log SET after = '{"name":"篡改"}'::jsonb WHERE id = ${id}`);
  await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
}

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('audit log', () => {
  it('records who, when, what, before and after for a change', async () => {
    const admin = await t.login('fs_admin');
    await admin.patch(`/api/org/nodes/${DEMO_NODES.foshan}`, { address: '广东省佛山市禅城区汾江中路1号' });
    const { items } = (await admin.get('/api/audit?action=org.update')).json();
    expect(items[0]).toMatchObject({ actorName: expect.any(String), entity: 'org_node', entityId: String(DEMO_NODES.foshan), nodeId: DEMO_NODES.foshan });
    expect(items[0].after.address).toBe('广东省佛山市禅城区汾江中路1号');
    expect(items[0].before.address).not.toBe(items[0].after.address);
  });

  it('the database refuses UPDATE and DELETE on audit rows', async () => {
    await expect(t.database.db.execute(sql`UPDATE audit_log SET actor_name = 'x'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
  });

  it('concurrent appends keep one unbroken chain', async () => {
    const db = t.database.db;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => db.transaction((tx) => appendAudit(tx, { id: null, name: 'test' }, { action: 'test.concurrent', entity: 'test', entityId: i, nodeId: BANK_WIDE }))),
    );
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('an append after a rolled-back one chains onto the committed head (the head this process remembers is checked)', async () => {
    const db = t.database.db;
    const entry = (i: number) => ({ action: 'test.head', entity: 'test', entityId: i, nodeId: BANK_WIDE });
    await db.transaction((tx) => appendAudit(tx, { id: null, name: 'test' }, entry(1)));
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, { id: null, name: 'test' }, [entry(2), entry(3)]);
        tx.rollback();
      }),
    ).rejects.toThrow();
    await db.transaction((tx) => appendAudit(tx, { id: null, name: 'test' }, entry(4)));
    const got = await rows<{ entityId: string }>(db, sql`SELECT entity_id AS "entityId" FROM audit_log WHERE action = 'test.head' ORDER BY seq`);
    expect(got.map((r) => r.entityId)).toEqual(['1', '4']);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('an edited row is found by the API and named', async () => {
    const db = t.database.db;
    const [target] = await rows<{ id: number }>(db, sql`SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1`);
    await tamper(db, Number(target.id));
    const admin = await t.login('admin');
    const res = (await admin.get('/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: false, broken: { id: Number(target.id), reason: 'hash_mismatch' } });
  });
});

describe('npm run cli -- audit verify', () => {
  let database: Database;
  let env: Record<string, string>;
  let dir = '';
  let fresh: TestApp | undefined;
  beforeAll(async () => {
    if (process.env.LINKAGE_TEST_DB === 'pg') {
      // A copy of its own: the chain of the suite above was tampered with on purpose.
      fresh = await createTestApp();
      database = fresh.database;
      env = { DATABASE_URL: fresh.database.url! };
    } else {
      dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-audit-'));
      database = await openDatabase({ dataDir: dir });
      await migrateDatabase(database);
      await seedDemoBank(database.db);
      env = { DATA_DIR: dir, DATABASE_URL: '' };
    }
    await database.db.transaction((tx) =>
      appendAudit(
        tx,
        { id: null, name: 'test' },
        [1, 2, 3].map((i) => ({ action: 'test.cli', entity: 'test', entityId: i, nodeId: BANK_WIDE })),
      ),
    );
    if (database.kind === 'pglite') await database.close();
  });
  afterAll(async () => {
    await fresh?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 on an intact chain and non-zero naming the first bad entry after an edit', async () => {
    const ok = cli(['audit', 'verify'], env);
    expect(ok.stdout + ok.stderr).toContain('OK');
    expect(ok.status).toBe(0);
    let handle = database;
    if (database.kind === 'pglite') handle = await openDatabase({ dataDir: dir });
    const [target] = await rows<{ id: number }>(handle.db, sql`SELECT id FROM audit_log WHERE action = 'test.cli' ORDER BY id LIMIT 1 OFFSET 1`);
    await tamper(handle.db, Number(target.id));
    if (handle.kind === 'pglite') await handle.close();
    const bad = cli(['audit', 'verify'], env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`#${target.id}`);
  });
});
