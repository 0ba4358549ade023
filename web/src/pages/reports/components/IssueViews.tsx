import { ProCard } from '@ant-design/pro-components';
import { Empty, Table, Typography } from 'antd';
import type { ReportCompletionData, ReportFeedData, ReportSalesData } from '../../../api/reports';
import { hundredthsText } from '../../../format';
import { useI18n } from '../../../locales';
import { barsHeight, Chart, COLORS, horizontalBars } from '../../dashboards/components/charts';
import { bpText, e4Text, fenToWanText } from './labels';

/**
 * The figures of an issue as frozen when it was produced, one view per kind of snapshot: `sales`
 * (count, volume, points per branch and product), `completion` (year quota against the year to
 * date), `feed` (an external feed's measures per org unit). Every figure is an integer from the
 * server, formatted here by integer digits; the server has already left out other branches' lines.
 */
type Line = { nodeId: number; nodeName: string; nodeCode: string };

function byNode<L extends Line>(lines: L[], value: (l: L) => number): { name: string; total: number }[] {
  const m = new Map<number, { name: string; total: number }>();
  for (const l of lines) {
    const e = m.get(l.nodeId) ?? { name: l.nodeName, total: 0 };
    e.total += value(l);
    m.set(l.nodeId, e);
  }
  return [...m.values()];
}

function NoLines() {
  const { t } = useI18n();
  return <Empty description={t('reports.noLines')} />;
}

export function SalesView({ data }: { data: ReportSalesData }) {
  const { t } = useI18n();
  if (!data.lines.length) return <NoLines />;
  const nodes = byNode(data.lines, (l) => l.pointsHundredths).sort((a, b) => b.total - a.total);
  const sum = (f: (l: ReportSalesData['lines'][number]) => number) => data.lines.reduce((s, l) => s + f(l), 0);
  return (
    <>
      <ProCard title={t('reports.chart.points')} bordered headerBordered size="small" style={{ marginBottom: 12 }}>
        <Chart
          testId="report-chart"
          style={{ height: barsHeight(nodes.length) }}
          option={horizontalBars(
            nodes.map((n) => n.name),
            nodes.map((n) => ({ value: hundredthsText(n.total) })),
          )}
        />
      </ProCard>
      <Table
        rowKey={(l) => `${l.nodeId}-${l.productCode}`}
        size="small"
        pagination={false}
        dataSource={data.lines}
        data-testid="report-table"
        columns={[
          { title: t('reports.col.branch'), dataIndex: 'nodeName', render: (v: string, l) => `${v}（${l.nodeCode}）` },
          { title: t('reports.col.product'), dataIndex: 'productName', render: (v: string, l) => `${v}（${l.productCode}）` },
          { title: t('reports.col.sales'), dataIndex: 'sales', align: 'right' },
          { title: t('reports.col.quantity'), dataIndex: 'quantity1e4', align: 'right', render: (v: number, l) => `${e4Text(v)} ${l.unit}` },
          { title: t('reports.col.points'), dataIndex: 'pointsHundredths', align: 'right', render: (v: number) => hundredthsText(v) },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>{t('reports.total')}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {sum((l) => l.sales)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} />
            <Table.Summary.Cell index={4} align="right">
              <Typography.Text strong>{hundredthsText(sum((l) => l.pointsHundredths))}</Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </>
  );
}

export function CompletionView({ data }: { data: ReportCompletionData }) {
  const { t } = useI18n();
  if (!data.lines.length) return <NoLines />;
  const color = (bp: number) => (bp >= 10_000 ? COLORS.green : bp >= 5_000 ? COLORS.blue : COLORS.orange);
  return (
    <>
      <ProCard title={t('reports.chart.rate')} extra={t('reports.asOf', { day: data.asOf })} bordered headerBordered size="small" style={{ marginBottom: 12 }}>
        <Chart
          testId="report-chart"
          style={{ height: barsHeight(data.lines.length) }}
          option={horizontalBars(
            data.lines.map((l) => `${l.nodeName} · ${l.productName}`),
            data.lines.map((l) => ({ value: hundredthsText(l.completionBp), color: color(l.completionBp) })),
            {
              suffix: '%',
              markLines: [
                { at: 50, label: '50%', color: COLORS.orange },
                { at: 100, label: '100%', color: COLORS.green },
              ],
            },
          )}
        />
      </ProCard>
      <Table
        rowKey={(l) => `${l.nodeId}-${l.productCode}`}
        size="small"
        pagination={false}
        dataSource={data.lines}
        data-testid="report-table"
        columns={[
          { title: t('reports.col.branch'), dataIndex: 'nodeName', render: (v: string, l) => `${v}（${l.nodeCode}）` },
          { title: t('reports.col.product'), dataIndex: 'productName', render: (v: string, l) => `${v}（${l.productCode}）` },
          { title: t('reports.col.quota'), dataIndex: 'quota1e4', align: 'right', render: (v: number, l) => `${e4Text(v)} ${l.unit}` },
          { title: t('reports.col.done'), dataIndex: 'done1e4', align: 'right', render: (v: number, l) => `${e4Text(v)} ${l.unit}` },
          { title: t('reports.col.rate'), dataIndex: 'completionBp', align: 'right', render: (v: number) => <span style={{ color: color(v) }}>{bpText(v)}</span> },
        ]}
      />
    </>
  );
}

export function FeedView({ data }: { data: ReportFeedData }) {
  const { t, pick } = useI18n();
  if (!data.lines.length) return <NoLines />;
  const first = data.measures[0];
  return (
    <>
      {first ? (
        <ProCard title={t('reports.chart.feed', { measure: pick(first.zh, first.en) })} bordered headerBordered size="small" style={{ marginBottom: 12 }}>
          <Chart
            testId="report-chart"
            style={{ height: barsHeight(data.lines.length) }}
            option={horizontalBars(
              data.lines.map((l) => l.nodeName),
              data.lines.map((l) => ({ value: fenToWanText(l.values[first.key] ?? 0).replace(/,/g, '') })),
            )}
          />
        </ProCard>
      ) : null}
      <Table
        rowKey="nodeId"
        size="small"
        pagination={false}
        dataSource={data.lines}
        data-testid="report-table"
        columns={[
          { title: t('reports.col.branch'), dataIndex: 'nodeName', render: (v: string, l) => `${v}（${l.nodeCode}）` },
          ...data.measures.map((m) => ({
            title: pick(m.zh, m.en),
            key: m.key,
            align: 'right' as const,
            render: (_: unknown, l: ReportFeedData['lines'][number]) => {
              const v = l.values[m.key];
              if (v === undefined) return '';
              return m.unit === 'fen' ? fenToWanText(v) : m.unit === 'bp' ? bpText(v) : String(v);
            },
          })),
        ]}
      />
    </>
  );
}
