import { eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, loginThrottle, staff } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { passwordVerifier } from './auth.service.js';

/**
 * The lockout under concurrency (issue 10, finding 2): whatever the number of parallel guesses,
 * at most LOCKOUT_THRESHOLD wrong passwords are verified per window, on PGlite (serialised) and on
 * PostgreSQL (a real race). Each request comes from its own address, as a distributed guesser's
 * would, so the per-address rate limit is not what stops them.
 */
let t: TestApp;
let people: string[];
const THRESHOLD = 5;
beforeAll(async () => {
  t = await createTestApp();
  // Ordinary demo staff (工号 44…): all share the demo password, none is named by other tests.
  people = (await t.database.db.select({ staffNo: staff.staffNo }).from(staff).where(like(staff.staffNo, '44%')).orderBy(staff.id).limit(8)).map((p) => p.staffNo);
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

let address = 0;
const login = (staffNo: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: `198.18.${(++address >> 8) & 255}.${address & 255}`,
    payload: { staffNo, password },
  });

/** Counts the verifications of wrong passwords (the right one is the demo password). */
function countWrongVerifications() {
  const original = passwordVerifier.verify;
  const seen = { wrong: 0, right: 0 };
  vi.spyOn(passwordVerifier, 'verify').mockImplementation(async (hash, password) => {
    if (password === DEMO_PASSWORD) seen.right++;
    else seen.wrong++;
    return original(hash, password);
  });
  return seen;
}

describe('lockout under parallel guesses', () => {
  it('30 parallel wrong passwords plus the right one: at most LOCKOUT_THRESHOLD wrong ones are ever verified, then it is locked', async () => {
    const who = people[0];
    const seen = countWrongVerifications();
    const wrong = Array.from({ length: 30 }, (_, i) => login(who, `Wrong#Guess${i}`));
    const results = await Promise.all([...wrong, login(who, DEMO_PASSWORD)]);
    expect(seen.wrong).toBeLessThanOrEqual(THRESHOLD);
    // Every refused guess is a lockout answer, never a verdict on the password.
    const wrongCodes = results.slice(0, 30).map((r) => r.json().error.code);
    expect(wrongCodes.filter((c) => c === 'AUTH.BAD_CREDENTIALS').length).toBeLessThan(THRESHOLD);
    expect(wrongCodes.filter((c) => c !== 'AUTH.BAD_CREDENTIALS').every((c) => c === 'AUTH.LOCKED')).toBe(true);
    // The right one signed in only if it won a slot before the threshold; either way it was one try.
    expect([200, 423]).toContain(results[30].statusCode);
    // More guesses in the same window: still no more than LOCKOUT_THRESHOLD wrong ones verified in all.
    for (let i = 0; i < 10; i++) await login(who, `Later#Guess${i}`);
    expect(seen.wrong).toBeLessThanOrEqual(THRESHOLD);
    // And the right password does not sign in: the account is locked for LOCKOUT_MINUTES, once.
    const after = await login(who, DEMO_PASSWORD);
    expect(after.statusCode).toBe(423);
    expect(after.json().error.code).toBe('AUTH.LOCKED');
    const [row] = await t.database.db.select().from(staff).where(eq(staff.staffNo, who));
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const lockouts = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'auth.lockout'));
    expect(lockouts.filter((a) => a.entityId === String(row.id))).toHaveLength(1);
  });

  it('once LOCKOUT_THRESHOLD guesses are in flight, the right password is refused without being verified', async () => {
    const who = people[1];
    // Hold every wrong verification until five are under way.
    const original = passwordVerifier.verify;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Never hang: should verifications not be held back by the reservation, fail on the assertions.
    setTimeout(() => release(), 5000);
    const seen = { wrong: 0, right: 0 };
    let inFlight!: () => void;
    const fiveInFlight = new Promise<void>((r) => (inFlight = r));
    vi.spyOn(passwordVerifier, 'verify').mockImplementation(async (hash, password) => {
      if (password === DEMO_PASSWORD) seen.right++;
      else if (++seen.wrong === THRESHOLD) inFlight();
      if (password !== DEMO_PASSWORD) await gate;
      return original(hash, password);
    });
    const held = Array.from({ length: THRESHOLD }, (_, i) => login(who, `Wrong#Guess${i}`));
    await fiveInFlight;
    const right = await login(who, DEMO_PASSWORD);
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => login(who, `More#Guess${i}`)));
    expect(right.json().error.code).toBe('AUTH.LOCKED');
    expect(more.map((r) => r.json().error.code)).toEqual(Array(10).fill('AUTH.LOCKED'));
    expect(seen).toEqual({ wrong: THRESHOLD, right: 0 });
    release();
    const done = await Promise.all(held);
    // Exactly one of the five locked the account (one audit entry); the others were wrong passwords.
    expect(done.map((r) => r.json().error.code).sort()).toEqual([...Array(4).fill('AUTH.BAD_CREDENTIALS'), 'AUTH.LOCKED']);
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(423);
  });

  it('a right password racing wrong ones does not forgive them', async () => {
    const who = people[2];
    const seen = countWrongVerifications();
    for (let i = 0; i < THRESHOLD - 1; i++) expect((await login(who, `Wrong#Guess${i}`)).json().error.code).toBe('AUTH.BAD_CREDENTIALS');
    // The owner signs in: their own attempt is given back, the four failures of the window stay.
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(200);
    const fifth = await login(who, 'Wrong#Guess4');
    expect(fifth.json().error.code).toBe('AUTH.LOCKED');
    expect(seen.wrong).toBe(THRESHOLD);
  });

  it('the window ends LOCKOUT_MINUTES after its first failure: old failures are forgotten', async () => {
    const who = people[3];
    for (let i = 0; i < THRESHOLD - 1; i++) await login(who, `Wrong#Guess${i}`);
    await t.database.db
      .update(staff)
      .set({ loginWindowStart: new Date(Date.now() - 16 * 60_000) })
      .where(eq(staff.staffNo, who));
    const next = await login(who, 'Wrong#Guess4');
    expect(next.json().error.code).toBe('AUTH.BAD_CREDENTIALS');
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a lock ends after LOCKOUT_MINUTES and the count starts again', async () => {
    const who = people[4];
    for (let i = 0; i < THRESHOLD; i++) await login(who, `Wrong#Guess${i}`);
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(423);
    await t.database.db
      .update(staff)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(staff.staffNo, who));
    expect((await login(who, 'Wrong#Again')).json().error.code).toBe('AUTH.BAD_CREDENTIALS');
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(200);
  });
});

describe('answers do not tell whether a 工号 exists', () => {
  it('an unknown 工号 gets the same answers as a real one, lockout included, after a real verification', async () => {
    const real = people[5];
    const ghost = 'no_such_person_9';
    const seen = countWrongVerifications();
    const answers = async (who: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < THRESHOLD + 2; i++) {
        const r = await login(who, `Wrong#Guess${i}`);
        out.push({ status: r.statusCode, body: r.json() });
      }
      return out;
    };
    const forReal = await answers(real);
    const verifiedForReal = seen.wrong;
    const forGhost = await answers(ghost);
    expect(forGhost).toEqual(forReal);
    // Wrong answers carry no remaining-tries count for anybody.
    expect(forReal[0]).toEqual({ status: 401, body: { error: { code: 'AUTH.BAD_CREDENTIALS', message: '用户名或密码错误' } } });
    expect((forReal[THRESHOLD - 1] as { status: number }).status).toBe(423);
    // The unknown name costs the same argon2 verifications (against a dummy hash) as a real one.
    expect(verifiedForReal).toBe(THRESHOLD);
    expect(seen.wrong - verifiedForReal).toBe(THRESHOLD);
  });

  it('parallel guesses on an unknown 工号 are bounded the same way', async () => {
    const seen = countWrongVerifications();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login('no_such_person_parallel', `Wrong#Guess${i}`)));
    expect(seen.wrong).toBeLessThanOrEqual(THRESHOLD);
    expect(results.filter((r) => r.statusCode === 423).length).toBeGreaterThanOrEqual(20 - THRESHOLD + 1);
  });
});

describe('the counters of unknown names', () => {
  it('are swept once their window and lock are over', async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    await t.database.db.insert(loginThrottle).values([
      { login: 'swept_old', failedLogins: 3, loginWindowStart: old },
      { login: 'kept_locked', failedLogins: 0, lockedUntil: new Date(Date.now() + 60_000) },
    ]);
    await login('someone_new', 'Wrong#Guess1');
    const left = (await t.database.db.select().from(loginThrottle)).map((r) => r.login);
    expect(left).not.toContain('swept_old');
    expect(left).toContain('kept_locked');
    expect(left).toContain('someone_new');
  });
});

describe('changing a password verifies the current one under the same lockout', () => {
  it('wrong current passwords count as failures: at most LOCKOUT_THRESHOLD are verified', async () => {
    const who = people[6];
    const c = await t.login(who);
    const seen = countWrongVerifications();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.post('/api/auth/password', { current: `Wrong#Guess${i}`, next: 'Another#Pass2026' })));
    expect(seen.wrong).toBeLessThanOrEqual(THRESHOLD);
    const codes = results.map((r) => r.json().error.code);
    expect(codes.filter((x) => x === 'AUTH.WRONG_PASSWORD').length).toBeLessThanOrEqual(THRESHOLD);
    expect(codes.every((x) => x === 'AUTH.WRONG_PASSWORD' || x === 'AUTH.LOCKED')).toBe(true);
    // Now even the right current password is refused until the lock ends, and sign-in is locked too.
    expect((await c.post('/api/auth/password', { current: DEMO_PASSWORD, next: 'Another#Pass2026' })).json().error.code).toBe('AUTH.LOCKED');
    expect((await login(who, DEMO_PASSWORD)).statusCode).toBe(423);
  });
});
