import { Alert, Card, Col, Empty, Row, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { ApiError } from '../../../api/client';
import { type BoardFilters, type CompletionRow, downloadBoard, pctOfBp, useCompletion } from '../../../api/dashboards';
import { groupQty } from '../../../api/quotas';
import ExportButton from '../../../components/ExportButton';
import { useI18n } from '../../../locales';
import { PlanStateTag } from '../../quotas/components/PlanCard';
import { barsHeight, Chart, COLORS, horizontalBars } from './charts';

/** Where a completion stands against the 50 % gate and the quota. */
export function completionColor(r: Pick<CompletionRow, 'reached50' | 'reached100'>): string {
  if (r.reached100) return COLORS.green;
  if (r.reached50) return COLORS.blue;
  if (r.reached50 === false) return COLORS.red;
  return COLORS.grey;
}

export function CompletionTag({ row }: { row: Pick<CompletionRow, 'reached50' | 'reached100' | 'quota1e4'> }) {
  const { t } = useI18n();
  if (row.quota1e4 === null) return <Tag>{t('dashboard.noQuota')}</Tag>;
  if (row.reached100) return <Tag color="green">{t('dashboard.reached100')}</Tag>;
  if (row.reached50) return <Tag color="blue">{t('dashboard.reached50')}</Tag>;
  return <Tag color="red">{t('dashboard.below50')}</Tag>;
}

const isDeptRow = (r: CompletionRow) => r.staffId === null && r.outletNodeId === null;

/**
 * 任务完成情况: completion per department × product against the year's quota — bars with the 50 %
 * gate and the 100 % line, and the table with the exact percentages (floored to 0.01 %). Clicking a
 * bar or a row drills into the department's people.
 */
export function CompletionCard({ filters, onDrill }: { filters: BoardFilters; onDrill(departmentId: number): void }) {
  const { t } = useI18n();
  const board = useCompletion(filters);
  const [department, setDepartment] = useState<number | undefined>();
  const c = board.data;

  const withQuota = useMemo(() => (c?.rows ?? []).filter((r) => r.quotaId !== null && isDeptRow(r) && (!department || r.departmentId === department)), [c, department]);
  const tableRows = useMemo(() => (c?.rows ?? []).filter((r) => !department || r.departmentId === department), [c, department]);
  const option = useMemo(
    () =>
      horizontalBars(
        withQuota.map((r) => `${r.departmentName}·${r.productName}`),
        withQuota.map((r) => ({ value: pctOfBp(r.completionBp).replace('%', ''), color: completionColor(r) })),
        {
          suffix: '%',
          markLines: [
            { at: 50, label: t('dashboard.gateLine'), color: COLORS.red },
            { at: 100, label: t('dashboard.fullLine'), color: COLORS.green },
          ],
        },
      ),
    [withQuota, t],
  );

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space wrap>
          {t('dashboard.completion')}
          {c ? <PlanStateTag plan={c.plan} /> : null}
        </Space>
      }
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder={t('dashboard.allDepartments')}
            value={department}
            onChange={setDepartment}
            style={{ width: 150 }}
            options={(c?.departments ?? []).map((d) => ({ value: d.departmentId, label: d.departmentName }))}
            data-testid="completion-department"
          />
          <ExportButton onExport={() => downloadBoard('completion', filters)} />
        </Space>
      }
      data-testid="completion-card"
    >
      {board.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : board.error ? (
        <Alert type="warning" showIcon message={(board.error as ApiError).message} />
      ) : !c || c.rows.length === 0 ? (
        <Empty description={t('dashboard.noCompletion')} />
      ) : (
        <>
          {c.departments.length ? (
            <Space wrap size={[8, 8]} style={{ marginBottom: 12 }} data-testid="completion-summary">
              {c.departments.map((d) => (
                <Tag key={d.departmentId} color={d.reached50 === d.quotas ? 'green' : 'orange'} style={{ cursor: 'pointer' }} onClick={() => onDrill(d.departmentId)}>
                  {t('dashboard.deptSummary', { name: d.departmentName, n: d.quotas, a: d.reached50, b: d.reached100 })}
                </Tag>
              ))}
            </Space>
          ) : null}
          <Row gutter={16}>
            <Col xs={24} xxl={11}>
              {withQuota.length ? (
                <div style={{ maxHeight: 560, overflowY: 'auto' }}>
                  <Chart option={option} style={{ height: barsHeight(withQuota.length) }} onClick={(i) => onDrill(withQuota[i].departmentId)} testId="completion-chart" />
                </div>
              ) : (
                <Empty description={t('dashboard.noQuotas')} />
              )}
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('dashboard.completionLegend')}
              </Typography.Paragraph>
            </Col>
            <Col xs={24} xxl={13}>
              <Table<CompletionRow>
                rowKey={(r) => `${r.departmentId}-${r.productId}-${r.staffId ?? 0}-${r.outletNodeId ?? 0}`}
                size="small"
                dataSource={tableRows}
                data-testid="completion-table"
                scroll={{ x: 760 }}
                pagination={{ defaultPageSize: 15, showSizeChanger: true, showTotal: (n) => t('common.totalN', { n }) }}
                onRow={(r) => ({ onClick: () => onDrill(r.departmentId), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t('quota.department'), dataIndex: 'departmentName', width: 110 },
                  { title: t('quota.product'), dataIndex: 'productName', width: 130 },
                  {
                    title: t('quota.narrowing'),
                    key: 'who',
                    width: 110,
                    render: (_, r) => (r.staffName ? `${r.staffName}（${r.staffNo}）` : (r.outletName ?? <Typography.Text type="secondary">{t('quota.narrowing.department')}</Typography.Text>)),
                  },
                  { title: t('dashboard.quota'), dataIndex: 'quota', align: 'right', width: 110, render: (v: string | null, r) => (v === null ? '-' : `${groupQty(v)} ${r.unit}`) },
                  { title: t('dashboard.done'), dataIndex: 'completion', align: 'right', width: 110, render: (v: string, r) => `${groupQty(v)} ${r.unit}` },
                  {
                    title: t('dashboard.rate'),
                    dataIndex: 'completionBp',
                    align: 'right',
                    width: 90,
                    sorter: (a, b) => (a.completionBp ?? -1) - (b.completionBp ?? -1),
                    render: (v: number | null, r) => <span style={{ color: completionColor(r), fontWeight: 500 }}>{pctOfBp(v)}</span>,
                  },
                  { title: t('common.status'), key: 'state', width: 110, render: (_, r) => <CompletionTag row={r} /> },
                  {
                    title: <Tooltip title={t('dashboard.salesHint')}>{t('dashboard.sales')}</Tooltip>,
                    dataIndex: 'sales',
                    align: 'right',
                    width: 70,
                  },
                ]}
              />
            </Col>
          </Row>
        </>
      )}
    </Card>
  );
}
