import { PageContainer } from '@ant-design/pro-components';
import { Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { type PeriodListItem, usePeriods } from '../../api/periods';
import { type SpotSummaryLine, useSpotSummaries } from '../../api/spotchecks';
import { LevelTag } from '../../components/LevelTag';
import { fmtBeijing, beijingMonth } from '../../format';
import type { OrgLevel } from '../../api/types';
import { useI18n } from '../../locales';
import { monthText, PeriodStateTag } from '../../components/PeriodStateTag';

/** The month a person usually works on: the previous one (published at the start of this one). */
export const defaultMonth = () => beijingMonth(-1);

/** 月度流程: every branch in scope × the chosen month, with its state, window, objections and spot check. */
export default function PeriodsPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const month = search.get('month') ?? defaultMonth();
  const periods = usePeriods(month);
  const spots = useSpotSummaries(month);
  const spotOf = new Map((spots.data ?? []).map((s) => [s.nodeId, s]));

  return (
    <PageContainer title={t('period.title')} subTitle={t('period.subtitle')}>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('sale.month')}</span>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setSearch({ month: d.format('YYYY-MM') })} data-testid="periods-month" />
          <Typography.Text type="secondary">{t('period.listHint')}</Typography.Text>
        </Space>
      </Card>
      <Card size="small" title={t('period.listTitle', { month: monthText(t, month) })}>
        <Table<PeriodListItem>
          rowKey="nodeId"
          size="small"
          loading={periods.isLoading}
          dataSource={periods.data ?? []}
          pagination={false}
          data-testid="periods-table"
          scroll={{ x: 1300 }}
          onRow={(p) => ({ 'data-node': p.nodeId }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('statement.branch'),
              dataIndex: 'nodeName',
              width: 200,
              render: (v: string, p) => (
                <Space size={4}>
                  <Link to={`/periods/${p.nodeId}/${p.month}`} data-testid={`period-link-${p.nodeId}`}>
                    {v}
                  </Link>
                  <LevelTag level={p.level as OrgLevel} />
                </Space>
              ),
            },
            { title: t('period.stateCol'), dataIndex: 'state', width: 120, render: (_: unknown, p) => <PeriodStateTag state={p.state} testId={`period-state-${p.nodeId}`} /> },
            { title: t('period.publishedAt'), dataIndex: 'publishedAt', width: 170, render: (v: string | null) => fmtBeijing(v) },
            { title: t('period.windowClosesAt'), dataIndex: 'windowClosesAt', width: 170, render: (v: string | null) => fmtBeijing(v) },
            {
              title: t('period.openObjections'),
              dataIndex: 'openObjections',
              width: 110,
              align: 'right',
              render: (n: number, p) =>
                n > 0 ? (
                  <Link to={`/objections?node=${p.nodeId}&month=${p.month}&status=open`}>
                    <Tag color="orange">{n}</Tag>
                  </Link>
                ) : (
                  n
                ),
            },
            { title: t('period.spotCheck'), key: 'spot', width: 260, render: (_, p) => <SpotSummaryText line={spotOf.get(p.nodeId)} /> },
            { title: t('period.lockedAt'), dataIndex: 'lockedAt', width: 170, render: (v: string | null) => fmtBeijing(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 150,
              fixed: 'right',
              render: (_, p) => (
                <Space size={12}>
                  <Link to={`/periods/${p.nodeId}/${p.month}`}>{t('period.detail')}</Link>
                  {p.state !== 'draft' ? <Link to={`/periods/${p.nodeId}/${p.month}/notice`}>{t('period.viewNotice')}</Link> : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}

function SpotSummaryText({ line }: { line: SpotSummaryLine | undefined }) {
  const { t } = useI18n();
  if (!line) return <Typography.Text type="secondary">-</Typography.Text>;
  if (!line.drawn) return <Typography.Text type="secondary">{t('spot.notDrawnShort', { n: line.sales })}</Typography.Text>;
  return (
    <Space size={4} wrap>
      <Tag>{t('spot.sampledN', { n: line.sampled })}</Tag>
      <Tag color="green">{t('spot.verifiedN', { n: line.verified })}</Tag>
      {line.false ? <Tag color="red">{t('spot.falseN', { n: line.false })}</Tag> : null}
      {line.pending ? <Tag color="orange">{t('spot.pendingN', { n: line.pending })}</Tag> : null}
    </Space>
  );
}
