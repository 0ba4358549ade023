import { PageContainer } from '@ant-design/pro-components';
import { Card, DatePicker, Empty, Segmented, Select, Space, Spin } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import type { BoardFilters } from '../../api/dashboards';
import { useProductLines } from '../../api/products';
import { useI18n } from '../../locales';
import { BranchYearPicker, useBranchYear, yearOptions } from '../quotas/components/BranchYear';
import { CompletionCard } from './components/CompletionCard';
import { DrillCard, type DrillAt } from './components/DrillCard';
import { RankingsCard } from './components/RankingsCard';
import { TrendCard } from './components/TrendCard';
import { beijingToday, beijingMonth } from '../../format';

/**
 * 完成情况看板 (SPEC §10, §13): completion against the year's quotas per department × product (50 %
 * and 100 % lines), rankings of departments and people (销售PK), the monthly trend and the drill-down
 * branch → department → people. Filters: branch (in scope), product line, a year or a month range.
 */
export default function DashboardsPage() {
  const { t, pick } = useI18n();
  const { nodeId, year, choose, loadingNodes, search, nodes } = useBranchYear();
  // A province opens on its roll-up by branch (issue 12): the drill-down starts at its branches, first on the page.
  const province = nodes.find((n) => n.id === nodeId)?.level === 'province';
  const lines = useProductLines();
  const from = search.get('from') ?? undefined;
  const to = search.get('to') ?? undefined;
  const lineCode = search.get('line') ?? undefined;
  const mode = from && to ? 'months' : 'year';
  const filters: BoardFilters = mode === 'months' ? { nodeId, from, to, lineCode } : { nodeId, year, lineCode };
  const [drill, setDrill] = useState<DrillAt>(province ? {} : { nodeId });
  const drillRef = useRef<HTMLDivElement>(null);
  useEffect(() => setDrill(province ? {} : { nodeId }), [nodeId, province]);

  const drillTo = (at: DrillAt) => {
    setDrill(at);
    drillRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const drillBlock = (
    <div ref={drillRef} style={{ scrollMarginTop: 64 }}>
      <DrillCard filters={filters} at={drill} onChange={setDrill} />
    </div>
  );

  return (
    <PageContainer title={t('dashboard.title')} subTitle={t('dashboard.subtitle')}>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={[16, 8]}>
          <BranchYearPicker nodeId={nodeId} year={year} onChange={(p) => choose({ node: p.node })} testId="dashboard" hideYear />
          <Space>
            <span>{t('dashboard.line')}</span>
            <Select
              allowClear
              placeholder={t('dashboard.allLines')}
              value={lineCode}
              onChange={(v) => choose({ line: v })}
              style={{ width: 150 }}
              loading={lines.isLoading}
              data-testid="dashboard-line"
              options={(lines.data ?? []).map((l) => ({ value: l.code, label: pick(l.nameZh, l.nameEn) }))}
            />
          </Space>
          <Segmented
            value={mode}
            onChange={(v) => (v === 'months' ? choose({ from: `${year}-01`, to: Number(beijingToday().slice(0, 4)) === year ? beijingMonth() : `${year}-12` }) : choose({ from: null, to: null }))}
            options={[
              { value: 'year', label: t('dashboard.byYear') },
              { value: 'months', label: t('dashboard.byMonths') },
            ]}
            data-testid="dashboard-mode"
          />
          {mode === 'year' ? (
            <Select<number>
              value={year}
              onChange={(v) => choose({ year: v })}
              style={{ width: 110 }}
              data-testid="dashboard-year"
              options={yearOptions().map((y) => ({ value: y, label: t('quota.yearN', { year: y }) }))}
            />
          ) : (
            <DatePicker.RangePicker
              picker="month"
              allowClear={false}
              value={[dayjs(`${from}-01`), dayjs(`${to}-01`)]}
              onChange={(r) => r?.[0] && r[1] && choose({ from: r[0].format('YYYY-MM'), to: r[1].format('YYYY-MM'), year: r[0].year() })}
              data-testid="dashboard-months"
            />
          )}
        </Space>
      </Card>
      {!nodeId ? (
        loadingNodes ? (
          <Spin style={{ display: 'block', margin: 48 }} />
        ) : (
          <Empty description={t('quota.chooseBranch')} />
        )
      ) : (
        <>
          {province ? drillBlock : null}
          <CompletionCard filters={filters} onDrill={(departmentId) => drillTo({ nodeId, departmentId })} />
          <RankingsCard filters={filters} onDrill={(departmentId) => drillTo({ nodeId, departmentId })} />
          <TrendCard filters={filters} />
          {province ? null : drillBlock}
        </>
      )}
    </PageContainer>
  );
}
