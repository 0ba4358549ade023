import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

describe('sign-in and language', () => {
  const f = useConsole();

  it('refuses a wrong password in Chinese, signs admin in, switches to English and back', async () => {
    const { page } = f;
    await page.goto('/');
    await page.locator('#staffNo').waitFor();
    expect(page.url()).toContain('/login');
    await expect(page.getByText('公私联动交叉营销管理平台').first().isVisible()).resolves.toBe(true);

    await page.locator('#staffNo').fill('admin');
    await page.locator('#password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await shot(page, '01-login-wrong-password');

    await signIn(page, 'admin');
    await page.getByTestId('wb-todos').waitFor();
    const menu = page.locator('.ant-pro-sider, .ant-layout-sider').first();
    for (const item of ['首页', '机构管理', '员工管理', '数据导入', '审计日志', '系统参数', '角色权限']) {
      await expect(menu.getByText(item, { exact: true }).isVisible(), item).resolves.toBe(true);
    }
    await expect(page.getByTestId('header-node').textContent()).resolves.toContain('广东省分行');
    await expect(page.getByTestId('header-user').textContent()).resolves.toContain('系统管理员');
    await shot(page, '02-overview-zh');

    await page.getByTestId('lang-switch').click();
    await page.getByText('To do', { exact: true }).waitFor();
    await expect(menu.getByText('Organisation', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(menu.getByText('机构管理').count()).resolves.toBe(0);
    await expect(page.getByTestId('header-user').textContent()).resolves.toContain('Administrator');
    await shot(page, '03-overview-en');

    // The choice survives a reload (localStorage) and server errors follow it (cookie).
    await page.goto('/staff');
    await page.getByText('Staff list').waitFor();
    await shot(page, '04-staff-en');
    const res = await page.evaluate(async () => {
      const r = await fetch('/api/org/nodes/999999');
      return (await r.json()) as { error: { message: string } };
    });
    expect(res.error.message).toMatch(/[A-Za-z]/);
    expect(res.error.message).not.toMatch(/[\u4e00-\u9fff]/);

    await page.getByTestId('lang-switch').click();
    await page.getByText('员工列表').waitFor();
    await expect(menu.getByText('员工管理', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(menu.getByText('Staff', { exact: true }).count()).resolves.toBe(0);
    expect(f.pageErrors).toEqual([]);
  });

  it('signs out back to the sign-in page', async () => {
    const { page } = f;
    await signIn(page, 'fs_staff');
    await page.getByTestId('header-user').hover();
    await page.getByText('退出登录').click();
    await page.locator('#staffNo').waitFor();
    expect(page.url()).toContain('/login');
    // The session is gone: a protected page sends us back to sign in.
    await page.goto('/staff');
    await page.locator('#staffNo').waitFor();
  });
});
