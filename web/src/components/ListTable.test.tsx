import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderPage } from '../test/render';
import { ListTable, type ListQuery, textFilter } from './ListTable';

interface Row {
  id: number;
  name: string;
}
interface Form {
  q?: string;
}

describe('ListTable', () => {
  it('asks for page 1 of 20 with the form fields, and shows the rows and the total of the envelope', async () => {
    const fetchPage = vi.fn(async (_q: ListQuery<Form>) => ({
      items: [
        { id: 1, name: '佛山分行' },
        { id: 2, name: '河源分行' },
      ],
      total: 41,
    }));
    renderPage(<ListTable<Row, Form> headerTitle="list" columns={[{ title: 'Name', dataIndex: 'name', search: false }]} fetchPage={fetchPage} search={false} />);
    expect(await screen.findByText('河源分行')).toBeTruthy();
    expect(fetchPage.mock.calls[0][0]).toMatchObject({ page: 1, pageSize: 20 });
    await waitFor(() => expect(screen.getByText('共 41 条')).toBeTruthy());
  });

  it('textFilter trims and leaves out empty text', () => {
    expect(textFilter('  abc ')).toBe('abc');
    expect(textFilter('   ')).toBeUndefined();
    expect(textFilter(undefined)).toBeUndefined();
    expect(textFilter('　１２３４ ')).toBe('1234');
  });
});
