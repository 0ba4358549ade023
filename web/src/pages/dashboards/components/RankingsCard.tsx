import { TrophyTwoTone } from '@ant-design/icons';
import { Alert, Card, Col, Empty, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { ApiError } from '../../../api/client';
import { type BoardFilters, downloadBoard, type Rankings, useRankings } from '../../../api/dashboards';
import ExportButton from '../../../components/ExportButton';
import { useI18n } from '../../../locales';
import { barsHeight, Chart, COLORS, horizontalBars } from './charts';

const MEDAL = ['#d4b106', '#8c8c8c', '#ad6800'];

export function RankCell({ rank }: { rank: number }) {
  return rank <= 3 ? (
    <Space size={4}>
      <TrophyTwoTone twoToneColor={MEDAL[rank - 1]} />
      {rank}
    </Space>
  ) : (
    <span>{rank}</span>
  );
}

/**
 * 销售PK: departments and people ranked by points over the filter's months (competition ranking:
 * 1, 2, 2, 4). Bars for the leaders, tables for everyone; a department row drills into its people.
 */
export function RankingsCard({ filters, onDrill }: { filters: BoardFilters; onDrill(departmentId: number): void }) {
  const { t } = useI18n();
  const board = useRankings(filters);
  const r = board.data;
  const topPeople = useMemo(() => (r?.people ?? []).slice(0, 10), [r]);
  const deptOption = useMemo(
    () =>
      horizontalBars(
        (r?.departments ?? []).map((d) => d.name),
        (r?.departments ?? []).map((d) => ({ value: d.points })),
        { color: COLORS.brand },
      ),
    [r],
  );
  const peopleOption = useMemo(
    () =>
      horizontalBars(
        topPeople.map((p) => `${p.name}（${p.departmentName ?? p.nodeName}）`),
        topPeople.map((p) => ({ value: p.points })),
        { color: COLORS.blue },
      ),
    [topPeople],
  );

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space wrap>
          {t('dashboard.rankings')}
          {r ? <Typography.Text type="secondary">{t('dashboard.totalPoints', { points: r.total.points })}</Typography.Text> : null}
        </Space>
      }
      extra={<ExportButton onExport={() => downloadBoard('rankings', filters)} />}
      data-testid="rankings-card"
    >
      {board.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : board.error ? (
        <Alert type="warning" showIcon message={(board.error as ApiError).message} />
      ) : !r || (r.departments.length === 0 && r.people.length === 0) ? (
        <Empty description={t('dashboard.noPoints')} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <Typography.Title level={5}>{t('dashboard.departmentRanking')}</Typography.Title>
            <Chart option={deptOption} style={{ height: barsHeight(r.departments.length) }} onClick={(i) => onDrill(r.departments[i].departmentId)} testId="rankings-departments-chart" />
            <DepartmentRanking rankings={r} onDrill={onDrill} />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={5}>{t('dashboard.peopleRanking')}</Typography.Title>
            <Chart option={peopleOption} style={{ height: barsHeight(topPeople.length) }} testId="rankings-people-chart" />
            <Table
              rowKey="staffId"
              size="small"
              dataSource={r.people}
              data-testid="rankings-people"
              pagination={{ defaultPageSize: 10, showTotal: (n) => t('common.totalN', { n }) }}
              columns={[
                { title: t('dashboard.rank'), dataIndex: 'rank', width: 70, render: (v: number) => <RankCell rank={v} /> },
                { title: t('dashboard.person'), dataIndex: 'name', render: (v: string, p) => `${v}（${p.staffNo}）` },
                { title: t('quota.department'), dataIndex: 'departmentName', render: (v: string | null, p) => v ?? p.nodeName },
                { title: t('dashboard.points'), dataIndex: 'points', align: 'right', width: 110 },
              ]}
            />
          </Col>
        </Row>
      )}
      {r?.source === 'ledger' ? <Tag style={{ marginTop: 8 }}>{t('dashboard.ledgerSource')}</Tag> : null}
    </Card>
  );
}

function DepartmentRanking({ rankings: r, onDrill }: { rankings: Rankings; onDrill(departmentId: number): void }) {
  const { t } = useI18n();
  return (
    <Table
      rowKey="departmentId"
      size="small"
      dataSource={r.departments}
      pagination={false}
      data-testid="rankings-departments"
      onRow={(d) => ({ onClick: () => onDrill(d.departmentId), style: { cursor: 'pointer' } })}
      columns={[
        { title: t('dashboard.rank'), dataIndex: 'rank', width: 70, render: (v: number) => <RankCell rank={v} /> },
        { title: t('quota.department'), dataIndex: 'name', render: (v: string, d) => `${v}（${d.code}）` },
        { title: t('dashboard.points'), dataIndex: 'points', align: 'right', width: 110 },
      ]}
    />
  );
}
