import { sql, type SQL } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { appendAudit } from '../audit/audit.service.js';

/**
 * The sign-in lockout as a reservation (issue 10). Each attempt first takes a slot with one
 * atomic `UPDATE … RETURNING` (the row lock serialises racing attempts, on any number of server
 * processes), and only then is the password verified. A window holds at most LOCKOUT_THRESHOLD
 * slots, so at most that many wrong passwords are ever verified per window, whatever the
 * concurrency. A wrong password keeps its slot; the one that fills the window locks the name for
 * LOCKOUT_MINUTES. A right password gives back its own slot only, never the others' (a sign-in
 * racing a guesser does not launder the guesses). The window ends LOCKOUT_MINUTES after its first
 * attempt, so old typos are forgotten. A slot of a crashed process is forgotten with its window.
 *
 * Names that are not accounts (or have no password yet) are counted in `login_throttle` with the
 * same rules, so a stranger cannot tell a real 工号 from its answers, lockout included.
 */
export type Attempt =
  { kind: 'staff'; id: number; name: string; nodeId: number; active: boolean; passwordHash: string; window: string } | { kind: 'name'; login: string; window: string } | { kind: 'locked' };

/** Who is attempting: a name typed at sign-in, or a signed-in person (changing their password). */
export type Who = { staffNo: string } | { staffId: number };

interface StaffSlotRow {
  id: number;
  name: string;
  node_id: number;
  active: boolean;
  password_hash: string;
  window: string;
}

// The window as text (microseconds kept) so the slot can be matched to it exactly later.
const expired = (table: string, minutes: number) => sql`(${sql.raw(table)}.login_window_start IS NULL OR ${sql.raw(table)}.login_window_start <= now() - make_interval(mins => ${minutes}::int))`;
const unlocked = (table: string) => sql`(${sql.raw(table)}.locked_until IS NULL OR ${sql.raw(table)}.locked_until <= now())`;

/** Takes a slot for one attempt, or says the name is locked (or its window is full). */
export async function reserveAttempt(db: Db, config: Config, who: Who): Promise<Attempt> {
  const { LOCKOUT_THRESHOLD: max, LOCKOUT_MINUTES: minutes } = config;
  const target: SQL = 'staffId' in who ? sql`staff.id = ${who.staffId}` : sql`staff.staff_no = ${who.staffNo}`;
  const [person] = await rows<StaffSlotRow>(
    db,
    sql`UPDATE staff SET
          failed_logins = CASE WHEN ${expired('staff', minutes)} THEN 1 ELSE staff.failed_logins + 1 END,
          login_window_start = CASE WHEN ${expired('staff', minutes)} THEN now() ELSE staff.login_window_start END
        WHERE ${target} AND staff.password_hash IS NOT NULL AND ${unlocked('staff')}
          AND (${expired('staff', minutes)} OR staff.failed_logins < ${max})
        RETURNING staff.id, staff.name, staff.node_id, staff.active, staff.password_hash, staff.login_window_start::text AS window`,
  );
  if (person) {
    return { kind: 'staff', id: person.id, name: person.name, nodeId: person.node_id, active: person.active, passwordHash: person.password_hash, window: person.window };
  }
  const [account] = await rows<{ id: number }>(db, sql`SELECT staff.id FROM staff WHERE ${target} AND staff.password_hash IS NOT NULL`);
  if (account || 'staffId' in who) return { kind: 'locked' };

  const [slot] = await rows<{ window: string }>(
    db,
    sql`INSERT INTO login_throttle AS t (login, failed_logins, login_window_start) VALUES (${who.staffNo}, 1, now())
        ON CONFLICT (login) DO UPDATE SET
          failed_logins = CASE WHEN ${expired('t', minutes)} THEN 1 ELSE t.failed_logins + 1 END,
          login_window_start = CASE WHEN ${expired('t', minutes)} THEN now() ELSE t.login_window_start END
        WHERE ${unlocked('t')} AND (${expired('t', minutes)} OR t.failed_logins < ${max})
        RETURNING t.login_window_start::text AS window`,
  );
  return slot ? { kind: 'name', login: who.staffNo, window: slot.window } : { kind: 'locked' };
}

/**
 * A wrong password keeps its slot. When the window is full, the first failure to see it locks the
 * name (one audit entry for a real account). Returns true when this attempt locked it.
 */
export async function recordFailure(db: Db, config: Config, attempt: Exclude<Attempt, { kind: 'locked' }>): Promise<boolean> {
  const { LOCKOUT_THRESHOLD: max, LOCKOUT_MINUTES: minutes } = config;
  const lock = (table: string, key: SQL) =>
    sql`UPDATE ${sql.raw(table)} SET locked_until = now() + make_interval(mins => ${minutes}::int), failed_logins = 0, login_window_start = NULL
        WHERE ${key} AND login_window_start = ${attempt.window}::timestamptz AND failed_logins >= ${max} AND ${unlocked(table)}
        RETURNING 1 AS locked`;
  if (attempt.kind === 'name') {
    // Names whose window and lock are over are swept here, a bounded batch at a time, rather
    // than by a timer (no single-process timers).
    await db.execute(
      sql`DELETE FROM login_throttle WHERE login IN (
            SELECT login FROM login_throttle WHERE ${unlocked('login_throttle')} AND ${expired('login_throttle', minutes)} LIMIT 100)`,
    );
    return (await rows(db, lock('login_throttle', sql`login = ${attempt.login}`))).length > 0;
  }
  return db.transaction(async (tx) => {
    const locked = (await rows(tx, lock('staff', sql`id = ${attempt.id}`))).length > 0;
    if (locked) {
      await appendAudit(
        tx,
        { id: attempt.id, name: attempt.name },
        {
          action: 'auth.lockout',
          entity: 'staff',
          entityId: attempt.id,
          nodeId: attempt.nodeId,
          after: { lockedMinutes: minutes, failures: max },
        },
      );
    }
    return locked;
  });
}

/**
 * A right password gives back its own slot (only if its window is still the current one) and
 * passes only while the account is not locked: a lock set by racing wrong guesses wins. Returns
 * false when locked. Runs in the caller's transaction (the session is opened in the same one).
 */
export async function releaseAttempt(tx: DbOrTx, attempt: Extract<Attempt, { kind: 'staff' }>): Promise<boolean> {
  const released = await rows(
    tx,
    sql`UPDATE staff SET failed_logins = CASE WHEN login_window_start = ${attempt.window}::timestamptz AND failed_logins > 0
                                             THEN failed_logins - 1 ELSE failed_logins END
        WHERE id = ${attempt.id} AND ${unlocked('staff')}
        RETURNING 1 AS ok`,
  );
  return released.length > 0;
}
