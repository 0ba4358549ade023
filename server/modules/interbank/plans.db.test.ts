import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * The `interbank-plans` import (seed 000 四(二)): the Chinese template, every bad row and cell named
 * with nothing written, then plan versions keyed by 年度 + 机构号 — the same file again writes
 * nothing, a changed count is version 2 with the row's reason.
 */
let t: TestApp;
let admin: Client;
const code: Record<string, string> = {};
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const HEAD = '年度,机构号,二级分行,覆盖计划（户）,调整原因';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  for (const r of await q<{ id: number; code: string }>(sql`SELECT id, code FROM org_nodes WHERE id IN (${DEMO_NODES.foshan}, ${DEMO_NODES.heyuan}, ${DEMO_NODES.province})`)) code[r.id] = r.code;
});
afterAll(() => t?.close());

async function upload(who: Client, csv: string) {
  const res = await who.request({ method: 'POST', url: '/api/imports/interbank-plans', payload: uploadForm(Buffer.from(csv), 'plans.csv') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

describe('the interbank-plans import', () => {
  it('offers a Chinese template', async () => {
    const res = await admin.get('/api/imports/templates/interbank-plans');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('names every bad row and cell and writes nothing (all or nothing)', async () => {
    const csv = [HEAD, `2026,${code[DEMO_NODES.foshan]},佛山分行,10,年初下达`, `2026,${code[DEMO_NODES.province]},省分行,5,`, `20x6,${code[DEMO_NODES.heyuan]},河源分行,-1,`].join('\n');
    const { job, errors } = await upload(admin, csv);
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 2 });
    const at = (row: number, column: string) => errors.items.find((e: { row: number; column: string }) => e.row === row && e.column === column);
    expect(at(3, '机构号').code).toBe('IMPORT.REFERENCE');
    expect(at(4, '年度')).toBeTruthy();
    expect(at(4, '覆盖计划（户）')).toBeTruthy();
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM fi_plans`))[0].n).toBe(0);
    const denied = await upload(await t.login('fs_admin'), [HEAD, `2026,${code[DEMO_NODES.foshan]},佛山分行,10,`].join('\n'));
    expect(denied.errors.items[0].code).toBe('AUTH.BANK_WIDE_REQUIRED');
  });

  it('imports plans; the same file again changes nothing; a new count is the next version', async () => {
    const csv = [HEAD, `2026,${code[DEMO_NODES.foshan]},佛山分行,10,年初下达`, `2026,${code[DEMO_NODES.heyuan]},河源分行,6,年初下达`].join('\n');
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 2 });
    expect((await upload(admin, csv)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
    expect((await upload(admin, [HEAD, `2026,${code[DEMO_NODES.foshan]},佛山分行,15,按标杆行等比例调整`].join('\n'))).job).toMatchObject({ status: 'done', updated: 1 });
    const plans = (await admin.get('/api/interbank/plans?year=2026&history=true')).json().items as { nodeId: number; planCount: number; version: number; reason: string }[];
    expect(plans.filter((p) => p.nodeId === DEMO_NODES.foshan).map((p) => [p.version, p.planCount, p.reason])).toEqual([
      [2, 15, '按标杆行等比例调整'],
      [1, 10, '年初下达'],
    ]);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.plan.set'`);
    expect(n).toBe(3);
  });
});
