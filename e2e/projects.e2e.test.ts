import { describe, expect, it } from 'vitest';
import { field, pick, switchTo } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { approvedUnit } from './projects-setup.js';

// Issue 13: the committee office forms a team for a target unit, the team plans a salon, invites
// three of the unit's people, checks two in (one by scanning the invitation's QR code on a phone,
// one by hand), records a lead from the salon, wins it into a sale filled in from the team, and
// hands the client to the co-organising outlet, whose account manager reports back.
describe('营销项目', () => {
  const f = useConsole({ scoring: true });

  it('a target unit’s team works it from the salon to the hand-over', async () => {
    const { page } = f;
    // ---- The unit on 佛山's target list (nominated, approved, published) and the staff of its team.
    const { unit, corp, outlet, outletAm } = await approvedUnit(f.browser, f.server.baseUrl);

    // ---- The committee office forms the team in the console.
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/projects');
    await page.getByTestId('project-table').waitFor();
    await page.getByTestId('project-create').click();
    const drawer = '.ant-drawer-content';
    await page.locator(drawer).waitFor();
    await pick(page, field(page, drawer, '目标单位'), unit.name.slice(0, 4), unit.name);
    await pick(page, field(page, drawer, '协办网点'), outlet.name.slice(0, 4), outlet.name);
    const members = page.getByTestId('project-member');
    await pick(page, members.nth(0).locator('.ant-form-item').nth(1), corp.staffNo, corp.staffNo);
    await pick(page, members.nth(1).locator('.ant-form-item').nth(1), '44110014', '44110014');
    await page.getByText('添加成员').click();
    await members.nth(2).locator('.ant-select').first().click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '网点客户经理' }).click();
    await pick(page, members.nth(2).locator('.ant-form-item').nth(1), outletAm.staffNo, outletAm.staffNo);
    await shot(page, 'projects-create-1366');
    await page.getByTestId('project-save').click();
    await page.waitForURL(/\/projects\/\d+$/);
    const projectId = Number(page.url().split('/').pop());
    await page.getByTestId('project-team').getByText('陈雨君').waitFor();

    // ---- 陈雨君 plans the salon and invites three of the unit's people.
    await switchTo(page, '44110014');
    await page.goto(`/projects/${projectId}`);
    await page.getByTestId('activity-create').click();
    await page.getByTestId('activity-title').fill('年末理财沙龙');
    await page.getByTestId('activity-starts').click();
    await page.keyboard.type('2026-12-05 14:30');
    await page.keyboard.press('Enter');
    await page.locator('#activity-ok').click();
    await page.waitForURL(/\/projects\/activities\/\d+$/);
    const activityId = Number(page.url().split('/').pop());
    await page.getByTestId('activity-invite').click();
    const rows = page.getByTestId('invite-people').locator('tbody tr.ant-table-row');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('.ant-checkbox-input').check();
    await page.locator('#invite-ok').click();
    await page.getByTestId('activity-counts').getByText('邀约 3 人').waitFor();

    // ---- At the door: one invitation scanned on a phone, one checked in by hand.
    const detail = (await (await page.request.get(`/api/projects/activities/${activityId}`)).json()) as { invitees: { id: number; name: string; checkinPath: string }[] };
    const phone = await newContext(f.browser, f.server.baseUrl);
    const mobile = await phone.newPage();
    await mobile.setViewportSize({ width: 390, height: 844 });
    await signIn(mobile, '44110014');
    await mobile.goto(detail.invitees[0].checkinPath);
    await mobile.getByTestId('checkin-result').getByText('签到成功').waitFor();
    await expect(mobile.getByTestId('checkin-counts').innerText()).resolves.toContain('已到场 1 / 受邀 3 人');
    await expect(mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(mobile, 'projects-checkin-phone-390');
    await mobile.reload();
    await mobile
      .getByTestId('checkin-result')
      .getByText(/此前已签到/)
      .waitFor();
    await phone.close();
    await page.reload();
    await page.getByTestId('invitee-table').locator('tr', { hasText: detail.invitees[1].name }).getByTestId('invitee-checkin').click();
    await page.getByTestId('activity-counts').getByText('到场 2 人').waitFor();
    await shot(page, 'projects-activity-1366');

    // ---- A lead from the salon, won into a sale the team fills in.
    await page.getByTestId('invitee-table').locator('tr', { hasText: detail.invitees[0].name }).getByTestId('invitee-lead').click();
    await page.getByTestId('lead-preset').waitFor();
    await pick(page, field(page, '.ant-drawer-content', '意向产品'), '基金', '基金');
    await page.getByTestId('lead-form-save').click();
    await page.waitForURL(/\/leads\/\d+$/);
    await page.getByTestId('lead-project-link').waitFor();
    await page.getByTestId('lead-win').click();
    await page.getByTestId('lead-win-quantity').fill('10');
    await page.locator('#lead-win-ok').click();
    await page.waitForURL(/\/sales\/\d+$/);
    const people = page.getByTestId('split-people');
    await people.getByText('陈雨君').waitFor();
    await people.getByText(corp.name).waitFor();

    // ---- The board: funnel, timeline, points from the project's sale.
    await page.goto(`/projects/${projectId}`);
    await expect(page.getByTestId('funnel-attended').innerText()).resolves.toContain('2');
    await expect(page.getByTestId('funnel-won').innerText()).resolves.toContain('1');
    await expect(page.getByTestId('project-stats').innerText()).resolves.toContain('30.00');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, 'projects-board-1366');

    // ---- The hand-over to the outlet, and its feedback.
    await page.getByRole('tab', { name: '售后移交' }).click();
    await page.getByTestId('handover-create').click();
    await pick(page, field(page, '.ant-modal-content', '已成交商机'), detail.invitees[0].name.slice(0, 1), detail.invitees[0].name);
    await pick(page, field(page, '.ant-modal-content', '接收人'), outletAm.staffNo, outletAm.staffNo);
    await page.locator('#handover-ok').click();
    await page.getByTestId('handover-table').getByText('待反馈').waitFor();
    await switchTo(page, outletAm.staffNo);
    await page.goto('/handovers');
    await page.getByTestId('handover-feedback').click();
    await page.getByTestId('feedback-text').fill('已电话回访，客户计划每月定投2000元');
    await page.locator('#feedback-ok').click();
    await page.getByTestId('handover-table').getByText('已反馈').waitFor();
    await shot(page, 'projects-handovers-1366');
    expect(f.pageErrors).toEqual([]);
  });

  it('the committee sees the projects and phase goals at 1920', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signIn(page, 'fs_admin');
    await page.goto('/projects');
    await page.getByTestId('goal-create').click();
    await page.getByTestId('goal-title').fill('四季度公私联动成交');
    await page.locator('.ant-modal-content .ant-select').nth(1).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '成交商机数' }).click();
    await page.locator('.ant-modal-content .ant-input-number input').fill('2');
    await page.locator('.ant-modal-content .ant-picker-range').click();
    await page.keyboard.type('2026-10-01');
    await page.keyboard.press('Enter');
    await page.keyboard.type('2026-12-31');
    await page.keyboard.press('Enter');
    await page.locator('#goal-ok').click();
    await page.getByTestId('goal-list').getByText('1 / 2').waitFor();
    await page.getByTestId('project-table').getByText('公私联动营销项目').waitFor();
    await shot(page, 'projects-list-1920');
    expect(f.pageErrors).toEqual([]);
  });
});
