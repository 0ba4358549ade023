import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { SessionCache } from './session-cache.js';
import type { AuthContext } from '../access/context.js';

const someone = { staffId: 1, staffNo: 'x', name: 'x', nodeId: 1, sessionId: 's', csrfToken: 'c', mustChangePassword: false, grants: [] } satisfies AuthContext;

describe('SessionCache (decision 0047)', () => {
  it('keeps a session for ttl, forgets it on clear, and never stores a lookup a write overtook', () => {
    const c = new SessionCache(2000);
    c.set('t', someone, c.begin(), 1000);
    expect(c.get('t', 2999)).toBe(someone);
    expect(c.get('t', 3000)).toBeUndefined();
    c.set('t', someone, c.begin(), 5000);
    c.clear();
    expect(c.get('t', 5001)).toBeUndefined();
    const before = c.begin();
    c.clear(); // a write finished while the lookup ran
    c.set('t', someone, before, 6000);
    expect(c.get('t', 6001)).toBeUndefined();
    const off = new SessionCache(0);
    off.set('t', someone, off.begin(), 0);
    expect(off.get('t', 0)).toBeUndefined();
  });
});

describe('SessionCache.shared (decision 0051)', () => {
  it('runs one lookup for concurrent misses of a cookie, and a fresh one after a write or when off', async () => {
    const c = new SessionCache(2000);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return someone;
    };
    const waiting = [c.shared('t', load), c.shared('t', load), c.shared('t', load)];
    expect(loads).toBe(1);
    c.clear(); // a write: the next miss must not join a lookup that began before it
    const after = c.shared('t', load);
    expect(loads).toBe(2);
    release();
    expect(await Promise.all([...waiting, after])).toEqual([someone, someone, someone, someone]);
    await c.shared('t', load); // settled lookups are not kept
    expect(loads).toBe(3);
    const off = new SessionCache(0);
    await Promise.all([off.shared('t', load), off.shared('t', load)]);
    expect(loads).toBe(5);
  });
});

describe('session cache in the request path', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await createTestApp({ SESSION_CACHE_MS: '10000' })));
  afterAll(() => t.close());

  it('reuses a resolved session until a write through the instance empties the cache', async () => {
    const staff = await t.login('fs_staff');
    const admin = await t.login('admin');
    expect((await staff.get('/api/auth/me')).statusCode).toBe(200);
    // Ended behind the instance's back (another instance, SQL): seen only after the window…
    await t.database.db.execute(sql`DELETE FROM sessions WHERE staff_id = (SELECT id FROM staff WHERE staff_no = 'fs_staff')`);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(200);
    // …or as soon as any write goes through this instance.
    expect((await admin.post('/api/auth/logout')).statusCode).toBeLessThan(300);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
    expect((await admin.get('/api/auth/me')).statusCode).toBe(401);
  });
});
