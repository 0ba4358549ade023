import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderPage } from '../../../test/render';
import { JobProgress } from './JobProgress';

const job = { id: '42', kind: 'sales', fileName: '十月台账.xlsx', mode: 'all', status: 'failed', totalRows: 5, processedRows: 5, errorRows: 3, inserted: 0, updated: 0, unchanged: 0 };
const item = (row: number) => ({
  row,
  column: '证件号码',
  templateColumn: '客户身份证号码',
  columnKey: 'idNumber',
  code: 'IMPORT.CHECK_DIGIT',
  message: `第${row}行 证件号码（模板列名：客户身份证号码）：身份证号码 44060419900101123X 校验位不正确`,
  messageEn: `Row ${row} 证件号码 (template column: Client ID number): ID number 44060419900101123X has a wrong check digit`,
});

describe('a finished import lists its errors from the JSON API (issue 18)', () => {
  it('shows row, the sheet’s column with the template’s name, code and the Chinese words, paged on the server', async () => {
    const calls = mockApi({
      'GET /imports/jobs/42': { ...job, message: '共 5 行，其中 3 行有误，未导入任何数据；已跳过合计行 1 行（第 8 行）', messageCode: 'IMPORT.ROW_ERRORS', hasErrorReport: true },
      'GET /imports/jobs/42/errors': (c: { query: URLSearchParams }) => {
        const page = Number(c.query.get('page'));
        const pageSize = Number(c.query.get('pageSize'));
        const all = Array.from({ length: 12 }, (_v, i) => item(i + 3));
        return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
      },
    });
    renderPage(<JobProgress jobId="42" />);
    const list = await screen.findByTestId('import-errors');
    expect(within(list).getByText('错误明细')).toBeTruthy();
    expect(await within(list).findByText('第3行 证件号码（模板列名：客户身份证号码）：身份证号码 44060419900101123X 校验位不正确')).toBeTruthy();
    expect(within(list).getAllByText('证件号码（客户身份证号码）')).toHaveLength(10);
    expect(within(list).getAllByText('IMPORT.CHECK_DIGIT')).toHaveLength(10);
    expect(screen.getByText(/已跳过合计行 1 行（第 8 行）/)).toBeTruthy();
    fireEvent.click(within(list).getByTitle('2'));
    expect(await within(list).findByText(/^第14行 /)).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => c.path === '/imports/jobs/42/errors').map((c) => c.query.get('page'))).toEqual(['1', '2']));
  });

  it('lists nothing when the job has no errors', async () => {
    const calls = mockApi({
      'GET /imports/jobs/42': { ...job, status: 'done', errorRows: 0, inserted: 5, message: '导入完成', messageCode: null, hasErrorReport: false },
      'GET /imports/jobs/42/errors': { items: [], total: 0, page: 1, pageSize: 10 },
    });
    renderPage(<JobProgress jobId="42" />);
    expect(await screen.findByText('导入成功')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.path === '/imports/jobs/42/errors')).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('import-errors')).toBeNull();
  });
});
