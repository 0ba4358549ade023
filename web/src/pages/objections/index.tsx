import { PageContainer } from '@ant-design/pro-components';
import { Card, Checkbox, DatePicker, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { type Objection, OBJECTION_STATUS_COLORS, OBJECTION_STATUSES, type ObjectionStatus, useObjections } from '../../api/objections';
import { fmtBeijing } from '../../format';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useI18n } from '../../locales';
import { ObjectionTargetText } from './components/ObjectionTargetText';

/** 异议: own objections, and every objection of the branches in the person's scope; filters in the URL. */
export default function ObjectionsPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const nodeId = Number(search.get('node')) || undefined;
  const month = search.get('month') || undefined;
  const status = (search.get('status') as ObjectionStatus | null) || undefined;
  const mine = search.get('mine') === 'true';
  const page = Number(search.get('page')) || 1;
  const pageSize = Number(search.get('pageSize')) || 20;
  const list = useObjections({ nodeId, month, status, mine, page, pageSize });

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setSearch(next, { replace: true });
  };

  return (
    <PageContainer title={t('objection.title')} subTitle={t('objection.subtitle')}>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={[16, 8]}>
          <Space>
            <span>{t('statement.branch')}</span>
            <OrgTreeSelect value={nodeId} onChange={(v) => set({ node: v ? String(v) : undefined })} selectable={['province', 'branch']} style={{ width: 220 }} placeholder={t('common.all')} />
          </Space>
          <Space>
            <span>{t('sale.month')}</span>
            <DatePicker picker="month" value={month ? dayjs(`${month}-01`) : null} onChange={(d) => set({ month: d ? d.format('YYYY-MM') : undefined })} />
          </Space>
          <Space>
            <span>{t('common.status')}</span>
            <Select<ObjectionStatus>
              allowClear
              placeholder={t('common.all')}
              value={status}
              style={{ width: 130 }}
              onChange={(v) => set({ status: v })}
              options={OBJECTION_STATUSES.map((s) => ({ value: s, label: t(`objection.status.${s}`) }))}
              data-testid="objection-status-filter"
            />
          </Space>
          <Checkbox checked={mine} onChange={(e) => set({ mine: e.target.checked ? 'true' : undefined })}>
            {t('objection.mine')}
          </Checkbox>
        </Space>
      </Card>
      <Card size="small">
        <Table<Objection>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          data-testid="objection-table"
          locale={{ emptyText: t('objection.none') }}
          // Fits 1366 px (the bank's desktop) with the reason readable; 答复时间 joins from 1600 px.
          scroll={{ x: 1010 }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.totalN', { n }),
            onChange: (p, ps) => set({ page: String(p), pageSize: String(ps) }),
          }}
          columns={[
            {
              title: t('objection.id'),
              dataIndex: 'id',
              width: 80,
              render: (v: number) => (
                <Link to={`/objections/${v}`} data-testid={`objection-link-${v}`}>
                  #{v}
                </Link>
              ),
            },
            { title: t('statement.branch'), dataIndex: 'nodeName', width: 110 },
            { title: t('sale.month'), dataIndex: 'month', width: 80 },
            { title: t('objection.target'), key: 'target', width: 220, render: (_, o) => <ObjectionTargetText objection={o} /> },
            { title: t('objection.reason'), dataIndex: 'reason', width: 170, ellipsis: true },
            { title: t('objection.raisedBy'), dataIndex: ['raisedBy', 'name'], width: 100 },
            { title: t('objection.raisedAt'), dataIndex: 'raisedAt', width: 150, render: (v: string) => fmtBeijing(v) },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: ObjectionStatus) => (
                <Tag color={OBJECTION_STATUS_COLORS[s]} data-testid="objection-status">
                  {t(`objection.status.${s}`)}
                </Tag>
              ),
            },
            { title: t('objection.answeredAt'), dataIndex: 'answeredAt', width: 150, responsive: ['xxl'], render: (v: string | null) => fmtBeijing(v) },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
