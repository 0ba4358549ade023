import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from './client.js';
import { today } from '../calendar/index.js';
import { AppError } from '../errors.js';

/**
 * The month partitions of the sales, the ledger and the maintained totals (migrations 0048 and 0049,
 * decision 0042).
 * The SQL functions do the work (one advisory key serialises them across instances); this is the
 * application's edge: which months to keep made, and the guard on an archived year's reads (the
 * audited detach and attach are ops/archive.ts).
 */
export const MONTH_PARTITIONED = ['sales', 'ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals'] as const;

/** The column each is partitioned on: the month a sale is dated in, the month a figure is written in. */
export const PARTITION_COLUMN: Record<(typeof MONTH_PARTITIONED)[number], 'sale_date' | 'period'> = {
  sales: 'sale_date',
  ledger_entries: 'period',
  statement_totals: 'period',
  product_points_totals: 'period',
  completion_totals: 'period',
};

/** The first day of the month `offset` months from `day` (YYYY-MM-DD), as YYYY-MM-DD. */
export function monthFrom(day: string, offset: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + offset;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-01`;
}

/**
 * Makes every missing month partition from `first` to `last` (none when null), and the month of
 * any row waiting in a DEFAULT partition (moved into its month). Returns how many it made.
 */
export async function ensureMonths(db: DbOrTx, first: string | null, last: string | null): Promise<number> {
  const [r] = await rows<{ made: number }>(db, sql`SELECT linkage_ensure_months(${first}::date, ${last}::date) AS made`);
  return r.made;
}

/**
 * The window kept made — the month before `today` (Beijing, YYYY-MM-DD) to three months after —
 * and the months of rows waiting in DEFAULT (a history loaded at once: the seed, an import of past
 * months). Its own short transaction: making a month locks its DEFAULT partition for the move.
 */
export async function keepMonthsMade(db: Db, today: string): Promise<number> {
  return db.transaction((tx) => ensureMonths(tx, monthFrom(today, -1), monthFrom(today, 3)));
}

/** The partitions of one month-partitioned table, oldest first, with their row counts. */
export async function monthPartitions(db: DbOrTx, table: (typeof MONTH_PARTITIONED)[number]): Promise<{ name: string; rows: number }[]> {
  const parts = await rows<{ name: string }>(db, sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ${table}::regclass ORDER BY c.relname`);
  const out: { name: string; rows: number }[] = [];
  for (const p of parts) {
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(p.name)}`);
    out.push({ name: p.name, rows: n.n });
  }
  return out;
}

/**
 * 410 PERIOD.ARCHIVED when a year from `fromYear` to `toYear` was detached (linkage_detach_year):
 * its months read as empty otherwise, which would show a locked month's figures as zeros. Only a
 * past year can be archived, so a read of this year (every dashboard's default) costs nothing.
 */
export async function assertOnline(db: DbOrTx, fromYear: number, toYear: number = fromYear): Promise<void> {
  const thisYear = Number(today().slice(0, 4));
  if (fromYear >= thisYear) return;
  const [hit] = await rows<{ year: number }>(db, sql`SELECT year FROM archived_years WHERE year BETWEEN ${fromYear}::int AND ${Math.min(toYear, thisYear - 1)}::int ORDER BY year LIMIT 1`);
  if (hit) throw new AppError('PERIOD.ARCHIVED', { year: hit.year });
}

/** The year of a 'YYYY-MM…' month or day. */
export const yearOf = (monthOrDay: string): number => Number(monthOrDay.slice(0, 4));
