import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { entries, split } from '../../../test/fixtures';
import { renderPage } from '../../../test/render';
import { SaleSplitView } from './SaleSplitView';

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
