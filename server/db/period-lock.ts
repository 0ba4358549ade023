import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors.js';
import type { DbOrTx } from './client.js';
import { type PeriodState, periods } from './schema/index.js';

/** The SQLSTATE the database raises for a write into a locked month (migration 0012). */
export const PERIOD_LOCKED_SQLSTATE = 'LK001';

/** True when `e` (or an error it wraps, e.g. Drizzle's DrizzleQueryError) is the lock trigger's. */
export function isPeriodLockedError(e: unknown): boolean {
  for (let x = e, depth = 0; x && typeof x === 'object' && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if ((x as { code?: unknown }).code === PERIOD_LOCKED_SQLSTATE) return true;
  }
  return false;
}

/** Re-throws the lock trigger's error as 409 PERIOD.LOCKED; anything else unchanged. */
export function mapPeriodLocked(e: unknown): never {
  if (isPeriodLockedError(e)) throw new AppError('PERIOD.LOCKED');
  throw e;
}

/** Runs `work`, answering PERIOD.LOCKED when the database refused a write into a locked month. */
export async function guardLocked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    return mapPeriodLocked(e);
  }
}

/**
 * The state of a branch's month ('draft' until it has a row). Here, beside the lock, so that a
 * module below periods (statements, scoring) can say a month's real state without importing it.
 */
export async function monthState(db: DbOrTx, nodeId: number, period: string, opts: { forUpdate?: boolean } = {}): Promise<PeriodState> {
  const q = db
    .select({ state: periods.state })
    .from(periods)
    .where(and(eq(periods.nodeId, nodeId), eq(periods.period, period)))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for('share') : await q;
  return row?.state ?? 'draft';
}
