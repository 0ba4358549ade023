import { screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lead, leadRate, me, pooledLead } from '../../test/fixtures';
import { mockApi, renderPage } from '../../test/render';
import LeadsPage from './index';
import { SlaTag } from './components/SlaTag';

const renderLeads = (path = '/leads') =>
  renderPage(
    <MemoryRouter initialEntries={[path]}>
      <LeadsPage />
    </MemoryRouter>,
  );

afterEach(() => vi.useRealTimers());

describe('商机管理', () => {
  it('opens an account manager on 我的商机 with the handling rate, the holder, the stage and the countdown', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T23:00:00Z'), toFake: ['Date'] });
    const calls = mockApi({
      'GET /auth/me': me(['lead.read', 'lead.work', 'sale.write', 'product.read']),
      'GET /leads': { items: [lead, pooledLead], total: 2, page: 1, pageSize: 20 },
      'GET /leads/handling-rate': leadRate,
    });
    renderLeads();
    const table = await screen.findByTestId('lead-table');
    expect(await within(table).findByText('王女士')).toBeTruthy();
    expect(within(table).getByText('王女士').closest('a')!.getAttribute('href')).toBe('/leads/41');
    expect(within(table).getByText('陈雨君')).toBeTruthy();
    expect(within(table).getAllByText('新建')).toHaveLength(2);
    // 21 hours after 23:00 UTC on 1 Dec is 02:00 on 4 Dec minus 2 days: 2 days 3 hours left.
    expect(within(table).getByText('剩余 2天3小时')).toBeTruthy();
    // 李先生 went back to the pool: no holder, and it says why.
    expect(within(table).getByText('商机池')).toBeTruthy();
    expect(within(table).getByText('已超时退回商机池')).toBeTruthy();
    expect(within(screen.getByTestId('lead-rate')).getByText(/已处理 2 \/ 收到 4，成交 1/)).toBeTruthy();
    const list = calls.find((c) => c.path === '/leads')!;
    expect(list.query.get('view')).toBe('mine');
    const rate = calls.find((c) => c.path === '/leads/handling-rate')!;
    expect(rate.query.get('from')).toBe('2026-12-01');
    expect(rate.query.get('to')).toBe('2026-12-31');
    expect(screen.getByTestId('lead-create')).toBeTruthy();
  });

  it('shows a manager without lead.work all leads, no 我的商机 and no record button', async () => {
    const calls = mockApi({
      'GET /auth/me': me(['lead.read', 'lead.manage']),
      'GET /leads': { items: [], total: 0, page: 1, pageSize: 20 },
      'GET /leads/handling-rate': leadRate,
    });
    renderLeads();
    await waitFor(() => expect(calls.find((c) => c.path === '/leads')?.query.get('view')).toBe('all'));
    expect(await screen.findByText(/暂无商机/)).toBeTruthy();
    expect(screen.queryByTestId('lead-create')).toBeNull();
    expect(within(screen.getByTestId('lead-view')).queryByText('我的商机')).toBeNull();
  });

  it('turns red under one day and says by how much a lead is overdue', () => {
    renderPage(<SlaTag lead={lead} now={new Date('2026-12-03T10:00:00Z').getTime()} />);
    const tag = screen.getByTestId('lead-sla');
    expect(tag.textContent).toBe('剩余 0天16小时');
    expect(tag.className).toContain('red');
    renderPage(<SlaTag lead={{ ...lead, escalationLevel: 1, nextEscalationAt: '2026-12-06T02:00:00.000Z' }} now={new Date('2026-12-07T05:00:00Z').getTime()} />);
    expect(screen.getByText('已超时 1天3小时')).toBeTruthy();
  });
});
