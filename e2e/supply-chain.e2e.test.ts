import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../server/calendar/index.js';
import { runJobsOnce } from '../server/jobs/runner.js';
import { makeIdNumber } from '../server/modules/customers/ids.rules.js';
import { apiSignIn } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { apiAs } from './projects-setup.js';

/** Monday 2026-12-07, 10:00 Beijing. Applications dated 2026-11-20: the order window is 2025-11 … 2026-10. */
const START = '2026-12-07T02:00:00.000Z';
const MONTHS = Array.from({ length: 12 }, (_, i) => (i < 2 ? `2025-${11 + i}` : `2026-${String(i - 1).padStart(2, '0')}`));

async function importXlsx(browser: Browser, base: string, kind: string, headers: string[], body: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  ws.addRow(headers);
  for (const r of body) ws.addRow(r);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const ctx = await newContext(browser, base);
  const res = await ctx.request.post(`/api/imports/${kind}`, {
    headers: { 'x-csrf-token': await apiSignIn(ctx.request, 'fs_admin') },
    multipart: { file: { name: `${kind}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer } },
  });
  expect(res.status(), await res.text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  let job: { status: string; inserted: number } = { status: 'queued', inserted: 0 };
  for (let i = 0; i < 120 && job.status !== 'done' && job.status !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await (await ctx.request.get(`/api/imports/jobs/${id}`)).json()) as typeof job;
  }
  await ctx.close();
  return job;
}

// SPEC §12 done-when: set up a programme, import the enterprise's list and both order histories,
// see the cross-check differences, admit (limit 630,000 = 30 % of 2,100,000 orders, below the
// 800,000 recommended), draw 300,000 with a 15,000 margin, the loan feed takes the NPL ratio over
// 3 % and the daily job suspends; a reassessment requested by 佛山's administrator and approved by
// its president (four eyes) reopens it.
describe('供应链金融：设立方案 → 导入推荐与订单 → 交叉验证 → 准入 → 提款 → 不良率暂停 → 四眼复核恢复', () => {
  const f = useConsole();
  const t = useTestClock(START);
  beforeAll(() => t.clock.set(START));
  afterAll(() => t.restore());

  it('runs the programme end to end in the console', async () => {
    const base = f.server.baseUrl;
    const fsApi = await apiAs(f.browser, base, 'fs_admin');
    const prog = await fsApi.post<{ id: number; totalCapFen: number }>('/api/supplychain/programmes', {
      code: 'TQ-2026',
      name: '特驱农牧贷',
      enterpriseName: '四川特驱农牧集团',
      nodeId: 11,
      agreementNo: 'HZXY-2026-01',
      guaranteeNo: 'DBHT-2026-01',
      signedOn: '2026-11-01',
    });
    expect(prog.totalCapFen).toBe(40_000_000_000);

    // ---- Imports (Excel, the templates' Chinese headers).
    const rec = await importXlsx(
      f.browser,
      base,
      'supplychain-recommendations',
      ['方案编号', '客户编号', '客户名称', '客户类型', '户号', '证件号码', '打分卡得分', '推荐融资金额（元）', '推荐函编号', '申请日期'],
      [
        ['TQ-2026', 'YZH-001', '张大山养殖场', '养殖户', 'H-001', makeIdNumber('440604', '1978-04-12', 101), 88, 800000, 'TJH-001', '2026-11-20'],
        ['TQ-2026', 'YZH-002', '李家湾生猪养殖合作社', '养殖户', 'H-002', makeIdNumber('440604', '1969-11-02', 102), 92, 3000000, 'TJH-002', '2026-11-20'],
        ['TQ-2026', 'YZH-003', '王二饲养户', '养殖户', 'H-003', makeIdNumber('440604', '1983-07-21', 103), 75, 500000, 'TJH-003', '2026-11-20'],
      ],
    );
    expect(rec).toMatchObject({ status: 'done', inserted: 3 });
    const orders: (string | number)[][] = [];
    for (const m of MONTHS) {
      for (const [code, ent, prov] of [
        ['YZH-001', 175000, 175000],
        ['YZH-002', 1000000, 1000000],
        ['YZH-003', m === '2026-06' ? 120000 : 100000, 100000],
      ] as const) {
        orders.push(['TQ-2026', code, m, '核心企业', ent], ['TQ-2026', code, m, '三方数据服务商', prov]);
      }
    }
    expect(await importXlsx(f.browser, base, 'supplychain-orders', ['方案编号', '客户编号', '订单月份', '数据来源', '订单金额（元）'], orders)).toMatchObject({ status: 'done', inserted: 72 });

    // ---- The cross-check on the page: 王二饲养户 differs in 2026-06 beyond the 5 % tolerance.
    const page = f.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/supplychain');
    await page.getByTestId('sc-programmes').getByText('特驱农牧贷').click();
    const clients = page.getByTestId('sc-clients');
    const wang = clients.locator('.ant-table-row', { hasText: '王二饲养户' });
    await wang.getByText('1 个月超出容差').waitFor();
    await wang.locator('.ant-table-row-expand-icon').click();
    const beyondRow = clients.locator('.ant-table-expanded-row .ant-table-row', { hasText: '2026-06' });
    await beyondRow.getByText('超出容差').waitFor();
    await expect(beyondRow.innerText()).resolves.toContain('20,000.00');
    await beyondRow.scrollIntoViewIfNeeded();
    await shot(page, 'supply-chain-cross-check-1366');

    // ---- Admit 张大山养殖场: 630,000.00, bound by 30 % of orders. 王二 is refused by the server.
    const zhang = clients.locator('.ant-table-row', { hasText: '张大山养殖场' });
    await zhang.getByRole('button', { name: /^准\s*入$/ }).click();
    await page.getByText('已准入，核定额度 630,000.00 元（订单额×30%）').waitFor();
    await zhang.getByText('订单额×30%').waitFor();
    await wang.getByRole('button', { name: /^准\s*入$/ }).click();
    await page.getByText('交叉验证存在超出容差的差异').first().waitFor();
    const [{ id: liId }] = (await fsApi.get<{ items: { id: number; clientCode: string }[] }>(`/api/supplychain/programmes/${prog.id}/clients`)).items.filter((c) => c.clientCode === 'YZH-002');
    expect(await fsApi.post<{ limitFen: number; limitRule: string }>(`/api/supplychain/clients/${liId}/admit`, { note: null })).toMatchObject({ limitFen: 200_000_000, limitRule: 'household_cap' });

    // ---- Draw 300,000 for 张大山养殖场 in the console: margin 5 % = 15,000.00.
    await page.reload();
    await clients
      .locator('.ant-table-row', { hasText: '张大山养殖场' })
      .getByRole('button', { name: /^提\s*款$/ })
      .click();
    const modal = page.locator('.ant-modal', { hasText: '张大山养殖场' });
    await modal.locator('#loanNo').fill('JJ-2026-0001');
    await modal.locator('#amountYuan').fill('300000');
    for (const [id, day] of [
      ['#drawnOn', '2026-12-07'],
      ['#maturityOn', '2027-12-07'],
    ]) {
      await modal.locator(id).click();
      await modal.locator(id).fill(day);
      await modal.locator(id).press('Enter');
    }
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('保证金（元） 15,000.00').waitFor();
    await page.getByRole('tab', { name: '提款与保证金' }).click();
    await page.getByTestId('sc-draws').locator('.ant-table-row', { hasText: 'JJ-2026-0001' }).getByText('15,000.00').waitFor();

    // ---- The loan feed: 李家湾 drew 10,000 and is 120 days overdue. NPL = 10,000 ÷ 310,000 = 3.23 % ≥ 3 %.
    const feed = await importXlsx(
      f.browser,
      base,
      'supplychain-loans',
      ['方案编号', '借据号', '客户编号', '放款日期', '到期日期', '放款金额（元）', '贷款余额（元）', '累计还本（元）', '逾期金额（元）', '逾期天数', '当月核心企业代偿（元）', '数据日期'],
      [['TQ-2026', 'JJ-2026-0002', 'YZH-002', '2026-01-10', '2027-01-09', 10000, 10000, 0, 10000, 120, 800, '2026-12-07']],
    );
    expect(feed).toMatchObject({ status: 'done', inserted: 1 });
    // The next Beijing day: the daily job computes the ratio once and suspends the programme.
    t.clock.set('2026-12-08T01:00:00.000Z');
    const outcomes = await runJobsOnce(f.server.database.db);
    expect(outcomes.find((o) => o.job === 'supplychain-npl')?.done).toHaveLength(1);
    await page.reload();
    await page.getByTestId('sc-status').getByText('已暂停').waitFor();
    await page.getByText('不良率已达暂停线').waitFor();
    await page.getByRole('tab', { name: '不良率' }).click();
    await page.getByTestId('sc-npl').locator('.ant-table-row', { hasText: '2026-12-08' }).getByText('3.22%').waitFor();
    await shot(page, 'supply-chain-suspended-1366');

    // ---- Four eyes: 佛山's administrator requests, cannot approve it himself; the president approves.
    await page.getByRole('button', { name: '申请重新评估' }).click();
    await page.locator('.ant-modal textarea').fill('核心企业已于当月代偿逾期利息，经营情况正常，重新评估后申请恢复业务');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('待复核的重新评估').waitFor();
    const detail = await fsApi.get<{ reassessments: { id: number; status: string }[] }>(`/api/supplychain/programmes/${prog.id}`);
    const ctx = await newContext(f.browser, base);
    const self = await ctx.request.post(`/api/supplychain/reassessments/${detail.reassessments[0].id}/decide`, {
      headers: { 'x-csrf-token': await apiSignIn(ctx.request, 'fs_admin') },
      data: { approve: true, note: '自己复核' },
    });
    expect(self.status()).toBe(403);
    await ctx.close();
    await page.context().clearCookies();
    await signIn(page, 'fs_president');
    await page.goto(`/supplychain/${prog.id}`);
    await page.getByRole('button', { name: '复核通过并恢复' }).click();
    await page.locator('.ant-modal textarea').fill('风险可控，同意恢复');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByTestId('sc-status').getByText('正常').waitFor();
    await page.getByRole('tab', { name: '重新评估' }).click();
    await page.getByText('风险可控，同意恢复').waitFor();
    await page.getByRole('tab', { name: '核心企业代偿' }).click();
    await page.getByText('800.00').waitFor();
    await shot(page, 'supply-chain-reopened-1366');
    expect(f.pageErrors).toEqual([]);
    await fsApi.close();
  });
});
