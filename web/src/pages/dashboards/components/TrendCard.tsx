import { Alert, Card, Empty, Space, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import type { ApiError } from '../../../api/client';
import { type BoardFilters, downloadBoard, useTrend } from '../../../api/dashboards';
import ExportButton from '../../../components/ExportButton';
import { useI18n } from '../../../locales';
import { Chart, COLORS } from './charts';

/** 月度趋势: points per month (and the points the mortgage rule voided), with the number of sales. */
export function TrendCard({ filters }: { filters: BoardFilters }) {
  const { t } = useI18n();
  const board = useTrend(filters);
  const tr = board.data;
  const option = useMemo(() => {
    const months = tr?.months ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: [
        { type: 'value', name: t('dashboard.points') },
        { type: 'value', name: t('dashboard.sales'), splitLine: { show: false } },
      ],
      series: [
        { name: t('dashboard.points'), type: 'line', data: months.map((m) => m.points), itemStyle: { color: COLORS.brand }, areaStyle: { opacity: 0.08 } },
        { name: t('dashboard.voided'), type: 'line', data: months.map((m) => m.voided.points), itemStyle: { color: COLORS.orange }, lineStyle: { type: 'dashed' } },
        { name: t('dashboard.sales'), type: 'bar', yAxisIndex: 1, data: months.map((m) => m.sales), itemStyle: { color: COLORS.grey, opacity: 0.6 }, barMaxWidth: 18 },
      ],
    };
  }, [tr, t]);
  const empty = !tr || tr.months.every((m) => m.pointsHundredths === 0 && m.sales === 0);
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space wrap>
          {t('dashboard.trend')}
          {tr ? <Typography.Text type="secondary">{t('dashboard.totalPoints', { points: tr.total.points })}</Typography.Text> : null}
        </Space>
      }
      extra={<ExportButton onExport={() => downloadBoard('trend', filters)} />}
      data-testid="trend-card"
    >
      {board.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : board.error ? (
        <Alert type="warning" showIcon message={(board.error as ApiError).message} />
      ) : empty ? (
        <Empty description={t('dashboard.noPoints')} />
      ) : (
        <Chart option={option} style={{ height: 300 }} testId="trend-chart" />
      )}
    </Card>
  );
}
