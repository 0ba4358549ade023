import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { imports } from '../../db/schema/index.js';
import { createTestDatabase } from '../../test/harness.js';
import { failOrphanImports, STALE_AFTER_SECONDS, trackImport } from './import.liveness.js';

/**
 * Issue 10 (low): an import killed mid-way stayed "writing" for ever. The running process
 * heartbeats its row; a row in flight whose heartbeat stopped is failed (IMPORT.INTERRUPTED).
 */
let database: Database;
let adminId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  [{ id: adminId }] = await rows<{ id: number }>(database.db, sql`SELECT id FROM staff WHERE staff_no = 'admin'`);
});
afterAll(() => database.close());

async function row(status: 'validating' | 'writing' | 'done' | 'failed', heartbeatSecondsAgo: number): Promise<string> {
  const id = randomUUID();
  await database.db.insert(imports).values({ id, kind: 'staff', fileName: 'x.xlsx', mode: 'all', status, createdBy: adminId });
  await database.db.execute(sql`UPDATE imports SET heartbeat_at = now() - make_interval(secs => ${heartbeatSecondsAgo}) WHERE id = ${id}`);
  return id;
}

async function statusOf(id: string) {
  const [r] = await rows<{ status: string; message: string | null; finished_at: Date | null }>(database.db, sql`SELECT status, message, finished_at FROM imports WHERE id = ${id}`);
  return r;
}

describe('failOrphanImports', () => {
  it('fails the rows in flight whose heartbeat stopped, with a message in both languages; leaves the rest', async () => {
    const stale = await row('writing', STALE_AFTER_SECONDS + 60);
    const staleValidating = await row('validating', STALE_AFTER_SECONDS + 1);
    const alive = await row('writing', 5);
    const done = await row('done', 3600);
    const failed = await failOrphanImports(database.db);
    expect(failed.sort()).toEqual([stale, staleValidating].sort());
    const s = await statusOf(stale);
    expect(s.status).toBe('failed');
    expect(s.finished_at).not.toBeNull();
    expect(JSON.parse(s.message!)).toMatchObject({ code: 'IMPORT.INTERRUPTED', zh: expect.stringContaining('导入中断'), en: expect.stringContaining('interrupted') });
    expect((await statusOf(alive)).status).toBe('writing');
    expect((await statusOf(done)).status).toBe('done');
  });

  it('never fails an import this process is running, whatever its heartbeat (PGlite: it waits behind the write)', async () => {
    const mine = await row('writing', STALE_AFTER_SECONDS * 10);
    const untrack = trackImport(database.db, mine, { everyMs: 60_000 });
    try {
      expect(await failOrphanImports(database.db, { staleSeconds: 0 })).not.toContain(mine);
      expect((await statusOf(mine)).status).toBe('writing');
    } finally {
      untrack();
    }
    expect(await failOrphanImports(database.db, { staleSeconds: 0 })).toContain(mine);
  });
});

describe('trackImport', () => {
  it('touches heartbeat_at while the import runs, and stops when it ends', async () => {
    const id = await row('validating', 600);
    const untrack = trackImport(database.db, id, { everyMs: 50 });
    const age = async () => Number((await rows<{ s: number }>(database.db, sql`SELECT extract(epoch FROM now() - heartbeat_at)::float8 AS s FROM imports WHERE id = ${id}`))[0].s);
    try {
      const until = Date.now() + 10_000;
      while ((await age()) > 60 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(await age()).toBeLessThan(60);
    } finally {
      untrack();
    }
  });
});
