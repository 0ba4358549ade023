import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';

/**
 * Who the client is (issue 10, finding 2): `X-Forwarded-For` is believed only from the proxies
 * listed in TRUST_PROXY, so rotating the header does not get round the sign-in rate limit
 * (30 a minute per address).
 */
const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

const attempt = (t: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1', staffNo = 'fs_admin', password = DEMO_PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers, payload: { staffNo, password } });

/** The address a session was opened from, as the server saw it. */
async function sessionIp(t: TestApp, res: Awaited<ReturnType<typeof attempt>>): Promise<string | null> {
  expect(res.statusCode, res.body).toBe(200);
  const rows = await t.database.db.select().from(sessions).where(eq(sessions.staffId, res.json().staffId));
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0].ip;
}

describe('without TRUST_PROXY (the default)', () => {
  it('ignores X-Forwarded-For: rotating it does not get round the sign-in rate limit', async () => {
    const t = await createTestApp();
    apps.push(t);
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) {
      // Each guess names its own (unknown) 工号, so only the rate limit can stop the 31st.
      const res = await attempt(t, { 'x-forwarded-for': `203.0.113.${i}` }, '192.0.2.50', `nobody_${i}`, 'Wrong#Guess1');
      answers.push(res.statusCode);
    }
    expect(answers.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(answers[30]).toBe(429);
    // The session records the TCP peer, not what the client claims.
    expect(await sessionIp(t, await attempt(t, { 'x-forwarded-for': '203.0.113.99' }, '192.0.2.51'))).toBe('192.0.2.51');
  });
});

describe('with TRUST_PROXY set to the reverse proxy', () => {
  it('takes the client from X-Forwarded-For only when the peer is a listed proxy', async () => {
    const t = await createTestApp({ TRUST_PROXY: '10.0.0.1, 10.9.0.0/16' });
    apps.push(t);
    // Through the proxy: the address the proxy saw.
    expect(await sessionIp(t, await attempt(t, { 'x-forwarded-for': '198.51.100.7' }, '10.0.0.1'))).toBe('198.51.100.7');
    expect(await sessionIp(t, await attempt(t, { 'x-forwarded-for': '198.51.100.8' }, '10.9.3.4'))).toBe('198.51.100.8');
    // A client that prepends a forged address gets the proxy's view of it (rightmost untrusted).
    expect(await sessionIp(t, await attempt(t, { 'x-forwarded-for': '6.6.6.6, 198.51.100.9' }, '10.0.0.1'))).toBe('198.51.100.9');
    // Straight to the server from elsewhere: the header is ignored.
    expect(await sessionIp(t, await attempt(t, { 'x-forwarded-for': '198.51.100.10' }, '192.0.2.60'))).toBe('192.0.2.60');
  });

  it('limits each client behind the proxy separately, and a forged prefix does not reset the count', async () => {
    const t = await createTestApp({ TRUST_PROXY: '10.0.0.1' });
    apps.push(t);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const forged = `6.6.6.${i}, 198.51.100.20`;
      statuses.push((await attempt(t, { 'x-forwarded-for': forged }, '10.0.0.1', `nobody_${i}`, 'Wrong#Guess1')).statusCode);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
    // Another client behind the same proxy is not held back by the first one's limit.
    expect((await attempt(t, { 'x-forwarded-for': '198.51.100.21' }, '10.0.0.1')).statusCode).toBe(200);
  });
});
