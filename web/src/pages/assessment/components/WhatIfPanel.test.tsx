import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AssessmentResult, WhatIf } from '../../../api/assessment';
import type { Quota, QuotaPlan } from '../../../api/quotas';
import { mockApi, renderPage } from '../../../test/render';
import { WhatIfPanel } from './WhatIfPanel';

const pts = (points: string) => ({ points, pointsHundredths: Math.round(Number(points) * 100) });
const yuan = (amount: string) => ({ amount, amountFen: Math.round(Number(amount) * 100) });
const text = (zh: string) => ({ zh, en: zh });

const gateLine = (passed: boolean) => ({
  departmentId: 2,
  departmentName: '公司业务部',
  productId: 3,
  productName: '信用卡',
  unit: '张',
  quota: '100',
  quota1e4: 1_000_000,
  completion: '60',
  completion1e4: 600_000,
  completionBp: 6000,
  passed,
  points: pts('60.00'),
  reason: text(passed ? '完成 60%，达到门槛 50%' : '完成 60%，未达门槛 70%'),
});

const result = (poolYuan: string, gateBp: number, passed: boolean, reward: string): AssessmentResult => ({
  pool: yuan(poolYuan),
  gateBp,
  totals: { points: pts('160.00'), counted: pts(passed ? '160.00' : '100.00'), gated: pts(passed ? '0.00' : '60.00'), reward: yuan(reward), special: yuan('0.00') },
  notes: [],
  gate: [gateLine(passed)],
  departments: [],
  people: [],
  outlets: [],
});

/** Base: pool 80,000 and gate 50 %; what-if: pool 100,000 and gate 70 %, which gates 公司业务部. */
const answer: WhatIf = {
  nodeId: 11,
  year: 2026,
  base: { source: 'computed', runId: null, result: result('80000.00', 5000, true, '80000.00') },
  whatIf: result('100000.00', 7000, false, '62500.00'),
  departments: [
    {
      departmentId: 2,
      name: '公司业务部',
      baseCounted: pts('160.00'),
      whatIfCounted: pts('100.00'),
      baseReward: yuan('80000.00'),
      whatIfReward: yuan('62500.00'),
      delta: yuan('-17500.00'),
    },
  ],
  written: false,
};

const plan: QuotaPlan = { nodeId: 11, year: 2026, state: 'draft', approvedVersion: 0, lastEditedBy: null, lastEditedAt: null, approvedBy: null, approvedAt: null, quotas: 1, versions: [] };
const quota: Quota = {
  id: 1,
  nodeId: 11,
  year: 2026,
  departmentId: 2,
  departmentCode: 'CORP',
  departmentName: '公司业务部',
  productId: 3,
  productCode: 'P-CARD',
  productName: '信用卡',
  lineCode: 'CARD',
  unit: '张',
  staffId: null,
  staffNo: null,
  staffName: null,
  outletNodeId: null,
  outletCode: null,
  outletName: null,
  quantity: '100',
  quantity1e4: 1_000_000,
  source: 'manual',
  note: null,
  updatedBy: null,
  updatedAt: '2026-01-05T08:00:00.000Z',
};

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
