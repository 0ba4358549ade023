import { App, Button, Card, InputNumber, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type VipScreeningRow, useRegisterVips, useRunScreening, useVipScreening, gradeKey } from '../../../api/vip';
import { fmtMoney } from '../../../components/money';
import { useI18n } from '../../../locales';

/** 筛选: the people projects reached, against the tiers in force today; register one or many. */
export function ScreeningTab({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [show, setShow] = useState<'qualifying' | 'all'>('qualifying');
  const [projectId, setProjectId] = useState<number | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [selected, setSelected] = useState<VipScreeningRow[]>([]);
  const list = useVipScreening({ show, projectId, ...page });
  const run = useRunScreening();
  const reg = useRegisterVips();
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  const register = async (rows: VipScreeningRow[]) => {
    const out = await reg.mutateAsync(rows.map((r) => ({ personId: r.personId, projectId: r.projectId })));
    message.success(t('vip.registered', { n: out.items.length }));
    setSelected([]);
  };
  return (
    <Card size="small">
      <Space wrap size={[16, 8]} style={{ marginBottom: 12 }}>
        <Segmented<'qualifying' | 'all'>
          value={show}
          onChange={(v) => setShow(v)}
          options={(['qualifying', 'all'] as const).map((v) => ({ value: v, label: t(`vip.show.${v}`) }))}
          data-testid="vip-show"
        />
        <InputNumber min={1} placeholder={t('vip.projectId')} value={projectId} onChange={(v) => setProjectId(v ?? undefined)} style={{ width: 120 }} />
        {list.data ? (
          <Typography.Text type="secondary" data-testid="vip-qualifying">
            {t('vip.asOf', { day: list.data.asOf })} · {t('vip.qualifyingN', { n: list.data.qualifying })}
          </Typography.Text>
        ) : null}
        {canManage ? (
          <>
            <Button
              loading={run.isPending}
              onClick={async () => {
                const r = await run.mutateAsync({ projectId });
                message.success(t('vip.screened', { screened: r.screened, qualifying: r.qualifying }));
              }}
              data-testid="vip-run"
            >
              {t('vip.runScreening')}
            </Button>
            <Button type="primary" disabled={!selected.length} loading={reg.isPending} onClick={() => register(selected)} data-testid="vip-register-selected">
              {t('vip.registerSelected', { n: selected.length })}
            </Button>
          </>
        ) : null}
      </Space>
      <Table<VipScreeningRow>
        rowKey={(r) => `${r.personId}:${r.projectId}`}
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="vip-screening-table"
        locale={{ emptyText: t('vip.noneScreening') }}
        scroll={{ x: 1010 }}
        rowSelection={
          canManage
            ? { selectedRowKeys: selected.map((r) => `${r.personId}:${r.projectId}`), onChange: (_, rows) => setSelected(rows), getCheckboxProps: (r) => ({ disabled: !r.tierCode || r.registered }) }
            : undefined
        }
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.totalN', { n }),
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
        columns={[
          { title: t('vip.person'), dataIndex: 'name', width: 90 },
          { title: t('vip.project'), dataIndex: 'projectName', width: 190, ellipsis: true },
          { title: t('vip.node'), dataIndex: 'nodeName', width: 120, ellipsis: true },
          { title: t('vip.aum'), dataIndex: 'aumFen', width: 120, align: 'right', render: (v: number) => fmtMoney(v, unit) },
          { title: t('vip.products'), dataIndex: 'products', width: 90, align: 'right' },
          { title: t('vip.tier'), key: 'tier', width: 120, render: (_, r) => (r.tierName ? <Tag color="gold">{r.tierName}</Tag> : <Tag>{t('vip.noTier')}</Tag>) },
          { title: t('vip.requiredGrade'), dataIndex: 'requiredGrade', width: 130, render: (g: number | null) => (g ? t(gradeKey(g)) : '-') },
          {
            title: t('common.actions'),
            key: 'act',
            width: 90,
            fixed: 'right',
            render: (_, r) =>
              r.registered ? (
                <Tag color="green">{t('vip.isRegistered')}</Tag>
              ) : canManage && r.tierCode ? (
                <Button size="small" type="link" onClick={() => register([r])} data-testid={`vip-register-${r.personId}`}>
                  {t('vip.register')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
