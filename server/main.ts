import type { AddressInfo } from 'node:net';
import { databaseOptions, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { prepareDatabase } from './ops/prepare.js';
import { checkOnStart } from './ops/recovery.js';
import { buildApp } from './app.js';
import { AppError, messageOf } from './errors.js';
import { type JobRunner, startJobRunner } from './jobs/runner.js';
import { newAdminToken } from './modules/auth/admin-token.js';
import { installationState } from './modules/setup/installation.js';

/**
 * Boots the server: config → database (its directory locked; migrated; demo bank on first start)
 * → start checks (interrupted imports, unclean shutdown) → HTTP → the admin channel for the CLI.
 */
const config = loadConfig();

/** A refusal in both languages, then a non-zero exit. */
function stop(e: unknown): never {
  if (e instanceof AppError) console.error(`${messageOf(e.code, 'zh-CN', e.text)}\n${messageOf(e.code, 'en', e.text)}`);
  else console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
}

let database: Database;
let seeded = false;
if (config.DATABASE_URL) {
  // Migrations, the first start's demo bank and the start checks are long jobs: they run on a
  // pool of their own without the request limits (decision 0018); requests get the limited pool.
  try {
    const setup = await openDatabase({ url: config.DATABASE_URL, poolSize: 2 });
    try {
      seeded = await prepareDatabase(setup, config);
      await checkOnStart(setup, { who: 'server', acceptBrokenChain: config.RECOVERY_ACCEPT_BROKEN_CHAIN });
    } finally {
      await setup.close();
    }
    database = await openDatabase({ url: config.DATABASE_URL, ...databaseOptions(config) });
  } catch (e) {
    stop(e);
  }
} else {
  try {
    // A second process on the same PGlite directory is refused here, before it reads a byte.
    // PGlite has one connection and no statement timeout: the gate in front of it is idle at start.
    database = await openDatabase({ dataDir: config.DATA_DIR, owner: { role: 'server', command: 'server' }, ...databaseOptions(config) });
  } catch (e) {
    stop(e);
  }
  try {
    seeded = await prepareDatabase(database, config);
    await checkOnStart(database, { who: 'server', acceptBrokenChain: config.RECOVERY_ACCEPT_BROKEN_CHAIN });
  } catch (e) {
    await database.close().catch(() => undefined);
    stop(e);
  }
}

// The CLI reaches a PGlite server through its admin channel (it cannot open the files).
const adminToken = database.kind === 'pglite' ? newAdminToken() : undefined;
const app = await buildApp(database, config, { adminToken });
let jobs: JobRunner | null = null;

// Registered before the start line: a supervisor may stop the server the moment it sees it.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, async () => {
    await jobs?.stop();
    await app.close();
    // A clean close removes the data directory's lock: the next start sees a clean shutdown.
    await database.close();
    process.exit(0);
  });
}
try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (e) {
  // The port is taken, say: close the database cleanly so the next start is not "unclean".
  await app.close().catch(() => undefined);
  await database.close().catch(() => undefined);
  stop(e);
}
const port = (app.server.address() as AddressInfo).port;
if (adminToken && database.lock) {
  const host = loopbackFor(config.HOST);
  if (host) database.lock.setAdmin({ url: `http://${host}:${port}`, token: adminToken });
  else app.log.warn(`HOST=${config.HOST} is not reachable from loopback: the CLI cannot reach this server; stop it to run commands`);
}
// Scheduled work (monthly publication, publication windows): safe with several processes.
jobs = config.JOBS_ENABLED ? startJobRunner(database.db, { intervalSeconds: config.JOBS_INTERVAL_SECONDS, log: (msg, detail) => app.log.info({ detail }, msg) }) : null;

// SEED_DEMO on a bank's real database loads nothing (issue 18): say so rather than stay silent.
if (config.SEED_DEMO && !seeded) {
  const installed = await installationState(database.db);
  if (installed.installed && !installed.demo) app.log.warn('SEED_DEMO=true 已忽略：本库已有正式用户，不载入演示数据 / SEED_DEMO=true ignored: this database has real users; no demo data is loaded');
}
const where = database.kind === 'pg' ? 'PostgreSQL' : `PGlite (${config.DATA_DIR})`;
// Where it listens, said plainly: the default 0.0.0.0 is every interface, not only this machine.
const everywhere = config.HOST === '0.0.0.0' || config.HOST === '::';
const listening = `${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}${everywhere ? '（所有网卡 / all interfaces）' : ''}`;
console.log(`Linkage 已启动 / started: http://localhost:${port}  监听 / listening on ${listening}  数据库 / database: ${where}${seeded ? '  已载入演示银行 / demo bank loaded' : ''}`);

/** The loopback address of a listen host, or null when the server does not listen on one. */
function loopbackFor(host: string): string | null {
  if (['0.0.0.0', '::', 'localhost', '127.0.0.1'].includes(host) || host.startsWith('127.')) return host.startsWith('127.') ? host : '127.0.0.1';
  if (host === '::1') return '[::1]';
  return null;
}
