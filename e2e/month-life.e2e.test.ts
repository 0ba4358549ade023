import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../server/calendar/index.js';
import { newContext, SCREENSHOTS, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

/**
 * Issue 5 end to end (SPEC §9): a branch's month from draft to locked, through the console, as the
 * people who do each step — the committee office (fs_admin holds every permission over 佛山分行),
 * a member of staff (fs_staff), internal control & compliance (fs_compliance) and the committee
 * chair (fs_president).
 */
const FOSHAN = 11;
const MONTH = '2026-10';
const WORK = path.resolve('test-results/e2e-files');
const SEED = 'E2E-2026-10-佛山';

/**
 * The server runs in this process (e2e/server.ts), so the one clock (server/calendar/clock.ts:
 * publication windows, the objection deadline and every timestamp read it) can be moved here. It starts at
 * a fixed instant in the publication week of October — 2026-11-26 09:00 Beijing — so the run does
 * not depend on the day it runs; the window's close is then reached by moving the clock past it
 * (a week cannot pass through the UI).
 */
const START = new Date('2026-11-26T01:00:00Z');
const { clock: testClock, restore: restoreClock } = useTestClock(START);
afterAll(() => restoreClock());

interface PeriodJson {
  state: string;
  windowClosesAt: string | null;
  windowOpen: boolean;
  openObjections: number;
}
interface NoticeJson {
  period: PeriodJson;
  statement: { totals: { total: { points: string } }; departments: { departmentId: number; code: string; name: string }[] };
}
interface SpotJson {
  seed: string;
  items: { saleId: number; sourceId: string; points: { points: string }; result: string }[];
  summary: { sampled: number; verified: number; false: number; pending: number };
}

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** Waits for the month's state tag on the page to read `state`. */
async function stateIs(page: Page, state: string, text: string) {
  const tag = page.locator(`[data-testid="period-state"][data-state="${state}"]`).first();
  await tag.waitFor();
  await expect(tag.textContent()).resolves.toBe(text);
}

/** Clicks a step's button and confirms its Popconfirm. */
async function takeStep(page: Page, action: string) {
  await page.getByTestId(`period-action-${action}`).click();
  await page.getByTestId('period-action-confirm').filter({ visible: true }).click();
}

/** Moves the mouse off the header (no dropdown left open) and scrolls to the top before a screenshot. */
async function settle(page: Page) {
  await page.mouse.move(700, 500);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Signs a second person in, in their own browser context (own cookies). */
async function personPage(f: { browser: import('playwright-core').Browser; server: { baseUrl: string } }, staffNo: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(f.browser, f.server.baseUrl);
  const page = await context.newPage();
  await signIn(page, staffNo);
  return { context, page };
}

describe('the month’s life: publish, object, answer, submit, spot-check, audit, approve, print', () => {
  const f = useConsole({ scoring: true });

  it('takes 佛山分行 October from draft to locked through the console, with screenshots', async () => {
    mkdirSync(WORK, { recursive: true });
    const { page: office } = f;
    const others: BrowserContext[] = [];
    try {
      // ---- 1. The committee office publishes October (unless the scheduler already has) ----------
      await signIn(office, 'fs_admin');
      await office.goto(`/periods?month=${MONTH}`);
      const listTag = office.getByTestId(`period-state-${FOSHAN}`);
      await listTag.waitFor();
      const initial = await listTag.getAttribute('data-state');
      expect(['draft', 'published']).toContain(initial);
      await shot(office, 'month-01-periods-list');

      await office.getByTestId(`period-link-${FOSHAN}`).click();
      await office.waitForURL(new RegExp(`/periods/${FOSHAN}/${MONTH}$`));
      if (initial === 'draft') {
        await stateIs(office, 'draft', '草稿');
        await office.getByTestId('period-steps').waitFor();
        await shot(office, 'month-02-period-draft');
        await takeStep(office, 'publish');
      }
      await stateIs(office, 'published', '公示中');
      await office.getByTestId('window-open').waitFor();
      // Submitting waits for the window to close: the button says so and stays disabled.
      await expect(office.getByTestId('period-action-submit').isDisabled()).resolves.toBe(true);
      await settle(office);
      await expect(office.getByTestId('period-steps').textContent()).resolves.toContain('公示');
      await shot(office, 'month-03-period-published');

      // ---- 2. A member of staff hears of it (bell), reads the notice, objects to a department line --
      const staff = await personPage(f, 'fs_staff');
      others.push(staff.context);
      const sp = staff.page;
      const badge = sp.getByTestId('notification-badge');
      await badge.waitFor();
      expect(Number(await badge.getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
      await sp.getByTestId('notification-bell').click();
      const published = sp.locator('[data-testid="notification-item"][data-kind="period.published"]').first();
      await published.waitFor();
      await expect(published.textContent()).resolves.toContain('已公示');
      await shot(sp, 'month-04-staff-bell');
      await published.click();
      await sp.waitForURL(new RegExp(`/periods/${FOSHAN}/${MONTH}/notice$`));
      await sp.getByTestId('notice-title').waitFor();
      await expect(sp.getByTestId('notice-title').textContent()).resolves.toContain('佛山分行2026年10月交叉营销积分统计结果公示');
      await sp.getByTestId('notice-window-open').waitFor();
      for (const id of ['chart-departments', 'chart-products']) await sp.getByTestId(id).locator('canvas').first().waitFor();
      const notice = await getJson<NoticeJson>(staff.context.request, `/api/periods/${FOSHAN}/${MONTH}/notice`);
      // The totals as the API wrote them (the statistic groups thousands: 2,819.10).
      expect((await sp.getByTestId('notice-totals').textContent())?.replaceAll(',', '')).toContain(notice.statement.totals.total.points);
      await shot(sp, 'month-05-notice-staff');

      const dept = notice.statement.departments[0];
      await sp.getByTestId(`object-department-${dept.code}`).click();
      await expect(sp.getByTestId('objection-target-label').textContent()).resolves.toContain(dept.name);
      await sp.getByTestId('objection-reason').fill('本部门10月协助营销的一笔业务，参与部门与分成比例登记有误，请核实更正。');
      await shot(sp, 'month-06-objection-modal');
      await sp.getByTestId('objection-submit').click();
      await sp.getByTestId('objection-raised').waitFor();
      const mine = await getJson<{ items: { id: number; status: string }[] }>(staff.context.request, '/api/objections?mine=true');
      expect(mine.items).toHaveLength(1);
      const objectionId = mine.items[0].id;
      expect(mine.items[0].status).toBe('open');

      // Someone with scope over the branch drills from a line down to its sales, each with its own 提出异议.
      await office.goto(`/periods/${FOSHAN}/${MONTH}/notice`);
      await office.getByTestId('notice-departments').getByText('明细').first().click();
      await office.getByTestId('drill-table').locator('tr.ant-table-row').first().waitFor();
      expect(await office.locator('[data-testid^="object-sale-"]').count()).toBeGreaterThan(0);
      await shot(office, 'month-06a-notice-drill-sale');
      await office.keyboard.press('Escape');

      // ---- 3. The committee office answers it: upheld, with a correction of one of the line's sales --
      await office.goto('/objections');
      const row = office.locator('tr.ant-table-row', { has: office.getByTestId(`objection-link-${objectionId}`) });
      await row.waitFor();
      await expect(row.getByTestId('objection-status').textContent()).resolves.toBe('待答复');
      await shot(office, 'month-07-objections-list');
      await office.getByTestId(`objection-link-${objectionId}`).click();
      await office.getByTestId('objection-answer-form').waitFor();
      await office.getByTestId('decision-upheld').click();
      await office.getByTestId('objection-answer').fill('经核实，该笔销售的数量登记有误，异议成立，已按实际数量更正。');
      await office.getByTestId('objection-correct').click();
      // Pick the first sale of the line (the dropdown may still be opening: retry until one is chosen).
      const saleSelect = office.locator('.ant-select[data-testid="objection-sale-select"], .ant-select:has([data-testid="objection-sale-select"])').first();
      for (let i = 0; i < 3 && !(await saleSelect.locator('.ant-select-selection-item').count()); i++) {
        await office.getByTestId('objection-sale-select').click();
        await office.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').first().click();
        await office.waitForTimeout(300);
      }
      // The correction is the one-sale form, prefilled from the sale (issue 12), not a code string.
      await office.getByTestId('sale-form-correction').waitFor();
      const qty = office.getByTestId('sale-form-quantity');
      await office.waitForFunction(() => !!(document.querySelector('[data-testid="sale-form-quantity"]') as HTMLInputElement | null)?.value);
      const recorded = await qty.inputValue();
      await qty.fill(recorded === '3' ? '４' : '３');
      // The live preview shows every line's points before and after.
      await office.getByTestId('correction-preview-table').waitFor({ timeout: 15_000 });
      await shot(office, 'month-08-objection-answer-form');
      await office.getByTestId('objection-answer-submit').click();
      // Saving asks for confirmation with the before/after points of the correction.
      const confirm = office.getByTestId('correction-confirm');
      await confirm.waitFor();
      await expect(confirm.textContent()).resolves.toMatch(/更正前 [\d.]+，更正后 [\d.]+/);
      await shot(office, 'month-08a-objection-correction-confirm');
      await office.locator('.ant-modal-confirm .ant-btn-primary').click();
      await office.getByTestId('objection-trace').waitFor();
      await expect(office.getByTestId('objection-status').first().textContent()).resolves.toBe('成立');
      await expect(office.getByTestId('objection-ledger').textContent()).resolves.toMatch(/冲销 \d+ 条，新增 \d+ 条/);
      // The sale's ledger trace under it: the old lines reversed, new ones written.
      await office.getByTestId('split-trace').waitFor();
      await expect(office.getByTestId('split-trace').textContent()).resolves.toContain('冲销');
      await office.getByTestId('objection-trace').scrollIntoViewIfNeeded();
      await shot(office, 'month-09-objection-upheld-trace');

      // The objector is told (bell), and sees the answer.
      await sp.reload();
      await sp.getByTestId('notification-bell').click();
      const answered = sp.locator('[data-testid="notification-item"][data-kind="objection.answered"]').first();
      await answered.waitFor();
      await expect(answered.textContent()).resolves.toContain('成立');
      await shot(sp, 'month-10-staff-bell-answer');
      await answered.click();
      await sp.waitForURL(new RegExp(`/objections/${objectionId}$`));
      await sp.getByTestId('objection-answer-text').waitFor();
      await sp.getByTestId('objection-trace').waitFor();
      await settle(sp);
      await shot(sp, 'month-10a-objection-staff-view');

      // ---- 4. The window closes (the clock moves past it), the office submits ------------------------
      const published1 = await getJson<PeriodJson>(f.context.request, `/api/periods/${FOSHAN}/${MONTH}`);
      expect(published1.windowClosesAt).toBeTruthy();
      expect(published1.openObjections).toBe(0);
      // A week cannot pass through the UI: the in-process server's clock is set one second past the close.
      testClock.set(new Date(Date.parse(published1.windowClosesAt!) + 1000));
      await office.goto(`/periods/${FOSHAN}/${MONTH}`);
      await office.getByTestId('window-closed').waitFor();
      await shot(office, 'month-11-window-closed');
      // Nobody can object any more: the notice has no objection buttons.
      await sp.goto(`/periods/${FOSHAN}/${MONTH}/notice`);
      await sp.getByTestId('notice-title').waitFor();
      await expect(sp.getByTestId(`object-department-${dept.code}`).count()).resolves.toBe(0);
      // The upheld correction made version 2 of the notice, with its change list (issue 12 rule 2).
      await expect(sp.getByTestId('notice-version').textContent()).resolves.toContain('第 2 版');
      await sp.getByTestId('notice-change-log').scrollIntoViewIfNeeded();
      await expect(sp.getByTestId('notice-change-log').textContent()).resolves.toContain(`异议 #${objectionId}`);
      await shot(sp, 'month-11a-notice-version-2');
      await takeStep(office, 'submit');
      await stateIs(office, 'submitted', '已提交委员会');
      await settle(office);
      await shot(office, 'month-12-submitted');

      // ---- 5. Compliance draws the sample with a fixed seed, checks it, marks one sale false ---------
      const compliance = await personPage(f, 'fs_compliance');
      others.push(compliance.context);
      const cp = compliance.page;
      await cp.goto(`/periods/${FOSHAN}/${MONTH}`);
      await stateIs(cp, 'submitted', '已提交委员会');
      await cp.getByTestId('spot-draw-form').waitFor();
      await cp.locator('input[data-testid="spot-count"], [data-testid="spot-count"] input').first().fill('3');
      await cp.getByTestId('spot-seed-input').fill(SEED);
      await shot(cp, 'month-13-spot-draw-form');
      await cp.getByTestId('spot-draw').click();
      await cp.getByTestId('spot-seed').waitFor();
      await expect(cp.getByTestId('spot-seed').textContent()).resolves.toContain(SEED);
      await cp.getByTestId('spot-verify').click();
      await expect(cp.getByTestId('spot-verify-result').textContent()).resolves.toContain('样本一致');
      await cp.getByTestId('spot-check').scrollIntoViewIfNeeded();
      await shot(cp, 'month-14-spot-drawn');
      // Completing the audit before every sampled sale is checked: the button is disabled and says why.
      await expect(cp.getByTestId('period-audit-blocked').textContent()).resolves.toBe('还有 3 笔抽查样本未给出结论');
      await expect(cp.getByTestId('period-action-audit').isDisabled()).resolves.toBe(true);
      await stateIs(cp, 'submitted', '已提交委员会');
      await settle(cp);
      await shot(cp, 'month-14a-audit-refused');

      const drawn = await getJson<SpotJson>(compliance.context.request, `/api/spot-checks/${FOSHAN}/${MONTH}`);
      expect(drawn.seed).toBe(SEED);
      expect(drawn.items).toHaveLength(3);
      const [fake, ...real] = drawn.items;
      expect(fake.points.points).not.toBe('0.00');
      // 不实, with a note: the sale is reversed and its points become 0.00.
      await cp.getByTestId(`spot-false-${fake.saleId}`).click();
      await cp.getByTestId('spot-false-note').fill('经电话回访客户及核对业务凭证，该笔销售并非交叉营销所得，认定为虚假。');
      await shot(cp, 'month-15-spot-false-modal');
      await cp.getByTestId('spot-false-ok').click();
      const fakeRow = cp.locator(`tr[data-sale="${fake.saleId}"]`);
      await cp.locator(`tr[data-sale="${fake.saleId}"][data-result="false"]`).waitFor();
      await expect(cp.getByTestId(`spot-points-${fake.saleId}`).textContent()).resolves.toBe('0.00');
      await expect(fakeRow.textContent()).resolves.toContain('已冲销');
      // Evidence for it (multipart, with the CSRF header), then its download link.
      const evidence = path.join(WORK, 'spot-evidence.txt');
      writeFileSync(evidence, `回访记录：${fake.sourceId}，客户否认办理该业务。\n`);
      await fakeRow.locator('input[type=file]').setInputFiles(evidence);
      await fakeRow.getByTestId('spot-evidence-link').waitFor();
      await expect(fakeRow.getByTestId('spot-evidence-link').textContent()).resolves.toContain('spot-evidence.txt');
      // The others 属实.
      for (const item of real) {
        await cp.getByTestId(`spot-verified-${item.saleId}`).click();
        await cp.getByTestId(`spot-verified-ok-${item.saleId}`).click();
        await cp.locator(`tr[data-sale="${item.saleId}"][data-result="verified"]`).waitFor();
      }
      const summary = cp.getByTestId('spot-summary');
      await expect(summary.textContent()).resolves.toMatch(/抽查笔数\s*3/);
      await expect(summary.textContent()).resolves.toMatch(/不实\s*1/);
      await expect(summary.textContent()).resolves.toMatch(/待核实\s*0/);
      await cp.getByTestId('spot-check').scrollIntoViewIfNeeded();
      await shot(cp, 'month-16-spot-marked');

      await takeStep(cp, 'audit');
      await stateIs(cp, 'audited', '已审核');
      await settle(cp);
      await shot(cp, 'month-17-audited');

      // ---- 6. The committee chair approves: the month is locked ----------------------------------------
      const chair = await personPage(f, 'fs_president');
      others.push(chair.context);
      const pp = chair.page;
      await pp.getByTestId('notification-bell').click();
      await pp.locator('[data-testid="notification-item"][data-kind="period.audited"]').first().waitFor();
      await expect(pp.locator('[data-testid="notification-item"][data-kind="period.audited"]').first().textContent()).resolves.toContain('虚假 1 笔');
      await shot(pp, 'month-18-chair-bell');
      await pp.locator('[data-testid="notification-item"][data-kind="period.audited"]').first().click();
      await pp.waitForURL(new RegExp(`/periods/${FOSHAN}/${MONTH}$`));
      await stateIs(pp, 'audited', '已审核');
      await takeStep(pp, 'approve');
      await stateIs(pp, 'locked', '已审批锁定');
      await pp.getByTestId('period-locked-hint').waitFor();
      await expect(pp.getByTestId('period-steps').textContent()).resolves.toContain('审批锁定');
      await settle(pp);
      await shot(pp, 'month-19-locked');
      const locked = await getJson<PeriodJson>(chair.context.request, `/api/periods/${FOSHAN}/${MONTH}`);
      expect(locked.state).toBe('locked');

      // The statement says the month's real state, and a locked month offers no recompute (issue 12 rule 6).
      await office.goto(`/statements?node=${FOSHAN}&month=${MONTH}`);
      const stateTag = office.locator('[data-testid="statement-state"][data-state="locked"]');
      await stateTag.waitFor();
      await expect(stateTag.textContent()).resolves.toBe('已审批锁定');
      await expect(office.getByTestId('statement-export').isVisible()).resolves.toBe(true);
      await expect(office.getByRole('button', { name: /重新计算/ }).count()).resolves.toBe(0);
      await settle(office);
      await shot(office, 'month-19a-statement-locked');

      // The sample stays readable after the lock; the struck sale still shows 0.00.
      await pp.getByTestId('spot-check').scrollIntoViewIfNeeded();
      await expect(pp.getByTestId(`spot-points-${fake.saleId}`).textContent()).resolves.toBe('0.00');
      await expect(pp.getByTestId('spot-seed').textContent()).resolves.toContain(SEED);

      // ---- 7. The notice of the locked month: read, printed, downloaded as PDF ------------------------
      await sp.goto(`/periods/${FOSHAN}/${MONTH}/notice`);
      await stateIs(sp, 'locked', '已审批锁定');
      for (const id of ['chart-departments', 'chart-products']) await sp.getByTestId(id).locator('canvas').first().waitFor();
      await shot(sp, 'month-20-notice-locked');
      const [download] = await Promise.all([sp.waitForEvent('download'), sp.getByTestId('notice-pdf').click()]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const pdfPath = path.join(WORK, 'notice-2026-10.pdf');
      await download.saveAs(pdfPath);
      expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
      // 打印: the print stylesheet hides the menu, the header and the buttons.
      await sp.emulateMedia({ media: 'print' });
      await expect(sp.locator('.ant-layout-sider').first().isVisible()).resolves.toBe(false);
      await expect(sp.getByTestId('notice-print').isVisible()).resolves.toBe(false);
      await expect(sp.getByTestId('notice-title').isVisible()).resolves.toBe(true);
      await sp.waitForTimeout(400);
      await sp.screenshot({ path: path.join(SCREENSHOTS, 'month-21-notice-print.png'), fullPage: true });
      await sp.pdf({ path: path.join(WORK, 'notice-2026-10-print.pdf'), format: 'A4', printBackground: true });
      expect(readFileSync(path.join(WORK, 'notice-2026-10-print.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      await sp.emulateMedia({ media: 'screen' });

      // ---- 8. The same month in English --------------------------------------------------------------
      await pp.goto(`/periods/${FOSHAN}/${MONTH}`);
      await stateIs(pp, 'locked', '已审批锁定');
      await pp.getByTestId('lang-switch').click();
      await stateIs(pp, 'locked', 'Approved & locked');
      await settle(pp);
      await shot(pp, 'month-22-locked-en');
      await pp.getByTestId('lang-switch').click();

      // ---- 9. The lists: notices, notifications (all read), the month table, and a 403 ---------------
      await sp.goto('/notices');
      const noticeRow = sp.locator('tr.ant-table-row', { has: sp.getByTestId(`notice-link-${FOSHAN}-${MONTH}`) });
      await noticeRow.waitFor();
      await expect(noticeRow.textContent()).resolves.toContain('已审批锁定');
      await shot(sp, 'month-23-notices');
      // The chair still has unread ones (the publication, the lock): the full list, then 全部已读.
      await pp.goto('/notifications');
      await pp.getByTestId('notification-row').first().waitFor();
      await expect(pp.getByTestId('notifications-list').textContent()).resolves.toContain('已经委员会审批并锁定');
      expect(Number(await pp.getByTestId('notification-badge').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
      await shot(pp, 'month-24-notifications');
      await pp.getByTestId('notifications-read-all').click();
      await pp.waitForFunction(() => document.querySelector('[data-testid="notification-badge"]')?.getAttribute('data-count') === '0');

      await office.goto(`/periods?month=${MONTH}`);
      await expect(office.getByTestId(`period-state-${FOSHAN}`).textContent()).resolves.toBe('已审批锁定');
      const fsRow = office.locator(`tr[data-node="${FOSHAN}"]`);
      // The spot-check column comes from its own request: wait for it rather than read the row at once.
      await fsRow.getByText('不实 1').waitFor();
      await shot(office, 'month-25-periods-locked');

      // Another branch's administrator has no scope over 佛山分行 and is not its staff: the API says 403.
      const heyuan = await personPage(f, 'hy_admin');
      others.push(heyuan.context);
      await heyuan.page.goto(`/periods/${FOSHAN}/${MONTH}/notice`);
      await heyuan.page.getByTestId('notice-forbidden').waitFor();
      await shot(heyuan.page, 'month-26-notice-forbidden');

      expect(f.pageErrors).toEqual([]);
    } finally {
      for (const c of others) await c.close();
    }
  });
});
