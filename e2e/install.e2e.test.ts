import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { APIRequestContext, Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../server/modules/customers/ids.rules.js';
import { launchBrowser, newContext, shot } from './browser.js';
import { assertConsoleBuilt, type RunningServer, startServer } from './server.js';

/**
 * Day one at a real bank (issue 18): an empty database with the demo bank off, the first
 * administrator made by `npm run cli -- init`, signed in (the one-time password changed at once),
 * then the org tree, staff, products and a client imported from the downloaded templates, and a
 * cross-sale recorded through the API.
 */
const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);
const NEW_PASSWORD = 'Kaiyuan#Day1';
/** Today in Beijing: the sale's date. */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

type Row = Record<string, string | number>;

/** The template of a kind, its example rows removed and ours written under its own headers. */
async function fillTemplate(request: APIRequestContext, kind: string, rows: Row[]): Promise<Buffer> {
  const res = await request.get(`/api/imports/templates/${kind}`);
  expect(res.status(), kind).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    headers[col] = String(cell.value);
  });
  for (const r of Object.keys(rows[0])) expect(headers, `${kind} template has ${r}`).toContain(r);
  ws.spliceRows(2, ws.rowCount - 1);
  for (const r of rows) ws.addRow(headers.map((h) => (h && r[h] !== undefined ? r[h] : null)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Uploads a filled template and waits for its job; the whole file must go in. */
async function importRows(request: APIRequestContext, csrf: string, kind: string, rows: Row[]) {
  const buffer = await fillTemplate(request, kind, rows);
  const res = await request.post(`/api/imports/${kind}`, {
    headers: { 'x-csrf-token': csrf },
    multipart: { file: { name: `${kind}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer } },
  });
  expect(res.status(), await res.text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  for (let i = 0; i < 240; i++) {
    const job = (await (await request.get(`/api/imports/jobs/${id}`)).json()) as { status: string; inserted: number; errorRows: number; message: string | null };
    if (job.status === 'done' || job.status === 'failed') {
      expect(job, `${kind}: ${job.message}`).toMatchObject({ status: 'done', errorRows: 0, inserted: rows.length });
      return job;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${kind} import did not finish`);
}

describe('install from an empty database (issue 18)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-install-'));
  const dataDir = path.join(dir, 'pglite');
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('init makes the first administrator; they sign in, import the org tree, staff, products and a client from the templates and record a sale', async () => {
    assertConsoleBuilt();
    browser = await launchBrowser();

    // 1. The demo bank off, nobody exists: the sign-in page sends people to the first-run page.
    server = await startServer({}, { empty: true, dataDir });
    let context = await newContext(browser, server.baseUrl);
    let page = await context.newPage();
    expect(await (await context.request.get('/api/setup')).json()).toEqual({ installed: false, demo: false });
    await page.goto('/login');
    await page.waitForURL('**/setup');
    await page.getByText('新安装的系统还没有任何用户').waitFor();
    await shot(page, 'install-01-setup-page');
    await context.close();
    await server.close();
    server = undefined;

    // 2. The init command on the same (now unowned) data directory prints a one-time password.
    const init = await run(process.execPath, [TSX, 'server/cli/main.ts', 'init', '--bank-name', '开元银行广东省分行', '--bank-code', '44000', '--admin', 'A0001', '--admin-name', '林静'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    const oneTime = /one-time password: (\S+)/.exec(init.stdout)?.[1];
    expect(oneTime, init.stdout + init.stderr).toMatch(/^.{16}$/);

    // 3. The server again: the setup page is closed; the administrator signs in and must change the password first.
    server = await startServer({}, { empty: true, dataDir });
    context = await newContext(browser, server.baseUrl);
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    expect(await (await context.request.get('/api/setup')).json()).toEqual({ installed: true, demo: false });
    await page.goto('/setup');
    await page.waitForURL('**/login');
    await page.locator('#staffNo').fill('A0001');
    await page.locator('#password').fill(oneTime!);
    await page.getByTestId('login-submit').click();
    const forced = page.locator('.ant-modal').filter({ hasText: '首次登录，请修改密码' });
    await forced.waitFor();
    await forced.locator('input').nth(0).fill(oneTime!);
    await forced.locator('input').nth(1).fill(NEW_PASSWORD);
    await forced.locator('input').nth(2).fill(NEW_PASSWORD);
    await forced.getByRole('button', { name: /保\s*存/ }).click();
    await forced.waitFor({ state: 'hidden' });
    await page.getByTestId('header-user').waitFor();
    await expect(page.getByTestId('header-user').innerText()).resolves.toContain('林静');
    await shot(page, 'install-02-signed-in');

    // 4. Imports from the templates, through the signed-in session (cookie shared with the page).
    const request = context.request;
    const me = (await (await request.get('/api/auth/me')).json()) as { csrfToken: string; grants: { role: string; scopeName: string }[] };
    expect(me.grants).toEqual([expect.objectContaining({ role: 'admin', scopeName: '开元银行广东省分行' })]);
    const csrf = me.csrfToken;
    await importRows(request, csrf, 'org-nodes', [
      { 机构号: '44100', 机构名称: '佛山分行', 机构层级: '二级分行', 上级机构号: '44000' },
      { 机构号: '4410001', 机构名称: '禅城支行', 机构层级: '支行', 上级机构号: '44100' },
      { 机构号: '441000101', 机构名称: '祖庙路营业室', 机构层级: '网点', 上级机构号: '4410001' },
    ]);
    // The new 二级分行 opened with the standard departments: the staff sheet names them by code.
    await importRows(request, csrf, 'staff', [
      { 工号: '44100001', 姓名: '陈雨君', 所属机构号: '44100', 部门代码: 'CORP', 职务: '对公客户经理', 手机号: '13800138001', 角色: '对公客户经理', 状态: '在职' },
      { 工号: '44100002', 姓名: '王海', 所属机构号: '44100', 部门代码: 'PF', 职务: '理财经理', 手机号: '13800138002', 角色: '个人客户经理/产品经理', 状态: '在职' },
    ]);
    // Product lines are the catalogue's first level (产品管理 → 产品线, or this API).
    const line = await request.put('/api/products/lines/CLOAN', { headers: { 'x-csrf-token': csrf }, data: { nameZh: '公司贷款', nameEn: 'Corporate loans', retail: false, sort: 10 } });
    expect(line.status(), await line.text()).toBe(200);
    await importRows(request, csrf, 'products', [{ 产品代码: 'WCLOAN', 产品名称: '流动资金贷款', 产品线: '公司贷款', 主办部门代码: 'CORP', 计量单位: '万元', 是否按揭: '否' }]);
    await importRows(request, csrf, 'product-scores', [{ 产品代码: 'WCLOAN', 单位分值: '1.50', 生效日期: '2026-01-01' }]);
    const uscc17 = '91440604MA4UH1234';
    const uscc = uscc17 + usccCheckChar(uscc17)!;
    await importRows(request, csrf, 'corporate-clients', [
      { 统一社会信用代码: uscc, 客户名称: '佛山市禅城区开元电器有限公司', 客户类型: '企业', 管户机构号: '44100', 管户部门代码: 'CORP', 客户经理工号: '44100001' },
    ]);

    // 5. A cross-sale through the API (CORP hosts, PF takes part): scored by the product's unit score.
    const sale = await request.post('/api/sales', {
      headers: { 'x-csrf-token': csrf },
      data: {
        sourceId: 'DAY1-0001',
        productCode: 'WCLOAN',
        uscc,
        saleDate: TODAY,
        quantity: '100',
        branchCode: '44100',
        departments: [{ code: 'PF' }],
        people: [
          { staffNo: '44100001', departmentCode: 'CORP' },
          { staffNo: '44100002', departmentCode: 'PF' },
        ],
      },
    });
    expect(sale.status(), await sale.text()).toBe(201);
    const { saleId } = (await sale.json()) as { saleId: number };
    const detail = (await (await request.get(`/api/sales/${saleId}`)).json()) as { points: string | null };
    expect(detail.points).toBe('150.00');

    // The console lists the imported people.
    await page.goto('/staff');
    await page.getByText('陈雨君').first().waitFor();
    await shot(page, 'install-03-staff');
    expect(errors).toEqual([]);
  }, 600_000);

  it('the /setup page does the same from the browser, once: the administrator signs in with the password chosen there', async () => {
    browser ??= await launchBrowser();
    const fresh = await startServer({}, { empty: true });
    try {
      const context = await newContext(browser, fresh.baseUrl);
      const page = await context.newPage();
      await page.goto('/');
      await page.waitForURL('**/setup');
      await page.locator('#bankName').fill('开元银行广东省分行');
      await page.locator('#adminStaffNo').fill('Ａ０００２');
      await page.locator('#adminName').fill('周敏');
      await page.locator('#password').fill(NEW_PASSWORD);
      await page.locator('#confirm').fill(NEW_PASSWORD);
      await page.getByTestId('setup-submit').click();
      await page.waitForURL('**/login');
      await page.getByTestId('login-notice').waitFor();
      // The full-width 工号 typed with a Chinese IME was stored half-width, and is filled in.
      await expect(page.locator('#staffNo').inputValue()).resolves.toBe('A0002');
      await page.locator('#password').fill(NEW_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('header-user').waitFor();
      await expect(page.getByTestId('header-user').innerText()).resolves.toContain('周敏');
      // Closed for good: the page sends people away and the API answers 409.
      const again = await context.request.post('/api/setup', { data: { bankName: 'x', adminStaffNo: 'x1', password: NEW_PASSWORD } });
      expect(again.status()).toBe(409);
      await page.goto('/setup');
      await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
      await context.close();
    } finally {
      await fresh.close();
    }
  }, 300_000);
});
