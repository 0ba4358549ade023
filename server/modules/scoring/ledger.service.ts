import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { liftStatementTimeout } from '../../db/limits.js';
import { firstScoringStatement } from './first-scoring.sql.js';
import { frozenStates, scoringStatement, staleSalesStatement } from './ledger.sql.js';
import { inProvinceOf } from './province.sql.js';
import { periodEnd } from './scoring.rules.js';
import { clock } from '../../calendar/index.js';

/**
 * Ledger writers are serialised by advisory locks, across processes (no double reversal). The
 * bank-wide key: exclusive for what spans provinces (a repair, a completion recount), shared by
 * the scorers of single provinces.
 */
export const LEDGER_LOCK = 7_301_002;
/** With a province id, the two-key lock of that province's scorers (issue 17 goal 6). */
export const LEDGER_PROVINCE_LOCK = 7_301_003;

/** Takes the whole ledger's lock for the rest of the transaction: no province is being scored meanwhile. */
export async function lockLedger(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
}

/**
 * Takes the ledger's lock for these provinces only, for the rest of the transaction: scorers of
 * other provinces go on at the same time (a national bank's provinces import their months in
 * parallel), scorers of the same province wait, and a bank-wide holder (lockLedger) waits for all
 * and is waited for. Provinces are taken in ascending order, so two scorers never wait on each other.
 * Safe because a province's scoring reads and writes only that province's rows (province.sql.ts)
 * and a sale's province never changes.
 */
export async function lockProvinces(tx: DbOrTx, provinces: readonly number[]): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${LEDGER_LOCK})`);
  for (const p of [...new Set(provinces)].sort((a, b) => a - b)) await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_PROVINCE_LOCK}::int, ${p}::int)`);
}

export interface ScoreResult {
  /** Ledger rows written (reversals + new entries). */
  entries: number;
  reversed: number;
  written: number;
  /** Sales whose points changed (and got new entries). */
  sales: number;
}

/** `today` (Beijing, YYYY-MM-DD) decides the open month that lines of frozen months go to. */
export interface ScoreOptions {
  today?: string;
  /**
   * An objection upheld inside the publication window corrects the published month itself (the
   * notice gets a new version); every other change of a published month is an adjustment.
   */
  upheldObjection?: boolean;
  /**
   * Always the general statement, even for sales never scored (tests compare it with the first
   * scoring's fast path).
   */
  general?: boolean;
}

/**
 * Whether every sale matched by `filter` is new to the ledger: its id above every sale id the
 * ledger and sale_scoring know (two index look-ups), so it has no line to reverse and no key.
 * Sale ids only grow (an identity), so an import's new sales always are; anything else takes the
 * general statement, which is right for every sale.
 */
async function allNew(tx: DbOrTx, filter: SQL): Promise<boolean> {
  const [r] = await rows<{ fresh: boolean }>(
    tx,
    sql`SELECT coalesce((SELECT min(s.id) FROM sales s WHERE ${filter})
                 > greatest((SELECT max(sale_id) FROM ledger_entries), (SELECT max(sale_id) FROM sale_scoring), 0), false) AS fresh`,
  );
  return r.fresh === true;
}

/**
 * The provinces of the sales matched by `filter`, in order. A sale's province never changes
 * (0039: its branch cannot move to another province), so this is where its lines and totals live.
 */
async function provincesOf(tx: DbOrTx, filter: SQL): Promise<number[]> {
  const list = await rows<{ p: number }>(tx, sql`SELECT DISTINCT s.province_id AS p FROM sales s WHERE ${filter} ORDER BY 1`);
  return list.map((r) => Number(r.p));
}

async function scoreWhere(db: DbOrTx, filter: SQL, opts: ScoreOptions & { onlyStale?: boolean; longJob?: boolean } = {}): Promise<ScoreResult> {
  const openFrom = `${(opts.today ?? clock.today()).slice(0, 7)}-01`;
  return db.transaction(async (tx) => {
    const provinces = await provincesOf(tx, filter);
    await lockProvinces(tx, provinces);
    // A recompute is a batch job, not a request: once it holds the lock (a wait that stays under
    // the request's statement timeout), its statements may run as long as they need (0018).
    if (opts.longJob) await liftStatementTimeout(tx);
    // One big statement: sorts in memory, and no JIT (its compile time exceeds its gain here).
    await tx.execute(sql`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`);
    const frozen = frozenStates({ upheldObjection: opts.upheldObjection });
    // Sales never scored (an import's): the set-based first scoring, no reversal search (0045).
    // Decided once for the whole set: scoring one province's new sales adds no line to another's.
    const first = !opts.onlyStale && !opts.general && (await allNew(tx, filter));
    const total: ScoreResult = { entries: 0, reversed: 0, written: 0, sales: 0 };
    // One statement per province (goal 6 of issue 17, province.sql.ts): each reads and writes
    // one province's rows only, which Citus routes to one worker.
    for (const province of provinces) {
      const inIt = inProvinceOf(filter, province);
      let target = inIt;
      if (opts.onlyStale) {
        // A recompute re-allocates only the sales whose rule key moved since they were scored
        // (decision 0013); everything else would reproduce its lines exactly.
        await tx.execute(sql`CREATE TEMP TABLE IF NOT EXISTS stale_sales (sale_id int PRIMARY KEY) ON COMMIT DELETE ROWS`);
        await tx.execute(sql`DELETE FROM stale_sales`);
        await tx.execute(sql`INSERT INTO stale_sales ${staleSalesStatement(inIt, province)}`);
        const [{ n }] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM stale_sales`);
        if (Number(n) === 0) continue;
        await tx.execute(sql`ANALYZE stale_sales`);
        target = sql`s.id IN (SELECT sale_id FROM stale_sales) AND s.province_id = ${province}::int`;
      }
      const statement = first ? firstScoringStatement(target, openFrom, frozen, province) : scoringStatement(target, openFrom, frozen, province);
      const [r] = await rows<{ reversed: number; written: number; sales: number }>(tx, statement);
      total.reversed += Number(r.reversed);
      total.written += Number(r.written);
      total.sales += Number(r.sales);
    }
    total.entries = total.reversed + total.written;
    return total;
  });
}

/**
 * Scores the given sales into the points ledger (SPEC §7, §8). Call it in the same transaction
 * that records the sales. Idempotent: a sale whose points have not changed writes nothing; a
 * changed one gets a reversal of its old net and new entries (never an UPDATE or DELETE).
 */
export async function scoreSales(tx: DbOrTx, saleIds: number[], opts: ScoreOptions = {}): Promise<ScoreResult> {
  const ids = [...new Set(saleIds)].filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return { entries: 0, reversed: 0, written: 0, sales: 0 };
  // One text parameter cast to int[]: no limit on the number of ids.
  return scoreWhere(tx, sql`s.id = ANY(${`{${ids.join(',')}}`}::int[])`, opts);
}

/**
 * Re-scores every sale of one branch's month in one transaction (after a score, split rule or
 * development figure changed). Running it twice writes nothing the second time. `everySale`
 * re-allocates all of them, not only those whose rule key moved. Neither is a check: both trust
 * the ledger's nets (a tampered line would be reversed and the totals left wrong) — verify
 * first with ledger.verify.ts, repair with ledger.repair.ts (decision 0016).
 */
export async function recomputePeriod(db: DbOrTx, opts: ScoreOptions & { nodeId: number; period: string; everySale?: boolean }): Promise<ScoreResult> {
  return scoreWhere(db, sql`s.node_id = ${opts.nodeId} AND s.sale_date BETWEEN ${opts.period}::date AND ${periodEnd(opts.period)}::date`, {
    onlyStale: !opts.everySale,
    today: opts.today,
    longJob: true,
  });
}

/**
 * Scores the sales matching a condition on `s` (the sales table) — for bulk paths that stage new
 * sales in a table, e.g. sql`s.id IN (SELECT id FROM staged)`. Same rules and guarantees.
 */
export async function scoreSalesWhere(db: DbOrTx, filter: SQL, opts: ScoreOptions = {}): Promise<ScoreResult> {
  return scoreWhere(db, filter, opts);
}

/**
 * Re-scores every sale of every period (province-wide batch, benchmark). By default only the
 * sales whose rule key changed are re-allocated; `everySale` re-allocates every sale and appends
 * whatever differs from the ledger. It writes: the read-only check is ledger.verify.ts.
 */
export async function recomputeAll(db: DbOrTx, opts: ScoreOptions & { everySale?: boolean } = {}): Promise<ScoreResult> {
  return scoreWhere(db, sql`true`, { ...opts, onlyStale: !opts.everySale, longJob: true });
}
