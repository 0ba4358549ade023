import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../db/client.js';
import { lockFileOf, readLock } from '../db/lock.js';
import { verifyAuditChain } from '../modules/audit/audit.service.js';
import { type Child, childEnv, killChildren, runCli, seededPgliteDir, spawnTsx, startServer } from '../test/processes.js';

/**
 * Issue 10, finding 3 — the embedded database and a second process, with real processes: the
 * server on a PGlite directory, the CLI beside it, kill -9, backup and restore.
 */
let dir: string;
let dataDir: string;
let env: Record<string, string>;
let server: Child & { port: number };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-ops-'));
  dataDir = path.join(dir, 'pglite');
  await seededPgliteDir(dataDir);
  env = childEnv({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  server = await startServer(env, dataDir);
}, 180_000);

afterAll(async () => {
  await killChildren();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a second process on the directory of a running server', () => {
  it('is refused before it opens anything, in Chinese and English, and exits non-zero', async () => {
    const lockBefore = readFileSync(lockFileOf(dataDir), 'utf8');
    // `migrate` cannot go through the server: it must be refused, not open the files.
    const cli = await runCli(['migrate'], env);
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    expect(cli.stderr).toContain(`数据目录正被进程 ${server.proc.pid} 使用`);
    expect(cli.stderr).toContain("Stop the server or point the CLI at the server's API");
    expect(cli.stdout).not.toContain('迁移完成');
    // A second server on the same directory: refused the same way.
    const second = await spawnTsx('server/main.ts', [], { ...env, PORT: '0' }).exited;
    expect(second.code, second.stdout + second.stderr).toBe(1);
    expect(second.stderr).toContain(`The data directory is in use by process ${server.proc.pid}`);
    expect(readFileSync(lockFileOf(dataDir), 'utf8')).toBe(lockBefore);
  }, 120_000);
});

describe('the CLI while the server runs: through its admin channel', () => {
  it('audit verify', async () => {
    const r = await runCli(['audit', 'verify'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain(`running through the server (process ${server.proc.pid})`);
    expect(r.stdout).toMatch(/audit chain OK: \d+ entries/);
  }, 60_000);

  it('import: the file is uploaded and imported by the server, the error workbook comes back', async () => {
    const csv = path.join(dir, 'roster.csv');
    writeFileSync(csv, '工号,姓名,所属机构号,手机号,状态\nOPS0001,运维测试甲,44100,13900000001,在职\nOPS0002,运维测试乙,99999,13900000002,在职\n');
    const r = await runCli(['import', 'staff', csv, '--valid-only'], env);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('running through the server');
    expect(r.stdout).toContain('status=done rows=2 errors=1 inserted=1');
    expect(existsSync(path.join(dir, 'roster.errors.xlsx'))).toBe(true);
  }, 60_000);

  it('settle --recompute', async () => {
    const r = await runCli(['settle', '--branch', '44100', '--month', '2026-10', '--recompute'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[1/2] 完成 done');
    expect(r.stdout).toContain('（44100）2026-10 交叉营销积分');
  }, 60_000);
});

describe('backup while the server runs, restore into a fresh directory', () => {
  it('restores a copy whose audit chain verifies and that holds what was written through the server', async () => {
    const file = path.join(dir, 'backup.tar.gz');
    const b = await runCli(['backup', file], env);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(b.stdout).toContain('backup written');

    const restored = path.join(dir, 'restored');
    const r = await runCli(['restore', file, '--data-dir', restored], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/audit chain OK: \d+ entries/);
    // Never over something: a second restore into the same directory is refused.
    const again = await runCli(['restore', file, '--data-dir', restored], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('恢复目标目录不为空');
    // The restored copy is an ordinary directory: the CLI opens it itself (no server on it).
    const v = await runCli(['audit', 'verify'], { ...env, DATA_DIR: restored });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stderr).not.toContain('running through the server');

    const copy = await openDatabase({ dataDir: restored });
    try {
      const staffRows = await rows<{ name: string }>(copy.db, sql`SELECT name FROM staff WHERE staff_no = 'OPS0001'`);
      expect(staffRows).toEqual([{ name: '运维测试甲' }]);
      const actions = (await rows<{ action: string }>(copy.db, sql`SELECT action FROM audit_log ORDER BY id`)).map((a) => a.action);
      expect(actions).toContain('system.backup');
      expect(actions.at(-1)).toBe('system.restore');
      expect((await verifyAuditChain(copy.db)).broken).toBeNull();
    } finally {
      await copy.close();
    }
  }, 180_000);
});

describe('an unclean shutdown', () => {
  it('kill -9 leaves the marker; the next start warns, verifies the chain and records it; a clean stop removes it', async () => {
    const crashedPid = server.proc.pid!;
    server.proc.kill('SIGKILL');
    await server.exited;
    expect(readLock(dataDir)?.pid).toBe(crashedPid);

    const next = await startServer(env, dataDir);
    const out = next.output().stdout + next.output().stderr;
    expect(out).toContain(`数据目录上次未正常关闭（进程 ${crashedPid}`);
    expect(out).toContain('WARNING: the data directory was not shut down cleanly');
    expect(out).toMatch(/audit chain OK: \d+ entries/);

    next.proc.kill('SIGTERM');
    const end = await next.exited;
    expect(end.code).toBe(0);
    expect(existsSync(lockFileOf(dataDir))).toBe(false);

    const db = await openDatabase({ dataDir });
    try {
      expect(db.lock?.previous).toBeNull();
      const [entry] = await rows<{ after: { previous: { pid: number }; detectedBy: string; auditBroken: unknown } }>(
        db.db,
        sql`SELECT after FROM audit_log WHERE action = 'system.unclean_shutdown' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry.after).toMatchObject({ previous: { pid: crashedPid }, detectedBy: 'server', auditBroken: null });
    } finally {
      await db.close();
    }
  }, 240_000);
});
