import { PageContainer } from '@ant-design/pro-components';
import { Card, Grid, List, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useWarnings, type Warning, type WarningQuery } from '../../api/warnings';
import { serverPaging } from '../../components/paging';
import { useI18n } from '../../locales';
import { WarningTags } from './labels';

/**
 * 贷后预警 (SPEC §12): the warnings a person received (我的预警) or all in their scope. On a phone
 * (narrower than md) a list of cards an AM taps to handle; on a PC a table.
 */
export default function WarningsPage() {
  const { t, lang } = useI18n();
  const narrow = !Grid.useBreakpoint().md;
  const [view, setView] = useState<'mine' | 'all'>('mine');
  const [status, setStatus] = useState<'pending' | 'closed' | 'all'>('pending');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const q: WarningQuery = { ...page, mine: view === 'mine' ? 'true' : undefined, status: status === 'all' ? undefined : status };
  const list = useWarnings(q);
  const name = (w: Warning) => (lang === 'en' ? w.indicatorEn : w.indicatorZh);
  const filters = (
    <Space wrap>
      <Segmented
        value={view}
        onChange={(v) => {
          setView(v as 'mine' | 'all');
          setPage({ ...page, page: 1 });
        }}
        options={[
          { value: 'mine', label: t('warning.mine') },
          { value: 'all', label: t('warning.all') },
        ]}
      />
      <Segmented
        value={status}
        onChange={(v) => {
          setStatus(v as 'pending' | 'closed' | 'all');
          setPage({ ...page, page: 1 });
        }}
        options={[
          { value: 'pending', label: t('warning.pending') },
          { value: 'closed', label: t('warning.status.closed') },
          { value: 'all', label: t('common.all') },
        ]}
      />
    </Space>
  );
  return (
    <PageContainer title={t('warning.title')} subTitle={narrow ? undefined : t('warning.subtitle')}>
      <Card size={narrow ? 'small' : 'default'} title={filters}>
        {narrow ? (
          <List
            data-testid="warning-cards"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: t('warning.empty') }}
            pagination={
              list.data && list.data.total > page.pageSize
                ? { current: page.page, pageSize: page.pageSize, total: list.data.total, simple: true, onChange: (p: number, s: number) => setPage({ page: p, pageSize: s }) }
                : false
            }
            renderItem={(w) => (
              <List.Item key={w.id}>
                <Link to={`/warnings/${w.id}`} style={{ display: 'block', width: '100%' }} data-testid="warning-card">
                  <Typography.Text strong>{w.clientName}</Typography.Text>
                  <div style={{ margin: '4px 0' }}>{name(w)}</div>
                  <Space size={4} wrap>
                    <WarningTags w={w} />
                    <Typography.Text type="secondary">
                      {w.lastDay} · ×{w.occurrences}
                    </Typography.Text>
                  </Space>
                </Link>
              </List.Item>
            )}
          />
        ) : (
          <Table<Warning>
            rowKey="id"
            size="middle"
            data-testid="warning-table"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: t('warning.empty') }}
            pagination={serverPaging(t, page.page, page.pageSize, list.data?.total, (p, s) => setPage({ page: p, pageSize: s }))}
            columns={[
              { title: t('warning.client'), dataIndex: 'clientName', render: (_, w) => <Link to={`/warnings/${w.id}`}>{w.clientName}</Link> },
              { title: t('warning.indicator'), render: (_, w) => `${w.indicatorCode} ${name(w)}` },
              { title: t('warning.status'), render: (_, w) => <WarningTags w={w} /> },
              { title: t('warning.firstDay'), dataIndex: 'firstDay', width: 110 },
              { title: t('warning.lastDay'), dataIndex: 'lastDay', width: 110 },
              { title: t('warning.occurrences'), dataIndex: 'occurrences', width: 90, align: 'right' },
              { title: t('warning.node'), dataIndex: 'nodeName' },
              { title: t('warning.am'), dataIndex: 'amName', render: (v) => v ?? '-' },
            ]}
          />
        )}
      </Card>
    </PageContainer>
  );
}
