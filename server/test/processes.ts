import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { PGLITE_EXTENSIONS } from '../db/client.js';
import { readLock } from '../db/lock.js';

/**
 * Real processes for the tests of issue 10 (two processes on one directory, a server killed with
 * -9, the CLI against a running server): the server and the CLI as `npm start` / `npm run cli`
 * run them. Every child is killed by killChildren() (call it in afterAll).
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const children = new Set<ChildProcess>();

/** A file-backed PGlite directory holding the seeded demo bank of this test run. */
export async function seededPgliteDir(dir: string): Promise<void> {
  const client = new PGlite(dir, { loadDataDir: new Blob([new Uint8Array(readFileSync(inject('pgliteDump')))]), extensions: PGLITE_EXTENSIONS });
  await client.waitReady;
  await client.close();
}

/** The environment of a child: this one's, minus test variables, plus `extra` (undefined removes). */
export function childEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: 'false', JOBS_ENABLED: 'false', WEB_DIST: './web/dist-none', ...extra };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && !k.startsWith('VITEST')) out[k] = v;
  return out;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  proc: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when the output matches, rejects when the process ends first or time runs out. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<Finished>;
}

export function spawnTsx(script: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  proc.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const l of listeners) l();
  });
  proc.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<Finished>((resolve) =>
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      // The pipes may still hold the last lines.
      setImmediate(() => {
        resolve({ code, signal, stdout, stderr });
        for (const l of listeners) l();
      });
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    proc,
    output: () => ({ stdout, stderr }),
    exited,
    waitFor(re, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(stdout) || re.test(stderr)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (ended) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process ended before ${re}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${re}:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/** `npm run cli -- <args>` to its end. */
export function runCli(args: string[], env: Record<string, string>): Promise<Finished> {
  return spawnTsx('server/cli/main.ts', args, env).exited;
}

/** `npm start` (server only) on a data directory, on a free port; ready once its admin channel is published. */
export async function startServer(env: Record<string, string>, dataDir?: string): Promise<Child & { port: number }> {
  const child = spawnTsx('server/main.ts', [], { ...env, PORT: '0', HOST: '127.0.0.1' });
  await child.waitFor(/Linkage 已启动/);
  const port = Number(/http:\/\/localhost:(\d+)/.exec(child.output().stdout)![1]);
  if (dataDir) {
    // The lock is rewritten with the admin channel right after listen, before the start line.
    const owner = readLock(dataDir);
    if (!owner?.admin) throw new Error(`the server published no admin channel in its lock: ${JSON.stringify(owner)}`);
  }
  return Object.assign(child, { port });
}

/** Kills every child still running (afterAll). */
export async function killChildren(): Promise<void> {
  const waits = [...children].map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : (c.once('exit', r), c.kill('SIGKILL')))));
  await Promise.all(waits);
}
