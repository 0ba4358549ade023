import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { restorePglite } from '../../ops/backup.js';
import { type Database, rows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../seed/demo-ids.js';
import { createTestApp, createTestDatabase, testConfig } from '../../test/harness.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { ADMIN_TOKEN_HEADER } from '../auth/admin-token.js';
import { decodeWire } from './wire.js';

/**
 * The local admin channel (issue 10): the CLI's operator commands inside the server that holds
 * the embedded database. Only the start's token, only from this machine, never via a proxy.
 */
const TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
let database: Database;
let app: FastifyInstance;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp(database, testConfig(), { adminToken: TOKEN });
  await app.ready();
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-admin-'));
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = (opts: InjectOptions) => app.inject({ ...opts, headers: { [ADMIN_TOKEN_HEADER]: TOKEN, ...opts.headers } });

/** The NDJSON answer of an operation as events. */
function events(body: string): Record<string, unknown>[] {
  return body
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => decodeWire<Record<string, unknown>>(l));
}

describe('who may call it', () => {
  const verify = { method: 'POST' as const, url: '/api/admin/ops/audit.verify', payload: {} };

  it('the token from a loopback peer: yes', async () => {
    expect((await admin(verify)).statusCode).toBe(200);
  });

  it('no token or a wrong one: 401; a signed-in person without it: 403', async () => {
    const none = await app.inject(verify);
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('AUTH.REQUIRED');
    expect((await app.inject({ ...verify, headers: { [ADMIN_TOKEN_HEADER]: `${TOKEN}x` } })).statusCode).toBe(401);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo: 'admin', password: DEMO_PASSWORD } });
    const sid = login.cookies.find((c) => c.name === 'linkage_sid')!.value;
    const res = await app.inject({ ...verify, headers: { cookie: `linkage_sid=${sid}`, 'x-csrf-token': login.json().csrfToken } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH.FORBIDDEN');
  });

  it('the right token from another machine, or relayed by a proxy on this one: refused', async () => {
    expect((await admin({ ...verify, remoteAddress: '10.0.0.8' })).statusCode).toBe(401);
    expect((await admin({ ...verify, headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(401);
    expect((await admin({ ...verify, headers: { forwarded: 'for=203.0.113.9' } })).statusCode).toBe(401);
  });

  it('a server started without a token (PostgreSQL, tests) has no admin channel at all', async () => {
    const plain = await createTestApp();
    try {
      const res = await plain.app.inject({ ...verify, headers: { [ADMIN_TOKEN_HEADER]: TOKEN } });
      expect(res.statusCode).toBe(401);
    } finally {
      await plain.close();
    }
  });
});

describe('operations', () => {
  it('audit.verify answers what verifyAuditChain answers', async () => {
    const res = await admin({ method: 'POST', url: '/api/admin/ops/audit.verify', payload: {} });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const last = events(res.body).at(-1)!;
    expect(last).toEqual({ result: { chain: await verifyAuditChain(database.db), ledger: null, repair: null } });
  });

  it('an unknown operation is 404; bad arguments end in an error line', async () => {
    const unknown = await admin({ method: 'POST', url: '/api/admin/ops/drop.everything', payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ADMIN.UNKNOWN_OPERATION');
    const bad = await admin({ method: 'POST', url: '/api/admin/ops/settle', payload: { args: { branch: '44100', month: 'October' } } });
    expect(events(bad.body).at(-1)).toMatchObject({ error: { code: 'REQUEST.INVALID' } });
  });

  it('import: an uploaded file is imported as the given person; the error workbook comes back as bytes', async () => {
    const csv = Buffer.from('工号,姓名,所属机构号,手机号,状态\nADM0001,管理通道甲,44100,13900000011,在职\nADM0002,管理通道乙,99999,13900000012,在职\n');
    const up = await admin({ method: 'POST', url: '/api/admin/files', payload: csv, headers: { 'content-type': 'application/octet-stream' } });
    expect(up.statusCode).toBe(200);
    const { fileId } = up.json() as { fileId: string };
    const args = { kind: 'staff', fileName: 'roster.csv', mode: 'valid_only', as: 'admin' };
    const res = await admin({ method: 'POST', url: '/api/admin/ops/import', payload: { args, fileId } });
    const evs = events(res.body);
    expect(evs.some((e) => 'progress' in e)).toBe(true);
    const result = evs.at(-1)!.result as { status: string; inserted: number; errorRows: number; errorReport: Buffer };
    expect(result).toMatchObject({ status: 'done', inserted: 1, errorRows: 1 });
    expect(Buffer.isBuffer(result.errorReport)).toBe(true);
    expect(result.errorReport.subarray(0, 2).toString()).toBe('PK');
    const [person] = await rows<{ name: string }>(database.db, sql`SELECT name FROM staff WHERE staff_no = 'ADM0001'`);
    expect(person.name).toBe('管理通道甲');
    // Run as `as`: the imports row is that person's.
    const [row] = await rows<{ staff_no: string }>(database.db, sql`SELECT s.staff_no FROM imports i JOIN staff s ON s.id = i.created_by WHERE i.id = ${(result as unknown as { id: string }).id}`);
    expect(row.staff_no).toBe('admin');
    // An upload is used once.
    const again = await admin({ method: 'POST', url: '/api/admin/ops/import', payload: { args, fileId } });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('ADMIN.NO_FILE');
  });
});

describe('backup', () => {
  it('PGlite: a gzip dump taken while serving, that restores into a new directory with a verified chain; PostgreSQL: use pg_dump', async () => {
    const res = await admin({ method: 'GET', url: '/api/admin/backup?file=nightly.tar.gz' });
    if (database.kind === 'pg') {
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('SYSTEM.BACKUP_UNSUPPORTED');
      expect(res.json().error.message).toContain('pg_dump');
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    const file = path.join(dir, 'nightly.tar.gz');
    writeFileSync(file, res.rawPayload);
    const report = await restorePglite(file, path.join(dir, 'restored'));
    expect(report.audit.broken).toBeNull();
    expect(report.audit.checked).toBeGreaterThan(0);
    expect(report.counts.staff).toBeGreaterThan(0);
  });
});
