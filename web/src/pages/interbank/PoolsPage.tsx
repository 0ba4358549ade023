import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, InputNumber, Modal, Progress, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiGrant, type FiPool, useCreatePool, useGrants, usePools } from '../../api/interbank';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';

const RESOURCES = ['net_interest_margin', 'intermediate_income', 'interbank_volume', 'other'] as const;

/** 激励资源池 (SPEC §11, decision 0033): a quarter's resource granted per signing, first come first served; grants in order. */
export default function PoolsPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const pools = usePools();
  const [selected, setSelected] = useState<number | undefined>();
  const poolId = selected ?? pools.data?.items[0]?.id;
  const grants = useGrants(poolId);
  const [adding, setAdding] = useState(false);
  return (
    <PageContainer title={t('fi.pools.title')} subTitle={t('fi.pools.subtitle')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card
          size="small"
          extra={
            access.canConfigureInterbank ? (
              <Button type="primary" onClick={() => setAdding(true)}>
                {t('fi.addPool')}
              </Button>
            ) : null
          }
        >
          <Table<FiPool>
            rowKey="id"
            size="small"
            pagination={false}
            loading={pools.isLoading}
            dataSource={pools.data?.items ?? []}
            onRow={(r) => ({ onClick: () => setSelected(r.id) })}
            columns={[
              { title: t('fi.quarter'), dataIndex: 'quarter', width: 90 },
              { title: t('fi.poolName'), dataIndex: 'name', render: (v: string, p) => <a style={{ fontWeight: p.id === poolId ? 600 : undefined }}>{v}</a> },
              { title: t('fi.resource'), dataIndex: 'resource', width: 130, render: (v: string) => t(`fi.resource.${v}` as MessageKey) },
              { title: t('fi.total'), key: 'tot', width: 110, render: (_, p) => `${p.totalAmount} ${p.unit}` },
              { title: t('fi.perSigning'), key: 'per', width: 110, render: (_, p) => `${p.grantAmount} ${p.unit}` },
              {
                title: t('fi.granted'),
                key: 'g',
                width: 200,
                render: (_, p) => <Progress size="small" percent={p.totalAmount ? Math.floor((p.grantedAmount * 100) / p.totalAmount) : 0} format={() => `${p.grantedAmount}/${p.totalAmount}`} />,
              },
              { title: t('fi.grantsN'), dataIndex: 'grants', width: 80 },
              {
                title: t('fi.kinds'),
                dataIndex: 'signingKinds',
                width: 140,
                render: (v: string) => v.split(',').map((k) => <Tag key={k}>{t(k === 'framework' ? 'fi.framework' : 'fi.product')}</Tag>),
              },
            ]}
          />
        </Card>
        <Card size="small" title={`${t('fi.grantsTitle')} · ${pools.data?.items.find((p) => p.id === poolId)?.name ?? ''}`}>
          <Table<FiGrant>
            rowKey="id"
            size="small"
            pagination={{ pageSize: 20 }}
            dataSource={grants.data?.items ?? []}
            data-testid="fi-grants-table"
            columns={[
              { title: t('fi.seq'), dataIndex: 'seq', width: 60 },
              { title: t('fi.institution'), dataIndex: 'institutionName' },
              { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
              { title: t('fi.signedOn'), dataIndex: 'signedOn', width: 110 },
              { title: t('fi.recordedAt'), dataIndex: 'recordedAt', width: 160, render: (v: string) => fmtBeijing(v) },
              { title: t('fi.amount'), dataIndex: 'amount', width: 80 },
              {
                title: t('fi.status'),
                key: 's',
                width: 180,
                render: (_, g) => (g.returnedAt ? <Tag color="red">{t('fi.returned', { reason: g.returnReason ?? '' })}</Tag> : <Tag color="green">{t('fi.grantedTag')}</Tag>),
              },
            ]}
          />
        </Card>
      </Space>
      {adding ? <PoolModal onClose={() => setAdding(false)} /> : null}
    </PageContainer>
  );
}

function PoolModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreatePool();
  return (
    <Modal
      open
      title={t('fi.addPool')}
      onCancel={onClose}
      okButtonProps={{ loading: create.isPending } as never}
      onOk={async () => {
        await create.mutateAsync(await form.validateFields());
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ resource: 'intermediate_income', unit: '万元', signingKinds: ['framework'] }}>
        <Form.Item name="quarter" label={t('fi.quarter')} rules={[{ required: true, pattern: /^\d{4}Q[1-4]$/ }]}>
          <Input placeholder="2027Q1" />
        </Form.Item>
        <Form.Item name="name" label={t('fi.poolName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="resource" label={t('fi.resource')}>
          <Select options={RESOURCES.map((r) => ({ value: r, label: t(`fi.resource.${r}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="unit" label={t('fi.unit')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="totalAmount" label={t('fi.total')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="grantAmount" label={t('fi.perSigning')} rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="signingKinds" label={t('fi.kinds')}>
          <Select
            mode="multiple"
            options={[
              { value: 'framework', label: t('fi.framework') },
              { value: 'product', label: t('fi.product') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
