import { createReadStream, createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { type Config, loadConfig } from '../config.js';
import { type Database, migrateDatabase, openDatabase } from '../db/client.js';
import { liveOwner, type LockOwner } from '../db/lock.js';
import { checkOnStart } from '../ops/recovery.js';
import { AppError, messageOf } from '../errors.js';
import { type OperationName, type OperationProgress, runOperation } from '../modules/admin/admin.operations.js';
import type { OperationEvent } from '../modules/admin/admin.routes.js';
import { ADMIN_TOKEN_HEADER } from '../modules/auth/admin-token.js';
import { decodeWire } from '../modules/admin/wire.js';
import { ERRORS } from '../../shared/errors.js';

/**
 * Where a CLI command runs (issue 10). With DATABASE_URL: on PostgreSQL directly (many processes
 * are fine there). On the embedded database: when a live server holds the directory, inside that
 * server through its admin channel (`remote`); otherwise on the files, under the directory's lock
 * (`local`). A command that cannot go through a server is refused while one runs (the lock's
 * bilingual message).
 */
export type Target = { kind: 'local'; database: Database } | { kind: 'remote'; url: string; token: string; owner: LockOwner };

/** A failure message for the terminal: both languages for an AppError. */
export function cliMessage(e: unknown): string {
  if (e instanceof AppError) return `${messageOf(e.code, 'zh-CN', e.text)}\n${messageOf(e.code, 'en', e.text)}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Opens the configured database for a command: the directory's lock (refused while another
 * process holds it), migrations where asked (always on PGlite: the start checks need the schema),
 * the start checks of a sole owner (interrupted imports, unclean shutdown) and interruption.
 */
export async function openLocal(opts: { migrate?: boolean } = {}, config: Config = loadConfig()): Promise<Database> {
  const applicationName = `linkage-cli-${process.pid}`;
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: 4,
    limits: { statementTimeoutMs: config.CLI_STATEMENT_TIMEOUT_MINUTES * 60_000, idleInTransactionMs: 60_000, applicationName },
  });
  onInterrupt(database, applicationName);
  try {
    if (opts.migrate || database.kind === 'pglite') await migrateDatabase(database);
    if (database.kind === 'pglite') await checkOnStart(database, { who: 'cli' });
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
  return database;
}

/**
 * Ctrl-C or SIGTERM during a long statement (a recompute holding the ledger lock): on PostgreSQL
 * the command's own sessions are terminated from a second connection — the statement stops, its
 * transaction rolls back, the lock is free — before the process exits. A PGlite command exits at
 * once: the lock file it leaves says "not closed cleanly" and the next opener recovers and checks.
 */
let interrupted: NodeJS.Signals | null = null;

/** The signal that interrupted this command, if one did: its exit code wins over any error it caused. */
export function interruption(): NodeJS.Signals | null {
  return interrupted;
}

function onInterrupt(database: Database, applicationName: string) {
  // A signal that comes after the database closed has nothing left to interrupt: the work is done
  // and (PGlite) the lock file already says "closed cleanly". Exiting 143 then would report an
  // interruption that did not happen, so the command ends on its own with its own exit code.
  let closed = false;
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    closed = true;
  };
  const handler = (sig: NodeJS.Signals) => {
    if (interrupted || closed) return;
    interrupted = sig;
    console.error('已中断，正在取消数据库中正在执行的操作… / interrupted: cancelling the running statement…');
    const exit = () => process.exit(sig === 'SIGINT' ? 130 : 143);
    if (database.kind !== 'pg' || !database.url) return exit();
    terminateSessions(database.url, applicationName).then(exit, exit);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Ends the sessions of this command (its application_name) from a fresh connection. */
export async function terminateSessions(url: string, applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const r = await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName]);
    return r.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` on the command's target: remote when a live server holds the PGlite directory and
 * published its admin channel, local otherwise (closed afterwards).
 */
export async function withTarget<T>(fn: (t: Target) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    const owner = liveOwner(config.DATA_DIR);
    if (owner?.admin) {
      console.error(`经由运行中的服务器（进程 ${owner.pid}）执行 / running through the server (process ${owner.pid}) at ${owner.admin.url}`);
      return fn({ kind: 'remote', url: owner.admin.url, token: owner.admin.token, owner });
    }
  }
  const database = await openLocal(opts, config);
  try {
    return await fn({ kind: 'local', database });
  } finally {
    await database.close();
  }
}

export interface CallOptions {
  /** The operation's input file (uploaded to the server when remote). */
  file?: string;
  onLog?: (line: string) => void;
  onProgress?: (p: OperationProgress) => void;
}

/** Runs an admin operation on the target; the same result either way. */
export async function callOperation<R = unknown>(target: Target, name: OperationName, args: unknown, opts: CallOptions = {}): Promise<R> {
  const onLog = opts.onLog ?? ((l: string) => console.log(l));
  const onProgress = opts.onProgress ?? (() => undefined);
  if (target.kind === 'local') {
    return (await runOperation(name, args, { database: target.database, file: opts.file, log: onLog, progress: onProgress })) as R;
  }
  let fileId: string | undefined;
  if (opts.file) {
    const size = statSync(opts.file).size;
    const res = await request(target, 'POST', '/api/admin/files', { 'content-type': 'application/octet-stream', 'content-length': String(size) }, (req) => pipeline(createReadStream(opts.file!), req));
    fileId = (JSON.parse(await readAll(res)) as { fileId: string }).fileId;
  }
  const body = JSON.stringify({ args, ...(fileId ? { fileId } : {}) });
  const res = await request(target, 'POST', `/api/admin/ops/${encodeURIComponent(name)}`, { 'content-type': 'application/json' }, async (req) => {
    req.end(body);
  });
  let result: { value: unknown } | null = null;
  let buf = '';
  const handle = (line: string) => {
    if (!line.trim()) return;
    const ev = decodeWire<OperationEvent>(line);
    if ('log' in ev) onLog(ev.log);
    else if ('progress' in ev) onProgress(ev.progress as OperationProgress);
    else if ('result' in ev) result = { value: ev.result };
    else if ('error' in ev) throw new AppError(knownCode(ev.error.code), ev.error.details, { zh: ev.error.zh, en: ev.error.en });
  };
  res.setEncoding('utf8');
  for await (const chunk of res) {
    buf += chunk as string;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      handle(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  handle(buf);
  if (!result) throw new Error('服务器未返回结果（连接中断？）/ the server sent no result (connection lost?)');
  return (result as { value: unknown }).value as R;
}

/** Downloads a consistent backup from the server into `file`. */
export async function downloadBackup(target: Extract<Target, { kind: 'remote' }>, file: string): Promise<number> {
  const res = await request(target, 'GET', `/api/admin/backup?file=${encodeURIComponent(path.basename(file))}`, {}, async (req) => {
    req.end();
  });
  await pipeline(res, createWriteStream(file, { mode: 0o600 }));
  return statSync(file).size;
}

const knownCode = (code: string): AppError['code'] => (Object.hasOwn(ERRORS, code) ? (code as AppError['code']) : 'INTERNAL');

/** One request to the admin channel; a non-2xx answer becomes the server's error. */
function request(
  target: Extract<Target, { kind: 'remote' }>,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  send: (req: http.ClientRequest) => Promise<unknown>,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(urlPath, target.url), { method, headers: { ...headers, [ADMIN_TOKEN_HEADER]: target.token } }, (res) => {
      if ((res.statusCode ?? 500) < 300) return resolve(res);
      readAll(res).then((text) => {
        try {
          const err = (JSON.parse(text) as { error: { code: string; message: string } }).error;
          reject(new Error(`服务器拒绝 / the server refused (${res.statusCode} ${err.code}): ${err.message}`));
        } catch {
          reject(new Error(`服务器拒绝 / the server refused (${res.statusCode}): ${text.slice(0, 200)}`));
        }
      }, reject);
    });
    req.on('error', (e) => reject(new Error(`无法连接服务器 / cannot reach the server at ${target.url}: ${e.message}`)));
    send(req).catch(reject);
  });
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of res) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
