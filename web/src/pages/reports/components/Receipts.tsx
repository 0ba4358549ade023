import { ProCard } from '@ant-design/pro-components';
import { Badge, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReportReceipt, useReceipts } from '../../../api/report-subscriptions';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

/** The province's view of an issue's delivery: who received it (or was held by a condition) and who has opened it. */
export function ReceiptsCard({ issueId }: { issueId: number }) {
  const { t } = useI18n();
  const receipts = useReceipts(issueId, true);
  const items = receipts.data ?? [];
  const columns: ColumnsType<ReportReceipt> = [
    { title: t('rsub.subscriber'), dataIndex: 'staffName', render: (v: string, r) => `${v}（${r.staffNo}）` },
    { title: t('rsub.node'), dataIndex: 'nodeName', width: 160 },
    { title: '', dataIndex: 'sent', width: 180, render: (v: boolean) => (v ? <Tag color="green">{t('rsub.sent')}</Tag> : <Tag>{t('rsub.held')}</Tag>) },
    { title: t('rsub.deliveredAt'), dataIndex: 'deliveredAt', width: 170, render: (v: string) => fmtBeijing(v) },
    {
      title: t('rsub.readAt'),
      dataIndex: 'readAt',
      width: 180,
      render: (v: string | null, r) => (!r.sent ? '—' : v ? <span data-testid={`receipt-read-${r.staffNo}`}>{fmtBeijing(v)}</span> : <Badge status="default" text={t('rsub.unread')} />),
    },
  ];
  return (
    <ProCard
      title={t('rsub.receipts')}
      extra={<Typography.Text type="secondary">{t('rsub.readCount', { read: items.filter((r) => r.readAt).length, sent: items.filter((r) => r.sent).length })}</Typography.Text>}
      bordered
      headerBordered
      size="small"
      style={{ marginTop: 12 }}
      data-testid="report-receipts"
    >
      <Table<ReportReceipt> rowKey="id" size="small" columns={columns} dataSource={items} loading={receipts.isLoading} pagination={false} locale={{ emptyText: t('rsub.receiptsEmpty') }} />
    </ProCard>
  );
}
