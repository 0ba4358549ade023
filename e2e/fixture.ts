import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, newContext } from './browser.js';
import { assertConsoleBuilt, type RunningServer, type ServerOptions, startServer } from './server.js';

export interface ConsoleFixture {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Browser errors collected during the test (uncaught exceptions). */
  pageErrors: string[];
}

/**
 * One server (fresh demo bank) and one Chromium per test file; a fresh browser context (no
 * cookies, no localStorage) per test.
 */
export function useConsole(opts: ServerOptions = {}): ConsoleFixture {
  const f = { pageErrors: [] as string[] } as ConsoleFixture;
  beforeAll(async () => {
    assertConsoleBuilt();
    f.server = await startServer({}, opts);
    f.browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await f.browser?.close();
    await f.server?.close();
  }, 60_000);
  beforeEach(async () => {
    f.context = await newContext(f.browser, f.server.baseUrl);
    f.page = await f.context.newPage();
    f.pageErrors.length = 0;
    f.page.on('pageerror', (e) => f.pageErrors.push(e.message));
  }, 60_000);
  afterEach(async () => {
    await f.context?.close();
  });
  return f;
}
