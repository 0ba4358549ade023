import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, staff } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const login = (staffNo: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo, password } });

describe('sign-in and sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and hides the password hash', async () => {
    const res = await login('fs_admin', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'linkage_sid')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
    const me = res.json();
    expect(me.staffNo).toBe('fs_admin');
    expect(me.csrfToken).toBeTruthy();
    expect(JSON.stringify(me)).not.toMatch(/argon2/);
    // The cookie value is never what the table stores.
    const stored = await t.database.db.select().from(sessions).where(eq(sessions.staffId, me.staffId));
    expect(stored.some((s) => s.id === c.value)).toBe(false);
  });

  it('reads a 工号 typed full-width (Chinese IME) as the imports do', async () => {
    const res = await login('　４４１１００１４ ', DEMO_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().staffNo).toBe('44110014');
    expect((await login('ｆｓ＿ｈｒ', DEMO_PASSWORD)).json().staffNo).toBe('fs_hr');
  });

  it('refuses a wrong password in the caller’s language', async () => {
    const res = await login('fs_staff', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH.BAD_CREDENTIALS');
    expect(res.json().error.message).toBe('用户名或密码错误');
    const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US' }, payload: { staffNo: 'nobody', password: 'x' } });
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('locks the account after 5 failures for 15 minutes, even with the right password', async () => {
    for (let i = 0; i < 4; i++) expect((await login('fs_compliance', 'bad')).json().error.code).toBe('AUTH.BAD_CREDENTIALS');
    const fifth = await login('fs_compliance', 'bad');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('AUTH.LOCKED');
    const right = await login('fs_compliance', DEMO_PASSWORD);
    expect(right.json().error.code).toBe('AUTH.LOCKED');
    const [row] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'fs_compliance'));
    const minutes = (row.lockedUntil!.getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // An administrator unlocks it.
    const admin = await t.login('fs_admin');
    expect((await admin.post(`/api/staff/${row.id}/unlock`)).statusCode).toBe(204);
    expect((await login('fs_compliance', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('requires the CSRF header on state-changing requests', async () => {
    const c = await t.login('fs_admin');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('AUTH.CSRF');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c.cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('ends an idle session', async () => {
    const c = await t.login('fs_hr');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    const me = (await c.get('/api/auth/me')).json();
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(sessions.staffId, me.staffId));
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH.SESSION_EXPIRED');
  });

  it('changes a password under the policy and ends the person’s other sessions', async () => {
    const a = await t.login('hy_admin');
    const b = await t.login('hy_admin');
    const weak = await a.post('/api/auth/password', { current: DEMO_PASSWORD, next: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('AUTH.WEAK_PASSWORD');
    expect(weak.json().error.details.violations).toContain('too_short');
    expect((await a.post('/api/auth/password', { current: 'wrong', next: 'Guangdong#2027' })).json().error.code).toBe('AUTH.WRONG_PASSWORD');
    expect((await a.post('/api/auth/password', { current: DEMO_PASSWORD, next: 'Guangdong#2027' })).statusCode).toBe(204);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await login('hy_admin', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await login('hy_admin', 'Guangdong#2027')).statusCode).toBe(200);
  });

  it('an admin reset forces a change at next sign-in and is audited', async () => {
    const admin = await t.login('fs_admin');
    const [target] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'fs_staff'));
    const res = await admin.post(`/api/staff/${target.id}/reset-password`, { temporary: 'Temp#Pass2026' });
    expect(res.statusCode).toBe(204);
    const me = (await login('fs_staff', 'Temp#Pass2026')).json();
    expect(me.mustChangePassword).toBe(true);
    const audit = await admin.get(`/api/audit?action=auth.password_reset&entityId=${target.id}`);
    expect(audit.json().items).toHaveLength(1);
    // A tier-2 administrator cannot reset someone in a sibling branch.
    const [sibling] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'hy_admin'));
    const out = await admin.post(`/api/staff/${sibling.id}/reset-password`, { temporary: 'Temp#Pass2026' });
    expect(out.statusCode).toBe(403);
  });

  it('a temporary password opens nothing but its change, me and sign-out (403 AUTH.PASSWORD_CHANGE_REQUIRED)', async () => {
    const admin = await t.login('fs_admin');
    const [target] = await t.database.db.select().from(staff).where(eq(staff.staffNo, 'fs_president'));
    expect((await admin.post(`/api/staff/${target.id}/reset-password`, { temporary: 'Temp#Pass2026' })).statusCode).toBe(204);
    // Whoever knows the temporary password (the person, or the administrator who set it)...
    const p = await t.login('fs_president', 'Temp#Pass2026');
    const read = await p.get('/api/staff');
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    expect((await p.post('/api/notifications/read-all')).json().error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    // ...reaches no route of the API but the three: checked against every route the app has.
    const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout']);
    const open: string[] = [];
    for (const r of t.app.routeTable) {
      const key = `${r.method} ${r.url}`;
      // Public routes need no session; the local admin channel takes no session at all (its token).
      if (r.access === 'public' || r.access === 'local-admin' || allowed.has(key)) continue;
      const res = await p.request({ method: r.method as 'GET', url: r.url.replace(/:[A-Za-z]+/g, '1') });
      if (res.statusCode !== 403 || res.json().error.code !== 'AUTH.PASSWORD_CHANGE_REQUIRED') open.push(`${key} → ${res.statusCode}`);
    }
    expect(open).toEqual([]);
    // The three allowed ones work; public ones too.
    const me = await p.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);
    expect((await p.put('/api/auth/language', { lang: 'en' })).statusCode).toBe(204);
    const other = await t.login('fs_president', 'Temp#Pass2026');
    expect((await other.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await p.post('/api/auth/password', { current: 'Temp#Pass2026', next: 'Foshan#Chair2026' })).statusCode).toBe(204);
    // Changed: the same session now reaches what the person's roles allow.
    expect((await p.get('/api/auth/me')).json().mustChangePassword).toBe(false);
    expect((await p.get('/api/staff')).statusCode).toBe(200);
  });
});
