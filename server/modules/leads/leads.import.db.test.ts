import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * 商机 by file (issue 13): every row checked and named, a re-import adds nothing, rows without a
 * holder spread over the department's account managers by the capacity rule.
 */
let t: TestApp;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
});
afterAll(async () => t?.close());

async function upload(csv: string, mode: 'all' | 'valid_only' = 'all') {
  const res = await fsAdmin.request({ method: 'POST', url: '/api/imports/leads?mode=' + mode, payload: uploadForm(Buffer.from(csv), 'leads.csv', mode) });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await fsAdmin.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await fsAdmin.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

const HEAD = '商机编号,机构号,承接部门代码,意向产品代码,客户姓名,客户身份证号码,来源,承接人工号,备注';

describe('the leads import', () => {
  it('names every bad row and cell, and writes nothing when any row is wrong', async () => {
    const [hy] = await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE id = ${DEMO_NODES.heyuan}`);
    const csv = [
      HEAD,
      'SJ-0001,44100,,CREDIT,王小明,,转介绍,,',
      'SJ-0002,44100,,NOPE,李四,,,,',
      `SJ-0003,${hy.code},,CREDIT,张三,,,,`,
      'SJ-0004,44100,,CREDIT,赵五,440104199001011235,,,',
      'SJ-0005,44100,,,钱六,,,,',
      'SJ-0006,44100,,CREDIT,孙七,,营销活动,fs_staff,',
    ].join('\n');
    const { job, errors } = await upload(csv);
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 5 });
    const byRow = new Map<number, { column: string; code: string; message: string }[]>();
    for (const e of errors.items) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
    expect(byRow.get(3)![0]).toMatchObject({ code: 'IMPORT.REFERENCE' });
    expect(byRow.get(3)![0].message).toContain('产品代码 NOPE 不存在');
    expect(byRow.get(4)![0].message).toContain('不存在或不在您的管理范围内');
    expect(byRow.get(5)![0]).toMatchObject({ code: 'IMPORT.CHECK_DIGIT' });
    expect(byRow.get(6)![0].message).toContain('意向产品代码与承接部门代码至少填写一项');
    expect(byRow.get(7)![0]).toMatchObject({ code: 'LEAD.BAD_ASSIGNEE' });
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM leads`);
    expect(n).toBe(0);
  });

  it('spreads leads without a holder evenly over the department’s account managers; a re-import adds nothing', async () => {
    const lines = [HEAD];
    for (let i = 1; i <= 40; i++) lines.push(`BULK-${String(i).padStart(4, '0')},44100,,CREDIT,客户${i},,,,`);
    const first = await upload(lines.join('\n'));
    expect(first.job).toMatchObject({ status: 'done', inserted: 40, errorRows: 0 });
    const [{ ams }] = await q<{ ams: number }>(
      sql`SELECT count(*)::int AS ams FROM staff s JOIN departments d ON d.id = s.department_id
           WHERE s.active AND d.node_id = ${DEMO_NODES.foshan} AND d.code = 'CC'
             AND EXISTS (SELECT 1 FROM staff_roles sr JOIN roles r ON r.code = sr.role_code WHERE sr.staff_id = s.id AND r.code <> 'admin' AND r.permissions @> '["lead.work"]'::jsonb)`,
    );
    const all = await q<{ owner: number | null; n: number }>(sql`SELECT owner_staff_id AS owner, count(*)::int AS n FROM leads GROUP BY owner_staff_id`);
    const loads = all.filter((l) => l.owner !== null);
    // Each holds at most the default capacity of 30; what does not fit waits in the pool.
    expect(loads).toHaveLength(ams);
    const held = Math.min(40, ams * 30);
    expect(loads.reduce((a, l) => a + l.n, 0)).toBe(held);
    expect(all.find((l) => l.owner === null)?.n ?? 0).toBe(40 - held);
    const counts = loads.map((l) => l.n);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    const [{ events }] = await q<{ events: number }>(sql`SELECT count(*)::int AS events FROM lead_events`);
    expect(events).toBe(40 + held); // created, and assigned when it found a holder
    // One notification per holder, not per lead.
    const [{ notes }] = await q<{ notes: number }>(sql`SELECT count(*)::int AS notes FROM notifications WHERE kind = 'lead.assigned'`);
    expect(notes).toBe(loads.length);

    const again = await upload(lines.join('\n'));
    expect(again.job).toMatchObject({ status: 'done', inserted: 0, unchanged: 40 });
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM leads`);
    expect(n).toBe(40);
  });
});
