import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type RankLevel, type ReportRanking, fmtMeasure, useRankings } from '../../api/report-subscriptions';
import { useReportCatalogue } from '../../api/reports';
import { useI18n } from '../../locales';
import { Chart } from '../dashboards/components/charts';

type Row = ReportRanking['rows'][number];

/**
 * 排名与PK (issue 16): a report's last N issues, the branches ranked on a measure in each, the rank
 * trend as a line chart (rank 1 on top). Ranks are bank-wide; a branch sees its own rows only.
 * Sales and points reports also rank sub-branches, outlets and people (from the ledger).
 */
export default function ReportRankingsPage() {
  const { t, pick } = useI18n();
  const code = useParams().code ?? '';
  const def = useReportCatalogue().data?.find((d) => d.code === code);
  const [measure, setMeasure] = useState<string | undefined>();
  const [n, setN] = useState(6);
  const [level, setLevel] = useState<RankLevel>('branch');
  const r = useRankings(code, measure, n, level);
  const data = r.data;
  const m = data?.measures.find((x) => x.key === data.measure);
  const last = data ? data.periods.length - 1 : -1;

  const columns: ColumnsType<Row> = [
    { title: t('rsub.rank'), dataIndex: 'rank', width: 140, render: (_, row) => (row.points[last] ? t('rsub.rankOf', { rank: row.points[last].rank, of: data!.periods[last].of }) : '—') },
    { title: level === 'person' ? t('rsub.person') : t('rsub.node'), dataIndex: 'nodeName', width: 160 },
    ...(data?.periods ?? []).map((p, k) => ({
      title: p.periodLabel,
      key: p.periodKey,
      align: 'right' as const,
      render: (_: unknown, row: Row) =>
        row.points[k] ? (
          <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
            <span>{fmtMeasure(row.points[k].value, m?.unit)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              #{row.points[k].rank}
            </Typography.Text>
          </Space>
        ) : (
          '—'
        ),
    })),
    {
      title: t('rsub.change'),
      dataIndex: 'change',
      width: 110,
      render: (v: number | null) =>
        v === null ? '—' : v < 0 ? <Tag color="green">{t('rsub.up', { n: -v })}</Tag> : v > 0 ? <Tag color="red">{t('rsub.down', { n: v })}</Tag> : <Tag>{t('rsub.same')}</Tag>,
    },
  ];

  const maxRank = (data?.periods ?? []).reduce((m, p) => Math.max(m, p.of), 1);
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 40, right: 24, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: data?.periods.map((p) => p.periodLabel) ?? [] },
    yAxis: { type: 'value', inverse: true, min: 1, max: maxRank, minInterval: 1, name: t('rsub.rank') },
    series: (data?.rows ?? []).slice(0, 12).map((row) => ({ type: 'line', name: row.nodeName, data: row.points.map((p) => p?.rank ?? null), connectNulls: false, symbolSize: 6 })),
  };

  return (
    <PageContainer
      title={def ? t('rsub.rankingsTitle', { name: pick(def.nameZh, def.nameEn) }) : code}
      content={<Typography.Text type="secondary">{t('rsub.rankingsHint')}</Typography.Text>}
      onBack={() => history.back()}
      extra={
        <Space>
          {(data?.levels.length ?? 0) > 1 ? (
            <Select<RankLevel>
              style={{ width: 110 }}
              value={level}
              onChange={(v) => {
                setLevel(v);
                setMeasure(undefined);
              }}
              options={data!.levels.map((v) => ({ value: v, label: t(`rsub.level.${v}`) }))}
              data-testid="ranking-level"
            />
          ) : null}
          <Select
            style={{ width: 160 }}
            value={data?.measure ?? undefined}
            onChange={setMeasure}
            options={(data?.measures ?? []).map((x) => ({ value: x.key, label: `${pick(x.zh, x.en)}${x.unit === 'fen' ? t('rsub.unitYuan') : ''}` }))}
            data-testid="ranking-measure"
          />
          <Select style={{ width: 120 }} value={n} onChange={setN} options={[3, 6, 12].map((k) => ({ value: k, label: `${t('rsub.lastN')} ${k}` }))} />
          <Link to={`/reports/${code}`}>{t('rsub.issues')}</Link>
        </Space>
      }
    >
      {r.error ? <Alert type="error" showIcon message={r.error instanceof Error ? r.error.message : String(r.error)} /> : null}
      {data && !data.periods.length ? (
        <Empty description={t('rsub.noRanking')} />
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <ProCard title={t('rsub.trend')} bordered headerBordered size="small">
            <Chart option={option} style={{ height: 260 }} testId="ranking-chart" />
          </ProCard>
          <Table<Row> rowKey="nodeId" size="small" columns={columns} dataSource={data?.rows ?? []} loading={r.isLoading} pagination={false} scroll={{ x: 'max-content' }} data-testid="ranking-table" />
        </Space>
      )}
    </PageContainer>
  );
}
