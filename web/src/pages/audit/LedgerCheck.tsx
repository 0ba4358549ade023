import { AuditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useVerifyLedger } from '../../api/audit';
import type { LedgerReport } from '../../api/types';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { hundredthsText, beijingMonth } from '../../format';
import { useI18n } from '../../locales';

/**
 * 核对积分台账 (finding 10): a branch month's ledger lines against a fresh allocation and its
 * statement totals against the ledger, on the server in a READ ONLY transaction. Repair is a
 * deliberate administrator step (settle --verify --repair), not a button.
 */
export function LedgerCheck() {
  const { t } = useI18n();
  const [nodeId, setNodeId] = useState<number>();
  const [month, setMonth] = useState(beijingMonth(-1));
  const verify = useVerifyLedger();
  const r: LedgerReport | undefined = verify.data;
  return (
    <Card size="small" title={t('audit.ledger.title')} style={{ marginBottom: 16 }}>
      <Space wrap>
        <OrgTreeSelect value={nodeId} onChange={setNodeId} selectable={['province', 'branch']} style={{ width: 240 }} id="ledger-node" />
        <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
        <Button icon={<AuditOutlined />} disabled={!nodeId} loading={verify.isPending} onClick={() => nodeId && verify.mutate({ nodeId, month })} data-testid="ledger-verify">
          {t('audit.ledger.run')}
        </Button>
      </Space>
      {r ? (
        <Alert
          style={{ marginTop: 12 }}
          showIcon
          data-testid="ledger-verify-result"
          type={r.ok ? 'success' : 'error'}
          message={r.ok ? t('audit.ledger.ok', { sales: r.sales }) : t('audit.ledger.bad', { lines: r.lines.length, totals: r.totals.length })}
        />
      ) : null}
      {r && r.lines.length > 0 ? (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(l) => `${l.saleId}-${l.departmentId}-${l.staffId}-${l.kind}-${l.period}`}
          dataSource={r.lines}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('audit.ledger.sale'), dataIndex: 'sourceId' },
            { title: t('audit.ledger.level'), dataIndex: 'level', render: (v: 'department' | 'person') => t(`audit.ledger.level.${v}`) },
            { title: t('audit.ledger.key'), render: (_, l) => `${l.departmentId}${l.staffId ? ` / ${l.staffId}` : ''}${l.kind === 'void' ? ' (void)' : ''}` },
            { title: t('audit.ledger.ledger'), dataIndex: 'ledger', align: 'right', render: (v: number) => hundredthsText(v) },
            {
              title: t('audit.ledger.expected'),
              dataIndex: 'expected',
              align: 'right',
              render: (v: number, l) => (
                <>
                  {hundredthsText(v)} {l.stale ? <Tag color="orange">stale</Tag> : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
      {r && r.totals.length > 0 ? (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(d) => `${d.nodeId}-${d.period}-${d.grain}-${d.k1}-${d.k2}-${d.role}`}
          dataSource={r.totals}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('audit.ledger.grain'), render: (_, d) => `${d.grain} ${d.k1}${d.k2 ? `/${d.k2}` : ''}${d.role ? ` ${d.role}` : ''}` },
            { title: t('audit.ledger.kept'), align: 'right', render: (_, d) => hundredthsText(d.kept.points) },
            { title: t('audit.ledger.ledger'), align: 'right', render: (_, d) => hundredthsText(d.ledger.points) },
          ]}
        />
      ) : null}
    </Card>
  );
}
