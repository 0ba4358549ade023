import { Alert, Breadcrumb, Card, Col, Empty, Row, Spin, Table, Typography } from 'antd';
import { useMemo } from 'react';
import type { ApiError } from '../../../api/client';
import { type BoardFilters, type Drill, downloadBoard, pctOfBp, useDrill } from '../../../api/dashboards';
import ExportButton from '../../../components/ExportButton';
import { useI18n } from '../../../locales';
import { RankCell } from './RankingsCard';
import { barsHeight, Chart, COLORS, horizontalBars } from './charts';

/** Where the drill-down stands: no node = every branch in scope; node = its departments; + department = its people. */
export interface DrillAt {
  nodeId?: number;
  departmentId?: number;
}

type Item = Drill['items'][number];

/** 逐级下钻: branches → departments → people; click a bar or a row to go one level down. */
export function DrillCard({ filters, at, onChange }: { filters: BoardFilters; at: DrillAt; onChange(at: DrillAt): void }) {
  const { t } = useI18n();
  const q = { year: filters.year, from: filters.from, to: filters.to, lineCode: filters.lineCode, nodeId: at.nodeId, departmentId: at.nodeId ? at.departmentId : undefined };
  const board = useDrill(q);
  const d = board.data;
  const ranked = useMemo(() => {
    const all = d?.items ?? [];
    const out: (Item & { rank: number })[] = [];
    let rank = 0;
    for (const [i, x] of all.entries()) {
      if (i === 0 || x.pointsHundredths !== all[i - 1].pointsHundredths) rank = i + 1;
      out.push({ ...x, rank });
    }
    return out;
  }, [d]);
  const option = useMemo(
    () =>
      horizontalBars(
        ranked.map((x) => x.name),
        ranked.map((x) => ({ value: x.points })),
        { color: d?.level === 'people' ? COLORS.blue : COLORS.brand },
      ),
    [ranked, d?.level],
  );
  const down = (x: Item) => {
    if (!d) return;
    if (d.level === 'branches') onChange({ nodeId: x.id });
    else if (d.level === 'departments') onChange({ nodeId: d.node!.id, departmentId: x.id });
  };
  const levelName = d ? t(`dashboard.drill.${d.level}`) : '';

  return (
    <Card size="small" style={{ marginBottom: 16 }} title={t('dashboard.drill')} extra={<ExportButton onExport={() => downloadBoard('drill', q)} />} data-testid="drill-card">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        data-testid="drill-path"
        items={[
          { title: <a onClick={() => onChange({})}>{t('dashboard.drill.allBranches')}</a> },
          ...(d?.node ? [{ title: at.departmentId ? <a onClick={() => onChange({ nodeId: d.node!.id })}>{d.node.name}</a> : d.node.name }] : []),
          ...(d?.department ? [{ title: d.department.name }] : []),
        ]}
      />
      {board.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : board.error ? (
        <Alert type="warning" showIcon message={(board.error as ApiError).message} />
      ) : !d || d.items.length === 0 ? (
        <Empty description={t('dashboard.noPoints')} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <Chart option={option} style={{ height: barsHeight(ranked.length) }} onClick={(i) => down(ranked[i])} testId="drill-chart" />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Paragraph type="secondary">
              {t('dashboard.drillTotal', { level: levelName, points: d.total.points })}
              {d.level !== 'people' ? ` ${t('dashboard.drillHint')}` : ''}
            </Typography.Paragraph>
            <Table<Item & { rank: number }>
              rowKey="id"
              size="small"
              dataSource={ranked}
              data-testid="drill-table"
              pagination={{ defaultPageSize: 15, showTotal: (n) => t('common.totalN', { n }) }}
              onRow={(x) => (d.level === 'people' ? {} : { onClick: () => down(x), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('dashboard.rank'), dataIndex: 'rank', width: 70, render: (v: number) => <RankCell rank={v} /> },
                { title: levelName, dataIndex: 'name', render: (v: string, x) => `${v}（${x.code}）` },
                { title: t('dashboard.points'), dataIndex: 'points', align: 'right', width: 110 },
                { title: t('dashboard.share'), dataIndex: 'shareBp', align: 'right', width: 90, render: (v: number) => pctOfBp(v) },
              ]}
              summary={() =>
                d.departmentLevel && d.departmentLevel.pointsHundredths !== 0 ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={2}>
                      <Typography.Text type="secondary">{t('dashboard.departmentLevel')}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {d.departmentLevel.points}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} />
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
