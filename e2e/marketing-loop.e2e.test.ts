import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../server/calendar/index.js';
import { runJobsOnce } from '../server/jobs/runner.js';
import { switchTo } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { apiAs, approvedUnit, FS } from './projects-setup.js';

const DAY = 86_400_000;
/** Monday 2026-12-07, 10:00 Beijing: the week the salon is held. */
const START = '2026-12-07T02:00:00.000Z';

interface Lead {
  id: number;
  ownerStaffId: number | null;
  ownerStaffNo: string | null;
  escalationLevel: number;
  stage: string;
  source: string;
  personId: number | null;
  productCode: string | null;
}

// Issue 13, "done when": the whole loop of front-line marketing in one test, nothing typed twice.
// A team is formed for a target unit → a salon → three of the unit's people invited → two checked
// in by QR → one answers the needs survey on a phone → the lead it creates is assigned by the rule
// → left untouched, the clock escalates it → it is won → the sale is filled in from the team → its
// points are on the branch's statement under the project → the client is handed to the outlet → and
// registered as a VIP. The server runs on a test clock the test advances; the browser's clock is
// set to the same instant, so the SLA countdowns read what a user would see that day.
describe('营销项目闭环', () => {
  const f = useConsole({ scoring: true });
  const t = useTestClock(START);
  const syncBrowserClock = () => f.context.clock.setFixedTime(t.clock.now());
  beforeAll(() => t.clock.set(START));
  afterAll(() => t.restore());

  it('team → salon → QR check-in → survey → lead → escalation → won → statement → hand-over → VIP', async () => {
    const { page } = f;
    const { unit, corp, outlet, outletAm } = await approvedUnit(f.browser, f.server.baseUrl);

    // ---- The committee office forms the team: corporate AM, 陈雨君 (personal AM), the outlet's AM.
    const office = await apiAs(f.browser, f.server.baseUrl, 'fs_admin');
    const chen = (await office.get<{ items: { id: number }[] }>('/api/staff', { q: '44110014' })).items[0];
    const project = await office.post<{ id: number; name: string }>('/api/projects', {
      companyId: unit.id,
      coOutletNodeId: outlet.id,
      members: [
        { staffId: corp.id, role: 'corporate_am' },
        { staffId: chen.id, role: 'personal_am' },
        { staffId: outletAm.id, role: 'outlet_am' },
      ],
    });

    // ---- 陈雨君 plans the salon for Wednesday and invites three of the unit's people.
    const am = await apiAs(f.browser, f.server.baseUrl, '44110014');
    const salon = await am.post<{ id: number }>(`/api/projects/${project.id}/activities`, { kind: 'salon', title: '年末理财沙龙', startsAt: '2026-12-09T14:30:00+08:00', place: '单位三楼会议室' });
    // The three with the most financial assets: the first of them is the one the VIP tier is set for.
    const three = [...new Map(unit.people.map((p) => [p.personId, p])).values()].sort((a, b) => b.aumFen - a.aumFen).slice(0, 3);
    const star = three[0];
    expect(await am.post(`/api/projects/activities/${salon.id}/invitees`, { personIds: three.map((p) => p.personId) })).toMatchObject({ invited: 3 });
    const detail = await am.get<{ invitees: { id: number; personId: number; name: string; checkinPath: string }[] }>(`/api/projects/activities/${salon.id}`);

    // ---- The salon day: at the door two invitations are scanned on the AM's phone.
    t.clock.set('2026-12-09T06:20:00.000Z');
    const phone = await newContext(f.browser, f.server.baseUrl);
    const door = await phone.newPage();
    await door.setViewportSize({ width: 390, height: 844 });
    await signIn(door, '44110014');
    for (const [i, who] of detail.invitees.slice(0, 2).entries()) {
      await door.goto(who.checkinPath);
      await door.getByTestId('checkin-result').getByText('签到成功').waitFor();
      await expect(door.getByTestId('checkin-counts').innerText()).resolves.toContain(`已到场 ${i + 1} / 受邀 3 人`);
    }
    await shot(door, 'loop-01-checkin-phone-390');
    await phone.close();

    // ---- 陈雨君 issues the survey codes on the event page; the first guest answers on her own phone,
    // without signing in: she wants to start a fund plan, has ¥100k–500k to invest, no loan in mind, and agrees to be contacted.
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, '44110014');
    await page.goto(`/projects/activities/${salon.id}`);
    await page.getByTestId('survey-issue').click();
    await expect.poll(() => page.getByTestId('survey-link').count()).toBe(3);
    const survey = await am.get<{ invitees: { personId: number; surveyPath: string | null }[] }>(`/api/surveys/activities/${salon.id}`);
    const guest = detail.invitees.find((i) => i.personId === star.personId)!;
    const link = survey.invitees.find((i) => i.personId === guest.personId)!.surveyPath!;
    const handset = await newContext(f.browser, f.server.baseUrl);
    const mobile = await handset.newPage();
    await mobile.setViewportSize({ width: 390, height: 844 });
    await mobile.goto(link);
    await mobile.getByTestId('survey-hello').getByText(guest.name).waitFor();
    await mobile.getByTestId('survey-q-interests').getByText('基金定投').click();
    await mobile.getByTestId('survey-q-loanIntent').getByText('暂无').click();
    await mobile.getByTestId('survey-q-investBand').getByText('10万–50万元').click();
    await mobile.getByTestId('survey-q-contactTime').getByText('周末').click();
    await expect(mobile.getByTestId('survey-consent').isChecked()).resolves.toBe(true);
    await shot(mobile, 'loop-02-survey-phone-390');
    await mobile.getByTestId('survey-submit').click();
    await mobile.getByTestId('survey-done').waitFor();
    await handset.close();

    // ---- The answer made a wealth lead for the personal-finance department, assigned by the rule.
    const leadsOfProject = () => am.get<{ items: Lead[] }>('/api/leads', { projectId: project.id, view: 'all' });
    const [lead] = (await leadsOfProject()).items;
    expect(lead).toMatchObject({ source: 'survey', stage: 'new', personId: guest.personId, productCode: 'WMP' });
    expect(lead.ownerStaffId).not.toBeNull();
    const owner = { staffNo: lead.ownerStaffNo! };
    await page.reload();
    await expect.poll(() => page.getByTestId('survey-counts').textContent()).toContain('已填写 1');

    // ---- Nobody touches it for three days: the job run reminds the owner; at five, the managers too.
    t.clock.advance(3 * DAY + 3_600_000);
    await runJobsOnce(f.server.database.db);
    expect((await office.get<Lead>(`/api/leads/${lead.id}`)).escalationLevel).toBe(1);
    await syncBrowserClock();
    await switchTo(page, owner.staffNo);
    await page.getByTestId('notification-bell').click();
    await page.locator('[data-testid="notification-item"][data-kind="lead.escalated"]').first().waitFor();
    await shot(page, 'loop-03-escalated-bell-1366');
    await page.goto(`/leads/${lead.id}`);
    await expect(page.getByTestId('lead-sla').innerText()).resolves.toBe('剩余 1天23小时');
    await expect(page.getByTestId('lead-sla').getAttribute('class')).resolves.not.toContain('red');
    t.clock.advance(2 * DAY);
    await runJobsOnce(f.server.database.db);
    expect((await office.get<Lead>(`/api/leads/${lead.id}`)).escalationLevel).toBe(2);
    // A day later, under a day is left before it goes back to the pool: the countdown turns red.
    t.clock.advance(DAY);
    await syncBrowserClock();
    await page.reload();
    await expect(page.getByTestId('lead-sla').innerText()).resolves.toBe('剩余 0天23小时');
    await expect(page.getByTestId('lead-sla').getAttribute('class')).resolves.toContain('red');
    await page.getByTestId('lead-history').getByText('超时提醒：5天未跟进，已提醒管理人员').waitFor();
    await shot(page, 'loop-04-lead-red-1366');

    // ---- The owner wins it: the sale is filled in from the team, nothing typed twice.
    await page.getByTestId('lead-win').click();
    await page.getByTestId('lead-win-quantity').fill('10');
    await page.locator('#lead-win-ok').click();
    await page.waitForURL(/\/sales\/\d+$/);
    const people = page.getByTestId('split-people');
    await people.getByText('陈雨君').waitFor();
    await people.getByText(corp.name).waitFor();
    await shot(page, 'loop-05-sale-from-team-1366');

    // ---- The points are on 佛山's statement for December, under the project.
    await switchTo(page, 'fs_admin');
    await page.goto(`/statements?node=${FS}&month=2026-12`);
    await page.getByTestId('statement').waitFor();
    await page.getByRole('tab', { name: '按项目' }).click();
    await page.locator('.ant-tabs-tabpane-active').getByText(project.name).waitFor();
    await shot(page, 'loop-06-statement-project-1366');

    // ---- The hand-over to the outlet's AM, who reports back.
    const handover = await am.post<{ id: number }>('/api/projects/handovers', { leadId: lead.id, toStaffId: outletAm.id, task: '一周内电话回访，了解房贷放款进度', dueOn: '2026-12-21' });
    const outletClient = await apiAs(f.browser, f.server.baseUrl, outletAm.staffNo);
    await outletClient.post(`/api/projects/handovers/${handover.id}/feedback`, { feedback: '已回访，客户对房贷利率满意' });

    // ---- VIP identification: the head office sets the gold tier at her assets; 陈雨君 is graded for it.
    // The branch screens the people its projects reached, registers her, signs her into one-to-one
    // service and assigns her an account manager whose grade matches the tier.
    const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const root = await apiAs(f.browser, f.server.baseUrl, 'admin');
    await root.post('/api/vip/tiers', { code: 'GOLD', nameZh: '金卡客户', nameEn: 'Gold', rank: 1, aumThresholdFen: star.aumFen, requiredGrade: 3, validFrom: today });
    await root.close();
    await office.put(`/api/vip/grades/${chen.id}`, { grade: 3, validFrom: today });
    await page.goto('/vip');
    const screening = page.getByTestId('vip-screening-table');
    await screening.getByText(guest.name).first().waitFor();
    await page.getByTestId(`vip-register-${guest.personId}`).click();
    await page.getByText('已登记 1 位贵宾客户').waitFor();
    await page.getByTestId('vip-tab-registrations').click();
    const regs = page.getByTestId('vip-registrations-table');
    await regs.getByText(guest.name).waitFor();
    await regs.locator('[data-testid^="vip-sign-"]').first().click();
    await page.getByText('已签约一对一维护').waitFor();
    await regs.locator('[data-testid^="vip-assign-"]').first().click();
    await page.getByTestId('vip-assign-select').locator('.ant-select-selector').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '44110014' }).click();
    await page.getByTestId('vip-assign-ok').click();
    await regs.locator('[data-testid^="vip-am-"]').getByText('陈雨君').waitFor();
    await shot(page, 'loop-08-vip-registered-1366');

    // ---- The board says it all: the funnel from known to won.
    await page.goto(`/projects/${project.id}`);
    await expect(page.getByTestId('funnel-invited').innerText()).resolves.toContain('3');
    await expect(page.getByTestId('funnel-attended').innerText()).resolves.toContain('2');
    await expect(page.getByTestId('funnel-surveyed').innerText()).resolves.toContain('1');
    await expect(page.getByTestId('funnel-won').innerText()).resolves.toContain('1');
    await expect(page.getByTestId('funnel-vip').innerText()).resolves.toContain('1');
    await shot(page, 'loop-09-board-1366');
    for (const c of [office, am, outletClient]) await c.close();
    expect(f.pageErrors).toEqual([]);
  });
});
