import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { scoringStatement } from './ledger.sql.js';
import { periodEnd } from './scoring.rules.js';

/** One advisory-lock key serialises ledger writers, across processes (no double reversal). */
const LEDGER_LOCK = 7_301_002;

export interface ScoreResult {
  /** Ledger rows written (reversals + new entries). */
  entries: number;
  reversed: number;
  written: number;
  /** Sales whose points changed (and got new entries). */
  sales: number;
}

async function scoreWhere(db: DbOrTx, filter: SQL): Promise<ScoreResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
    // One big statement: sorts in memory, and no JIT (its compile time exceeds its gain here).
    await tx.execute(sql`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`);
    const [r] = await rows<{ reversed: number; written: number; sales: number }>(tx, scoringStatement(filter));
    const reversed = Number(r.reversed);
    const written = Number(r.written);
    return { entries: reversed + written, reversed, written, sales: Number(r.sales) };
  });
}

/**
 * Scores the given sales into the points ledger (SPEC §7, §8). Call it in the same transaction
 * that records the sales. Idempotent: a sale whose points have not changed writes nothing; a
 * changed one gets a reversal of its old net and new entries (never an UPDATE or DELETE).
 */
export async function scoreSales(tx: DbOrTx, saleIds: number[]): Promise<ScoreResult> {
  const ids = [...new Set(saleIds)].filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return { entries: 0, reversed: 0, written: 0, sales: 0 };
  // One text parameter cast to int[]: no limit on the number of ids.
  return scoreWhere(tx, sql`s.id = ANY(${`{${ids.join(',')}}`}::int[])`);
}

/**
 * Re-scores every sale of one branch's month in one transaction (after a score, split rule or
 * development figure changed). Running it twice writes nothing the second time.
 */
export async function recomputePeriod(db: DbOrTx, opts: { nodeId: number; period: string }): Promise<ScoreResult> {
  return scoreWhere(db, sql`s.node_id = ${opts.nodeId} AND s.sale_date BETWEEN ${opts.period}::date AND ${periodEnd(opts.period)}::date`);
}

/**
 * Scores the sales matching a condition on `s` (the sales table) — for bulk paths that stage new
 * sales in a table, e.g. sql`s.id IN (SELECT id FROM staged)`. Same rules and guarantees.
 */
export async function scoreSalesWhere(db: DbOrTx, filter: SQL): Promise<ScoreResult> {
  return scoreWhere(db, filter);
}

/** Re-scores every sale of every period (province-wide batch, benchmark). */
export async function recomputeAll(db: DbOrTx): Promise<ScoreResult> {
  return scoreWhere(db, sql`true`);
}
