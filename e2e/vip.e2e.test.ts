import { describe, expect, it } from 'vitest';
import { apiSignIn } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;
const CORP_DEPT = 1101; // 佛山分行公司业务部
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// SPEC §5, Art. 15: the people a 佛山 project reached are screened against the tiers in force; the
// branch registers one, signs the one-to-one service and gives the client 陈雨君, whose grade
// matches; the 临界 list shows the client under the next tier and exports. Desktop sizes 1366 and 1920.
describe('贵宾客户识别', () => {
  const f = useConsole({ scoring: true });

  it('screen → register → sign → assign an AM of matching grade; the 临界 list shown and exported', async () => {
    const { page } = f;
    // ---- Set-up through the API: a project on a target unit, a salon inviting three of its people,
    // the tiers (province administrator) and 陈雨君's grade.
    const setup = await newContext(f.browser, f.server.baseUrl);
    const api = setup.request;
    const csrf = await apiSignIn(api, 'fs_admin');
    const post = async (url: string, data: unknown, token = csrf, ctx = api) => {
      const res = await ctx.post(url, { headers: { 'x-csrf-token': token }, data });
      expect(res.status(), `${url} ${await res.text()}`).toBeLessThan(300);
      return res.json() as Promise<{ id: number }>;
    };
    const companies = ((await (await api.get('/api/customers/companies', { params: { nodeId: FS, pageSize: 100 } })).json()) as { items: { id: number }[] }).items;
    let unit: { id: number; people: { personId: number; name: string; aumFen: number }[] } | undefined;
    for (const c of companies) {
      const full = (await (await api.get(`/api/customers/companies/${c.id}`)).json()) as { people: { personId: number; name: string; aumFen: number }[] };
      if (new Set(full.people.map((p) => p.personId)).size >= 3) {
        unit = { id: c.id, people: full.people };
        break;
      }
    }
    expect(unit).toBeDefined();
    const nom = await post('/api/targets/nominations', { companyId: unit!.id, departmentId: CORP_DEPT, reason: '代发工资单位' });
    const committee = await newContext(f.browser, f.server.baseUrl);
    const ccsrf = await apiSignIn(committee.request, 'fs_president');
    await post(`/api/targets/nominations/${nom.id}/approve`, { reason: '同意' }, ccsrf, committee.request);
    await post(`/api/targets/lists/${FS}/${CORP_DEPT}/versions`, { note: '12月新增' }, ccsrf, committee.request);
    await committee.close();
    const staff = async (params: Record<string, string | number>) =>
      ((await (await api.get('/api/staff', { params: { pageSize: 200, active: 'true', ...params } })).json()) as { items: { id: number; staffNo: string; nodeId: number }[] }).items;
    const [corp] = await staff({ nodeId: FS, role: 'corporate_am' });
    const [chen] = await staff({ q: '44110014' });
    const nodes = ((await (await api.get('/api/org/nodes')).json()) as { items: { id: number; level: string; path: string }[] }).items;
    const outlet = nodes.find((n) => n.level === 'outlet' && n.path.startsWith(`/1/2/${FS}/`))!;
    const project = await post('/api/projects', {
      companyId: unit!.id,
      coOutletNodeId: outlet.id,
      name: null,
      members: [
        { staffId: corp.id, role: 'corporate_am' },
        { staffId: chen.id, role: 'personal_am' },
      ],
    });
    const salon = await post(`/api/projects/${project.id}/activities`, { kind: 'salon', title: '贵宾理财沙龙', startsAt: new Date().toISOString(), place: '三楼会议室' });
    const people = [...new Map(unit!.people.map((p) => [p.personId, p])).values()].sort((a, b) => b.aumFen - a.aumFen).slice(0, 3);
    await post(`/api/projects/activities/${salon.id}/invitees`, { personIds: people.map((p) => p.personId) });
    const star = people[0];
    const root = await newContext(f.browser, f.server.baseUrl);
    const rcsrf = await apiSignIn(root.request, 'admin');
    const today = beijingToday();
    // 金卡 at exactly the star's AUM (so they qualify); 私人银行 such that they are inside its 80 % band.
    await post('/api/vip/tiers', { code: 'GOLD', nameZh: '金卡客户', nameEn: 'Gold', rank: 1, aumThresholdFen: star.aumFen, requiredGrade: 3, validFrom: today }, rcsrf, root.request);
    await post(
      '/api/vip/tiers',
      { code: 'PRIVATE', nameZh: '私人银行客户', nameEn: 'Private', rank: 4, aumThresholdFen: Math.ceil((star.aumFen * 10) / 9), requiredGrade: 5, validFrom: today },
      rcsrf,
      root.request,
    );
    await root.close();
    expect((await api.put(`/api/vip/grades/${chen.id}`, { headers: { 'x-csrf-token': csrf }, data: { grade: 3, validFrom: today } })).status()).toBe(200);
    await setup.close();

    // ---- Screening in the console: the star qualifies for 金卡; register with one click.
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/vip');
    const table = page.getByTestId('vip-screening-table');
    await table.getByText(star.name).first().waitFor();
    await expect(table.innerText()).resolves.toContain('金卡客户');
    await shot(page, 'vip-screening-1366');
    await page.getByTestId(`vip-register-${star.personId}`).click();
    await page.getByText('已登记 1 位贵宾客户').waitFor();

    // ---- Registered VIPs: sign, then assign 陈雨君 (中级, as 金卡 asks).
    await page.getByTestId('vip-tab-registrations').click();
    const regs = page.getByTestId('vip-registrations-table');
    await regs.getByText(star.name).waitFor();
    await regs.locator('[data-testid^="vip-sign-"]').first().click();
    await page.getByText('已签约一对一维护').waitFor();
    await regs.locator('[data-testid^="vip-assign-"]').first().click();
    await page.getByTestId('vip-assign-select').locator('.ant-select-selector').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '44110014' }).click();
    await shot(page, 'vip-assign-1366');
    await page.getByTestId('vip-assign-ok').click();
    await regs.locator('[data-testid^="vip-am-"]').getByText('陈雨君').waitFor();
    await shot(page, 'vip-registrations-1366');

    // ---- 临界客户 at 1920: the star, 90 % of 私人银行, ranked; exported.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByTestId('vip-tab-near').click();
    const near = page.getByTestId('vip-near-table');
    await near.locator('tr', { hasText: star.name }).first().waitFor();
    await expect(near.locator('tr', { hasText: star.name }).first().innerText()).resolves.toContain('私人银行客户');
    await expect(page.getByTestId('vip-near-hint').innerText()).resolves.toContain('80%');
    await shot(page, 'vip-near-1920');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('导出 Excel').click()]);
    expect(download.suggestedFilename()).toMatch(/临界区间客户.*\.xlsx$/);

    await page.getByTestId('vip-tab-tiers').click();
    await page.getByTestId('vip-tiers-table').getByText('私人银行客户').waitFor();
    await shot(page, 'vip-tiers-1920');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    expect(f.pageErrors).toEqual([]);
  });
});
