import { screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { BranchLine, Statement, StatementMonth } from '../../api/statements';
import type { OrgNode } from '../../api/types';
import { me, pts } from '../../test/fixtures';
import { Fail, mockApi, renderPage } from '../../test/render';
import StatementsPage from './index';

const node = (id: number, code: string, name: string, level: OrgNode['level'], path: string): OrgNode => ({
  id,
  code,
  name,
  level,
  parentId: null,
  path,
  address: null,
  sort: 0,
  active: true,
  staffCount: 0,
});
const nodes = [node(2, 'GD', '广东省分行', 'province', '1.2'), node(11, 'FS', '佛山分行', 'branch', '1.2.11'), node(12, 'HY', '河源分行', 'branch', '1.2.12')];

const months: StatementMonth[] = [
  { month: '2026-11', sales: 93, total: pts('1234.50') },
  { month: '2026-10', sales: 80, total: pts('1000.00') },
];

/** The province's own statement of November: no sale was booked at the province itself. */
const provinceOwn: Statement = {
  node: { id: 2, code: 'GD', name: '广东省分行' },
  month: '2026-11',
  period: '2026-11-01',
  state: 'published',
  totals: { total: pts('0.00'), voided: pts('0.00'), departmentLevel: pts('0.00'), people: pts('0.00'), sales: 0 },
  departments: [],
  people: [],
  projects: [],
  products: [],
  adjustments: [],
  laterAdjustments: [],
  developments: [],
};

const branches: BranchLine[] = [
  { nodeId: 2, code: 'GD', name: '广东省分行', state: 'published', total: pts('0.00'), voided: pts('0.00'), sales: 0 },
  { nodeId: 11, code: 'FS', name: '佛山分行', state: 'published', total: pts('1000.50'), voided: pts('50.00'), sales: 80 },
  { nodeId: 12, code: 'HY', name: '河源分行', state: 'draft', total: pts('234.00'), voided: pts('0.00'), sales: 13 },
];

function Where() {
  const l = useLocation();
  return <div data-testid="where">{l.search}</div>;
}

/** The page alone at `url` (the refusal tests need no address read-back). */
function openStatements(url: string) {
  renderPage(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/statements" element={<StatementsPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('StatementsPage (积分报表) first screen', () => {
  it('a province user opens on the latest month with scored sales, rolled up by branch; empty charts say why', async () => {
    const calls = mockApi({
      'GET /auth/me': { ...me(['statement.read']), nodeId: 2, nodeName: '广东省分行' },
      'GET /org/nodes': { items: nodes },
      'GET /statements/2/months': { items: months },
      'GET /statements/2/2026-11': provinceOwn,
      'GET /statements/2/2026-11/branches': { items: branches },
    });
    renderPage(
      <MemoryRouter initialEntries={['/statements']}>
        <Routes>
          <Route
            path="/statements"
            element={
              <>
                <StatementsPage />
                <Where />
              </>
            }
          />
        </Routes>
      </MemoryRouter>,
    );
    const rollup = await screen.findByTestId('statement-branches');
    await waitFor(() => expect(within(rollup).getByText('佛山分行')).toBeTruthy());
    expect(within(rollup).getByText('1000.50')).toBeTruthy();
    expect(within(rollup).getByTestId('statement-branch-HY').getAttribute('href')).toBe('/statements?node=12&month=2026-11');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('?node=2&month=2026-11'));
    expect(screen.getAllByText('本月尚无已计分的销售')).toHaveLength(2);
    // Never the empty current month.
    expect(calls.some((c) => /^\/statements\/2\/2026-12/.test(c.path))).toBe(false);
  });

  it("a month of an archived year says so in the page, with its year and the server's words, not as an empty statement", async () => {
    const words = '该年度已归档，不在在线数据中；如需查看请联系运维人员恢复（已公示的通知仍可查看）';
    mockApi({
      'GET /auth/me': me(['statement.read']),
      'GET /org/nodes': { items: nodes },
      'GET /statements/11/months': { items: months },
      'GET /statements/11/2025-12': new Fail(410, 'PERIOD.ARCHIVED', words),
    });
    openStatements('/statements?node=11&month=2025-12');
    const archived = await screen.findByTestId('statement-archived');
    expect(within(archived).getByText('2025年度已归档')).toBeTruthy();
    expect(within(archived).getByText(words)).toBeTruthy();
    expect(screen.queryByText('请选择分行和月份')).toBeNull();
    expect(screen.queryByTestId('statement')).toBeNull();
  });

  it("any other refusal of the statement shows the server's words in the page", async () => {
    mockApi({
      'GET /auth/me': me(['statement.read']),
      'GET /org/nodes': { items: nodes },
      'GET /statements/12/months': { items: months },
      'GET /statements/12/2026-11': new Fail(403, 'AUTH.OUT_OF_SCOPE', '无权查看该机构的数据'),
    });
    openStatements('/statements?node=12&month=2026-11');
    const refused = await screen.findByTestId('statement-refused');
    expect(within(refused).getByText('无法显示该月积分报表')).toBeTruthy();
    expect(within(refused).getByText('无权查看该机构的数据')).toBeTruthy();
  });
});
