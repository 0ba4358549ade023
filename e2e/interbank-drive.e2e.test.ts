import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../server/calendar/index.js';
import { runJobsOnce } from '../server/jobs/runner.js';
import { apiSignIn, pick } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { apiAs } from './projects-setup.js';

/** Wednesday 2026-12-09, 10:00 Beijing: the week (Mon 12-07 … Sun 12-13) the signings are recorded in. */
const START = '2026-12-09T02:00:00.000Z';
const WEEK = '2026-12-13';
const HEADERS = ['机构编码', '机构名称', '机构类型', '上级联社编码', '所属二级分行机构号', '联动负责人工号', '状态'];

interface Grant {
  seq: number;
  signingId: number;
  institutionName: string;
  recordedAt: string;
}
interface Line {
  nodeName: string;
  institutions: number;
  signed: number;
  coverageBp: number | null;
  flagged: boolean;
}

// Issue 14, "done when": import a registry, record signings in three branches, take the weekly
// snapshot, see the flag and the briefing, grant the pool. The demo bank has no registry of its own
// here (startServer seeds the bank only), so every figure below is this test's: 佛山 5 institutions
// 2 signed (40 %, flagged), 河源 5 with 3 (exactly 60 %, not flagged), 汕头 (44300) 2 with 2; the
// province 7 of 12 = 58.33 %. A pool of 5 grants meets 7 signings: the first 5 in recording order get them.
describe('同业合作平台：名录导入 → 三家分行签约 → 资源池 → 周快照 → 督导标记与周通报', () => {
  const f = useConsole();
  const t = useTestClock(START);
  beforeAll(() => t.clock.set(START));
  afterAll(() => t.restore());

  it('registry → signings in three branches → the pool runs out in order → snapshot → flag and briefing', async () => {
    const base = f.server.baseUrl;
    const admin = await apiAs(f.browser, base, 'admin');
    const { items: branches } = await admin.get<{ items: { id: number; code: string; name: string }[] }>('/api/interbank/branches');
    const byCode = (code: string) => branches.find((b) => b.code === code)!;
    const [fs, hy, third] = [byCode('44100'), byCode('44200'), byCode('44300')];
    expect([fs.name, hy.name]).toEqual(['佛山分行', '河源分行']);
    const before = await admin.get<{ lines: Line[] }>('/api/interbank/coverage', { asOf: WEEK });
    const lineOf = (c: { lines: Line[] }, name: string) => c.lines.find((l) => l.nodeName === name);
    for (const b of [fs, hy, third]) expect(lineOf(before, b.name)?.institutions ?? 0).toBe(0);

    // ---- 1. The province administrator imports the registry (xlsx, the template's headers).
    const plan: [branch: string, prefix: string, count: number][] = [
      ['44100', 'DRV-FS', 5],
      ['44200', 'DRV-HY', 5],
      ['44300', 'DRV-T3', 2],
    ];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('机构名录');
    ws.addRow(HEADERS);
    for (const [code, prefix, n] of plan) {
      const city = branches.find((b) => b.code === code)!.name.replace('分行', '');
      for (let k = 1; k <= n; k++) ws.addRow([`${prefix}${k}`, `${city}驱动测试${k}号村镇银行`, '村镇银行', '', code, '', '正常']);
    }
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const upload = await newContext(f.browser, base);
    const res = await upload.request.post('/api/imports/interbank-registry', {
      headers: { 'x-csrf-token': await apiSignIn(upload.request, 'admin') },
      multipart: { file: { name: 'registry.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer } },
    });
    expect(res.status(), await res.text()).toBe(202);
    const { id: jobId } = (await res.json()) as { id: string };
    await upload.close();
    let job: { status: string; inserted: number } = { status: 'queued', inserted: 0 };
    for (let i = 0; i < 120 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = await admin.get<typeof job>(`/api/imports/jobs/${jobId}`);
    }
    expect(job).toMatchObject({ status: 'done', inserted: 12 });
    const { items: institutions } = await admin.get<{ items: { id: number; code: string; name: string }[] }>('/api/interbank/institutions', { q: '驱动测试', pageSize: 100 });
    const inst = (code: string) => institutions.find((i) => i.code === code)!;
    expect(institutions.filter((i) => i.code.startsWith('DRV-'))).toHaveLength(12);

    // ---- 2. The quarter's pool: 500 万元 in grants of 100 — room for 5 of the 7 signings.
    const pool = await admin.post<{ id: number }>('/api/interbank/pools', {
      quarter: '2026Q4',
      resource: 'intermediate_income',
      name: '驱动测试中间业务收入',
      unit: '万元',
      totalAmount: 500,
      grantAmount: 100,
    });

    // ---- 3. Signings, a minute apart. The first in the console by 佛山's administrator.
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await f.context.clock.setFixedTime(t.clock.now());
    await signIn(page, 'fs_admin');
    await page.goto('/interbank/signings');
    await page.getByTestId('fi-sign-new').click();
    await pick(page, page.getByTestId('fi-sign-institution'), '佛山驱动测试1', '佛山驱动测试1号村镇银行');
    await expect(page.getByTestId('fi-sign-date').inputValue()).resolves.toBe('2026-12-09');
    await page.getByTestId('fi-sign-ok').click();
    const row = page.getByTestId('fi-signings-table').locator('.ant-table-row', { hasText: '佛山驱动测试1号村镇银行' });
    await row.waitFor();
    expect(await row.textContent()).toContain('框架协议');

    // The rest over the API, each by its branch's user (the third branch's by the province office).
    const fsApi = await apiAs(f.browser, base, 'fs_admin');
    const hyApi = await apiAs(f.browser, base, 'hy_admin');
    const order: [api: typeof admin, code: string][] = [
      [hyApi, 'DRV-HY1'],
      [admin, 'DRV-T31'],
      [fsApi, 'DRV-FS2'],
      [hyApi, 'DRV-HY2'],
      [admin, 'DRV-T32'],
      [hyApi, 'DRV-HY3'],
    ];
    let minute = 0;
    for (const [api, code] of order) {
      t.clock.set(new Date(Date.parse(START) + ++minute * 60_000));
      await api.post('/api/interbank/signings', { institutionId: inst(code).id, kind: 'framework', signedOn: '2026-12-09' });
    }
    // A branch cannot sign in another branch's jurisdiction.
    await expect(fsApi.post('/api/interbank/signings', { institutionId: inst('DRV-HY4').id, kind: 'framework', signedOn: '2026-12-09' })).rejects.toThrow(/403|404/);

    // The pool: exactly 5 granted, in recording order — the console's signing first — then empty.
    const { items: grants } = await admin.get<{ items: Grant[] }>(`/api/interbank/pools/${pool.id}/grants`);
    expect(grants.map((g) => g.institutionName)).toEqual([
      '佛山驱动测试1号村镇银行',
      '河源驱动测试1号村镇银行',
      `${third.name.replace('分行', '')}驱动测试1号村镇银行`,
      '佛山驱动测试2号村镇银行',
      '河源驱动测试2号村镇银行',
    ]);
    expect(grants.map((g) => g.seq)).toEqual([1, 2, 3, 4, 5]);
    expect([...grants.map((g) => g.recordedAt)].sort()).toEqual(grants.map((g) => g.recordedAt));
    const { items: pools } = await admin.get<{ items: { id: number; grants: number; grantedAmount: number; remainingAmount: number }[] }>('/api/interbank/pools');
    expect(pools.find((p) => p.id === pool.id)).toMatchObject({ grants: 5, grantedAmount: 500, remainingAmount: 0 });

    // ---- 4. Past the week's end (Monday 10:00 Beijing): the jobs run once and take the snapshot.
    t.clock.set('2026-12-14T02:00:00.000Z');
    const outcomes = await runJobsOnce(f.server.database.db);
    expect(outcomes.flatMap((o) => o.done)).toContainEqual(expect.objectContaining({ period: WEEK }));
    const briefing = await admin.get<{ data: { lines: Line[]; province: { signed: number; institutions: number; coverageBp: number } } }>(`/api/interbank/briefings/${WEEK}`);
    expect(briefing.data.province).toMatchObject({ signed: 7, institutions: 12, coverageBp: 5833 });
    expect(lineOf(briefing.data, '佛山分行')).toMatchObject({ institutions: 5, signed: 2, coverageBp: 4000, flagged: true });
    expect(lineOf(briefing.data, '河源分行')).toMatchObject({ institutions: 5, signed: 3, coverageBp: 6000, flagged: false });
    expect(lineOf(briefing.data, third.name)).toMatchObject({ institutions: 2, signed: 2, coverageBp: 10000, flagged: false });

    // The console, as the province office, on Monday.
    await f.context.clock.setFixedTime(t.clock.now());
    await f.context.clearCookies();
    await signIn(page, 'admin');
    await page.goto(`/interbank/briefing?week=${WEEK}`);
    await page.getByTestId('ibc-briefing').waitFor();
    const para0 = await page.getByTestId('ibc-para-0').innerText();
    expect(para0).toContain('已签约7户');
    // The prose reads whole percent, half up (58.33 % → 58 %); the API above holds 5833 bp.
    expect(para0).toContain('较上周增加7户');
    expect(para0).toContain('签约覆盖率58%');
    expect(para0).toContain('辖内金融机构客户12户');
    const para1 = await page.getByTestId('ibc-para-1').innerText();
    expect(para1).toContain('佛山分行共1家二级分行签约覆盖率低于60%');
    expect(para1).not.toContain('河源分行');
    await shot(page, 'interbank-drive-briefing-1366');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ibc-pdf').click()]);
    expect(pdf.suggestedFilename()).toBe(`同业合作平台周通报-${WEEK}.pdf`);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // 覆盖率 as of the week's Sunday: 佛山 flagged, 河源 at exactly 60 % not.
    await page.goto(`/interbank/coverage?asOf=${WEEK}`);
    const table = page.getByTestId('ibc-coverage-table');
    await table.getByText('佛山分行').waitFor();
    const fsRow = await table.locator('tr', { hasText: '佛山分行' }).innerText();
    expect(fsRow).toContain('40.00%');
    expect(fsRow).toContain('低于60.00%，每周督导');
    const hyRow = await table.locator('tr', { hasText: '河源分行' }).innerText();
    expect(hyRow).toContain('60.00%');
    expect(hyRow).not.toContain('低于');

    // ---- 5. 激励资源池: the five grants on the page.
    await page.goto('/interbank/pools');
    await page.getByText('驱动测试中间业务收入').first().click();
    await expect.poll(() => page.getByTestId('fi-grants-table').locator('.ant-table-row').count()).toBe(5);
    await shot(page, 'interbank-drive-pools-1366');
    for (const api of [admin, fsApi, hyApi]) await api.close();
    expect(f.pageErrors).toEqual([]);
  });
});
