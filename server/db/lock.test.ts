import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededPgliteDir } from '../test/processes.js';
import { openDatabase, rows } from './client.js';
import { acquireDataDirLock, lockFileOf, type LockOwner, ownerAlive, processStart, readLock } from './lock.js';
import { checkOnStart } from '../ops/recovery.js';

/** The data directory's lock in one process (the two-process cases: cli/server-cli.test.ts). */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function owner(over: Partial<LockOwner>): LockOwner {
  return { pid: deadPid(), hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', bootId: null, procStart: null, role: 'server', command: 'server', ...over };
}

describe('acquireDataDirLock', () => {
  it('creates <dir>.lock with mode 0600 naming this process; a second open in this process is refused', () => {
    const d = path.join(dir, 'a');
    const lock = acquireDataDirLock(d, { role: 'cli', command: 'test' });
    try {
      expect(lock.file).toBe(`${path.resolve(d)}.lock`);
      expect(statSync(lock.file).mode & 0o777).toBe(0o600);
      expect(readLock(d)).toMatchObject({ pid: process.pid, hostname: os.hostname(), role: 'cli', procStart: processStart(process.pid) });
      expect(lock.previous).toBeNull();
      expect(() => acquireDataDirLock(d, { role: 'cli', command: 'again' })).toThrow(/in use by process/);
    } finally {
      lock.release();
    }
    expect(existsSync(lock.file)).toBe(false);
  });

  it('refuses a live owner: the bilingual message names it', () => {
    const d = path.join(dir, 'b');
    // The parent of this worker is alive, and is who it says it is.
    writeFileSync(lockFileOf(d), JSON.stringify(owner({ pid: process.ppid, procStart: processStart(process.ppid) })));
    try {
      acquireDataDirLock(d, { role: 'cli', command: 'x' });
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('SYSTEM.DATA_DIR_BUSY');
      const text = (e as { text: { zh: string; en: string } }).text;
      expect(text.zh).toContain(`数据目录正被进程 ${process.ppid} 使用`);
      expect(text.en).toContain("stop the server or point the CLI at the server's API".replace('stop', 'Stop'));
    }
    expect(readLock(d)?.pid).toBe(process.ppid);
  });

  it('takes over the lock of a dead process and reports it as the previous owner', () => {
    const d = path.join(dir, 'c');
    const dead = owner({});
    writeFileSync(lockFileOf(d), JSON.stringify(dead));
    const lock = acquireDataDirLock(d, { role: 'server', command: 'server' });
    try {
      expect(lock.previous).toMatchObject({ pid: dead.pid });
      expect(readLock(d)?.pid).toBe(process.pid);
    } finally {
      lock.release();
    }
  });

  it('a pid now used by another process (other start time or boot) is not the owner', () => {
    const alive = process.ppid;
    expect(ownerAlive(owner({ pid: alive, procStart: processStart(alive) }))).toBe(true);
    expect(ownerAlive(owner({ pid: alive, procStart: '1' }))).toBe(false);
    expect(ownerAlive(owner({ pid: alive, bootId: 'another-boot' }))).toBe(false);
    // This very pid, in a lock this process does not hold: a previous life (a container's pid 1).
    expect(ownerAlive(owner({ pid: process.pid }))).toBe(false);
  });

  it('cannot judge another host’s process: refuses rather than takes over', () => {
    expect(ownerAlive(owner({ hostname: `not-${os.hostname()}` }))).toBe(true);
  });

  it('keepAsMarker puts the crashed owner back instead of removing the lock', () => {
    const d = path.join(dir, 'd');
    const dead = owner({});
    writeFileSync(lockFileOf(d), JSON.stringify(dead));
    const lock = acquireDataDirLock(d, { role: 'cli', command: 'audit verify' });
    lock.keepAsMarker();
    lock.release();
    expect(JSON.parse(readFileSync(lockFileOf(d), 'utf8'))).toMatchObject({ pid: dead.pid, startedAt: dead.startedAt });
  });
});

describe('openDatabase on a directory with a dead owner’s lock', () => {
  it('opens, warns, verifies the audit chain and records the unclean shutdown', async () => {
    const d = path.join(dir, 'db');
    await seededPgliteDir(d);
    const dead = owner({ role: 'server' });
    writeFileSync(lockFileOf(d), JSON.stringify(dead));
    const database = await openDatabase({ dataDir: d });
    const lines: string[] = [];
    try {
      expect(database.lock?.previous?.pid).toBe(dead.pid);
      const check = await checkOnStart(database, { who: 'server', log: (_l, m) => lines.push(m) });
      expect(check.unclean?.audit.broken).toBeNull();
      expect(lines.join('\n')).toContain(`数据目录上次未正常关闭（进程 ${dead.pid}`);
      const [entry] = await rows<{ after: { previous: { pid: number } } }>(database.db, sql`SELECT after FROM audit_log WHERE action = 'system.unclean_shutdown'`);
      expect(entry.after.previous.pid).toBe(dead.pid);
    } finally {
      await database.close();
    }
    expect(existsSync(lockFileOf(d))).toBe(false);
  });

  it('a broken chain after an unclean shutdown stops the server and keeps the marker', async () => {
    const d = path.join(dir, 'broken');
    await seededPgliteDir(d);
    const database = await openDatabase({ dataDir: d });
    // Break the chain as an attacker or a torn write would (the trigger refuses UPDATE: drop it for the test).
    await database.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await database.db.execute(sql`UPDATE audit_log SET action = 'tampered' WHERE id = (SELECT min(id) FROM audit_log)`);
    await database.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    await database.close();
    const dead = owner({ role: 'server' });
    writeFileSync(lockFileOf(d), JSON.stringify(dead));

    const reopened = await openDatabase({ dataDir: d });
    await expect(checkOnStart(reopened, { who: 'server', log: () => undefined })).rejects.toMatchObject({ code: 'SYSTEM.UNCLEAN_SHUTDOWN_BROKEN_CHAIN' });
    await reopened.close();
    expect(readLock(d)?.pid).toBe(dead.pid);

    // After investigation: RECOVERY_ACCEPT_BROKEN_CHAIN=true starts, and says so in the log.
    const accepted = await openDatabase({ dataDir: d });
    const check = await checkOnStart(accepted, { who: 'server', acceptBrokenChain: true, log: () => undefined });
    expect(check.unclean?.audit.broken).not.toBeNull();
    const [entry] = await rows<{ after: { acceptedBrokenChain: boolean } }>(accepted.db, sql`SELECT after FROM audit_log WHERE action = 'system.unclean_shutdown'`);
    expect(entry.after.acceptedBrokenChain).toBe(true);
    await accepted.close();
    expect(existsSync(lockFileOf(d))).toBe(false);
  });
});
