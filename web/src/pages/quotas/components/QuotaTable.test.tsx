import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { lines, me, quotaItems as items, quotaOf as quota } from '../../../test/fixtures';
import { mockApi, renderPage } from '../../../test/render';
import { cleanQuantity, QuotaTable } from './QuotaTable';

describe('QuotaTable (营销任务)', () => {
  it('shows quantities grouped in their unit, source, line and the person a quota is narrowed to; read-only without quota.write', async () => {
    mockApi({ 'GET /auth/me': me(['dashboard.read']), 'GET /products/lines': lines });
    renderPage(<QuotaTable nodeId={11} year={2026} items={items} />);
    expect(screen.getByTestId('quota-qty-1').textContent).toBe('1,234.5 张');
    expect(screen.getByTestId('quota-qty-2').textContent).toBe('2,500,000 万元');
    const fund = screen.getByTestId('quota-qty-2').closest('tr')!;
    expect(within(fund).getByText('手工录入')).toBeTruthy();
    expect(fund.textContent).toContain('张三（S021）');
    expect(await within(fund).findByText('财富')).toBeTruthy();
    expect(within(screen.getByTestId('quota-qty-1').closest('tr')!).getByText('建议目标')).toBeTruthy();
    expect(screen.queryByTestId('quota-add')).toBeNull();
    expect(screen.queryByTestId('quota-edit-CORP-P-CARD')).toBeNull();
  });

  it('edits a quantity in place: refuses five decimals, sends "1,000" as "1000" with the CSRF token', async () => {
    const calls = mockApi({
      'GET /auth/me': me(['dashboard.read', 'quota.write']),
      'GET /products/lines': lines,
      'PATCH /quotas/1': (c) => quota({ quantity: (c.body as { quantity: string }).quantity, source: 'manual' }),
    });
    renderPage(<QuotaTable nodeId={11} year={2026} items={items} />);
    fireEvent.click(await screen.findByTestId('quota-edit-CORP-P-CARD'));
    const input = screen.getByTestId('quota-qty-input');
    expect((input as HTMLInputElement).value).toBe('1234.5');

    fireEvent.change(input, { target: { value: '12.34567' } });
    expect((screen.getByTestId('quota-save') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(input, { target: { value: '1,000' } });
    fireEvent.click(screen.getByTestId('quota-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/quotas/1', body: { quantity: '1000', note: null } });
    const init = (fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls.find(([, i]) => i?.method === 'PATCH')![1];
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
    await waitFor(() => expect(screen.queryByTestId('quota-qty-input')).toBeNull());
  });

  it('cleanQuantity takes what the API takes', () => {
    expect(cleanQuantity('1,234.5')).toBe('1234.5');
    expect(cleanQuantity(' 12，000 ')).toBe('12000');
    expect(cleanQuantity('１，２３４．５')).toBe('1234.5');
    expect(cleanQuantity('1.23456')).toBeUndefined();
    expect(cleanQuantity('-1')).toBeUndefined();
  });
});
