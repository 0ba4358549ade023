import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { orgNodes, roles, sessions, staff, staffRoles } from '../../db/schema/index.js';
import { codeText } from '../../../shared/normalize.js';
import { AppError } from '../../errors.js';
import type { AuthContext, Grant } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { recordFailure, releaseAttempt, reserveAttempt } from './lockout.js';
import { PASSWORD_VIOLATION_TEXT, passwordViolations } from './password.rules.js';

// argon2id, OWASP's minimum profile (19 MiB, 2 passes): ~25 ms here, fine for sign-in.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (pw: string) => argonHash(pw, ARGON);

/**
 * The one place a password is checked against a hash. An object (not a bare import) so a test
 * can count or hold verifications: the lockout's guarantee is about how many of them happen.
 */
export const passwordVerifier = {
  verify: (hash: string, password: string): Promise<boolean> => argonVerify(hash, password).catch(() => false),
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// A name that is not an account is verified against this hash of a random password: the same
// argon2 work as a real account, and nothing can match it.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString('base64url')));

/**
 * Checks credentials under the lockout (lockout.ts: each attempt reserves a slot before its
 * password is verified) and opens a session. Returns the raw token for the cookie; only its hash
 * is stored. A wrong password and an unknown name get the same answer, with no remaining-tries
 * count for anybody: a count would be racy, help a guesser pace, and differ for unknown names.
 */
export async function signIn(db: Db, config: Config, input: { staffNo: string; password: string; ip?: string; userAgent?: string }): Promise<{ token: string; csrfToken: string; staffId: number }> {
  // A 工号 typed with a Chinese IME (４４１１００１４) is the same login as the imports read it.
  const attempt = await reserveAttempt(db, config, { staffNo: codeText(input.staffNo) });
  if (attempt.kind === 'locked') throw new AppError('AUTH.LOCKED');
  const ok = await passwordVerifier.verify(attempt.kind === 'staff' ? attempt.passwordHash : await dummy(), input.password);
  if (!ok || attempt.kind === 'name') {
    throw new AppError((await recordFailure(db, config, attempt)) ? 'AUTH.LOCKED' : 'AUTH.BAD_CREDENTIALS');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = new Date();
  // Only someone who knows the password learns that the account is disabled.
  if (!attempt.active) throw new AppError((await releaseAttempt(db, attempt)) ? 'AUTH.DISABLED' : 'AUTH.LOCKED');
  await db.transaction(async (tx) => {
    if (!(await releaseAttempt(tx, attempt))) throw new AppError('AUTH.LOCKED');
    await tx.update(staff).set({ lastLoginAt: now }).where(eq(staff.id, attempt.id));
    await tx.insert(sessions).values({
      id: sha256(token),
      staffId: attempt.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config.SESSION_MAX_HOURS * 3_600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300),
    });
    // Old sessions of anyone are swept here rather than by a timer (no single-process timers).
    await tx.delete(sessions).where(lt(sessions.expiresAt, now));
  });
  return { token, csrfToken, staffId: attempt.id };
}

export async function signOut(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** The grants of a person, with each scope node's path and level. */
export async function loadGrants(db: DbOrTx, staffId: number): Promise<Grant[]> {
  const rows = await db
    .select({ role: staffRoles.roleCode, permissions: roles.permissions, scopeNodeId: staffRoles.scopeNodeId, scopePath: orgNodes.path, scopeLevel: orgNodes.level })
    .from(staffRoles)
    .innerJoin(roles, eq(roles.code, staffRoles.roleCode))
    .innerJoin(orgNodes, eq(orgNodes.id, staffRoles.scopeNodeId))
    .where(eq(staffRoles.staffId, staffId));
  return rows.map((r) => ({ ...r, permissions: new Set(r.permissions) }));
}

interface SessionRow {
  csrf_token: string;
  expires_at: Date | string;
  last_seen_at: Date | string;
  staff_id: number;
  staff_no: string;
  name: string;
  node_id: number;
  active: boolean;
  must_change_password: boolean;
  grants: { role: string; permissions: string[]; scopeNodeId: number; scopePath: string; scopeLevel: Grant['scopeLevel'] }[] | string;
}

/**
 * Resolves a session cookie in one round trip (session, person and grants together): it runs on
 * every request, and the query builder cost more than the query here (bench: staff page).
 * Idle and expired sessions are ended; activity is written at most once a minute.
 */
export async function resolveSession(db: Db, config: Config, token: string): Promise<AuthContext | 'expired' | null> {
  const id = sha256(token);
  const [row] = await rows<SessionRow>(
    db,
    sql`SELECT s.csrf_token, s.expires_at, s.last_seen_at, p.id AS staff_id, p.staff_no, p.name, p.node_id, p.active,
          p.must_change_password,
          COALESCE((SELECT json_agg(json_build_object('role', r.role_code, 'permissions', ro.permissions,
                                                      'scopeNodeId', r.scope_node_id, 'scopePath', n.path, 'scopeLevel', n.level))
                    FROM staff_roles r JOIN roles ro ON ro.code = r.role_code JOIN org_nodes n ON n.id = r.scope_node_id
                    WHERE r.staff_id = p.id), '[]'::json) AS grants
        FROM sessions s JOIN staff p ON p.id = s.staff_id
        WHERE s.id = ${id}`,
  );
  if (!row) return null;
  const now = Date.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (new Date(row.expires_at).getTime() <= now || lastSeen + config.SESSION_IDLE_MINUTES * 60_000 <= now || !row.active) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return 'expired';
  }
  if (now - lastSeen > 60_000) {
    await db.execute(sql`UPDATE sessions SET last_seen_at = now() WHERE id = ${id}`);
  }
  const grants = typeof row.grants === 'string' ? (JSON.parse(row.grants) as Exclude<SessionRow['grants'], string>) : row.grants;
  return {
    staffId: row.staff_id,
    staffNo: row.staff_no,
    name: row.name,
    nodeId: row.node_id,
    sessionId: id,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
    grants: grants.map((g) => ({ ...g, permissions: new Set(g.permissions) })),
  };
}

export function assertPolicy(password: string, staffNo: string) {
  const v = passwordViolations(password, staffNo);
  if (v.length > 0) {
    throw new AppError(
      'AUTH.WEAK_PASSWORD',
      { violations: v },
      {
        zh: `密码不符合安全要求：${v.map((x) => PASSWORD_VIOLATION_TEXT[x].zh).join('；')}`,
        en: `The password does not meet the policy: ${v.map((x) => PASSWORD_VIOLATION_TEXT[x].en).join('; ')}`,
      },
    );
  }
}

/**
 * A person changes their own password; other sessions of theirs are ended. The current password
 * is verified under the same lockout as sign-in: a session is not a free password oracle.
 */
export async function changePassword(db: Db, config: Config, auth: AuthContext, current: string, next: string): Promise<void> {
  const attempt = await reserveAttempt(db, config, { staffId: auth.staffId });
  if (attempt.kind === 'locked') throw new AppError('AUTH.LOCKED');
  if (attempt.kind !== 'staff') throw new AppError('AUTH.WRONG_PASSWORD');
  if (!(await passwordVerifier.verify(attempt.passwordHash, current))) {
    throw new AppError((await recordFailure(db, config, attempt)) ? 'AUTH.LOCKED' : 'AUTH.WRONG_PASSWORD');
  }
  if (!(await releaseAttempt(db, attempt))) throw new AppError('AUTH.LOCKED');
  const [person] = await db.select().from(staff).where(eq(staff.id, auth.staffId));
  if (current === next) throw new AppError('AUTH.PASSWORD_REUSED');
  assertPolicy(next, person.staffNo);
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(staff).set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date() }).where(eq(staff.id, person.id));
    await tx.delete(sessions).where(and(eq(sessions.staffId, person.id), sql`${sessions.id} <> ${auth.sessionId}`));
    await appendAudit(
      tx,
      { id: auth.staffId, name: auth.name },
      {
        action: 'auth.password_change',
        entity: 'staff',
        entityId: person.id,
        nodeId: person.nodeId,
      },
    );
  });
}

/**
 * An administrator sets a temporary password: the person must change it at next sign-in, the
 * lockout is cleared, and their sessions end.
 */
export async function resetPassword(db: Db, actor: Actor, staffId: number, temporary: string): Promise<void> {
  const [person] = await db.select().from(staff).where(eq(staff.id, staffId));
  if (!person) throw new AppError('STAFF.NOT_FOUND');
  assertPolicy(temporary, person.staffNo);
  const passwordHash = await hashPassword(temporary);
  await db.transaction(async (tx) => {
    await tx.update(staff).set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, loginWindowStart: null, passwordChangedAt: new Date() }).where(eq(staff.id, staffId));
    await tx.delete(sessions).where(eq(sessions.staffId, staffId));
    await appendAudit(tx, actor, { action: 'auth.password_reset', entity: 'staff', entityId: staffId, nodeId: person.nodeId });
  });
}
