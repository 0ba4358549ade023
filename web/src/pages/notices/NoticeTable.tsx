import { Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { type NoticeListItem, useNotices } from '../../api/periods';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { monthText, PeriodStateTag } from '../../components/PeriodStateTag';

/** The notices table (also on the overview, shorter). */
export function NoticeTable({ limit, compact = false }: { limit: number; compact?: boolean }) {
  const { t } = useI18n();
  const notices = useNotices(limit);
  return (
    <Table<NoticeListItem>
      rowKey={(n) => `${n.nodeId}-${n.month}`}
      size="small"
      loading={notices.isLoading}
      dataSource={notices.data ?? []}
      data-testid="notice-list"
      locale={{ emptyText: t('notice.noneYet') }}
      pagination={compact ? false : { defaultPageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.totalN', { n }) }}
      columns={[
        {
          title: t('notice.notice'),
          key: 'title',
          render: (_, n) => (
            <Link to={`/periods/${n.nodeId}/${n.month}/notice`} data-testid={`notice-link-${n.nodeId}-${n.month}`}>
              {t('notice.heading', { node: n.nodeName, month: monthText(t, n.month) })}
            </Link>
          ),
        },
        { title: t('period.stateCol'), dataIndex: 'state', width: 130, render: (_: unknown, n) => <PeriodStateTag state={n.state} /> },
        ...(compact ? [] : [{ title: t('period.publishedAt'), dataIndex: 'publishedAt', width: 170, render: (v: string) => fmtBeijing(v) }]),
        {
          title: t('notice.windowUntil'),
          dataIndex: 'windowClosesAt',
          width: 250,
          render: (v: string, n) => (
            <span>
              {fmtBeijing(v)} {n.windowOpen ? <Tag color="processing">{t('notice.acceptingObjections')}</Tag> : null}
            </span>
          ),
        },
      ]}
    />
  );
}
