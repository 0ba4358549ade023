import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { type Database, type DbOrTx, openDatabase, PGLITE_EXTENSIONS, rows } from '../../db/client.js';
import { checkOnStart } from '../../ops/recovery.js';
import { createTestDatabase } from '../../test/harness.js';
import { failOrphanImports, STALE_AFTER_SECONDS } from './import.liveness.js';

/**
 * SPEC §14 "all or nothing": the CLI is killed with SIGKILL while it writes a 30,000-row roster in
 * its one transaction; the database must come back exactly as before — no staff, no audit entries.
 * Issue 10: and the import does not stay "writing" for ever — it is failed as interrupted.
 */
const ROWS = 30_000;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

let dir: string;
let file: string;
let env: Record<string, string | undefined>;
let pgDatabase: Database | undefined;
let pgliteDir: string | undefined;

async function roster(target: string, orgCode: string) {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
  const ws = wb.addWorksheet('员工');
  ws.addRow(['工号', '姓名', '所属机构号', '手机号', '状态']).commit();
  for (let i = 0; i < ROWS; i++) ws.addRow([`K${String(i).padStart(6, '0')}`, `测试员工${i}`, orgCode, `139${String(i).padStart(8, '0')}`, '在职']).commit();
  ws.commit();
  await wb.commit();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(target, Buffer.concat(parts));
}

async function counts(db: DbOrTx) {
  const [r] = await rows<{ staff: number; audit: number; roles: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM staff)::int AS staff, (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM staff_roles)::int AS roles`,
  );
  return r;
}

/** Opens the leg's database for a look, then closes it (a PGlite directory has one owner at a time). */
async function withDb<T>(fn: (db: DbOrTx) => Promise<T>): Promise<T> {
  if (pgDatabase) return fn(pgDatabase.db);
  const database = await openDatabase({ dataDir: pgliteDir });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-kill-'));
  file = path.join(dir, 'roster.xlsx');
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    pgDatabase = await createTestDatabase();
    const url = (pgDatabase as Database & { url?: string }).url;
    if (!url) throw new Error('the harness did not expose the test database URL');
    env = { DATABASE_URL: url };
  } else {
    // A file-backed PGlite made from the seeded dump, as `npm start` would use.
    pgliteDir = path.join(dir, 'pglite');
    const client = new PGlite(pgliteDir, { loadDataDir: new Blob([new Uint8Array(readFileSync(inject('pgliteDump')))]), extensions: PGLITE_EXTENSIONS });
    await client.waitReady;
    await client.close();
    env = { DATABASE_URL: undefined, DATA_DIR: pgliteDir };
  }
  await roster(file, '44100');
}, 120_000);

afterAll(async () => {
  await pgDatabase?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('leaves the database unchanged when the import is killed while writing', async () => {
  const before = await withDb(counts);
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env, LOG_LEVEL: 'silent' })) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'import', 'staff', file], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });

  let stdout = '';
  let stderr = '';
  let killedAt: string | null = null;
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // Kill once rows are really inside the open transaction (a progress line after the first slice).
    const m = /^writing (\d+)\/\d+$/m.exec(
      stdout
        .split('\n')
        .filter((l) => l.startsWith('writing '))
        .at(-1) ?? '',
    );
    if (!killedAt && m && Number(m[1]) > 0) {
      killedAt = m[0];
      child.kill('SIGKILL');
    }
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  expect(stdout, stderr).toMatch(/^validating /m);
  expect(killedAt, `never saw the writing phase:\n${stdout}\n${stderr}`).not.toBeNull();
  expect(exit.signal).toBe('SIGKILL');

  const lastJob = (db: DbOrTx) =>
    rows<{ id: string; status: string; inserted: number; message: string | null }>(db, sql`SELECT id, status, inserted, message FROM imports ORDER BY created_at DESC LIMIT 1`);
  if (pgDatabase) {
    const db = pgDatabase.db;
    expect(await counts(db)).toEqual(before);
    // The interrupted run is recorded as still writing; nothing else of it exists.
    const [job] = await lastJob(db);
    expect(job).toMatchObject({ status: 'writing', inserted: 0 });
    // Other servers may be importing: only a heartbeat that stopped makes an orphan. Its last
    // beat is recent, so the job runner's sweep leaves it …
    expect(await failOrphanImports(pgDatabase.db)).not.toContain(job.id);
    // … until it has been silent longer than STALE_AFTER_SECONDS (time passes: the beat ages).
    await db.execute(sql`UPDATE imports SET heartbeat_at = heartbeat_at - make_interval(secs => ${STALE_AFTER_SECONDS + 1}) WHERE id = ${job.id}`);
    expect(await failOrphanImports(pgDatabase.db)).toEqual([job.id]);
    const [ended] = await lastJob(db);
    expect(ended.status).toBe('failed');
    expect(JSON.parse(ended.message!)).toMatchObject({ code: 'IMPORT.INTERRUPTED' });
    return;
  }
  // PGlite: the killed CLI left its lock — the next opener sees an unclean shutdown; as the only
  // owner of the directory, every import still in flight is an orphan.
  const database = await openDatabase({ dataDir: pgliteDir });
  try {
    expect(database.lock?.previous?.pid).toBe(child.pid);
    expect(await counts(database.db)).toEqual(before);
    const [job] = await lastJob(database.db);
    expect(job).toMatchObject({ status: 'writing', inserted: 0 });
    const check = await checkOnStart(database, { who: 'server', log: () => undefined });
    expect(check.importsFailed).toEqual([job.id]);
    expect(check.unclean?.audit.broken).toBeNull();
    const [ended] = await lastJob(database.db);
    expect(ended.status).toBe('failed');
    expect(JSON.parse(ended.message!)).toMatchObject({ code: 'IMPORT.INTERRUPTED', zh: expect.stringContaining('导入中断') });
  } finally {
    await database.close();
  }
}, 180_000);
