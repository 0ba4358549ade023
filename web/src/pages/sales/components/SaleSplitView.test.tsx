import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry, SaleSplit } from '../../../api/statements';
import { renderPage } from '../../../test/render';
import { SaleSplitView } from './SaleSplitView';

const pts = (points: string) => ({ points, pointsHundredths: Math.round(Number(points) * 100) });

/** A 100-point sale: host 20 %, one participant 80 % (10 points of it voided), its two people. */
const split: SaleSplit = {
  id: 7,
  sourceId: 'TX-0007',
  saleDate: '2026-10-12',
  nodeId: 11,
  product: { id: 3, code: 'P-CARD', name: '信用卡', unit: '张', mortgage: false },
  quantity: '1',
  projectId: null,
  developmentId: null,
  total: pts('100.00'),
  voided: pts('10.00'),
  ruleVersion: 'split-2026-01-01',
  departments: [
    { departmentId: 1, code: 'CARD', name: '信用卡部', host: true, ratioBp: null, ...pts('20.00'), voided: pts('0.00') },
    { departmentId: 2, code: 'CORP', name: '公司业务部', host: false, ratioBp: 8000, ...pts('80.00'), voided: pts('10.00') },
  ],
  people: [
    { staffId: 21, staffNo: 'S021', name: '张三', departmentId: 2, role: '主办', contributionBp: 6000, ...pts('48.00'), voided: pts('6.00') },
    { staffId: 22, staffNo: 'S022', name: '李四', departmentId: 2, role: '协办', contributionBp: null, ...pts('32.00'), voided: pts('0.00') },
  ],
};

const entries: LedgerEntry[] = [
  { id: 11, kind: 'allocation', period: '2026-10-01', departmentId: 2, staffId: null, ruleVersion: 'split-2026-01-01', reversesId: null, createdAt: '2026-10-12T08:00:00.000Z', ...pts('80.00') },
  { id: 12, kind: 'reversal', period: '2026-10-01', departmentId: 2, staffId: 21, ruleVersion: 'split-2026-01-01', reversesId: 11, createdAt: '2026-10-13T08:00:00.000Z', ...pts('-48.00') },
];

const rowOf = (table: HTMLElement, text: string) => within(table).getByText(text).closest('tr')!;

describe('SaleSplitView (the split of one sale)', () => {
  it('shows host and participant shares, points as sent, and the voided part', () => {
    renderPage(<SaleSplitView split={split} />);
    const depts = screen.getByTestId('split-departments');
    const host = rowOf(depts, '信用卡部');
    expect(within(host).getByText('主办')).toBeTruthy();
    expect(host.textContent).toContain('-'); // the host takes its fixed share, no ratio
    expect(host.textContent).toContain('20.00');
    const corp = rowOf(depts, '公司业务部');
    expect(within(corp).getByText('参与')).toBeTruthy();
    expect(corp.textContent).toContain('80.00%');
    expect(corp.textContent).toContain('（作废 10.00）');

    const people = screen.getByTestId('split-people');
    const zhang = rowOf(people, '张三（S021）');
    expect(zhang.textContent).toContain('60.00%');
    expect(zhang.textContent).toContain('48.00（作废 6.00）');
    const li = rowOf(people, '李四（S022）');
    expect(li.textContent).toContain('平均'); // no contribution given: equal shares
    expect(li.textContent).not.toContain('作废');
    expect(screen.queryByTestId('split-trace')).toBeNull();
  });

  it('with entries, lists the ledger trace: kinds, the reversed entry, department-level rows', () => {
    renderPage(<SaleSplitView split={split} entries={entries} />);
    const trace = screen.getByTestId('split-trace');
    const alloc = rowOf(trace, '分配');
    expect(alloc.textContent).toContain('部门留存');
    expect(alloc.textContent).toContain('2026-10');
    const rev = rowOf(trace, '冲销');
    expect(rev.textContent).toContain('张三（S021）');
    expect(rev.textContent).toContain('-48.00');
    expect(rev.textContent).toContain('#11');
  });
});
