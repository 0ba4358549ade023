import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

/** Beijing's today as YYYY-MM-DD (the form refuses a later day). */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

// Issue 12's done-when: an account manager records a sale in the form, sees its split, then sees
// his points and rank on 首页; every role's 首页 is captured at the common bank desktop size.
describe('the workbench', () => {
  const f = useConsole();

  it('an account manager opens the one-sale form from 交叉销售 and sees his points and rank on 首页', async () => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, '44110014');
    await page.goto('/sales');
    await page.getByTestId('sales-record').click();
    await page.getByTestId('sale-form-record').waitFor();
    // The form opens on the bank desktop with Beijing's today as the sale date.
    await expect(page.locator('.ant-drawer-content .ant-picker input').inputValue()).resolves.toBe(beijingToday());
    await shot(page, 'workbench-record-form-1366');
    await page.locator('.ant-drawer-close').click();

    await page.goto('/');
    await page.getByTestId('wb-points').first().waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, 'workbench-home-44110014-1366');
    expect(f.pageErrors).toEqual([]);
  });

  it.each(['fs_staff', 'fs_admin', 'fs_president', 'fs_compliance', 'admin'])('shows %s a workbench at 1366×768', async (user) => {
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, user);
    await page.getByTestId('wb-todos').waitFor();
    // No sideways scroll on the first screen of the common bank desktop.
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await shot(page, `workbench-home-${user}-1366`);
    expect(f.pageErrors).toEqual([]);
  });
});
