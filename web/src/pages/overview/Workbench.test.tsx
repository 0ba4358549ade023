import { screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { Workbench } from '../../api/workbench';
import { adminWorkbench, me, workbench } from '../../test/fixtures';
import { mockApi, renderPage } from '../../test/render';
import OverviewPage from './index';

const routes = (w: Workbench) => ({
  'GET /auth/me': me(['objection.raise', 'dashboard.read']),
  'GET /workbench': w,
  'GET /periods/notices': { items: [] },
});

const renderHome = () =>
  renderPage(
    <MemoryRouter>
      <OverviewPage />
    </MemoryRouter>,
  );

describe('首页 workbench', () => {
  it('shows an account manager his points by product, his sales linked to their split, his ranks and quota against the 50 % line', async () => {
    const calls = mockApi(routes(workbench));
    renderHome();
    const points = await screen.findByTestId('wb-points');
    expect(screen.getByTestId('wb-month-points').querySelector('.ant-statistic-content')!.textContent).toBe('4.50');
    expect(screen.getByTestId('wb-year-points').querySelector('.ant-statistic-content')!.textContent).toBe('20.10');
    expect(within(points).getByText('借记卡')).toBeTruthy();
    const link = within(screen.getByTestId('wb-sales')).getByTestId('wb-sale-link');
    expect(link.textContent).toBe('DEMO-FS202612-0001');
    expect(link.getAttribute('href')).toBe('/sales/901');
    const ranks = screen.getByTestId('wb-ranks');
    expect(within(ranks).getByText('信用卡中心')).toBeTruthy();
    expect(within(ranks).getByText('14')).toBeTruthy();
    const quotas = screen.getByTestId('wb-quotas');
    expect(within(quotas).getByText(/完成 10 \/ 任务 16 张 · 62\.50%/)).toBeTruthy();
    expect(within(quotas).getByText('已达 50%')).toBeTruthy();
    expect(within(quotas).getByTestId('wb-quota-line').style.left).toBe('50%');
    expect(within(screen.getByTestId('wb-objections')).getByText('漏记了我的营销人员身份').closest('a')!.getAttribute('href')).toBe('/objections/77');
    expect(within(screen.getByTestId('wb-todo-imports')).getByText('去处理').closest('a')!.getAttribute('href')).toBe('/imports');
    expect(screen.getByTestId('wb-earner')).toBeTruthy();
    // The workbench is one call: no org or staff lists for a person who may not read them.
    expect(calls.filter((c) => c.path.startsWith('/staff') || c.path.startsWith('/org'))).toEqual([]);
  });

  it('puts an administrator’s to-dos first, without rank or empty quota cards, and says why the points are empty', async () => {
    mockApi(routes(adminWorkbench));
    renderHome();
    const todos = await screen.findByTestId('wb-todos');
    expect(screen.getByTestId('wb-todos-first')).toBeTruthy();
    expect(within(todos).getByText('待答复的异议')).toBeTruthy();
    expect(within(screen.getByTestId('wb-todo-objections')).getByText('3')).toBeTruthy();
    expect(within(screen.getByTestId('wb-todo-nominations')).getByText('去处理').closest('a')!.getAttribute('href')).toBe('/targets/review');
    expect(within(screen.getByTestId('wb-todo-publish')).getByText('（暂无）')).toBeTruthy();
    expect(screen.queryByTestId('wb-ranks')).toBeNull();
    expect(screen.queryByTestId('wb-quotas')).toBeNull();
    expect(within(screen.getByTestId('wb-points')).getByText(/本年还没有记入您名下的积分/)).toBeTruthy();
    // the to-do card comes before the points card in the page
    expect(todos.compareDocumentPosition(screen.getByTestId('wb-points')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
