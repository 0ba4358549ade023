import { Card, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { download } from '../../../api/client';
import { type VipNearRow, useVipNear, useVipTiers } from '../../../api/vip';
import ExportButton from '../../../components/ExportButton';
import { fmtMoney } from '../../../components/money';
import { useI18n } from '../../../locales';

/** 临界区间客户: AUM inside the band under the next tier up, smallest gap first; exported as shown. */
export function NearTab() {
  const { t } = useI18n();
  const [tierCode, setTierCode] = useState<string | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = useVipNear({ tierCode, ...page });
  const tiers = useVipTiers(false);
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  return (
    <Card size="small">
      <Space wrap size={[16, 8]} style={{ marginBottom: 12 }}>
        <Select<string>
          allowClear
          placeholder={t('vip.allTiers')}
          style={{ width: 160 }}
          value={tierCode}
          onChange={(v) => {
            setTierCode(v);
            setPage({ ...page, page: 1 });
          }}
          options={(tiers.data?.items ?? []).map((x) => ({ value: x.code, label: x.nameZh }))}
        />
        {list.data ? (
          <Typography.Text type="secondary" data-testid="vip-near-hint">
            {t('vip.nearHint', { band: list.data.bandPercent, day: list.data.asOf })}
          </Typography.Text>
        ) : null}
        <ExportButton onExport={() => download('/vip/near/export.xlsx', { tierCode }, '临界区间客户.xlsx')} />
      </Space>
      <Table<VipNearRow>
        rowKey="personId"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="vip-near-table"
        locale={{ emptyText: t('vip.noneNear') }}
        scroll={{ x: 1100 }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.totalN', { n }),
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
        columns={[
          { title: t('vip.rank'), dataIndex: 'rank', width: 60, align: 'right' },
          { title: t('vip.person'), dataIndex: 'name', width: 100 },
          { title: t('vip.node'), dataIndex: 'nodeName', width: 150, ellipsis: true },
          { title: t('vip.aum'), dataIndex: 'aumFen', width: 140, align: 'right', render: (v: number) => fmtMoney(v, unit) },
          { title: t('vip.currentTier'), dataIndex: 'currentTierName', width: 100, render: (v: string | null) => (v ? <Tag>{v}</Tag> : '-') },
          { title: t('vip.nearTier'), dataIndex: 'nearTierName', width: 100, render: (v: string) => <Tag color="gold">{v}</Tag> },
          { title: t('vip.threshold'), dataIndex: 'thresholdFen', width: 130, align: 'right', render: (v: number) => fmtMoney(v, unit) },
          { title: t('vip.gap'), dataIndex: 'gapFen', width: 130, align: 'right', render: (v: number) => <Typography.Text strong>{fmtMoney(v, unit)}</Typography.Text> },
          { title: t('vip.closeness'), dataIndex: 'closenessBp', width: 140, render: (v: number) => <Progress percent={Math.floor(v / 100)} size="small" format={() => `${(v / 100).toFixed(2)}%`} /> },
          { title: t('vip.am'), dataIndex: 'amName', width: 100, render: (v: string | null) => v ?? '-' },
        ]}
      />
    </Card>
  );
}
