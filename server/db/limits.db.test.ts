import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { databaseOptions } from '../config.js';
import { DEMO_NODES } from '../seed/demo-ids.js';
import { type Client, createTestApp, createTestDatabase, type TestApp, testConfig } from '../test/harness.js';
import { startHealthMonitor } from './health.js';
import { liftStatementTimeout } from './limits.js';

/**
 * Request limits (decision 0018): a request that cannot get a database connection in time, or
 * whose statement runs too long, answers 503 with a clear code and Retry-After instead of
 * queueing forever; /api/health answers from memory while every connection is taken.
 */
const COMPLETION = `/api/dashboards/completion?nodeId=${DEMO_NODES.foshan}&year=2026`;

describe('a saturated pool', () => {
  let t: TestApp;
  let staff: Client;
  beforeAll(async () => {
    // One connection (PostgreSQL pool of 1, or PGlite's one) and a 300 ms acquire timeout.
    t = await createTestApp({ DB_POOL_SIZE: '1', DB_POOL_ACQUIRE_TIMEOUT_MS: '300' });
    staff = await t.login('fs_staff');
  });
  afterAll(() => t?.close());

  it('answers 503 SYSTEM.BUSY within the acquire timeout, while /api/health answers 200', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    // A transaction that keeps the only connection, as a slow request would.
    const hog = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      holding();
      await released;
    });
    await held;
    try {
      const t0 = performance.now();
      const busy = await staff.get(COMPLETION);
      const waited = performance.now() - t0;
      expect(busy.statusCode, busy.body).toBe(503);
      expect(busy.json().error).toEqual({ code: 'SYSTEM.BUSY', message: '系统繁忙：数据库连接已全部占用，请稍后重试' });
      expect(busy.headers['retry-after']).toBe('5');
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(5000);
      const en = await staff.request({ method: 'GET', url: COMPLETION, headers: { 'accept-language': 'en' } });
      expect(en.json().error.message).toBe('The system is busy: every database connection is in use; please try again shortly');

      // Health never waits for a connection — with a session cookie too (public routes skip it).
      const h0 = performance.now();
      const health = await staff.get('/api/health');
      expect(performance.now() - h0).toBeLessThan(250);
      expect(health.statusCode, health.body).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', database: { kind: t.database.kind, reachable: true }, pool: { max: 1, idle: 0 } });
    } finally {
      release();
      await hog;
    }
    expect((await staff.get(COMPLETION)).statusCode).toBe(200);
  });
});

describe('a statement past the statement timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    const config = testConfig({ DB_STATEMENT_TIMEOUT_MS: '200' });
    const database = await createTestDatabase(databaseOptions(config));
    const app = await buildApp(database, config);
    // A test-only route whose one statement outlives the limit; the same one as a long job.
    app.get('/api/test/slow', { config: { access: 'public' } }, async () => {
      await app.database.db.execute(sql`SELECT pg_sleep(0.6)`);
      return { ok: true };
    });
    app.get('/api/test/slow-job', { config: { access: 'public' } }, async () => {
      await app.database.db.transaction(async (tx) => {
        await liftStatementTimeout(tx);
        await tx.execute(sql`SELECT pg_sleep(0.6)`);
      });
      return { ok: true };
    });
    await app.ready();
    t = { app, database, anonymous: null as never, login: null as never, close: async () => (await app.close(), await database.close()) };
  });
  afterAll(() => t?.close());

  it('is cancelled on PostgreSQL: 503 SYSTEM.TIMEOUT; PGlite cannot interrupt it (decision 0018)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/test/slow' });
    if (t.database.kind === 'pg') {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error).toEqual({ code: 'SYSTEM.TIMEOUT', message: '请求处理超时已中止，请缩小查询范围或稍后重试' });
      expect(res.headers['retry-after']).toBe('5');
    } else {
      expect(res.statusCode, res.body).toBe(200);
    }
    // The connection went back to the pool in working order.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('does not stop a long job, whose transaction lifts the limit', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/test/slow-job' });
    expect(res.statusCode, res.body).toBe(200);
    // … and only for that transaction: the next request has the limit again.
    const again = await t.app.inject({ method: 'GET', url: '/api/test/slow' });
    expect(again.statusCode).toBe(t.database.kind === 'pg' ? 503 : 200);
  });
});

describe('/api/health', () => {
  it('reports a database it cannot reach as degraded, from the background probe', async () => {
    const unreachable = { kind: 'pg', url: 'postgres://postgres@127.0.0.1:1/none', db: null, close: async () => undefined } as never;
    const monitor = startHealthMonitor(unreachable, { intervalMs: 60_000, timeoutMs: 500 });
    try {
      const probe = await monitor.probe();
      expect(probe).toMatchObject({ reachable: false, latencyMs: null });
      expect(probe.error).toBeTruthy();
      expect(monitor.last()).toBe(probe);
    } finally {
      await monitor.stop();
    }
  });
});
