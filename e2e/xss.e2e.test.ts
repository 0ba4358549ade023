import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

/**
 * Issue 10 #8: names are the users' text. Stored with HTML in them, they must show as text on the
 * customer pages and in the relationship graph's tooltip (an ECharts formatter, i.e. innerHTML),
 * and nothing in them may run. The Content-Security-Policy header is stripped in this test, so it
 * is the escaping that is tested, not the CSP (the second layer).
 */

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';
const COMPANY = `${IMG}${SCRIPT}美迪电器`;
const PERSON = `${IMG}张测试`;
const PERSON2 = `${SCRIPT}李测试`;
/** What the literal text starts with, wherever it is shown. */
const LITERAL = '<img src=x onerror=';

type Json = Record<string, unknown>;

/** An API call from the signed-in page (its session cookie, its CSRF token). */
async function api(page: Page, method: string, url: string, body?: Json): Promise<Json> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    { method, url, body },
  );
}

/** Whether anything ran, and how many <img src=x> the page holds. */
async function injected(page: Page) {
  return page.evaluate(() => ({
    xss: (window as unknown as { __xss?: number }).__xss,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__xss')).length,
  }));
}

/** Shows the graph's tooltip for the node with this name (ECharts' showTip, as a hover would) and returns the tooltip element's text and HTML. */
async function graphTooltip(page: Page, node: string) {
  await page.evaluate((name) => {
    type Chart = {
      getModel(): { getSeriesByIndex(i: number): { getData(): { count(): number; getName(i: number): string } } };
      dispatchAction(a: object): void;
    };
    const el = document.querySelector('[data-testid="relation-graph"] .echarts-for-react') as (HTMLElement & { __chart?: Chart }) | null;
    const chart = el?.__chart;
    if (!chart) throw new Error('no chart');
    const data = chart.getModel().getSeriesByIndex(0).getData();
    let index = -1;
    for (let i = 0; i < data.count(); i++) if (data.getName(i) === name) index = i;
    if (index < 0) throw new Error(`no node ${name}`);
    chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: index });
  }, node);
  // The tooltip is a div ECharts adds next to the canvas's layer.
  const handle = await page.waitForFunction(() => {
    const root = document.querySelector('[data-testid="relation-graph"] .echarts-for-react');
    const tip = [...(root?.children ?? [])].find((c) => c instanceof HTMLElement && !c.querySelector('canvas') && c.style.display !== 'none' && c.textContent) as HTMLElement | undefined;
    return tip ? { text: tip.textContent ?? '', html: tip.innerHTML, imgs: tip.querySelectorAll('img').length, scripts: tip.querySelectorAll('script').length } : null;
  });
  return (await handle.jsonValue())!;
}

describe('HTML in names shows as text and never runs (CSP stripped: the escaping is what is tested)', () => {
  const f = useConsole({ customers: true });

  it('a company and its people named with <img onerror> and <script>: list, 360 pages and the graph tooltip', async () => {
    const { page, context } = f;
    // No CSP: a document's response loses its Content-Security-Policy header.
    await context.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const res = await route.fetch();
      const headers = { ...res.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response: res, headers });
    });
    await signIn(page, 'fs_admin');

    // The control: with the header gone, an inline handler does run on this page.
    expect(await page.evaluate(() => fetch('/').then((r) => r.headers.get('content-security-policy')))).toBeTruthy(); // the server still sends it …
    await page.evaluate(() => {
      const d = document.createElement('div');
      d.id = 'probe';
      d.innerHTML = '<img src=x onerror="window.__probe=1">';
      document.body.append(d);
    });
    await page.waitForFunction(() => (window as unknown as { __probe?: number }).__probe === 1); // … and the browser never sees it.
    await page.evaluate(() => document.getElementById('probe')?.remove());

    // The names, stored through the API as any user could.
    const company = await api(page, 'GET', '/api/customers/companies/1');
    // One person can hold two roles in a company: two different people.
    const people = [...new Set((company.people as { personId: number }[]).map((p) => p.personId))];
    expect(people.length).toBeGreaterThan(1);
    await api(page, 'PATCH', '/api/customers/companies/1', { name: COMPANY });
    await api(page, 'PATCH', `/api/customers/individuals/${people[0]}`, { name: PERSON });
    await api(page, 'PATCH', `/api/customers/individuals/${people[1]}`, { name: PERSON2 });
    expect((await api(page, 'GET', '/api/customers/companies/1')).name).toBe(COMPANY);

    // 对公客户 list: the name as text.
    await page.goto('/customers/companies');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await page.getByPlaceholder('输入客户名称或统一社会信用代码').fill('美迪电器');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByRole('link', { name: COMPANY }).first().waitFor();
    expect(await injected(page)).toEqual({ xss: undefined, imgs: 0, scripts: 0 });

    // Company 360: title and people table.
    await page.getByRole('link', { name: COMPANY }).first().click();
    await page.getByTestId('company-title').waitFor();
    await expect(page.getByTestId('company-title').textContent()).resolves.toContain(COMPANY);
    await page.getByTestId('company-people').locator('tr.ant-table-row').first().waitFor();
    const peopleText = (await page.getByTestId('company-people').textContent()) ?? '';
    expect(peopleText).toContain(PERSON);
    expect(peopleText).toContain(PERSON2);
    expect(await injected(page)).toEqual({ xss: undefined, imgs: 0, scripts: 0 });

    // The relationship graph: the tooltips of the company and of both people.
    await page.getByRole('tab', { name: '关系图' }).click();
    await page.getByTestId('relation-graph').locator('canvas').first().waitFor();
    await page.getByTestId('relation-graph').scrollIntoViewIfNeeded();
    await page.waitForTimeout(600);
    for (const name of [PERSON, PERSON2, COMPANY]) {
      const tip = await graphTooltip(page, name);
      await page.waitForTimeout(300); // an onerror would have fired by now
      // First: nothing ran, no element was made of the name …
      expect(await injected(page)).toEqual({ xss: undefined, imgs: 0, scripts: 0 });
      expect(tip.imgs).toBe(0);
      expect(tip.scripts).toBe(0);
      // … and the name is there, as the text it is.
      expect(tip.text).toContain(name);
      expect(tip.text).toContain(name.startsWith('<img') ? LITERAL : '<script>');
      expect(tip.html).toContain('&lt;');
    }
    // The last tooltip (the company's) is the one the screenshot shows.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(300);
    await graphTooltip(page, COMPANY);
    await page.getByText(COMPANY, { exact: false }).first().waitFor();
    await page.screenshot({ path: '/tmp/xss-shot.png' });
    await shot(page, '90-xss-graph-tooltip');

    // Person 360 and the person's own graph.
    await page.goto(`/customers/people/${people[0]}`);
    await page.getByTestId('person-title').waitFor();
    await expect(page.getByTestId('person-title').textContent()).resolves.toContain(PERSON);
    await page.getByTestId('person-companies').getByText(COMPANY).first().waitFor();
    await page.getByRole('tab', { name: '关系图' }).click();
    await page.getByTestId('relation-graph').locator('canvas').first().waitFor();
    await page.waitForTimeout(600);
    const tip = await graphTooltip(page, PERSON);
    expect(tip.text).toContain(LITERAL);
    expect(tip.imgs).toBe(0);
    await page.waitForTimeout(300);
    expect(await injected(page)).toEqual({ xss: undefined, imgs: 0, scripts: 0 });
    expect(f.pageErrors).toEqual([]);
  });
});
