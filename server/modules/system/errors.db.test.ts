import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('bad input never becomes a 500', () => {
  it('malformed JSON → 400 REQUEST.MALFORMED', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/org/nodes', headers: { 'content-type': 'application/json' }, payload: '{"code": "x",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('REQUEST.MALFORMED');
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  it('an unknown field → 400 REQUEST.INVALID naming it', async () => {
    const res = await admin.post('/api/org/nodes', { code: 'X1', name: '测试', level: 'subbranch', parentId: 11, colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('REQUEST.INVALID');
    expect(JSON.stringify(res.json().error.details)).toContain('colour');
  });

  it('a wrong type → 400 with a Chinese message by default and English on request', async () => {
    const res = await admin.post('/api/org/nodes', { code: 'X1', name: '测试', level: 'subbranch', parentId: 'eleven' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', message: '请求参数不符合要求' });
    expect(JSON.stringify(res.json().error.details)).toContain('parentId');
    const en = await admin.request({ method: 'POST', url: '/api/org/nodes', headers: { 'accept-language': 'en' }, payload: { code: 'X1', name: 'x', level: 'subbranch', parentId: 'x' } });
    expect(en.json().error.message).toBe('The request is invalid');
  });

  it('a field error carries its zod code and bound, so a form can say the allowed range in Chinese', async () => {
    const res = await admin.get('/api/staff?pageSize=100000');
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { path: string; code?: string; maximum?: number; origin?: string }[];
    expect(details).toEqual([expect.objectContaining({ path: 'querystring.pageSize', code: 'too_big', origin: 'number' })]);
    expect(typeof details[0].maximum).toBe('number');
  });

  it('a bad query value → 400, an unknown route → 404, an unknown record → 404', async () => {
    expect((await admin.get('/api/staff?page=zero')).statusCode).toBe(400);
    const nf = await admin.get('/api/no-such-thing');
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('ROUTE.NOT_FOUND');
    expect((await admin.get('/api/staff/99999999')).json().error.code).toBe('STAFF.NOT_FOUND');
  });

  it('an oversize JSON body → 413', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/org/nodes', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('REQUEST.TOO_LARGE');
  });

  it('health reports the database', async () => {
    const res = await t.anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { kind: t.database.kind, reachable: true } });
  });

  it('publishes an OpenAPI document covering the routes', async () => {
    const res = await t.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/staff/', '/api/org/nodes', '/api/audit/verify', '/api/auth/login']));
    expect((await t.anonymous.get('/api/docs/')).statusCode).toBe(200);
  });
});
