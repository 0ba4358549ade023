import { screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { PeriodView } from '../../api/periods';
import type { SpotCheck, SpotItem } from '../../api/spotchecks';
import { me, pts } from '../../test/fixtures';
import { mockApi, renderPage } from '../../test/render';
import PeriodDetailPage from './detail';

const period: PeriodView = {
  nodeId: 11,
  nodeCode: 'FS',
  nodeName: '佛山分行',
  month: '2026-10',
  period: '2026-10-01',
  state: 'submitted',
  scheduledPublicationDay: '2026-11-02',
  publicationOverdue: null,
  publishedAt: '2026-11-02T01:00:00.000Z',
  publishedBy: { id: 5, name: '王五' },
  windowClosesAt: '2026-11-08T15:59:59.000Z',
  windowOpen: false,
  windowClosedAt: '2026-11-08T15:59:59.000Z',
  submittedAt: '2026-11-09T01:00:00.000Z',
  submittedBy: { id: 5, name: '王五' },
  auditedAt: null,
  auditedBy: null,
  approvedAt: null,
  approvedBy: null,
  lockedAt: null,
  lockedBy: null,
  openObjections: 0,
  actions: [{ action: 'audit', permission: 'period.audit', allowed: true }],
};

const item = (saleId: number, result: SpotItem['result']): SpotItem => ({
  saleId,
  sourceId: `TX-${saleId}`,
  saleDate: '2026-10-12',
  productName: '信用卡',
  quantity: '1',
  unit: '张',
  points: pts('10.00'),
  struck: false,
  result,
  note: null,
  checkedBy: result === 'pending' ? null : { id: 6, name: '合规甲' },
  checkedAt: result === 'pending' ? null : '2026-11-10T01:00:00.000Z',
  evidence: [],
});

const check = (results: SpotItem['result'][]): SpotCheck => ({
  id: 1,
  nodeId: 11,
  month: '2026-10',
  seed: 'S-1',
  sizeRule: { count: results.length },
  populationCount: 90,
  sampleSize: results.length,
  drawnBy: { id: 6, name: '合规甲' },
  drawnAt: '2026-11-09T02:00:00.000Z',
  summary: {
    sampled: results.length,
    verified: results.filter((r) => r === 'verified').length,
    false: results.filter((r) => r === 'false').length,
    pending: results.filter((r) => r === 'pending').length,
  },
  items: results.map((r, i) => item(i + 1, r)),
});

function open(results: SpotItem['result'][]) {
  mockApi({
    'GET /auth/me': me(['statement.read', 'period.audit']),
    'GET /periods/11/2026-10': period,
    'GET /objections': { items: [], total: 0, page: 1, pageSize: 10 },
    'GET /spot-checks/11/2026-10': check(results),
  });
  renderPage(
    <MemoryRouter initialEntries={['/periods/11/2026-10']}>
      <Routes>
        <Route path="/periods/:nodeId/:month" element={<PeriodDetailPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('完成审核 waits for every sampled sale', () => {
  it('is disabled and says how many samples still have no verdict', async () => {
    open(['verified', 'pending', 'false', 'pending']);
    expect(await screen.findByTestId('period-audit-blocked', {}, { timeout: 8000 })).toHaveProperty('textContent', '还有 2 笔抽查样本未给出结论');
    expect((screen.getByTestId('period-action-audit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('is enabled once every sample has a verdict', async () => {
    open(['verified', 'false', 'verified']);
    await screen.findByTestId('spot-summary', {}, { timeout: 8000 });
    await waitFor(() => expect((screen.getByTestId('period-action-audit') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('period-audit-blocked')).toBeNull();
  });
});
