import { PageContainer, StatisticCard } from '@ant-design/pro-components';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { LEAD_STAGE_COLORS, LEAD_STAGES, type Lead, type LeadFilters, type LeadStage, useLeadRate, useLeads } from '../../api/leads';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { CreateLeadDrawer } from './components/CreateLeadDrawer';
import { LeadBoard } from './components/LeadBoard';
import { SlaTag } from './components/SlaTag';

type View = NonNullable<LeadFilters['view']>;

/** 商机管理: my leads, the pool, every lead in scope — as a list or a board by stage; filters in the URL. */
export default function LeadsPage() {
  const { t } = useI18n();
  const meQ = useMe();
  const access = accessOf(meQ.data);
  const [search, setSearch] = useSearchParams();
  // Account managers open on their own leads; whoever manages a branch's leads, on all of them.
  const view = (search.get('view') as View | null) ?? (access.canWorkLeads && !access.canManageLeads ? 'mine' : 'all');
  const stage = (search.get('stage') as LeadStage | null) || undefined;
  const q = search.get('q') || undefined;
  const layout = search.get('layout') === 'board' ? 'board' : 'list';
  const page = Number(search.get('page')) || 1;
  const pageSize = layout === 'board' ? 200 : Number(search.get('pageSize')) || 20;
  // The default view depends on who is asking: no request before that is known.
  const list = useLeads({ view, stage, q, page: layout === 'board' ? 1 : page, pageSize }, !!meQ.data);
  // This month in Beijing, whatever the desktop's time zone.
  const from = `${beijingToday().slice(0, 7)}-01`;
  const to = dayjs(from).endOf('month').format('YYYY-MM-DD');
  const rate = useLeadRate(from, to, access.canReadLeadRate);
  const [creating, setCreating] = useState(false);

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setSearch(next, { replace: true });
  };
  const empty = view === 'mine' ? t('lead.noneMine') : view === 'pool' ? t('lead.nonePool') : t('lead.none');

  return (
    <PageContainer
      title={t('lead.title')}
      subTitle={t('lead.subtitle')}
      extra={
        <Space wrap>
          {access.canManageLeads ? (
            <Link to="/imports?kind=leads" data-testid="lead-import">
              <Button>{t('lead.import')}</Button>
            </Link>
          ) : null}
          {access.canWorkLeads ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="lead-create">
              {t('lead.create')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {access.canReadLeadRate ? (
        <StatisticCard
          bordered
          style={{ marginBottom: 16 }}
          data-testid="lead-rate"
          statistic={{
            title: t('lead.rate'),
            value: rate.data?.all.rate ?? '-',
            suffix: rate.data?.all.rate ? '%' : undefined,
            description: rate.data ? (
              <Typography.Text type="secondary">
                {rate.data.all.total ? t('lead.rateOf', { handled: rate.data.all.handled, total: rate.data.all.total, won: rate.data.all.won }) : t('lead.rateNone')}
              </Typography.Text>
            ) : null,
          }}
        />
      ) : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={[16, 8]}>
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v })}
            options={(['mine', 'pool', 'all'] as View[]).filter((v) => v !== 'mine' || access.canWorkLeads).map((v) => ({ value: v, label: t(`lead.view.${v}`) }))}
            data-testid="lead-view"
          />
          <Select<LeadStage>
            allowClear
            placeholder={t('lead.stage')}
            value={stage}
            style={{ width: 130 }}
            onChange={(v) => set({ stage: v })}
            options={LEAD_STAGES.map((s) => ({ value: s, label: t(`lead.stage.${s}`) }))}
          />
          <Input.Search allowClear placeholder={t('lead.search')} defaultValue={q} onSearch={(v) => set({ q: v || undefined })} style={{ width: 220 }} />
          <Segmented
            value={layout}
            onChange={(v) => set({ layout: v === 'board' ? 'board' : undefined })}
            options={[
              { value: 'list', label: t('lead.layout.list') },
              { value: 'board', label: t('lead.layout.board') },
            ]}
            data-testid="lead-layout"
          />
        </Space>
      </Card>
      {layout === 'board' ? (
        list.data && list.data.items.length === 0 ? (
          <Card>
            <Empty description={empty} />
          </Card>
        ) : (
          <LeadBoard leads={list.data?.items ?? []} loading={list.isLoading} />
        )
      ) : (
        <Card size="small">
          <Table<Lead>
            rowKey="id"
            size="small"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            data-testid="lead-table"
            locale={{ emptyText: empty }}
            scroll={{ x: 1000 }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => t('common.totalN', { n }),
              onChange: (p, ps) => set({ page: String(p), pageSize: String(ps) }),
            }}
            columns={[
              { title: t('lead.contactName'), key: 'name', width: 150, render: (_, l) => <Link to={`/leads/${l.id}`}>{l.contactName}</Link> },
              { title: t('lead.product'), dataIndex: 'productName', width: 130, ellipsis: true, render: (v: string | null) => v ?? '-' },
              { title: t('lead.department'), dataIndex: 'departmentName', width: 120, ellipsis: true },
              { title: t('lead.owner'), key: 'owner', width: 120, render: (_, l) => (l.ownerName ? l.ownerName : <Tag>{t('lead.pool')}</Tag>) },
              { title: t('lead.stage'), dataIndex: 'stage', width: 90, render: (s: LeadStage) => <Tag color={LEAD_STAGE_COLORS[s]}>{t(`lead.stage.${s}`)}</Tag> },
              { title: t('lead.sla'), key: 'sla', width: 170, render: (_, l) => <SlaTag lead={l} /> },
              { title: t('lead.source'), dataIndex: 'source', width: 100, render: (s: Lead['source']) => t(`lead.source.${s}`) },
              { title: t('lead.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmtBeijing(v) },
            ]}
          />
        </Card>
      )}
      <CreateLeadDrawer open={creating} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
