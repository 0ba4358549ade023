import { PageContainer } from '@ant-design/pro-components';
import { Card, DatePicker, Space, Table, Tabs } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { bpText, type PerfOutletLine, type PerfPersonLine, useOutletPerformance, usePersonPerformance } from '../../api/performance';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { yuanOf } from '../../components/money';
import { beijingToday } from '../../format';
import { useI18n } from '../../locales';
import { Chart } from '../dashboards/components/charts';

/** The first day of today's quarter (Beijing), and today. */
function thisQuarter(): [Dayjs, Dayjs] {
  const today = beijingToday();
  const m = Number(today.slice(5, 7));
  return [dayjs(`${today.slice(0, 4)}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`), dayjs(today)];
}

/** Percent with two decimals from integer basis points, for the chart (no float arithmetic on money). */
const bpNumber = (bp: number | null) => (bp === null ? null : bpText(bp).replace('%', ''));

function chartOption(lines: PerfOutletLine[], name: string) {
  const shown = lines.filter((l) => l.entries > 0).slice(0, 30);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: string | null) => (v === null || v === undefined ? '—' : `${v}%`) },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: shown.map((l) => l.name), axisLabel: { interval: 0, rotate: shown.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [{ type: 'bar', name, data: shown.map((l) => bpNumber(l.drawnBp)), itemStyle: { color: '#1677ff' } }],
  };
}

/** 白名单转化业绩 (SPEC §12): by outlet and by person, over any period, within a branch subtree. */
export default function PerformancePage() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(thisQuarter);
  const [nodeId, setNodeId] = useState<number | undefined>();
  const q = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), nodeId };
  const outlets = useOutletPerformance(q);
  const people = usePersonPerformance(q);
  const funnel = [
    { title: t('perf.entries'), dataIndex: 'entries', align: 'right' as const },
    { title: t('perf.contacted'), dataIndex: 'contacted', align: 'right' as const },
    { title: t('perf.interested'), dataIndex: 'interested', align: 'right' as const },
    { title: t('perf.applied'), dataIndex: 'applied', align: 'right' as const },
    { title: t('perf.drawn'), dataIndex: 'drawn', align: 'right' as const },
    { title: t('perf.entriesFen'), dataIndex: 'entriesFen', align: 'right' as const, render: (v: number) => yuanOf(v) },
    { title: t('perf.drawnFen'), dataIndex: 'drawnFen', align: 'right' as const, render: (v: number) => yuanOf(v) },
    { title: t('perf.contactedBp'), dataIndex: 'contactedBp', align: 'right' as const, render: (v: number | null) => bpText(v) },
    { title: t('perf.drawnBp'), dataIndex: 'drawnBp', align: 'right' as const, render: (v: number | null) => bpText(v) },
  ];
  return (
    <PageContainer
      title={t('perf.outlets.title')}
      subTitle={t('perf.outlets.subtitle')}
      extra={
        <Space wrap>
          <span>{t('perf.range')}</span>
          <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} data-testid="perf-range" />
          <OrgTreeSelect value={nodeId} onChange={setNodeId} placeholder={t('perf.node')} style={{ width: 220 }} />
        </Space>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small" title={t('perf.chart')}>
          <Chart testId="perf-chart" style={{ height: 260 }} option={chartOption(outlets.data ?? [], t('perf.drawnBp'))} />
        </Card>
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'outlets',
                label: t('perf.byOutlet'),
                children: (
                  <Table<PerfOutletLine>
                    rowKey="nodeId"
                    size="small"
                    loading={outlets.isLoading}
                    dataSource={outlets.data}
                    pagination={{ pageSize: 20 }}
                    scroll={{ x: 1100 }}
                    data-testid="perf-outlets"
                    columns={[{ title: t('perf.outlet'), dataIndex: 'name', fixed: 'left', width: 150 }, { title: t('perf.parent'), dataIndex: 'parentName', width: 110 }, ...funnel]}
                  />
                ),
              },
              {
                key: 'people',
                label: t('perf.byPerson'),
                children: (
                  <Table<PerfPersonLine>
                    rowKey={(l) => `${l.nodeId}-${l.staffId ?? 'none'}`}
                    size="small"
                    loading={people.isLoading}
                    dataSource={people.data}
                    pagination={{ pageSize: 20 }}
                    scroll={{ x: 1100 }}
                    columns={[
                      { title: t('perf.person'), fixed: 'left', width: 150, render: (_: unknown, l: PerfPersonLine) => (l.staffId === null ? t('perf.unassigned') : `${l.name}（${l.staffNo}）`) },
                      { title: t('perf.outlet'), dataIndex: 'nodeName', width: 130 },
                      ...funnel,
                    ]}
                  />
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}
