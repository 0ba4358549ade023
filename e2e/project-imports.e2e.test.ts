import { mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSignIn } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;
const CORP_DEPT = 1101; // 佛山分行公司业务部
const WORK = path.resolve('test-results/e2e-files');

/** Fills a downloaded template's first sheet with rows given by header (the example row dropped). */
async function fillTemplate(templatePath: string, rows: Record<string, string | undefined>[], out: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(templatePath);
  const ws = wb.worksheets[0];
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    headers[col] = String(cell.value).replace(/\*$/, '');
  });
  ws.spliceRows(2, ws.rowCount - 1);
  for (const r of rows) ws.addRow(headers.map((h) => (h ? (r[h] ?? null) : null)));
  await wb.xlsx.writeFile(out);
  return out;
}

async function headersOf(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[] = [];
  wb.worksheets[0].getRow(1).eachCell((c) => out.push(String(c.text)));
  return out;
}

/** Downloads the selected kind's template into WORK. */
async function template(page: Page, name: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
  const file = path.join(WORK, name);
  await d.saveAs(file);
  expect(d.suggestedFilename()).toMatch(/\.xlsx$/);
  return file;
}

/** Uploads a file and waits for its job's final status (each file has its own name). */
async function importFile(page: Page, file: string): Promise<string> {
  await page.locator('[data-testid="import-upload"] input[type=file], .ant-upload input[type=file]').first().setInputFiles(file);
  const handle = await page.waitForFunction(
    (name) => {
      const card = document.querySelector('[data-testid="import-job"]');
      const s = card?.getAttribute('data-status');
      return card?.querySelector('.ant-card-head-title')?.textContent?.includes(name) && (s === 'done' || s === 'failed') ? s : null;
    },
    path.basename(file),
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as string;
}

/** A valid 居民身份证号码 from its first 17 digits. */
function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// Issue 13: a project team, its activity and the activity's attendees, each by the import page —
// template downloaded from the console, a bad row named by row and cell, then the corrected file.
describe('导入项目团队、活动与参加人', () => {
  const f = useConsole({ customers: true });

  it('the committee office imports a team, the team imports its salon and who came', async () => {
    mkdirSync(WORK, { recursive: true });
    const { page } = f;
    // ---- A 佛山 unit on the approved target list (as in projects.e2e), its people and the staff to name.
    const setup = await newContext(f.browser, f.server.baseUrl);
    const admin = setup.request;
    const csrf = await apiSignIn(admin, 'fs_admin');
    const companies = ((await (await admin.get('/api/customers/companies', { params: { nodeId: FS, pageSize: 100 } })).json()) as { items: { id: number; name: string; uscc: string }[] }).items;
    let unit: { id: number; name: string; uscc: string; people: { personId: number; name: string }[] } | undefined;
    for (const c of companies) {
      const full = (await (await admin.get(`/api/customers/companies/${c.id}`)).json()) as { people: { personId: number; name: string }[] };
      if (new Set(full.people.map((p) => p.personId)).size >= 2) {
        unit = { ...c, people: full.people };
        break;
      }
    }
    expect(unit).toBeDefined();
    const nom = await admin.post('/api/targets/nominations', { headers: { 'x-csrf-token': csrf }, data: { companyId: unit!.id, departmentId: CORP_DEPT, reason: '代发工资单位' } });
    expect(nom.status(), await nom.text()).toBe(201);
    const committee = await newContext(f.browser, f.server.baseUrl);
    const ccsrf = await apiSignIn(committee.request, 'fs_president');
    const nomId = ((await nom.json()) as { id: number }).id;
    expect((await committee.request.post(`/api/targets/nominations/${nomId}/approve`, { headers: { 'x-csrf-token': ccsrf }, data: { reason: '同意纳入' } })).status()).toBe(200);
    expect((await committee.request.post(`/api/targets/lists/${FS}/${CORP_DEPT}/versions`, { headers: { 'x-csrf-token': ccsrf }, data: { note: '12月新增' } })).status()).toBe(201);
    await committee.close();
    const staff = async (params: Record<string, string | number>) =>
      ((await (await admin.get('/api/staff', { params: { pageSize: 200, active: 'true', ...params } })).json()) as { items: { id: number; staffNo: string; name: string }[] }).items;
    const [corp] = await staff({ nodeId: FS, role: 'corporate_am' });
    const nodes = ((await (await admin.get('/api/org/nodes')).json()) as { items: { id: number; code: string; level: string; path: string }[] }).items;
    const outlet = nodes.find((x) => x.level === 'outlet' && x.path.startsWith(`/1/2/${FS}/`))!;
    await setup.close();

    // ---- The team, from the projects page's import link.
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/projects');
    await page.getByTestId('project-teams-import').click();
    await page.waitForURL(/\/imports\?kind=project-teams/);
    await page.waitForFunction(() => document.querySelector('[data-testid="import-kind"] .ant-select-selection-item')?.textContent?.includes('项目团队'));
    const teamTemplate = await template(page, 'project-teams-template.xlsx');
    expect(await headersOf(teamTemplate)).toEqual(
      expect.arrayContaining([expect.stringContaining('目标单位'), expect.stringContaining('员工号'), expect.stringContaining('角色'), expect.stringContaining('协办网点')]),
    );
    const team = [
      { 目标单位: unit!.uscc, 项目名称: '导入的营销项目', 员工号: corp.staffNo, 角色: '对公客户经理', 协办网点: outlet.code },
      { 目标单位: unit!.uscc, 项目名称: '', 员工号: '44110014', 角色: '客户经理', 协办网点: outlet.code },
    ];
    expect(await importFile(page, await fillTemplate(teamTemplate, team, path.join(WORK, 'team-bad.xlsx')))).toBe('failed');
    await expect(page.getByTestId('import-errors').innerText()).resolves.toContain('第3行 角色');
    await shot(page, 'project-imports-team-error-1366');
    team[1].角色 = '个人客户经理';
    expect(await importFile(page, await fillTemplate(teamTemplate, team, path.join(WORK, 'team.xlsx')))).toBe('done');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*2/);

    // ---- The salon, from the projects page's other link; the project named by the unit's code.
    await page.goto('/projects');
    await page.getByTestId('project-activities-import').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-kind"] .ant-select-selection-item')?.textContent?.includes('营销活动'));
    const actTemplate = await template(page, 'project-activities-template.xlsx');
    const acts = [{ 活动编号: 'E2E-SALON-1', 项目: unit!.uscc, 类型: '理财沙龙', 主题: '年终理财沙龙', 开始时间: '2026-12-10 14:30', 地点: '单位三楼会议室', 状态: '', 备注: '' }];
    expect(await importFile(page, await fillTemplate(actTemplate, acts, path.join(WORK, 'activities.xlsx')))).toBe('done');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*1/);

    // ---- Who came, from the activity page.
    await page.goto('/projects');
    await page.getByText('导入的营销项目').first().click();
    await page.waitForURL(/\/projects\/\d+$/);
    await page.getByText('年终理财沙龙').first().click();
    await page.waitForURL(/\/projects\/activities\/\d+$/);
    const activityUrl = page.url();
    await page.getByTestId('activity-attendees-import').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-kind"] .ant-select-selection-item')?.textContent?.includes('活动参加人'));
    const attTemplate = await template(page, 'activity-attendees-template.xlsx');
    const known = unit!.people[0];
    const atts = [
      { 活动: 'E2E-SALON-1', 客户编号: String(known.personId), 姓名: known.name, 是否签到: '是', 签到时间: '2026-12-10 14:20' },
      { 活动: 'E2E-SALON-1', 客户身份证号码: idNumber('44060419900101123'), 姓名: '新来宾', 手机: '13800138000', 回复: '接受' },
    ];
    expect(await importFile(page, await fillTemplate(attTemplate, atts, path.join(WORK, 'attendees.xlsx')))).toBe('done');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*2/);
    await shot(page, 'project-imports-attendees-1366');
    // Imported again: nothing changes.
    expect(await importFile(page, await fillTemplate(attTemplate, atts, path.join(WORK, 'attendees-again.xlsx')))).toBe('done');
    await expect(page.getByTestId('import-job').textContent()).resolves.toMatch(/新增\s*0/);

    await page.goto(activityUrl);
    await page.getByText('新来宾').first().waitFor();
    await page.getByText(known.name).first().waitFor();
    await shot(page, 'project-imports-activity-1366');
    expect(f.pageErrors).toEqual([]);
  });
});
