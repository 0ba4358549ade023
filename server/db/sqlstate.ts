/**
 * Whether `e` — or an error it wraps (drizzle puts the driver's error in `cause`) — carries the
 * PostgreSQL SQLSTATE `code`, e.g. 23505 for a unique violation that a racing writer caused.
 */
export function hasSqlState(e: unknown, code: string): boolean {
  for (let x: unknown = e; x && typeof x === 'object'; x = (x as { cause?: unknown }).cause) if ((x as { code?: unknown }).code === code) return true;
  return false;
}

/** A unique key met a row another transaction wrote first (23505). */
export const isUniqueViolation = (e: unknown): boolean => hasSqlState(e, '23505');
