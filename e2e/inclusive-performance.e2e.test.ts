import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../server/calendar/index.js';
import { rows } from '../server/db/client.js';
import { runJobsOnce } from '../server/jobs/runner.js';
import { addBatch, addEntry } from '../server/modules/inclusive/performance.fixtures.js';
import { pick, switchTo } from './antd.js';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { apiAs } from './projects-setup.js';

/** Wednesday 2026-12-09, 10:00 Beijing. */
const START = '2026-12-09T02:00:00.000Z';
const FS = 11;
const WAN = 1_000_000;

// SPEC §12 / seed 002 in the console: 佛山's sub-branches grouped from 1 July (禅城, 南海, 顺德
// 优先发展行; 三水 特色行), whitelist clients worked in Q3 and November (startServer seeds the bank
// only, so every figure is this test's), the scheduled jobs take 2026-Q3 — 顺德 drew nothing and is
// cut, shown with its inputs — then December's 蹲点 is planned from November's ranking and recorded
// in the console with a follow-up action.
describe('普惠金融：分组考核季度结果（含输入）→ 蹲点调研安排与登记', () => {
  const f = useConsole();
  const t = useTestClock('2026-06-25T02:00:00.000Z');
  beforeAll(() => t.clock.set('2026-06-25T02:00:00.000Z'));
  afterAll(() => t.restore());

  it('groups → whitelist work → the job takes Q3 → result page with inputs → plan and record a visit', async () => {
    const base = f.server.baseUrl;
    const db = f.server.database.db;
    const nodes = await rows<{ id: number; name: string; level: string }>(db, sql`SELECT id, name, level FROM org_nodes WHERE path LIKE ${`%/${FS}/%`}`);
    const node = (part: string, level: string) => nodes.find((n) => n.level === level && n.name.includes(part))!.id;
    const [am] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'fs_staff'`);

    // ---- 1. 佛山's administrator sets the groups from 1 July (in June).
    const fsAdmin = await apiAs(f.browser, base, 'fs_admin');
    for (const [part, group] of [
      ['禅城', 'priority'],
      ['南海', 'priority'],
      ['顺德', 'priority'],
      ['三水', 'featured'],
    ])
      await fsAdmin.put('/api/inclusive/groups', { nodeId: node(part, 'subbranch'), group, validFrom: '2026-07-01', reason: '2026年普惠金融发展责任状分类' });

    // ---- 2. Whitelist clients worked by the outlets (Q3 and November).
    const batch = await addBatch(db, { code: 'E2E-JYKD', name: '经营快贷白名单（端到端）', ownerNodeId: FS, at: '2026-07-03T01:00:00Z' });
    let k = 0;
    const entry = (part: string, wan: number, contacts: { at: string; statusAfter: 'contacted' | 'interested' | 'applied' | 'drawn' }[]) =>
      addEntry(db, {
        batchId: batch,
        idNo: `E2E${String(++k).padStart(6, '0')}`,
        clientName: `端到端商户${k}`,
        outletNodeId: node(part, 'outlet'),
        staffId: am.id,
        amountFen: wan * WAN,
        assignedAt: '2026-07-05T02:00:00Z',
        contacts,
      });
    await entry('祖庙路', 50, [{ at: '2026-08-10T02:00:00Z', statusAfter: 'drawn' }]);
    await entry('季华路', 30, [{ at: '2026-09-10T02:00:00Z', statusAfter: 'drawn' }]);
    await entry('桂城', 100, [{ at: '2026-08-20T02:00:00Z', statusAfter: 'drawn' }]);
    await entry('大良', 20, [{ at: '2026-08-01T02:00:00Z', statusAfter: 'interested' }]);
    await entry('西南', 10, [{ at: '2026-09-01T02:00:00Z', statusAfter: 'drawn' }]);
    await entry('祖庙路', 40, [{ at: '2026-11-10T02:00:00Z', statusAfter: 'drawn' }]);
    await entry('桂城', 40, [{ at: '2026-11-12T02:00:00Z', statusAfter: 'applied' }]);
    await entry('大良', 30, [{ at: '2026-11-15T02:00:00Z', statusAfter: 'contacted' }]);

    // ---- 3. December: the scheduled jobs take the ended quarter once.
    t.clock.set(START);
    const round = await runJobsOnce(db);
    expect(round.find((r) => r.job === 'inclusive-quarter')?.done).toEqual([expect.objectContaining({ period: '2026-Q3' })]);

    // ---- 4. The province's administrator reads the result with its inputs.
    const page = f.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'admin');
    await page.goto('/inclusive/groups');
    const result = page.getByTestId('perf-result');
    await result.waitFor();
    await expect(result.innerText()).resolves.toContain('2026-Q3');
    const row = (name: string) => result.locator('.ant-table-row', { hasText: name });
    await expect(row('顺德').innerText()).resolves.toMatch(/降低一个绩效级次/);
    await expect(row('南海').innerText()).resolves.toMatch(/1,000,000\.00[\s\S]*维持/);
    await expect(row('禅城').innerText()).resolves.toMatch(/800,000\.00/);
    await expect(row('三水').innerText()).resolves.toContain('组内仅一家·不降级');
    await shot(page, 'inclusive-groups-result-1366');

    // ---- 5. 佛山 plans December's visit to the poor outlet of November's ranking and records it.
    await switchTo(page, 'fs_admin');
    await page.goto('/inclusive/visits?month=2026-12');
    const suggestions = page.getByTestId('perf-suggestions');
    await expect.poll(() => suggestions.locator('.ant-table-row').count(), { timeout: 15_000 }).toBe(3);
    await expect(suggestions.locator('.ant-table-row').first().innerText()).resolves.toContain('祖庙路');
    await page.getByTestId('perf-plan-poor').click();
    const planModal = page.locator('.ant-modal:visible');
    await pick(page, planModal.getByTestId('perf-leader'), '佛山', '佛山');
    await planModal.locator('.ant-modal-footer .ant-btn-primary').click();
    await planModal.waitFor({ state: 'hidden' });
    const visits = page.getByTestId('perf-visits');
    await expect.poll(() => visits.locator('.ant-table-row').count(), { timeout: 15_000 }).toBe(1);
    await visits.locator('button', { hasText: '登记调研情况' }).click();
    const rec = page.locator('.ant-modal:visible');
    await rec.locator('#visitedOn').click();
    await rec.locator('#visitedOn').fill('2026-12-06');
    await rec.locator('#visitedOn').press('Enter');
    await rec.locator('#participants').fill('普惠金融部、顺德支行、网点主任');
    await rec.locator('#findings').fill('白名单客户多为老结算户，电话营销常被当作诈骗电话');
    await rec.locator('#problems').fill('分配不均，大堂经理未参与');
    await rec.getByPlaceholder('整改措施').fill('先发告知短信再电话营销');
    await pick(page, rec.getByTestId('perf-owner'), '佛山', '佛山');
    await rec.getByPlaceholder('完成期限').click();
    await rec.getByPlaceholder('完成期限').fill('2026-12-20');
    await rec.getByPlaceholder('完成期限').press('Enter');
    await rec.locator('.ant-modal-footer .ant-btn-primary').click();
    await rec.waitFor({ state: 'hidden' });
    const done = visits.locator('.ant-table-row').first();
    await expect.poll(() => done.innerText(), { timeout: 15_000 }).toContain('已调研');
    await expect(done.innerText()).resolves.toContain('2026-12-06');
    await done.locator('.ant-table-row-expand-icon').click();
    await expect(visits.innerText()).resolves.toContain('先发告知短信再电话营销');
    await shot(page, 'inclusive-visit-recorded-1366');

    const stored = await fsAdmin.get<{ items: { status: string; actions: { action: string; state: string }[] }[] }>('/api/inclusive/visits', { month: '2026-12' });
    expect(stored.items).toEqual([expect.objectContaining({ status: 'done', actions: [expect.objectContaining({ action: '先发告知短信再电话营销', state: 'open' })] })]);
    expect(f.pageErrors).toEqual([]);
  });
});
