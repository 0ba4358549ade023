import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.js';
import { DEMO_NODES } from '../seed/demo-ids.js';
import { operationOf } from '../modules/admin/admin.operations.js';
import { usccCheckChar } from '../modules/customers/ids.rules.js';
import { uploadForm } from '../modules/imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../test/harness.js';
import Fastify from 'fastify';
import { registerErrorHandling, sqlState } from './errors.plugin.js';

/**
 * Hostile requests (issue 10, decision 0022), the explicit cases on both databases: a NUL byte or a
 * lone surrogate anywhere, an id past int4, JSON nested past 32 levels — each a 400 with a stable
 * code, never a 500 — and no SQL text or parameter ever in the log. The generated sweep over every
 * route is server/http/fuzz.test.ts.
 */

const lines: string[] = [];
const logStream = { write: (line: string) => void lines.push(line) };
let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream });
  admin = await t.login('admin');
});
afterAll(() => t.close());

const body17 = '91440604MA55HX77Q';
const company = (name: string) => ({ uscc: body17 + usccCheckChar(body17), name, typeCode: 'enterprise', nodeId: DEMO_NODES.foshan });
const INT4_PAST = 2_147_483_648;

describe('hostile requests answer 400 with a stable code (decision 0022)', () => {
  it('a NUL byte in a company name → 400 REQUEST.INVALID_CHARACTER naming the field; nothing stored', async () => {
    const res = await admin.post('/api/customers/companies', company('佛山\u0000测试五金有限公司'));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID_CHARACTER', details: { path: 'body.name' } });
    const [{ n }] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM corporate_clients WHERE uscc = ${company('').uscc}`);
    expect(n).toBe(0);
    // In English too, from the catalogue.
    const en = await admin.request({ method: 'POST', url: '/api/customers/companies', payload: company('x\u0000'), headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toMatch(/NUL/);
  });

  it('a lone surrogate, in a body, a nested key or a query → 400 REQUEST.INVALID_CHARACTER', async () => {
    const lone = await admin.request({ method: 'POST', url: '/api/customers/companies', payload: '{"name":"\\ud800x"}', headers: { 'content-type': 'application/json' } });
    expect(lone.json().error).toMatchObject({ code: 'REQUEST.INVALID_CHARACTER', details: { path: 'body.name' } });
    const key = await admin.request({ method: 'PATCH', url: '/api/customers/companies/1', payload: '{"facts":{"a\\u0000":1}}', headers: { 'content-type': 'application/json' } });
    expect(key.statusCode, key.body).toBe(400);
    expect(key.json().error.code).toBe('REQUEST.INVALID_CHARACTER');
    const query = await admin.get('/api/staff?q=a%00b');
    expect(query.json().error).toMatchObject({ code: 'REQUEST.INVALID_CHARACTER', details: { path: 'query.q' } });
  });

  it('id 2147483648 in a path param, a query and a body reference → 400, not a 500 from int4', async () => {
    for (const url of [`/api/org/nodes/${INT4_PAST}`, `/api/staff/${INT4_PAST}`, `/api/customers/companies/${INT4_PAST}`, `/api/scoring/sales/${INT4_PAST}/split`, `/api/staff?nodeId=${INT4_PAST}`]) {
      const res = await admin.get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('REQUEST.INVALID');
    }
    const ref = await admin.post('/api/customers/companies', { ...company('佛山市越界引用有限公司'), nodeId: INT4_PAST });
    expect(ref.statusCode, ref.body).toBe(400);
    expect(ref.json().error).toMatchObject({ code: 'REQUEST.INVALID', details: [expect.objectContaining({ path: 'body.nodeId' })] });
    // 2^31−1 is still a well-formed id: simply not found.
    expect((await admin.get(`/api/org/nodes/${INT4_PAST - 1}`)).statusCode).toBe(404);
  });

  it('JSON nested deeper than 32 levels → 400 REQUEST.TOO_DEEP; 32 levels are read as usual', async () => {
    const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const deep = await admin.request({ method: 'PATCH', url: '/api/customers/companies/1', payload: `{"facts":${nest(40)}}`, headers: { 'content-type': 'application/json' } });
    expect(deep.statusCode, deep.body).toBe(400);
    expect(deep.json().error.code).toBe('REQUEST.TOO_DEEP');
    const shallow = await admin.request({ method: 'PATCH', url: '/api/customers/companies/1', payload: `{"facts":${nest(20)}}`, headers: { 'content-type': 'application/json' } });
    expect(shallow.statusCode).toBe(400);
    expect(shallow.json().error.code).not.toBe('REQUEST.TOO_DEEP');
  });

  it('prototype names are not settings: PUT /api/settings/constructor → 404 SETTING.UNKNOWN', async () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await admin.put(`/api/settings/${key}`, { value: 1 });
      expect(res.statusCode, `${key} ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('SETTING.UNKNOWN');
    }
    // The operator channel's operation names likewise (POST /api/admin/ops/:name, token-only).
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(() => operationOf(name), name).toThrow(expect.objectContaining({ code: 'ADMIN.UNKNOWN_OPERATION' }));
    }
  });

  it('a NUL in an upload’s file name is refused at the edge (the name is read inside the handler)', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(Buffer.from('工号,姓名\n1,a\n'), 'staff\u0000.csv') });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('REQUEST.INVALID_CHARACTER');
  });

  it('a value the database refuses (SQLSTATE class 22) past the edge → 400 REQUEST.VALUE_OUT_OF_RANGE, never a 500', async () => {
    // Every known path is closed at the edge, so the safety net is fed this driver's real error
    // (integer out of range, 22003) through the same error handler the app uses.
    const dbError = await t.database.db.execute(sql`SELECT ${'2147483648'}::int AS n`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(sqlState(dbError)).toBe('22003');
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/boom', async () => {
      throw dbError;
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('REQUEST.VALUE_OUT_OF_RANGE');
    await app.close();
  });

  it('logged errors carry no SQL text and no parameters', async () => {
    const secret = 'hostile-param-\u2603-31337';
    // A real failed statement, logged the way the error handler logs (err: …).
    const failure = await t.database.db.execute(sql`SELECT ${secret}::int AS n FROM staff`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeTruthy();
    t.app.log.error({ err: failure }, 'unhandled error');
    const logged = lines.join('\n');
    expect(logged).toContain('unhandled error');
    for (const needle of ['SELECT', 'FROM staff', secret, '31337', 'params:']) expect(logged, needle).not.toContain(needle);
    // What is kept: the SQLSTATE, enough to know what went wrong.
    expect(logged).toContain('22P02');
    // Nor from any request above (the 22021 of the file name included).
    for (const needle of ['INSERT INTO', 'insert into', 'Failed query', 'staff\\u0000']) expect(logged, needle).not.toContain(needle);
  });
});
