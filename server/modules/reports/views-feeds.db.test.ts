import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { seedReportCatalogue } from './definitions.service.js';
import { runReportJob } from './produce.js';
import { measureHeader, TYPED_FEEDS } from './views-feeds.js';

/**
 * The typed feeds end to end (issue 16 part B): each of the 20 feeds' templates downloaded and
 * uploaded back as the bank would fill it (its example row: 佛山分行 44100, 1,234,567.89 元 →
 * 123,456,789 分, 12, 98.5 % → 9,850 bp), the same file again changing nothing; a bad file named by
 * row and cell and writing nothing; a row outside the importer's scope refused; and a report waiting
 * on its feed produced by the next run once the feed has arrived.
 */
let t: TestApp;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
const FS_CODE = '44100';
const q = <T>(query: Parameters<typeof rows>[1]) => rows<T>(t.database.db, query);

beforeAll(async () => {
  ({ restore } = useTestClock('2026-12-07T09:00:00+08:00'));
  t = await createTestApp();
  [admin, fsAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin')]);
});
afterAll(async () => {
  await t?.close();
  restore?.();
});

async function upload(who: Client, kind: string, bytes: Buffer, name: string) {
  const res = await who.request({ method: 'POST', url: `/api/imports/${kind}?mode=all`, payload: uploadForm(bytes, name, 'all') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

describe('a report waiting on its feed', () => {
  it('is produced by the next run once the feed has arrived, with the feed’s figures', async () => {
    await seedReportCatalogue(t.database.db, { validFrom: '2026-11-01' });
    await runReportJob(t.database.db, new Date('2026-12-07T09:00:00+08:00'));
    const issue = async () =>
      (
        await q<{ id: number; status: string; waiting_on: string | null }>(
          sql`SELECT id, status, waiting_on FROM report_issues WHERE definition_code = 'BAS-RECEPTION-DAY-M' AND period_key = '2026-11'`,
        )
      )[0];
    expect(await issue()).toMatchObject({ status: 'waiting_feed', waiting_on: 'reception-day' });
    const feed = TYPED_FEEDS.find((f) => f.name === 'reception-day')!;
    const head = ['期间', '机构号', ...feed.measures.map(measureHeader)].join(',');
    // 河源分行 (44200) and 清远 (44300); 佛山分行's row comes with the template test below.
    const csv = [head, `2026年11月,44200,4,186,172`, `2026-11,44300,2,75,75`].join('\n');
    expect((await upload(admin, feed.importKind, Buffer.from(csv), 'reception.csv')).job).toMatchObject({ status: 'done', inserted: 2 });
    await runReportJob(t.database.db, new Date('2026-12-07T10:00:00+08:00'));
    const done = await issue();
    expect(done.status).toBe('produced');
    const read = (await admin.get(`/api/reports/issues/${done.id}`)).json();
    expect(read.data.lines.map((l: { nodeCode: string; values: Record<string, number> }) => [l.nodeCode, l.values])).toEqual([
      ['44200', { sessions: 4, clients: 186, resolved: 172 }],
      ['44300', { sessions: 2, clients: 75, resolved: 75 }],
    ]);
    // 河源分行's administrator sees only its own line.
    const hy = (await (await t.login('hy_admin')).get(`/api/reports/issues/${done.id}`)).json();
    expect(hy.data.lines.map((l: { nodeId: number }) => l.nodeId)).toEqual([DEMO_NODES.heyuan]);
  });
});

describe('each typed feed has a tested template', () => {
  const expected = { fen: 123_456_789, count: 12, bp: 9_850 };
  it.each(TYPED_FEEDS.map((f) => [f.name, f] as const))('%s: the template filled with its example imports, once', async (_name, feed) => {
    const tpl = await admin.get(`/api/imports/templates/${feed.importKind}`);
    expect(tpl.statusCode).toBe(200);
    const bytes = tpl.rawPayload;
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const first = await upload(admin, feed.importKind, bytes, `${feed.name}.xlsx`);
    expect(first.job, JSON.stringify(first.errors)).toMatchObject({ status: 'done', inserted: 1 });
    const stored = await q<{ measure: string; value: string | number; period_key: string }>(
      sql`SELECT f.measure, f.value, f.period_key FROM report_feed_rows f JOIN org_nodes n ON n.id = f.node_id WHERE f.feed = ${feed.name} AND n.code = ${FS_CODE} ORDER BY f.measure`,
    );
    expect(Object.fromEntries(stored.map((s) => [s.measure, Number(s.value)]))).toEqual(Object.fromEntries(feed.measures.map((m) => [m.key, expected[m.unit]])));
    expect(new Set(stored.map((s) => s.period_key)).size).toBe(1);
    expect((await upload(admin, feed.importKind, bytes, `${feed.name}.xlsx`)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 1 });
  });
});

describe('a typed feed refuses bad rows', () => {
  const feed = TYPED_FEEDS.find((f) => f.name === 'device-uptime')!;
  const head = ['期间', '机构号', ...feed.measures.map(measureHeader)].join(',');

  it('names every bad row and cell and writes nothing', async () => {
    const csv = [
      head,
      `2026年12月1日,${FS_CODE},120,99.5,3456`,
      // a month for a daily feed; an unknown org; a fraction of a device; a percentage with three decimals
      '2026年11月,NOPE,12.5,98.555,1',
      // not begun yet
      `2026年12月8日,${FS_CODE},1,1,1`,
    ].join('\n');
    const { job, errors } = await upload(admin, feed.importKind, Buffer.from(csv), 'uptime.csv');
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 2 });
    const at = (row: number, column: string) => errors.items.find((e: { row: number; column: string }) => e.row === row && e.column === column);
    expect(at(3, '期间')).toBeTruthy();
    expect(at(3, '自助设备台数')).toBeTruthy();
    expect(at(3, '开机率（%）')).toBeTruthy();
    expect(JSON.stringify(at(4, '期间'))).toContain('尚未开始');
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM report_feed_rows WHERE feed = ${feed.name} AND period_key = '2026-12-01'`);
    expect(n).toBe(0);
  });

  it('refuses a row outside the importer’s scope', async () => {
    const csv = [head, `2026年12月1日,44200,120,99.5,3456`].join('\n');
    const { job, errors } = await upload(fsAdmin, feed.importKind, Buffer.from(csv), 'uptime.csv');
    expect(job).toMatchObject({ status: 'failed', inserted: 0 });
    expect(errors.items[0].code).toBe('AUTH.OUT_OF_SCOPE');
  });
});
