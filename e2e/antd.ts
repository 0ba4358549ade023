import type { APIRequestContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser.js';

/** Opens an antd Select (or TreeSelect), types a search and picks the option containing `option`. */
export async function pick(page: Page, select: Locator, search: string, option: string): Promise<void> {
  await select.locator('.ant-select-selector').first().click();
  await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) :is(.ant-select-item-option, .ant-select-tree-treenode)', { hasText: option }).first().click();
}

/** The form item labelled `label` inside `scope` (a drawer, a modal). */
export const field = (page: Page, scope: string, label: string): Locator => page.locator(`${scope} .ant-form-item:has(label[title="${label}"])`).first();

/** Signs a request context in through the API and returns its CSRF token. */
export async function apiSignIn(request: APIRequestContext, staffNo: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { staffNo, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return ((await (await request.get('/api/auth/me')).json()) as { csrfToken: string }).csrfToken;
}

/** Signs out (cookies cleared) and in as someone else. */
export async function switchTo(page: Page, staffNo: string): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, staffNo);
}
