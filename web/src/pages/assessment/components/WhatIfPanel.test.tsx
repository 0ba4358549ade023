import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, plan, quota } from '../../../test/fixtures';
import { mockApi, renderPage } from '../../../test/render';
import { WhatIfPanel } from './WhatIfPanel';

describe('WhatIfPanel (试算, nothing saved)', () => {
  it('sends the pool in 分 and the gate in basis points, and shows base and what-if side by side', async () => {
    const calls = mockApi({ 'GET /quotas': { plan, items: [quota] }, 'POST /assessment/what-if': answer });
    renderPage(<WhatIfPanel nodeId={11} year={2026} />);

    fireEvent.change(screen.getByTestId('whatif-pool'), { target: { value: '100,000' } });
    const gate = screen.getByTestId('whatif-gate');
    fireEvent.change(gate, { target: { value: '70' } });
    fireEvent.blur(gate);
    fireEvent.click(screen.getByTestId('whatif-run'));

    const totals = await screen.findByTestId('whatif-totals');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ nodeId: 11, year: 2026, poolFen: 10_000_000, gateBp: 7000 });

    const row = (label: string) => within(totals).getByText(label).closest('tr')!;
    expect(row('奖励总额').textContent).toContain('80,000.00');
    expect(row('奖励总额').textContent).toContain('100,000.00');
    expect(row('门槛').textContent).toMatch(/50%.*70%/);
    expect(row('未达门槛项数').textContent).toMatch(/0 \/ 1.*1 \/ 1/);
    expect(row('奖励合计').textContent).toContain('62,500.00');

    const dept = within(screen.getByTestId('whatif-table')).getByText('公司业务部').closest('tr')!;
    expect(dept.textContent).toContain('160.00');
    expect(dept.textContent).toContain('100.00');
    expect(dept.textContent).toContain('-17,500.00');
    expect(screen.getByTestId('whatif-reward-total').textContent).toBe('62,500.00');
    // The one gate result that flipped is named with its reason.
    expect(screen.getByText('试算后门槛结果变化的任务（1项）')).toBeTruthy();
    expect(screen.getByText(/完成 60%，未达门槛 70%/)).toBeTruthy();
  });

  it('refuses a pool that is not an amount, without calling the server', async () => {
    const calls = mockApi({ 'GET /quotas': { plan, items: [quota] } });
    renderPage(<WhatIfPanel nodeId={11} year={2026} />);
    fireEvent.change(screen.getByTestId('whatif-pool'), { target: { value: '12.345' } });
    fireEvent.click(screen.getByTestId('whatif-run'));
    expect(await screen.findByText('应为不小于0的金额，最多两位小数')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.path === '/quotas')).toBe(true));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
