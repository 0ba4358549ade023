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
import { createTestDatabase } from '../../test/harness.js';

/**
 * SPEC §14 "all or nothing": the CLI is killed with SIGKILL while it writes a 30,000-row roster in
 * its one transaction; the database must come back exactly as before — no staff, no audit entries.
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
    const m = /^writing (\d+)\/\d+$/m.exec(stdout.split('\n').filter((l) => l.startsWith('writing ')).at(-1) ?? '');
    if (!killedAt && m && Number(m[1]) > 0) {
      killedAt = m[0];
      child.kill('SIGKILL');
    }
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  expect(stdout, stderr).toMatch(/^validating /m);
  expect(killedAt, `never saw the writing phase:\n${stdout}\n${stderr}`).not.toBeNull();
  expect(exit.signal).toBe('SIGKILL');

  const after = await withDb(counts);
  expect(after).toEqual(before);
  // The interrupted run is recorded as still writing; nothing else of it exists.
  const [job] = await withDb((db) => rows<{ status: string; inserted: number }>(db, sql`SELECT status, inserted FROM imports ORDER BY created_at DESC LIMIT 1`));
  expect(job).toMatchObject({ status: 'writing', inserted: 0 });
}, 90_000);
