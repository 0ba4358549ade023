import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_COMPANIES } from '../../seed/customers.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
let fsAdmin: Client;
let hyAdmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  hyAdmin = await t.login('hy_admin');
});
afterAll(() => t?.close());

const base = { code: 'T-DEV-1', name: '测试楼盘', developerId: DEMO_COMPANIES.fsDeveloper, nodeId: DEMO_NODES.foshan, lenderMode: 'partial', loanShare: '62.5' };

describe('developments (SPEC §8)', () => {
  it('shows the demo developments with their latest figures and thresholds (exactly 85 % counts)', async () => {
    const list = (await fsAdmin.get('/api/developments')).json();
    const byCode = Object.fromEntries(list.items.map((d: { code: string }) => [d.code, d]));
    expect(byCode['FS-LP-001']).toMatchObject({
      lenderMode: 'sole',
      threshold: '85.00',
      latest: { asOf: '2026-10-31', totalHouseholds: 240, bankHouseholds: 204, ratio: '85.00', meetsThreshold: true },
    });
    expect(byCode['FS-LP-002'].latest).toMatchObject({ ratio: '80.00', meetsThreshold: false });
    expect(byCode['FS-LP-003']).toMatchObject({ lenderMode: 'partial', loanShare: '60.00', threshold: '60.00' });
    expect((await hyAdmin.get('/api/developments')).json().total).toBe(0);
  });

  it('creates a development (audited): developer must be a corporate client, loan share as a percentage', async () => {
    expect((await fsAdmin.post('/api/developments', { ...base, developerId: 999999 })).json().error.code).toBe('DEVELOPMENT.NOT_CORPORATE_CLIENT');
    expect((await fsAdmin.post('/api/developments', { ...base, loanShare: null })).json().error.code).toBe('DEVELOPMENT.BAD_SHARE');
    expect((await fsAdmin.post('/api/developments', { ...base, loanShare: '100' })).json().error.code).toBe('DEVELOPMENT.BAD_SHARE');
    expect((await fsAdmin.post('/api/developments', { ...base, lenderMode: 'sole', loanShare: '50' })).json().error.code).toBe('DEVELOPMENT.BAD_SHARE');
    expect((await fsAdmin.post('/api/developments', { ...base, nodeId: 101 })).json().error.code).toBe('DEVELOPMENT.NOT_A_BRANCH');
    const outOfScope = await hyAdmin.post('/api/developments', base);
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    const res = await fsAdmin.post('/api/developments', base);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'T-DEV-1', loanShareBp: 6250, loanShare: '62.50', thresholdBp: 6250, latest: null, developerName: expect.stringContaining('碧海') });
    expect((await fsAdmin.post('/api/developments', base)).json().error.code).toBe('DEVELOPMENT.CODE_TAKEN');
    const upd = await fsAdmin.patch(`/api/developments/${res.json().id}`, { lenderMode: 'sole', loanShare: null });
    expect(upd.json()).toMatchObject({ lenderMode: 'sole', loanShareBp: null, thresholdBp: 8500 });
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'development' AND entity_id = ${String(res.json().id)}`);
    expect(a.n).toBe(2);
  });

  it('adds cumulative figures over time (bank ≤ total, not in the future, one per day)', async () => {
    const d = (await fsAdmin.post('/api/developments', { ...base, code: 'T-DEV-2', lenderMode: 'sole', loanShare: null })).json();
    const add = (b: object) => fsAdmin.post(`/api/developments/${d.id}/figures`, b);
    expect((await add({ asOf: '2026-09-30', totalHouseholds: 100, bankHouseholds: 101 })).json().error.code).toBe('DEVELOPMENT.BANK_EXCEEDS_TOTAL');
    expect((await add({ asOf: '2099-01-01', totalHouseholds: 100, bankHouseholds: 10 })).json().error.code).toBe('DEVELOPMENT.FUTURE_DATE');
    const f1 = await add({ asOf: '2026-09-30', totalHouseholds: 100, bankHouseholds: 84 });
    expect(f1.statusCode, f1.body).toBe(201);
    expect(f1.json()).toMatchObject({ ratio: '84.00', meetsThreshold: false });
    expect((await add({ asOf: '2026-09-30', totalHouseholds: 100, bankHouseholds: 90 })).json().error.code).toBe('DEVELOPMENT.FIGURE_DATE_TAKEN');
    expect((await add({ asOf: '2026-10-31', totalHouseholds: 200, bankHouseholds: 170 })).json()).toMatchObject({ ratio: '85.00', meetsThreshold: true });
    const figures = (await fsAdmin.get(`/api/developments/${d.id}/figures`)).json().items;
    expect(figures.map((f: { asOf: string }) => f.asOf)).toEqual(['2026-10-31', '2026-09-30']);
    expect((await hyAdmin.post(`/api/developments/${d.id}/figures`, { asOf: '2026-11-01', totalHouseholds: 1, bankHouseholds: 1 })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await fsAdmin.delete(`/api/developments/${d.id}`)).json().error.code).toBe('DEVELOPMENT.IN_USE');
  });

  it('imports figures by Excel (never editing a row on file)', async () => {
    const d = (await fsAdmin.post('/api/developments', { ...base, code: 'T-DEV-3' })).json();
    const sheet = async (data: (string | number)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('户数');
      ws.addRow(['楼盘编号', '统计日期', '按揭总户数', '本行按揭户数']);
      for (const r of data) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const run = async (bytes: Buffer, who = fsAdmin) => {
      const res = await who.request({ method: 'POST', url: '/api/imports/development-figures', payload: uploadForm(bytes, 'figures.xlsx') });
      expect(res.statusCode, res.body).toBe(202);
      await waitForImport(t.database.db, res.json().id);
      return (await who.get(`/api/imports/jobs/${res.json().id}`)).json();
    };
    expect(
      await run(
        await sheet([
          ['T-DEV-3', '2026-10-31', 100, 70],
          ['T-DEV-3', '2026-09-30', 80, 90],
        ]),
      ),
    ).toMatchObject({ status: 'failed', errorRows: 1 });
    expect(
      await run(
        await sheet([
          ['T-DEV-3', '2026-10-31', 100, 70],
          ['T-DEV-3', '2026-09-30', 80, 50],
        ]),
      ),
    ).toMatchObject({ status: 'done', inserted: 2 });
    expect(await run(await sheet([['T-DEV-3', '2026-10-31', 100, 70]]))).toMatchObject({ status: 'done', inserted: 0, unchanged: 1 });
    expect(await run(await sheet([['T-DEV-3', '2026-10-31', 100, 71]]))).toMatchObject({ status: 'failed', errorRows: 1 });
    expect(await run(await sheet([['T-DEV-3', '2026-11-01', 100, 71]]), hyAdmin)).toMatchObject({ status: 'failed', errorRows: 1 });
    expect((await fsAdmin.get(`/api/developments/${d.id}`)).json().latest).toMatchObject({ asOf: '2026-10-31', ratio: '70.00', meetsThreshold: true });
  });
});
