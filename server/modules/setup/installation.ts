import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';

/**
 * What kind of database this is, read from the audit chain (append-only, hash-linked, so it cannot
 * be edited into the other kind): the demo bank's seed writes `seed.demo_bank`, a clean install's
 * first administrator `setup.bank`. The first of the two in the chain decides.
 */
export const DEMO_BANK_ACTION = 'seed.demo_bank';
export const SETUP_ACTION = 'setup.bank';

/** One advisory-lock key: two first runs at once (CLI and console), or a first run and the demo seed — one wins. */
const INSTALL_LOCK = 7_301_023;

/** Serialises whoever fills an empty database (setup, the demo seed) until the caller's transaction ends. */
export async function lockInstallation(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${INSTALL_LOCK})`);
}

export interface Installation {
  /** Some user (or org node) exists: the first-run setup is closed. */
  installed: boolean;
  /** The database holds the demo bank (its published password works here). */
  demo: boolean;
}

export async function installationState(db: DbOrTx): Promise<Installation> {
  // A database never migrated (db:reset's first run) has neither table: nothing is installed.
  const [t] = await rows<{ ready: boolean }>(db, sql`SELECT to_regclass('public.staff') IS NOT NULL AND to_regclass('public.audit_log') IS NOT NULL AS ready`);
  if (!t.ready) return { installed: false, demo: false };
  const [r] = await rows<{ users: boolean; mark: string | null }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM org_nodes) AS users,
               (SELECT action FROM audit_log WHERE action IN (${DEMO_BANK_ACTION}, ${SETUP_ACTION}) ORDER BY seq LIMIT 1) AS mark`,
  );
  return { installed: r.users, demo: r.mark === DEMO_BANK_ACTION };
}

/**
 * The demo loaders' guard (seed, db:reset, a start with SEED_DEMO): refuses a database that has
 * users and is not the demo bank, so the demo's published password never reaches real data.
 */
export async function assertDemoAllowed(db: DbOrTx): Promise<void> {
  const state = await installationState(db);
  if (state.installed && !state.demo) throw new AppError('SETUP.REAL_USERS');
}
