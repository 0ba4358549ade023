import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { type BranchLine, useBranchRollup } from '../../../api/statements';
import { PeriodStateTag } from '../../../components/PeriodStateTag';
import { useI18n } from '../../../locales';

/**
 * 各分行汇总: a province's month by branch (issue 12: "a province user sees the province roll-up by
 * branch"), its own line first; each branch opens its own statement of the month.
 */
export function BranchRollup({ nodeId, month }: { nodeId: number; month: string }) {
  const { t } = useI18n();
  const rollup = useBranchRollup(nodeId, month);
  return (
    <Card size="small" title={t('statement.byBranch')} style={{ marginBottom: 16 }} data-testid="statement-branches">
      <Table<BranchLine>
        rowKey="nodeId"
        size="small"
        loading={rollup.isLoading}
        dataSource={rollup.data ?? []}
        pagination={false}
        scroll={{ y: 360 }}
        columns={[
          {
            title: t('statement.branch'),
            dataIndex: 'name',
            render: (name: string, b) =>
              b.nodeId === nodeId ? (
                `${name}（${t('statement.ownLine')}）`
              ) : (
                <Link to={`/statements?node=${b.nodeId}&month=${month}`} data-testid={`statement-branch-${b.code}`}>
                  {name}
                </Link>
              ),
          },
          { title: t('common.status'), dataIndex: 'state', width: 130, render: (s: BranchLine['state']) => <PeriodStateTag state={s} testId={`branch-state`} /> },
          { title: t('statement.totalPoints'), key: 'total', width: 140, align: 'right', render: (_, b) => b.total.points },
          { title: t('statement.salesCount'), dataIndex: 'sales', width: 110, align: 'right' },
          { title: t('statement.voidedPoints'), key: 'voided', width: 130, align: 'right', render: (_, b) => b.voided.points },
        ]}
      />
    </Card>
  );
}
