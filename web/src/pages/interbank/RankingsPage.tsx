import { PageContainer } from '@ant-design/pro-components';
import { Card, Col, Empty, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { bpText, type IbRankings, useIbRankings } from '../../api/interbankCoverage';
import { useI18n } from '../../locales';
import { Chart } from '../dashboards/components/charts';

type Ranked = IbRankings['byCoverage'][number];

/** The trend of each branch over the stored weeks, in percent with two decimals (from integer bp). */
function trendOption(weeks: string[], series: { name: string; values: (number | null)[] }[]) {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 8, right: 24, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: weeks },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: series.map((s) => ({ type: 'line', name: s.name, connectNulls: true, data: s.values.map((v) => (v === null ? null : bpText(v).replace('%', ''))) })),
  };
}

/** 排名 (SPEC §11): tier-2 branches by coverage and by weighted score, with their weekly trends. */
export default function RankingsPage() {
  const { t } = useI18n();
  const [weeks, setWeeks] = useState(12);
  const q = useIbRankings(weeks);
  const r = q.data;
  const columns = (value: 'coverageBp' | 'scoreBp') => [
    { title: t('ibc.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => v ?? '—' },
    { title: t('ibc.branch'), dataIndex: 'nodeName' },
    { title: value === 'coverageBp' ? t('ibc.coverage') : t('ibc.score'), dataIndex: value, align: 'right' as const, render: (v: number | null) => bpText(v) },
    { title: t('ibc.signed'), render: (_: unknown, l: Ranked) => `${l.signed} / ${l.institutions}` },
    { title: t('ibc.flag'), dataIndex: 'flagged', render: (f: boolean) => (f ? <Tag color="red">{t('ibc.flag')}</Tag> : null) },
  ];
  return (
    <PageContainer
      title={t('ibc.rankings.title')}
      subTitle={t('ibc.rankings.subtitle')}
      extra={
        <Space>
          <span>{t('ibc.weeks')}</span>
          <InputNumber min={1} max={160} value={weeks} onChange={(v) => v && setWeeks(v)} />
        </Space>
      }
    >
      {r && r.weeks.length === 0 && <Empty />}
      {r && r.weekEnd && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {r.weekEnd} · {t('ibc.rankOf', { n: r.total })}
          </Typography.Text>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('ibc.byCoverage')}>
                <Table<Ranked> rowKey="nodeId" size="small" pagination={false} dataSource={r.byCoverage} columns={columns('coverageBp')} data-testid="ibc-rank-coverage" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('ibc.byScore')}>
                <Table<Ranked> rowKey="nodeId" size="small" pagination={false} dataSource={r.byScore} columns={columns('scoreBp')} />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('ibc.trendCoverage')}>
            <Chart
              testId="ibc-trend-coverage"
              style={{ height: 320 }}
              option={trendOption(
                r.weeks,
                r.series.map((s) => ({ name: s.nodeName, values: s.coverageBp })),
              )}
            />
          </Card>
          <Card size="small" title={t('ibc.trendScore')}>
            <Chart
              style={{ height: 320 }}
              option={trendOption(
                r.weeks,
                r.series.map((s) => ({ name: s.nodeName, values: s.scoreBp })),
              )}
            />
          </Card>
        </Space>
      )}
    </PageContainer>
  );
}
