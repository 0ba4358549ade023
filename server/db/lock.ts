import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';

/**
 * One process per PGlite data directory (issue 10, finding 3). PGlite is PostgreSQL in WASM with
 * no postmaster: two processes on one directory write the same files with two buffer caches and
 * destroy it. Node has no flock, so the lock is a file created atomically (`open(…, 'wx')`) beside
 * the directory — `<dataDir>.lock`, outside what PGlite reads and what a backup copies.
 *
 * The lock file is also the unclean-shutdown marker: it is removed only after the database was
 * closed cleanly. Found at start with a dead owner, the previous owner crashed (or was killed) and
 * the next opener takes it over, reports it and checks the database (`recovery.ts`).
 */

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Linux boot id and the owner's start time in clock ticks: a pid reused later is not the owner. */
  bootId: string | null;
  procStart: string | null;
  /** What holds it: the server, or a command line run. */
  role: 'server' | 'cli';
  command: string;
  /** Set by a listening server: where and with what token the CLI reaches its admin endpoints. */
  admin?: { url: string; token: string };
}

export interface DataDirLock {
  file: string;
  owner: LockOwner;
  /** The owner found dead in the lock file when this process took it: an unclean shutdown. */
  previous: LockOwner | null;
  /** Rewrites the lock (mode 0600) with the admin endpoint of a listening server. */
  setAdmin(admin: LockOwner['admin']): void;
  /** Removes the lock if it is still this process's. Call only after the database closed cleanly. */
  release(): void;
  /**
   * Forgets the lock in this process but leaves the file: the database did not open or close
   * cleanly, so the next opener must see an unclean shutdown (once this process is gone).
   */
  abandon(): void;
  /**
   * Makes release() put the crashed owner back instead of removing the file: the damage found
   * must stop the next server start too.
   */
  keepAsMarker(): void;
}

/** `<dataDir>.lock`: beside the directory, never inside it. */
export function lockFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Locks this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function bootId(): string | null {
  return readText('/proc/sys/kernel/random/boot_id');
}

/** Field 22 of /proc/<pid>/stat (start time since boot); null where there is no /proc. */
export function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19] ?? null;
}

function selfOwner(role: LockOwner['role'], command: string): LockOwner {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    bootId: bootId(),
    procStart: processStart(process.pid),
    role,
    command,
  };
}

/** The owner written in a lock file, or null when there is none or it cannot be parsed. */
export function readLock(dataDir: string): LockOwner | null {
  return parseOwner(readText(lockFileOf(dataDir)));
}

function parseOwner(text: string | null): LockOwner | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isSafeInteger(o.pid) && typeof o.hostname === 'string' ? o : null;
  } catch {
    return null;
  }
}

/**
 * Whether the owner is a running process. Another host's process cannot be checked: it counts as
 * alive (refusing is safe, taking over is not). A pid that exists but started at another time or
 * before another boot was reused (a container restarting as pid 1): the owner is gone.
 */
export function ownerAlive(owner: LockOwner, file?: string): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (owner.pid === process.pid) return file !== undefined && held.has(file);
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  const started = processStart(owner.pid);
  if (owner.procStart && started && owner.procStart !== started) return false;
  return true;
}

/** The live owner of a data directory, or null (no lock, or its owner is gone). */
export function liveOwner(dataDir: string): LockOwner | null {
  const file = lockFileOf(dataDir);
  const owner = parseOwner(readText(file));
  return owner && ownerAlive(owner, file) ? owner : null;
}

/** Refusal of a directory someone else holds, in both languages (SYSTEM.DATA_DIR_BUSY). */
export function busyError(dataDir: string, owner: LockOwner): AppError {
  const dir = path.resolve(dataDir);
  const who = owner.role === 'server' ? '服务器' : `命令行（${owner.command}）`;
  const whoEn = owner.role === 'server' ? 'the server' : `a command line run (${owner.command})`;
  return new AppError(
    'SYSTEM.DATA_DIR_BUSY',
    { dataDir: dir, pid: owner.pid, hostname: owner.hostname, role: owner.role, startedAt: owner.startedAt },
    {
      zh: `数据目录正被进程 ${owner.pid} 使用（${who}，主机 ${owner.hostname}，启动于 ${owner.startedAt}）：${dir}。本进程未打开该目录，未做任何修改。请先停止该进程，或让命令行通过服务器的接口执行（服务器运行时，audit verify、settle、import、sales import、backup 会自动经由服务器执行）。`,
      en: `The data directory is in use by process ${owner.pid} (${whoEn} on ${owner.hostname}, started ${owner.startedAt}): ${dir}. Nothing was opened or changed. Stop the server or point the CLI at the server's API (with the server running, audit verify, settle, import, sales import and backup go through it automatically).`,
    },
  );
}

function writeOwner(fd: number, owner: LockOwner) {
  writeSync(fd, `${JSON.stringify(owner)}\n`);
  fsyncSync(fd);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `fn` holding `<lock>.takeover`, so two processes finding the same stale lock do not both
 * remove it (one could remove the other's fresh lock). A guard left by a process that died inside
 * this window of microseconds is older than a few seconds and is removed.
 */
function underTakeoverGuard(file: string, fn: () => void) {
  const guard = `${file}.takeover`;
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(guard, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(guard).mtimeMs > 5_000) unlinkSync(guard);
      } catch {
        /* gone already */
      }
      if (i > 100) throw new Error(`cannot take the lock guard ${guard}`, { cause: e });
      sleep(50);
    }
  }
  try {
    fn();
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Takes the data directory for this process BEFORE anything opens it. A live owner → AppError
 * SYSTEM.DATA_DIR_BUSY and nothing touched; a dead owner → taken over, reported in `previous`.
 */
export function acquireDataDirLock(dataDir: string, opts: { role: LockOwner['role']; command: string }): DataDirLock {
  const file = lockFileOf(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  let previous: LockOwner | null = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (held.has(file)) throw busyError(dataDir, parseOwner(readText(file)) ?? selfOwner(opts.role, opts.command));
    const owner = selfOwner(opts.role, opts.command);
    let fd: number | null = null;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== null) {
      try {
        writeOwner(fd, owner);
      } finally {
        closeSync(fd);
      }
      held.add(file);
      return makeLock(file, owner, previous);
    }
    let text: string | null;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again
      // Another OS user's lock (mode 0600): its owner cannot be judged, so it is not ours to take.
      throw new AppError(
        'SYSTEM.DATA_DIR_BUSY',
        { dataDir: path.resolve(dataDir), lockFile: file },
        {
          zh: `数据目录的锁文件 ${file} 无法读取（${(e as NodeJS.ErrnoException).code}），可能正被其他系统用户的进程使用；本进程未打开该目录。请以运行服务器的用户执行命令。`,
          en: `The data directory's lock ${file} cannot be read (${(e as NodeJS.ErrnoException).code}); another OS user's process may hold it. Nothing was opened. Run the command as the user that runs the server.`,
        },
      );
    }
    const found = parseOwner(text);
    if (found && ownerAlive(found, file)) throw busyError(dataDir, found);
    if (!found) {
      // Created this instant and not written yet — or garbage left by a crash mid-write.
      let age: number;
      try {
        age = Date.now() - statSync(file).mtimeMs;
      } catch {
        continue; // gone: try again
      }
      if (age < 2_000) {
        sleep(100);
        continue;
      }
    }
    underTakeoverGuard(file, () => {
      // Still the same stale content? Then it is ours to remove; otherwise someone was quicker.
      if (readText(file) === text) {
        unlinkSync(file);
        previous = found ?? { pid: 0, hostname: os.hostname(), startedAt: 'unknown', bootId: null, procStart: null, role: 'cli', command: 'unknown' };
      }
    });
  }
  throw new Error(`could not take the lock ${file}`);
}

/**
 * Written beside and renamed over: the lock never disappears, and a token in it is never readable
 * by others (0600 from the first byte).
 */
function writeAtomically(file: string, owner: LockOwner) {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeOwner(fd, owner);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function makeLock(file: string, owner: LockOwner, previous: LockOwner | null): DataDirLock {
  let current = owner;
  let keep = false;
  const mine = () => {
    const on = parseOwner(readText(file));
    return on !== null && on.pid === owner.pid && on.startedAt === owner.startedAt;
  };
  return {
    file,
    owner,
    previous,
    setAdmin(admin) {
      if (!mine()) throw new Error(`the lock ${file} is no longer held by this process`);
      current = { ...current, admin };
      writeAtomically(file, current);
    },
    release() {
      if (!held.has(file)) return;
      held.delete(file);
      if (!mine()) return;
      // Kept as the marker: the crashed owner goes back in, as if this process never came.
      if (keep && previous) writeAtomically(file, previous);
      else unlinkSync(file);
    },
    keepAsMarker() {
      keep = true;
    },
    abandon() {
      held.delete(file);
    },
  };
}
