import { Drawer, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { type SaleSplit, useDrillDown } from '../../../api/statements';
import { useI18n } from '../../../locales';
import { PointsCell, SaleSplitView } from '../../sales/components/SaleSplitView';

export interface DrillTarget {
  kind: 'department' | 'person';
  id: number;
  title: string;
}

/** From a department's or a person's total down to each sale of the month and its split. */
export function DrillDrawer({
  nodeId,
  month,
  target,
  onClose,
  saleAction,
  source = 'statement',
}: {
  nodeId: number;
  month: string;
  target: DrillTarget | null;
  onClose(): void;
  /** An extra action per sale (the public notice's 提出异议). */
  saleAction?: (s: SaleSplit) => ReactNode;
  /** 'notice': read through the public notice's endpoints, without links into the sales pages. */
  source?: 'statement' | 'notice';
}) {
  const { t } = useI18n();
  const drill = useDrillDown(nodeId, month, target?.kind === 'department' ? { departmentId: target.id } : { staffId: target?.id }, source);
  // The part of each sale that went to the department or person drilled into.
  const share = (s: SaleSplit) => {
    if (!target) return null;
    const part = target.kind === 'department' ? s.departments.find((d) => d.departmentId === target.id) : s.people.find((p) => p.staffId === target.id);
    return part ? <PointsCell points={part.points} voided={part.voided} /> : '-';
  };
  return (
    <Drawer open={target !== null} onClose={onClose} width={1100} destroyOnHidden title={target ? t('statement.drillTitle', { name: target.title, month }) : ''}>
      <Table<SaleSplit>
        rowKey="id"
        size="small"
        loading={drill.isLoading}
        dataSource={drill.data ?? []}
        data-testid="drill-table"
        pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.totalN', { n }) }}
        expandable={{ expandedRowRender: (s) => <SaleSplitView split={s} />, expandRowByClick: false }}
        columns={[
          {
            title: t('sale.sourceId'),
            dataIndex: 'sourceId',
            render: (v: string, s) =>
              source === 'notice' ? (
                v
              ) : (
                <Link to={`/sales/${s.id}`} data-testid="drill-sale-link">
                  {v}
                </Link>
              ),
          },
          { title: t('sale.saleDate'), dataIndex: 'saleDate', width: 110 },
          {
            title: t('sale.product'),
            dataIndex: ['product', 'name'],
            render: (v: string, s) =>
              s.product.mortgage ? (
                <span>
                  {v} <Tag color="orange">{t('product.mortgage')}</Tag>
                </span>
              ) : (
                v
              ),
          },
          { title: t('sale.quantity'), dataIndex: 'quantity', width: 100, align: 'right', render: (v: string, s) => `${v} ${s.product.unit}` },
          { title: t('statement.salePoints'), dataIndex: ['total', 'points'], width: 110, align: 'right', render: (v: string, s) => <PointsCell points={v} voided={s.voided} /> },
          { title: t('statement.share'), key: 'share', width: 150, align: 'right', render: (_, s) => <Typography.Text strong>{share(s)}</Typography.Text> },
          ...(saleAction ? [{ title: t('common.actions'), key: 'action', width: 110, render: (_: unknown, s: SaleSplit) => saleAction(s) }] : []),
        ]}
      />
    </Drawer>
  );
}
