import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FOSHAN = 11;

/** The main list pages and, for each, the column headers a person must see without scrolling sideways. */
const PAGES: { name: string; path: string; table: string; headers: string[] }[] = [
  { name: 'sales', path: '/sales', table: '.ant-table', headers: ['交易流水号', '积分', '参与部门', '营销人员'] },
  { name: 'statements', path: `/statements?node=${FOSHAN}`, table: '[data-testid="statement"] .ant-tabs .ant-table', headers: ['部门', '销售笔数', '积分'] },
  { name: 'statements-province', path: '/statements', table: '[data-testid="statement-branches"] .ant-table', headers: ['分行', '状态', '总积分', '销售笔数'] },
  { name: 'companies', path: '/customers/companies', table: '.ant-table', headers: ['客户名称', '统一社会信用代码'] },
  { name: 'people', path: '/customers/people', table: '.ant-table', headers: ['身份证号'] },
  { name: 'staff', path: '/staff', table: '.ant-table', headers: ['工号', '姓名'] },
  { name: 'products', path: '/products', table: '.ant-table', headers: ['产品名称', '主办部门', '当前分值'] },
  { name: 'objections', path: '/objections', table: '.ant-table', headers: [] },
  { name: 'quotas', path: `/quotas?node=${FOSHAN}&year=2026`, table: '[data-testid="quota-table"]', headers: ['部门', '产品'] },
  { name: 'imports', path: '/imports', table: '.ant-table', headers: [] },
];

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** What a person at this window size sees: page overflow, and each wanted header's place against the table's visible box. */
async function measure(page: Page, table: string, headers: string[]) {
  return page.evaluate(
    ({ table, headers }) => {
      const doc = document.documentElement;
      const t = document.querySelector(table);
      const box = (t?.querySelector('.ant-table-content, .ant-table-header, .ant-table-body') ?? t)?.getBoundingClientRect();
      const ths = [...(t?.querySelectorAll('thead th') ?? [])] as HTMLElement[];
      const textOf = (th: HTMLElement) => (th.textContent ?? '').replace(/\s+/g, '');
      const found = headers.map((h) => {
        const th = ths.find((x) => textOf(x) === h);
        const r = th?.getBoundingClientRect();
        return { header: h, found: !!th, right: r ? Math.round(r.right) : null, left: r ? Math.round(r.left) : null };
      });
      // A header whose text runs past its cell (cut off, not wrapped).
      const clipped = ths
        .filter((th) => {
          if (textOf(th) === '') return false;
          const range = document.createRange();
          range.selectNodeContents(th);
          const text = range.getBoundingClientRect();
          const cell = th.getBoundingClientRect();
          return text.right > cell.right + 1 || text.left < cell.left - 1;
        })
        .map(textOf);
      return {
        overflow: doc.scrollWidth - doc.clientWidth,
        viewport: window.innerWidth,
        tableLeft: box ? Math.round(box.left) : null,
        tableRight: box ? Math.round(box.right) : null,
        found,
        clipped,
      };
    },
    { table, headers },
  );
}

describe('works at the bank desktop (1366×768) and at 1920×1080', () => {
  // The demo bank with customers, products and scored sales: the lists have rows, as on a real desk.
  const f = useConsole({ scoring: true });

  it('no list page overflows sideways; the key column headers are in view without scrolling; screenshots at both sizes', async () => {
    const { page } = f;
    await signIn(page, 'admin');
    const problems: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const p of PAGES) {
        await page.goto(p.path);
        await page.locator(p.table).first().waitFor();
        // Rows (or the empty state) are in: the list has answered.
        await page.locator(`${p.table} tbody tr:not(.ant-table-measure-row)`).first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'));
        await page.mouse.move(size.width - 10, size.height - 10);
        await shot(page, `layout-${p.name}-${size.width}`);
        const m = await measure(page, p.table, p.headers);
        const at = `${p.name} @${size.width}`;
        if (m.overflow > 0) problems.push(`${at}: the page is ${m.overflow}px wider than the window`);
        for (const h of m.found) {
          if (!h.found) problems.push(`${at}: no column 「${h.header}」`);
          else if (h.right! > Math.min(m.viewport, m.tableRight ?? m.viewport) + 1) problems.push(`${at}: 「${h.header}」 ends at ${h.right}px, past the visible table (${m.tableRight}px)`);
        }
        for (const c of m.clipped) problems.push(`${at}: header 「${c}」 is clipped`);
      }
    }
    expect(problems).toEqual([]);
    expect(f.pageErrors).toEqual([]);
  });
});
