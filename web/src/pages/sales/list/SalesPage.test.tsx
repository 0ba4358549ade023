import { screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { me } from '../../../test/fixtures';
import { mockApi, renderPage } from '../../../test/render';
import SalesPage from './index';

const page = { items: [], total: 0, page: 1, pageSize: 20 };

describe('交叉销售 list', () => {
  it('shows a person without sale.read the sales they took part in, and calls no API they may not use', async () => {
    const calls = mockApi({
      'GET /auth/me': me(['org.read', 'product.read', 'objection.raise', 'dashboard.read']),
      'GET /sales': page,
      'GET /products': page,
      'GET /org/nodes': { items: [] },
      'GET /org/departments': { items: [] },
    });
    renderPage(
      <MemoryRouter>
        <SalesPage />
      </MemoryRouter>,
    );
    await waitFor(() => expect(calls.some((c) => c.path === '/sales')).toBe(true), { timeout: 8000 });
    expect(await screen.findByText('我的销售')).toBeTruthy();
    for (const c of calls.filter((x) => x.path === '/sales')) expect(c.query.get('mine')).toBe('true');
    // no staff picker (staff.read), no developments (sale.read), no export
    expect(calls.filter((c) => c.path.startsWith('/staff') || c.path.startsWith('/developments') || c.path.startsWith('/sales/export'))).toEqual([]);
    expect(screen.queryByText('导出')).toBeNull();
  });

  it('lets a reader of the branch’s sales switch to 我的销售', async () => {
    const calls = mockApi({
      'GET /auth/me': me(['org.read', 'product.read', 'sale.read', 'staff.read']),
      'GET /sales': page,
      'GET /products': page,
      'GET /developments': page,
      'GET /org/nodes': { items: [] },
      'GET /org/departments': { items: [] },
      'GET /staff': page,
    });
    renderPage(
      <MemoryRouter>
        <SalesPage />
      </MemoryRouter>,
    );
    await waitFor(() => expect(calls.some((c) => c.path === '/sales')).toBe(true), { timeout: 8000 });
    expect(calls.find((c) => c.path === '/sales')!.query.get('mine')).toBeNull();
    (await screen.findByText('我的销售')).click();
    await waitFor(() => expect(calls.some((c) => c.path === '/sales' && c.query.get('mine') === 'true')).toBe(true), { timeout: 8000 });
  });
});
