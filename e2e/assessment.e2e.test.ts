import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { type Database, migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { seedDemoCustomers, TEST_SCALE } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { seedDemoQuotas } from '../server/seed/quotas.js';
import { seedDemoScoring } from '../server/seed/scoring.js';
import { seedTargetCriteria } from '../server/seed/targets.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { launchBrowser, newContext, shot, signIn } from './browser.js';
import { assertConsoleBuilt, WEB_DIST } from './server.js';

/**
 * Issue 6 end to end (SPEC §10): next year's quotas with the 10 % helper, four-eyes approval, the
 * completion dashboards on the demo year, the year-end assessment with its 50 % gate, a what-if,
 * the committee's approval and the payout workbook — as the people who do each step:
 * the committee office specialist (quota.write), 佛山分行's administrator (edits last, so may not
 * approve), the committee chair fs_president (approves), HR fs_hr (runs, downloads).
 *
 * The server is the one `npm start` gives a fresh database (server/ops/prepare.ts) at test scale:
 * the demo bank, customers, cross-sales of 2026-10/11 and the demo quotas of 2026, approved.
 */
const FOSHAN = 11;
const WORK = path.resolve('test-results/e2e-files');
const POOL_FEN = 10_000_000; // 100,000.00 元: does not divide evenly among the departments.

interface Running {
  database: Database;
  baseUrl: string;
  close(): Promise<void>;
}

async function startDemoServer(): Promise<Running> {
  assertConsoleBuilt();
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateDatabase(database);
  await seedDemoBank(database.db);
  await seedDemoCustomers(database.db, TEST_SCALE);
  await seedTargetCriteria(database.db);
  await seedSplitRules(database.db);
  await seedDemoScoring(database.db);
  await seedDemoQuotas(database.db);
  const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', WEB_DIST, PORT: '0', SEED_DEMO: 'false' }));
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    database,
    baseUrl,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Moves the mouse off menus and tooltips and scrolls to the top before a screenshot. */
async function settle(page: Page) {
  await page.mouse.move(1300, 880);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Clicks the visible Popconfirm's OK button with this test id. */
async function confirm(page: Page, testId: string) {
  await page.getByTestId(testId).filter({ visible: true }).click();
}

describe('quotas, dashboards and the year-end assessment (issue 6)', () => {
  let server: Running;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let officeNo = '';

  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
    // The committee office specialist of 佛山分行 (committee_member: quota.write, not quota.approve).
    const [office] = await rows<{ staff_no: string }>(
      server.database.db,
      sql`SELECT s.staff_no FROM committee_members c JOIN staff s ON s.id = c.staff_id WHERE c.node_id = ${FOSHAN} AND c.position = 'office' ORDER BY c.id LIMIT 1`,
    );
    officeNo = office.staff_no;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);
  afterEach(async () => {
    while (contexts.length) await contexts.pop()!.close();
    expect(pageErrors).toEqual([]);
  });

  /** A person signed in, in their own browser context (own cookies). */
  async function as(staffNo: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
    const context = await newContext(browser, server.baseUrl);
    // A shared 2-core runner can be slow to answer the first page of a context.
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    if (lang === 'en') await context.addInitScript(() => localStorage.setItem('linkage.lang', 'en'));
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, staffNo);
    return page;
  }

  it('sets 2027 quotas with the 10 % helper, adjusts one, refuses the last editor, the chair approves', async () => {
    // ---- 1. The committee office sets the 银行卡 line target for 2027 and applies the helper -------
    const office = await as(officeNo);
    await office.goto(`/quotas?node=${FOSHAN}&year=2027`);
    await office.getByTestId('quota-plan').waitFor();
    await office.getByTestId('quota-table').getByText('本年度尚未设定营销任务').waitFor();
    await settle(office);
    await shot(office, 'assessment-01-quotas-2027-empty');

    await office.getByRole('tab', { name: '条线指标与10%建议' }).click();
    await office.getByTestId('line-target-edit-CARD').click();
    await office.getByTestId('line-target-input').fill('3,000');
    await office.getByTestId('line-target-save').click();
    await expect(office.getByTestId('line-target-CARD').textContent()).resolves.toBe('3,000 张');
    await office.getByTestId('proposal-open-CARD').click();
    const drawer = office.getByTestId('proposal-drawer');
    await drawer.getByTestId('proposal-table').locator('tr.ant-table-row').first().waitFor();
    // 3,000 张 × 10 % = 300 张 for each department hosting or taking part in the line, each product.
    await expect(drawer.getByTestId('proposal-each').textContent()).resolves.toContain('每个部门每个产品建议 300 张');
    await shot(office, 'assessment-02-quota-proposal');
    await drawer.getByTestId('proposal-apply').click();
    await office.getByText(/已按建议新增\d+项营销任务/).waitFor();

    await office.getByRole('tab', { name: /任务明细/ }).click();
    const table = office.getByTestId('quota-table');
    await table.getByTestId('quota-edit-CC-CREDIT').waitFor();
    await expect(table.textContent()).resolves.toContain('建议目标');
    await expect(office.getByTestId('quota-plan-state').getAttribute('data-state')).resolves.toBe('draft');
    // The office may draft but not approve (quota.approve belongs to the chair).
    await expect(office.getByTestId('quota-approve').count()).resolves.toBe(0);
    // Bulk editing goes through the import page, the quotas kind preselected.
    await office.getByTestId('quota-import-link').click();
    await office.waitForURL('**/imports?kind=quotas');
    await office.getByTestId('import-kind').getByText('营销任务').waitFor();

    // ---- 2. 佛山分行's administrator adjusts one quota (and so is the last editor) -------------------
    const admin = await as('fs_admin');
    await admin.goto(`/quotas?node=${FOSHAN}&year=2027`);
    const adminTable = admin.getByTestId('quota-table');
    await adminTable.getByTestId('quota-edit-CC-CREDIT').click();
    await adminTable.getByTestId('quota-qty-input').fill('350.5');
    await adminTable.getByTestId('quota-save').click();
    await adminTable.getByText('350.5 张').waitFor();
    await expect(admin.getByTestId('quota-last-editor').textContent()).resolves.not.toContain(officeNo);
    await settle(admin);
    await shot(admin, 'assessment-03-quota-adjusted');

    // Four eyes: the last editor may not approve; the refusal reads in Chinese.
    await admin.getByTestId('quota-approve').click();
    await confirm(admin, 'quota-approve-confirm');
    const refusal = admin.getByTestId('quota-approve-error');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('四眼原则');
    await settle(admin);
    await shot(admin, 'assessment-04-quota-four-eyes');

    // ---- 3. The committee chair approves: version 1, with what it holds ------------------------------
    const chair = await as('fs_president');
    await chair.goto(`/quotas?node=${FOSHAN}&year=2027`);
    await chair.getByTestId('quota-approve').click();
    await confirm(chair, 'quota-approve-confirm');
    await chair.locator('[data-testid="quota-plan-state"][data-state="approved"]').waitFor();
    await expect(chair.getByTestId('quota-plan-state').textContent()).resolves.toBe('已审批（第1版）');
    await chair.getByRole('tab', { name: /审批历史/ }).click();
    await chair.getByTestId('quota-version-diff').getByText('新增').first().waitFor();
    await settle(chair);
    await shot(chair, 'assessment-05-quota-approved-versions');
  });

  it('shows the 2026 dashboards: completion bars with the gate lines, rankings, trend, drill-down', async () => {
    const page = await as('fs_president');
    await page.goto(`/dashboards?node=${FOSHAN}&year=2026`);
    const completion = page.getByTestId('completion-card');
    await completion.getByTestId('completion-chart').locator('canvas').first().waitFor();
    await completion.getByTestId('completion-table').locator('tr.ant-table-row').first().waitFor();
    await expect(completion.textContent()).resolves.toContain('已审批（第1版）');
    await expect(completion.getByTestId('completion-table').textContent()).resolves.toMatch(/低于50%/);
    await settle(page);
    await shot(page, 'assessment-06-dashboard-completion');

    const rankings = page.getByTestId('rankings-card');
    const deptRow = rankings.getByTestId('rankings-departments').locator('tr.ant-table-row').first();
    await deptRow.waitFor();
    const first = (await deptRow.textContent()) ?? '';
    expect(first).toMatch(/^1/);
    await rankings.getByTestId('rankings-departments-chart').locator('canvas').first().waitFor();
    await expect(rankings.getByTestId('rankings-people').locator('tr.ant-table-row').count()).resolves.toBeGreaterThan(0);
    await rankings.scrollIntoViewIfNeeded();
    await shot(page, 'assessment-07-dashboard-rankings');

    await page.getByTestId('trend-card').getByTestId('trend-chart').locator('canvas').first().waitFor();
    // Drill: the top department's row → its people.
    const deptName = first.replace(/^\d+/, '').split('（')[0];
    await deptRow.click();
    const drill = page.getByTestId('drill-card');
    await drill.getByTestId('drill-path').getByText(deptName).waitFor();
    await drill.getByTestId('drill-table').locator('tr.ant-table-row').first().waitFor();
    await expect(drill.textContent()).resolves.toContain('按人员');
    await page.waitForTimeout(600);
    await shot(page, 'assessment-08-dashboard-drill-people');
  });

  it('runs the 2026 assessment, tries a what-if, the chair approves, HR downloads the payout workbook', async () => {
    // ---- 1. HR runs the year with a pool of 100,000.00 元 ------------------------------------------------
    const hr = await as('fs_hr');
    await hr.goto(`/assessment?node=${FOSHAN}&year=2026`);
    await hr.getByTestId('assessment-runs').waitFor();
    // Art. 22: the year is not over yet — the page says which months are open; only 试算 is possible.
    const yearOpen = hr.getByTestId('assessment-year-open');
    await yearOpen.waitFor();
    await expect(yearOpen.textContent()).resolves.toMatch(/2026 年尚有月份未锁定：佛山分行 2026-\d\d（/);
    await expect(hr.getByTestId('assessment-new').isDisabled()).resolves.toBe(true);
    await settle(hr);
    await shot(hr, 'assessment-09a-year-open');
    // The committee has approved (locked) every month of 2026 — here straight in the database.
    for (let m = 1; m <= 12; m++) {
      const period = `2026-${String(m).padStart(2, '0')}-01`;
      await server.database.db.execute(
        sql`INSERT INTO periods (node_id, period, state, locked_at) VALUES (${FOSHAN}, ${period}::date, 'locked', now())
            ON CONFLICT (node_id, period) DO UPDATE SET state = 'locked', locked_at = now() WHERE periods.state <> 'locked'`,
      );
    }
    await hr.reload();
    await hr.locator('[data-testid="assessment-new"]:not([disabled])').waitFor();
    await expect(hr.getByTestId('assessment-year-open').count()).resolves.toBe(0);
    await hr.getByTestId('assessment-new').click();
    await hr.getByTestId('assessment-pool').fill('100,000.00');
    await hr.getByText('奖励总额 100,000.00 元').waitFor();
    await shot(hr, 'assessment-09-new-run');
    await hr.getByTestId('assessment-run-ok').click();
    const run = hr.getByTestId('assessment-run');
    await run.waitFor();
    await expect(run.getAttribute('data-state')).resolves.toBe('draft');
    await expect(run.getByTestId('assessment-pool-amount').textContent()).resolves.toBe('100,000.00 元');

    // The gate: every product that scored nothing for a department, and why.
    const summary = run.getByTestId('assessment-gate-summary');
    await expect(summary.textContent()).resolves.toMatch(/完成率门槛 50%：\d+ 项任务中 [1-9]\d* 项未达门槛/);
    const gateRows = run.getByTestId('assessment-gate-table').locator('tr.ant-table-row');
    await gateRows.first().waitFor();
    await expect(gateRows.first().textContent()).resolves.toContain('低于50.00%门槛');
    await settle(hr);
    await shot(hr, 'assessment-10-run-gate');

    await run.getByRole('tab', { name: /部门得分与奖励/ }).click();
    await expect(run.getByTestId('assessment-reward-total').textContent()).resolves.toBe('100,000.00');
    await run.getByTestId('assessment-departments').scrollIntoViewIfNeeded();
    await shot(hr, 'assessment-11-run-departments');
    await run.getByRole('tab', { name: /人员奖励/ }).click();
    await run.getByTestId('assessment-people').locator('tr.ant-table-row').first().waitFor();
    await run.getByTestId('assessment-people').scrollIntoViewIfNeeded();
    await shot(hr, 'assessment-12-run-people');
    await run.getByRole('tab', { name: /奖励规则/ }).click();
    await run.getByTestId('assessment-rule-lines').waitFor();
    await expect(run.getByTestId('assessment-rule-lines').textContent()).resolves.toMatch(/专项奖励|扣/);
    await shot(hr, 'assessment-13-run-rules');

    // ---- 2. What-if: another pool, side by side, nothing saved ---------------------------------------------
    const whatIf = hr.getByTestId('whatif-card');
    await expect(whatIf.getByTestId('whatif-label').textContent()).resolves.toBe('试算（不保存）');
    await whatIf.getByTestId('whatif-pool').fill('120000');
    await whatIf.getByTestId('whatif-run').click();
    const result = whatIf.getByTestId('whatif-result');
    await result.waitFor();
    await expect(result.getByTestId('whatif-trial').textContent()).resolves.toBe('试算');
    await expect(result.getByTestId('whatif-base-col').textContent()).resolves.toBe('当前');
    await expect(result.getByTestId('whatif-col').textContent()).resolves.toBe('试算（不保存）');
    await expect(result.getByTestId('whatif-reward-total').textContent()).resolves.toBe('120,000.00');
    await expect(result.getByTestId('whatif-table').textContent()).resolves.toContain('+');
    await result.scrollIntoViewIfNeeded();
    await shot(hr, 'assessment-14-what-if');
    // Nothing was written: the run still holds the pool it was run with.
    await hr.reload();
    await expect(hr.getByTestId('assessment-run').getByTestId('assessment-pool-amount').textContent()).resolves.toBe('100,000.00 元');
    await expect(hr.getByTestId('assessment-approve').count()).resolves.toBe(0);

    // ---- 3. The committee chair (not the runner) approves -------------------------------------------------
    const chair = await as('fs_president');
    await chair.goto(`/assessment?node=${FOSHAN}&year=2026`);
    await chair.getByTestId('assessment-approve').click();
    await confirm(chair, 'assessment-approve-confirm');
    await chair.locator('[data-testid="assessment-run"][data-state="approved"]').waitFor();
    await settle(chair);
    await shot(chair, 'assessment-15-run-approved');

    // The chair edits the award rules (Art. 17) for next year: a new special-award tier, typed in % and 元.
    await chair
      .getByTestId('assessment-run')
      .getByRole('tab', { name: /奖励规则/ })
      .click();
    await chair.getByTestId('edit-award-rules').click();
    const rulesForm = chair.getByTestId('award-rules-form');
    await rulesForm.waitFor();
    await rulesForm.getByLabel('自哪一年起生效').fill('2027');
    await rulesForm
      .getByRole('button', { name: /添加一档/ })
      .nth(1)
      .click();
    const atLeast = rulesForm.getByLabel('完成率达到');
    await atLeast.last().fill('150');
    await rulesForm.getByLabel('奖励金额（元）').last().fill('8888.88');
    await settle(chair);
    await shot(chair, 'assessment-15a-edit-rules');
    await chair.getByRole('button', { name: /保\s*存/ }).click();
    await chair.getByText('奖励规则已保存').waitFor();
    const saved = await chair.evaluate(async (node) => (await fetch(`/api/assessment/rules?nodeId=${node}&year=2027`)).json(), FOSHAN);
    expect(saved.inForce.effectiveYear).toBe(2027);
    expect(saved.inForce.rules.specialAwards).toContainEqual(expect.objectContaining({ atLeastBp: 15000, amountFen: 888888 }));

    // ---- 4. HR downloads the payout workbook: the reward column adds up to the pool, to the fen ------------
    await hr.reload();
    await hr.locator('[data-testid="assessment-run"][data-state="approved"]').waitFor();
    const [download] = await Promise.all([hr.waitForEvent('download'), hr.getByTestId('assessment-payout').click()]);
    expect(download.suggestedFilename()).toMatch(/奖励发放表\.xlsx$/);
    const file = path.join(WORK, 'payout-2026.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('奖励发放表')!;
    const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const rewardCol = headers.indexOf('奖励金额(元)');
    expect(rewardCol).toBeGreaterThan(0);
    let sumFen = 0;
    let totalRowFen: number | null = null;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.getCell(rewardCol).value;
      if (typeof v !== 'number') return;
      // The sheet holds 元 with two decimals: back to integer 分 before adding.
      const fen = Math.round(v * 100);
      if (row.getCell(1).value === '合计') totalRowFen = fen;
      else sumFen += fen;
    });
    expect(sumFen).toBe(POOL_FEN);
    expect(totalRowFen).toBe(POOL_FEN);
    await settle(hr);
    await shot(hr, 'assessment-16-payout-downloaded');
  });

  it('reads in English too', async () => {
    const page = await as('fs_president', 'en');
    await page.goto(`/assessment?node=${FOSHAN}&year=2026`);
    await page.getByTestId('assessment-run').waitFor();
    await expect(page.getByTestId('whatif-label').textContent()).resolves.toBe('What-if (not saved)');
    await settle(page);
    await shot(page, 'assessment-17-english');
    await page.goto(`/dashboards?node=${FOSHAN}&year=2026`);
    await page.getByTestId('completion-chart').locator('canvas').first().waitFor();
    await settle(page);
    await shot(page, 'assessment-18-english-dashboard');
  });
});
