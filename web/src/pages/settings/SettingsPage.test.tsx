import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { configureApi } from '../../api/client';
import type { SplitRule } from '../../api/contract';
import type { Setting } from '../../api/types';
import { beijingToday } from '../../format';
import { me } from '../../test/fixtures';
import { Fail, mockApi, renderPage } from '../../test/render';
import SettingsPage from './index';

const settings: Setting[] = [
  { key: 'bank.name', value: '示范商业银行', labelZh: '银行名称', labelEn: 'Bank name', control: { kind: 'text', maxLength: 100 }, updatedAt: null },
  { key: 'publication.windowDays', value: 7, labelZh: '公示期（天）', labelEn: 'Publication window (days)', control: { kind: 'number', min: 1, max: 31 }, updatedAt: null },
  { key: 'publication.holidays', value: ['2026-10-02', '2026-10-01'], labelZh: '法定节假日（不计工作日）', labelEn: 'Public holidays', control: { kind: 'dates' }, updatedAt: null },
  { key: 'publication.workdays', value: [], labelZh: '调休工作日（周末上班）', labelEn: 'Make-up working days', control: { kind: 'dates' }, updatedAt: null },
];
const rules: SplitRule[] = [{ effectiveFrom: '2000-01-01', hostBp: 2000, participantsBp: 8000, createdBy: null, createdByName: null, createdAt: '2026-01-01T00:00:00.000Z' }];

const routes = (permissions: string[]) => ({
  'GET /auth/me': { ...me(permissions), bankWide: permissions },
  'GET /settings': { items: settings },
  'GET /scoring/split-rules': { items: rules },
  'PUT /settings/publication.holidays': (c: { body: unknown }) => ({ ...settings[2], value: (c.body as { value: unknown }).value }),
  'POST /scoring/split-rules': (c: { body: unknown }) => ({ ...rules[0], ...(c.body as object), createdBy: 5, createdByName: '王五' }),
});

/** Types a day into an antd DatePicker and confirms it, as a person would with the keyboard. */
function pickDay(holder: HTMLElement, day: string) {
  const input = holder.querySelector('input')!;
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: day } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
}

describe('SettingsPage (系统参数)', () => {
  it('shows no internal key anywhere and no JSON; days are tags', async () => {
    mockApi(routes(['settings.read', 'settings.write']));
    const { container } = renderPage(<SettingsPage />);
    expect(await screen.findByText('公示期（天）')).toBeTruthy();
    await screen.findByText('2000-01-01');
    for (const key of settings.map((s) => s.key)) expect(container.textContent).not.toContain(key);
    expect(container.textContent).not.toContain('scoring.');
    expect(container.textContent).not.toContain('["');
    expect(container.querySelector('textarea')).toBeNull();
    const row = screen.getByText('法定节假日（不计工作日）').closest('tr')!;
    expect([...row.querySelectorAll('.ant-tag')].map((t) => t.textContent)).toEqual(['2026-10-01', '2026-10-02']);
  });

  it('the holidays editor adds a picked day, removes one, and sends a sorted array of days', async () => {
    const calls = mockApi(routes(['settings.read', 'settings.write']));
    renderPage(<SettingsPage />);
    fireEvent.click(await screen.findByTestId('setting-edit-publication.holidays'));
    pickDay(screen.getByTestId('setting-day-add').closest('.ant-picker')! as HTMLElement, '2026-09-30');
    const days = screen.getByTestId('setting-days');
    await waitFor(() => expect(within(days).getByText('2026-09-30')).toBeTruthy());
    // Remove 10-02 with its tag's ×.
    fireEvent.click(screen.getByTestId('setting-day-2026-10-02').querySelector('.ant-tag-close-icon')!);
    await waitFor(() => expect(screen.queryByTestId('setting-day-2026-10-02')).toBeNull());
    fireEvent.click(screen.getByTestId('setting-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')).toMatchObject({ path: '/settings/publication.holidays', body: { value: ['2026-09-30', '2026-10-01'] } });
  });

  it('the split-rule form refuses 30 % + 80 % and sends 3000/7000 for 30 % + 70 %', async () => {
    const calls = mockApi(routes(['settings.read', 'scoring.configure']));
    renderPage(<SettingsPage />);
    const form = await screen.findByTestId('split-rule-form');
    pickDay(form.querySelector('.ant-picker')! as HTMLElement, beijingToday());
    fireEvent.change(within(form).getByTestId('split-host'), { target: { value: '30' } });
    fireEvent.change(within(form).getByTestId('split-participants'), { target: { value: '80' } });
    expect((await screen.findByTestId('split-not100')).textContent).toContain('110');
    expect((screen.getByTestId('split-save') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(within(form).getByTestId('split-participants'), { target: { value: '70' } });
    await waitFor(() => expect((screen.getByTestId('split-save') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('split-not100')).toBeNull();
    fireEvent.click(screen.getByTestId('split-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/scoring/split-rules', body: { effectiveFrom: beijingToday(), hostBp: 3000, participantsBp: 7000 } });
  });

  it('states 公示期’s range with its unit, takes full-width digits, and says a refusal under the field with the range', async () => {
    const toast = vi.fn();
    configureApi({ notifyError: toast });
    const calls = mockApi({
      ...routes(['settings.read', 'settings.write']),
      'PUT /settings/publication.windowDays': new Fail(400, 'REQUEST.INVALID', '请求参数不符合要求', [{ path: 'body.value', code: 'too_big', maximum: 31, origin: 'number', message: 'Too big' }]),
    });
    renderPage(<SettingsPage />);
    fireEvent.click(await screen.findByTestId('setting-edit-publication.windowDays'));
    expect(screen.getByText('允许范围 1–31 天')).toBeTruthy();
    fireEvent.change(screen.getByTestId('setting-number'), { target: { value: '２０' } });
    await waitFor(() => expect((screen.getByTestId('setting-save') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('setting-save'));
    expect((await screen.findByTestId('setting-error')).textContent).toBe('允许范围 1–31 天');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ value: 20 });
    expect(toast).not.toHaveBeenCalled();
  });

  it('without scoring.configure held bank-wide the rules are listed but cannot be added', async () => {
    // A branch holder of scoring.configure: the server would refuse (SCORING.CONFIGURE_SCOPE), so no form.
    mockApi({ ...routes(['settings.read']), 'GET /auth/me': me(['settings.read', 'scoring.configure']) });
    renderPage(<SettingsPage />);
    expect(await screen.findByText('2000-01-01')).toBeTruthy();
    expect(screen.getByText('20%')).toBeTruthy();
    expect(screen.getByText('系统初始')).toBeTruthy();
    expect(screen.queryByTestId('split-rule-form')).toBeNull();
  });
});
