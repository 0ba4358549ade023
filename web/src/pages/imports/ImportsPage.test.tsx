import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { me } from '../../test/fixtures';
import { mockApi, renderPage } from '../../test/render';
import ImportsPage from './index';

function open() {
  const calls = mockApi({
    'GET /auth/me': me(['staff.write']),
    'GET /imports/kinds': { items: [{ kind: 'staff', labelZh: '员工', labelEn: 'Staff', permission: 'staff.write' }], maxMb: 20 },
    'GET /imports': { items: [] },
    'POST /imports/staff': { id: '42' },
    'GET /imports/jobs/42': { id: '42', kind: 'staff', status: 'validating' },
  });
  const view = renderPage(
    <MemoryRouter>
      <ImportsPage />
    </MemoryRouter>,
  );
  return { calls, view };
}

const fileOf = (name: string, mb: number) => {
  const f = new File(['x'], name, { type: 'text/csv' });
  Object.defineProperty(f, 'size', { value: Math.round(mb * 1024 * 1024) });
  return f;
};

describe('ImportsPage (数据导入) upload limit', () => {
  it('states the server’s limit in the upload control', async () => {
    open();
    expect((await screen.findByTestId('import-limit')).textContent).toBe('单个文件不超过 20 MB');
  });

  it('refuses a file over the limit before sending it, naming the limit in Chinese', async () => {
    const { calls, view } = open();
    await screen.findByTestId('import-limit');
    const input = view.container.querySelector('input[type="file"]') as HTMLInputElement;
    await waitFor(() => expect(input.disabled).toBe(false));
    fireEvent.change(input, { target: { files: [fileOf('员工.csv', 25.3)] } });
    expect(await screen.findByText('文件「员工.csv」为 25.3 MB，超过大小上限（20 MB），请拆分后分批导入')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('sends a file within the limit', async () => {
    const { calls, view } = open();
    await screen.findByTestId('import-limit');
    const input = view.container.querySelector('input[type="file"]') as HTMLInputElement;
    await waitFor(() => expect(input.disabled).toBe(false));
    fireEvent.change(input, { target: { files: [fileOf('员工.csv', 0.5)] } });
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /imports/staff'));
  });
});
