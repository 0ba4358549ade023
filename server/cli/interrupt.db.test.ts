import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DbOrTx, openDatabase, rows } from '../db/client.js';
import { verifyAuditChain } from '../modules/audit/audit.service.js';
import { verifyLedger } from '../modules/scoring/ledger.verify.js';
import { createTestDatabase } from '../test/harness.js';
import { type Child, childEnv, killChildren, seededPgliteDir, spawnTsx } from '../test/processes.js';

/**
 * Issue 10 (low): a CLI killed during a recompute left its statement running, holding the ledger
 * lock, for a minute. One ledger line is tampered with so that `settle --verify --repair` has a
 * sale to re-score; the re-scoring is made slow on purpose (a statement trigger that sleeps on
 * sale_scoring, which every scoring statement writes), the CLI is killed in the middle, and the
 * lock must be free within seconds: on SIGTERM the CLI ends its own sessions before exiting; on
 * kill -9 PostgreSQL notices the lost client (client_connection_check_interval) and rolls back.
 */
const LEDGER_LOCK = 7_301_002;
const SETTLE = ['settle', '--branch', '44100', '--month', '2026-10', '--verify', '--repair'];

let dir: string;
let pgDatabase: Database | undefined;
let pgliteDir: string | undefined;
let env: Record<string, string>;
let ledgerBefore = 0;

/** One ledger line of 佛山's October gains 1,000 points behind the triggers: repair must re-score its sale. */
async function tamper(db: DbOrTx) {
  await db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER USER`);
  await db.execute(sql`UPDATE ledger_entries SET points_hundredths = points_hundredths + 100000
    WHERE id = (SELECT min(e.id) FROM ledger_entries e JOIN org_nodes n ON n.id = e.node_id WHERE n.code = '44100' AND e.period = '2026-10-01' AND e.kind = 'allocation')`);
  await db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER USER`);
}

async function slowScoring(db: DbOrTx, seconds: number) {
  await db.execute(sql.raw(`CREATE OR REPLACE FUNCTION ops_test_slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(${seconds}); RETURN NULL; END $$ LANGUAGE plpgsql`));
  await db.execute(sql`CREATE TRIGGER ops_test_slow BEFORE INSERT ON sale_scoring FOR EACH STATEMENT EXECUTE FUNCTION ops_test_slow()`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-interrupt-'));
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    pgDatabase = await createTestDatabase();
    await slowScoring(pgDatabase.db, 120);
    env = childEnv({ DATABASE_URL: pgDatabase.url! });
  } else {
    pgliteDir = path.join(dir, 'pglite');
    await seededPgliteDir(pgliteDir);
    const database = await openDatabase({ dataDir: pgliteDir });
    await slowScoring(database.db, 4);
    await database.close();
    env = childEnv({ DATABASE_URL: undefined, DATA_DIR: pgliteDir });
  }
}, 180_000);

afterAll(async () => {
  await killChildren();
  await pgDatabase?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sessions holding the ledger lock (PostgreSQL). */
async function ledgerLockHolders(): Promise<number> {
  const [r] = await rows<{ n: number }>(
    pgDatabase!.db,
    // Sessions, not lock rows: a repair holds the key exclusive and, scoring inside, shared too (lockProvinces).
    sql`SELECT count(DISTINCT pid)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = ${LEDGER_LOCK} AND objsubid = 1`,
  );
  return r.n;
}

/** The CLI's own session is inside the slowed scoring statement (PostgreSQL). */
async function sleepingIn(child: Child): Promise<boolean> {
  const [r] = await rows<{ n: number }>(
    pgDatabase!.db,
    sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${`linkage-cli-${child.proc.pid}`} AND state = 'active' AND wait_event = 'PgSleep'`,
  );
  return r.n === 1;
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number, child?: Child): Promise<number> {
  const started = Date.now();
  while (!(await ok())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms\n${child ? JSON.stringify(child.output()) : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

/** PostgreSQL: the lock is free within seconds and no session of the CLI is left. */
async function pgReleased(child: Child) {
  const ms = await until('the ledger lock is released', async () => (await ledgerLockHolders()) === 0, 8_000);
  expect(ms).toBeLessThan(8_000);
  const client = new pg.Client({ connectionString: pgDatabase!.url });
  await client.connect();
  const left = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [`linkage-cli-${child.proc.pid}`]);
  await client.end();
  expect(left.rows[0].n).toBe(0);
}

/**
 * PGlite: the directory is intact — the audit chain verifies, the ledger is as before — and the
 * lock file tells the truth: a run that did not close the database left the unclean-shutdown
 * marker (its pid), one that closed it left nothing.
 */
async function pgliteIntact(child: Child, closedCleanly: boolean) {
  const database = await openDatabase({ dataDir: pgliteDir });
  try {
    if (closedCleanly) expect(database.lock?.previous).toBeNull();
    else expect(database.lock?.previous?.pid).toBe(child.proc.pid);
    expect((await verifyAuditChain(database.db)).broken).toBeNull();
    // Interrupted: nothing of the repair was written. Finished first: the repair committed whole.
    if (closedCleanly) expect((await verifyLedger(database.db, {})).ok).toBe(true);
    else expect(await ledgerCount(database.db)).toBe(ledgerBefore);
  } finally {
    await database.close();
  }
}

async function ledgerCount(db: DbOrTx): Promise<number> {
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ledger_entries`);
  return n;
}

/** Starts `settle --verify --repair` and waits until it is inside the (slowed) scoring statement. */
async function recomputing(): Promise<Child> {
  // Each run gets a difference to repair (an earlier run may have repaired the last one).
  if (pgDatabase) {
    await tamper(pgDatabase.db);
  } else {
    const database = await openDatabase({ dataDir: pgliteDir });
    await tamper(database.db);
    ledgerBefore = await ledgerCount(database.db);
    await database.close();
  }
  const child = spawnTsx('server/cli/main.ts', SETTLE, env);
  if (pgDatabase) {
    // The lock is taken before the slowed statement starts: wait for both, or a loaded machine
    // catches the session idle in its transaction between the two.
    await until('the CLI holds the ledger lock inside its recompute', async () => (await ledgerLockHolders()) === 1 && (await sleepingIn(child)), 120_000, child);
  } else {
    await child.waitFor(/逐笔核对/, 120_000);
    await new Promise((r) => setTimeout(r, 500));
  }
  return child;
}

describe('a CLI interrupted during a recompute', () => {
  it('SIGTERM: on PostgreSQL it ends its own sessions and exits 143, the ledger lock free at once; on PGlite the directory stays intact', async () => {
    const child = await recomputing();
    try {
      await interruptedBySigterm(child);
    } finally {
      if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    }
  }, 240_000);

  it('kill -9: PostgreSQL notices the lost client and rolls back within seconds; PGlite recovers on the next open', async () => {
    const child = await recomputing();
    child.proc.kill('SIGKILL');
    await child.exited;
    if (pgDatabase) await pgReleased(child);
    else await pgliteIntact(child, false);
  }, 240_000);
});

describe('a signal that comes after the command closed its database', () => {
  // CI once sent SIGTERM just as a PGlite run finished: the handler exited 143 after the lock file
  // had been removed, so the exit code said "interrupted, not closed" while the files said "closed".
  it('interrupts nothing: the command ends on its own, exit 0, and (PGlite) the lock file says closed cleanly', async () => {
    const script = `const { openLocal } = await import('./server/cli/target.ts');
      const database = await openLocal();
      await database.close();
      process.kill(process.pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      console.log('ended on its own');`;
    const child = spawnTsx('--input-type=module', ['-e', script], env);
    const end = await child.exited;
    expect(end.stderr).not.toContain('interrupted');
    expect({ code: end.code, signal: end.signal, stdout: end.stdout.trim() }).toEqual({ code: 0, signal: null, stdout: 'ended on its own' });
    if (pgliteDir) {
      const database = await openDatabase({ dataDir: pgliteDir });
      try {
        expect(database.lock?.previous).toBeNull();
      } finally {
        await database.close();
      }
    }
  }, 120_000);
});

async function interruptedBySigterm(child: Child) {
  if (pgDatabase) {
    // Its session is named (the SETs of its limits ran) and busy in the slowed statement …
    const client = new pg.Client({ connectionString: pgDatabase.url });
    await client.connect();
    const r = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`, [`linkage-cli-${child.proc.pid}`]);
    await client.end();
    expect(r.rows[0].n).toBe(1);
    // … and such a session has the CLI's limits: statement and idle-in-transaction timeouts, client check.
    const probe = await openDatabase({ url: pgDatabase.url, poolSize: 1, limits: { statementTimeoutMs: 3_600_000, idleInTransactionMs: 60_000, applicationName: 'linkage-cli-probe' } });
    try {
      const [set] = await rows<{ st: string; idle: string; check: string; app: string }>(
        probe.db,
        sql`SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle,
                     current_setting('client_connection_check_interval') AS check, current_setting('application_name') AS app`,
      );
      expect(set).toEqual({ st: '1h', idle: '1min', check: '2s', app: 'linkage-cli-probe' });
    } finally {
      await probe.close();
    }
  }
  child.proc.kill('SIGTERM');
  const end = await child.exited;
  if (pgDatabase) {
    expect(end.code, end.stderr).toBe(143);
    expect(end.stderr).toContain('interrupted: cancelling the running statement');
    await pgReleased(child);
  } else {
    // PGlite runs a statement synchronously inside this process: a signal is seen only between
    // statements. Either the handler ran (exit 143, database left as a crash would leave it),
    // or the run got to its end first and closed cleanly (exit 0). Both are safe.
    expect([0, 143], end.stderr).toContain(end.code);
    if (end.code === 143) expect(end.stderr).toContain('interrupted: cancelling the running statement');
    await pgliteIntact(child, end.code === 0);
  }
}
