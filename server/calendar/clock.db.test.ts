import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NODES } from '../seed/demo-ids.js';
import { auditLog, individuals } from '../db/schema/index.js';
import { makeIdNumber } from '../modules/customers/ids.rules.js';
import { type Client, createTestApp, type TestApp } from '../test/harness.js';
import { beijingDay } from './dates.js';
import { clock, useTestClock } from './clock.js';

/**
 * The one clock moves the whole server: a test sets it instead of waiting. 2026-11-30 16:30 UTC is
 * 00:30 on 1 December in Beijing — the hour in which a UTC "today" (three modules had one) is still
 * yesterday for the bank.
 */
const AT = new Date('2026-11-30T16:30:00Z');
let t: TestApp;
let fsAdmin: Client;
let restore: () => void;

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  ({ restore } = useTestClock(AT));
});
afterAll(async () => {
  restore();
  await t.close();
});

describe('the clock', () => {
  it('today is Beijing’s day from the installed clock', () => {
    expect(clock.today()).toBe('2026-12-01');
    expect(clock.thisMonth()).toBe('2026-12');
    expect(beijingDay(clock.now())).toBe('2026-12-01');
  });

  it('a client born today in Beijing is accepted, and its audit entry and the edited row carry the clock’s instant', async () => {
    const idNumber = makeIdNumber('440604', '2026-12-01', 7);
    const res = await fsAdmin.post('/api/customers/individuals', { idNumber, name: '新生儿客户', nodeId: DEMO_NODES.foshan });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().birthDate).toBe('2026-12-01');
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'customer.person.create'));
    expect(new Date(entry.at).toISOString()).toBe(AT.toISOString());
    // An edit stamps the row with the clock's instant (inserts take the column's default).
    expect((await fsAdmin.patch(`/api/customers/individuals/${res.json().id}`, { vipTier: '金卡' })).statusCode).toBe(200);
    const [row] = await t.database.db.select().from(individuals).where(eq(individuals.id, res.json().id));
    expect(row.updatedAt.toISOString()).toBe(AT.toISOString());
  });

  it('a birth date after Beijing’s today is still refused', async () => {
    const res = await fsAdmin.post('/api/customers/individuals', { idNumber: makeIdNumber('440604', '2026-12-02', 8), name: '未来客户', nodeId: DEMO_NODES.foshan });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CUSTOMER.BAD_ID_NUMBER');
  });
});
