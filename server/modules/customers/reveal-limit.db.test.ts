import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { auditLog, notifications, staff } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { DEMO_PEOPLE } from '../../seed/customers.js';
import { createTestApp, testConfig, type TestApp } from '../../test/harness.js';

/**
 * PII reveals are limited per person per hour (setting pii.revealsPerHour; issue 10). The count
 * is the person's pii.reveal entries in the audit log, so it holds across server processes and
 * under concurrency; the first refusal of the hour alerts the branch's compliance role.
 */
let t: TestApp;
const LIMIT = 3;
const url = `/api/customers/individuals/${DEMO_PEOPLE.meidiExecutive}/reveal`;
const body = { field: 'idNumber', reason: '反洗钱核查需要' };

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.login('admin');
  expect((await admin.put('/api/settings/pii.revealsPerHour', { value: LIMIT })).statusCode).toBe(200);
});
afterAll(() => t.close());

const idOf = async (staffNo: string) => (await t.database.db.select().from(staff).where(eq(staff.staffNo, staffNo)))[0].id;
const alertsOf = async (staffNo: string) =>
  t.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.staffId, await idOf(staffNo)), eq(notifications.kind, 'pii.reveal_limit')));

describe('PII reveal limit', () => {
  it('is a setting with a default', async () => {
    const admin = await t.login('admin');
    const items = (await admin.get('/api/settings')).json().items as { key: string; value: unknown }[];
    expect(items.find((s) => s.key === 'pii.revealsPerHour')?.value).toBe(LIMIT);
  });

  it('parallel reveals by one person: exactly the limit succeed, the rest get 429; compliance is alerted once, audited once', async () => {
    const fsAdmin = await t.login('fs_admin');
    const results = await Promise.all(Array.from({ length: 10 }, () => fsAdmin.post(url, body)));
    const ok = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 429);
    expect(ok).toHaveLength(LIMIT);
    expect(refused).toHaveLength(10 - LIMIT);
    expect(refused.every((r) => r.json().error.code === 'CUSTOMER.REVEAL_LIMIT')).toBe(true);
    // The full number is never in a refusal.
    expect(refused.some((r) => r.body.includes(ok[0].json().value))).toBe(false);

    const actor = await idOf('fs_admin');
    const reveals = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal'), eq(auditLog.actorId, actor)));
    expect(reveals).toHaveLength(LIMIT);
    const limited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal_limit'), eq(auditLog.actorId, actor)));
    expect(limited).toHaveLength(1);
    expect(limited[0].after).toMatchObject({ limit: LIMIT, field: 'idNumber' });
    // 佛山's compliance auditor is told, once, and no one in a sibling branch is.
    const alerts = await alertsOf('fs_compliance');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].titleZh).toContain('fs_admin');
    expect(await alertsOf('hy_admin')).toHaveLength(0);
    // Later refusals in the same hour alert nobody again.
    expect((await fsAdmin.post(url, body)).statusCode).toBe(429);
    expect(await alertsOf('fs_compliance')).toHaveLength(1);
  });

  it('holds across server processes (the count lives in the database)', async () => {
    // A second server on the same database, as a second process would be.
    const other = await buildApp(t.database, testConfig());
    await other.ready();
    try {
      const signIn = async (app: typeof other) => {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo: 'fs_compliance', password: DEMO_PASSWORD } });
        return { cookie: `linkage_sid=${res.cookies.find((c) => c.name === 'linkage_sid')!.value}`, csrf: res.json().csrfToken as string };
      };
      const reveal = async (app: typeof other) => {
        const s = await signIn(app);
        return app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
      };
      const codes = [];
      for (let i = 0; i < LIMIT + 1; i++) codes.push((await reveal(i % 2 === 0 ? t.app : other)).statusCode);
      expect(codes).toEqual([...Array(LIMIT).fill(200), 429]);
    } finally {
      await other.close();
    }
  });
});
