import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { Fail, mockApi, renderPage } from '../../test/render';
import LoginPage from './index';

describe('LoginPage (登录)', () => {
  it('reads a 工号 typed full-width with a Chinese IME as the imports do', async () => {
    const calls = mockApi({
      'GET /auth/me': new Fail(401, 'AUTH.UNAUTHENTICATED', '请先登录'),
      'POST /auth/login': new Fail(401, 'AUTH.BAD_CREDENTIALS', '用户名或密码错误'),
    });
    renderPage(
      <MemoryRouter>
        <LoginPage />
      </MemoryRouter>,
    );
    const staffNo = (await screen.findByPlaceholderText('请输入工号')) as HTMLInputElement;
    fireEvent.change(staffNo, { target: { value: '　４４１１００１４' } });
    expect(staffNo.value).toBe('44110014');
    fireEvent.change(screen.getByPlaceholderText('请输入密码'), { target: { value: 'Linkage@2026' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ staffNo: '44110014', password: 'Linkage@2026' }));
    expect((await screen.findByTestId('login-error')).textContent).toBe('用户名或密码错误');
  });
});
