import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OrgNodeDetail } from '../../../api/types';
import { configureApi } from '../../../api/client';
import { Fail, mockApi, renderPage } from '../../../test/render';
import { NodeForm } from './NodeForm';

const branch: OrgNodeDetail = {
  id: 11,
  code: 'FS',
  name: '佛山分行',
  level: 'branch',
  parentId: 1,
  path: '1.11',
  address: null,
  sort: 0,
  active: true,
  staffCount: 40,
  departments: [],
  committee: [],
};

function open() {
  const onDone = vi.fn();
  renderPage(<NodeForm open mode="create" node={branch} childLevel="subbranch" onClose={() => undefined} onDone={onDone} />);
  return onDone;
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('NodeForm (新增机构)', () => {
  it('makes a full-width 机构号 and name half-width, as the imports read them', async () => {
    const calls = mockApi({ 'POST /org/nodes': (c: { body: unknown }) => ({ ...branch, ...(c.body as object), id: 12, level: 'subbranch' }) });
    const onDone = open();
    fireEvent.change(await screen.findByLabelText('机构号'), { target: { value: 'ＦＳ－０１' } });
    fireEvent.change(input('机构名称'), { target: { value: '佛山禅城支行（Ａ）' } });
    expect(input('机构号').value).toBe('FS-01');
    fireEvent.click(screen.getByRole('button', { name: /确\s*认/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(12));
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ code: 'FS-01', name: '佛山禅城支行（A）', parentId: 11, level: 'subbranch' });
  });

  it('puts the server’s refusals on the fields, in Chinese, not in a toast', async () => {
    const toast = vi.fn();
    configureApi({ notifyError: toast });
    mockApi({
      'POST /org/nodes': new Fail(400, 'REQUEST.INVALID', '请求参数不符合要求', [{ path: 'body.name', code: 'too_big', maximum: 100, origin: 'string', message: 'Too big' }]),
    });
    const onDone = open();
    fireEvent.change(await screen.findByLabelText('机构号'), { target: { value: 'FS01' } });
    fireEvent.change(input('机构名称'), { target: { value: '名' } });
    fireEvent.click(screen.getByRole('button', { name: /确\s*认/ }));
    expect(await screen.findByText('最多 100 个字符')).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
    expect(toast).not.toHaveBeenCalled();
  });

  it('a code already used lands on the 机构号 field', async () => {
    mockApi({ 'POST /org/nodes': new Fail(409, 'ORG.CODE_TAKEN', '机构代码已存在') });
    open();
    fireEvent.change(await screen.findByLabelText('机构号'), { target: { value: 'FS' } });
    fireEvent.change(input('机构名称'), { target: { value: '重复' } });
    fireEvent.click(screen.getByRole('button', { name: /确\s*认/ }));
    const err = await screen.findByText('机构代码已存在');
    expect(err.closest('.ant-form-item')?.textContent).toContain('机构号');
  });
});
