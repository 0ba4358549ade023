import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Badge, Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography, message } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type ReportDelivery, type ReportSubscription, parseThreshold, useMeasures, useMyDeliveries, useReportSubscriptions, useSubscribe, useUnsubscribe } from '../../api/report-subscriptions';
import { useReportCatalogue } from '../../api/reports';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

interface FormValues {
  code: string;
  mode: 'always' | 'conditional';
  measure?: string;
  comparator?: 'lt' | 'gt';
  threshold?: string;
}

/** 订阅与推送 (issue 16): the reader's subscriptions (with a condition) and what has been delivered to them. */
export default function ReportSubscriptionsPage() {
  const { t, pick } = useI18n();
  const subs = useReportSubscriptions();
  const deliveries = useMyDeliveries();
  const catalogue = useReportCatalogue();
  const subscribe = useSubscribe();
  const unsubscribe = useUnsubscribe();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const code = Form.useWatch('code', form);
  const mode = Form.useWatch('mode', form);
  const measureKey = Form.useWatch('measure', form);
  const measures = useMeasures(code);
  const unitOf = (key?: string) => measures.data?.find((m) => m.key === key)?.unit;

  const submit = async () => {
    const v = await form.validateFields();
    const unit = unitOf(v.measure);
    const threshold = v.mode === 'conditional' && unit ? parseThreshold(v.threshold ?? '', unit) : null;
    await subscribe.mutateAsync({
      code: v.code,
      condition: v.mode === 'conditional' && v.measure && v.comparator && threshold !== null ? { measure: v.measure, comparator: v.comparator, threshold } : null,
    });
    void message.success(t('rsub.done'));
    setOpen(false);
    form.resetFields();
  };

  const subColumns: ColumnsType<ReportSubscription> = [
    { title: t('rsub.report'), dataIndex: 'nameZh', render: (_, r) => <Link to={`/reports/${r.code}`}>{pick(r.nameZh, r.nameEn)}</Link> },
    { title: t('rsub.subscriber'), dataIndex: 'staffName', width: 200, render: (_, r) => `${r.staffName}（${r.nodeName}）` },
    {
      title: t('rsub.condition'),
      dataIndex: 'condition',
      width: 220,
      render: (_, r) => (r.condition ? <Tag color="orange">{pick(r.conditionZh ?? '', r.conditionEn ?? '')}</Tag> : <Tag>{t('rsub.always')}</Tag>),
    },
    { title: t('rsub.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string, r) => `${fmtBeijing(v)}（${r.createdByName}）` },
    {
      title: '',
      dataIndex: 'id',
      width: 100,
      render: (id: number) => (
        <Popconfirm title={t('rsub.endConfirm')} onConfirm={() => void unsubscribe.mutateAsync(id)}>
          <Button size="small" danger type="link">
            {t('rsub.end')}
          </Button>
        </Popconfirm>
      ),
    },
  ];
  const deliveryColumns: ColumnsType<ReportDelivery> = [
    {
      title: t('rsub.report'),
      dataIndex: 'nameZh',
      render: (_, r) => (
        <Link to={`/reports/deliveries/${r.id}`} data-testid={`delivery-${r.id}`}>
          {pick(r.nameZh, r.nameEn)}
        </Link>
      ),
    },
    { title: t('rsub.period'), dataIndex: 'periodLabel', width: 170, render: (v: string, r) => (r.version > 1 ? `${v} ${t('reports.versionN', { n: r.version })}` : v) },
    { title: t('rsub.lines'), dataIndex: 'lines', width: 100 },
    { title: t('rsub.deliveredAt'), dataIndex: 'deliveredAt', width: 170, render: (v: string) => fmtBeijing(v) },
    {
      title: t('rsub.readAt'),
      dataIndex: 'readAt',
      width: 190,
      render: (v: string | null) => (v ? <Typography.Text type="secondary">{fmtBeijing(v)}</Typography.Text> : <Badge status="processing" text={t('rsub.unread')} />),
    },
  ];

  return (
    <PageContainer
      title={t('rsub.title')}
      subTitle={t('rsub.subtitle')}
      onBack={() => history.back()}
      extra={
        <Button type="primary" onClick={() => setOpen(true)} data-testid="rsub-add">
          {t('rsub.add')}
        </Button>
      }
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <ProCard title={t('rsub.deliveries')} bordered headerBordered size="small">
          <Table<ReportDelivery>
            rowKey="id"
            size="small"
            columns={deliveryColumns}
            dataSource={deliveries.data ?? []}
            loading={deliveries.isLoading}
            pagination={{ pageSize: 10 }}
            locale={{ emptyText: t('rsub.noDeliveries') }}
            data-testid="rsub-deliveries"
          />
        </ProCard>
        <ProCard title={t('rsub.mine')} bordered headerBordered size="small">
          <Table<ReportSubscription>
            rowKey="id"
            size="small"
            columns={subColumns}
            dataSource={subs.data ?? []}
            loading={subs.isLoading}
            pagination={false}
            locale={{ emptyText: t('rsub.empty') }}
            data-testid="rsub-subscriptions"
          />
        </ProCard>
      </Space>
      <Modal open={open} title={t('rsub.add')} onCancel={() => setOpen(false)} onOk={() => void submit()} confirmLoading={subscribe.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ mode: 'always', comparator: 'lt' }}>
          <Form.Item name="code" label={t('rsub.report')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="rsub-report"
              options={(catalogue.data ?? []).filter((d) => d.producible).map((d) => ({ value: d.code, label: `${pick(d.nameZh, d.nameEn)}（${d.code}）` }))}
            />
          </Form.Item>
          <Form.Item name="mode" label={t('rsub.condition')}>
            <Radio.Group
              options={[
                { value: 'always', label: t('rsub.always') },
                { value: 'conditional', label: t('rsub.conditional'), disabled: !measures.data?.length },
              ]}
            />
          </Form.Item>
          {mode === 'conditional' ? (
            <Space align="start" wrap>
              <Form.Item name="measure" label={t('rsub.measure')} rules={[{ required: true }]}>
                <Select style={{ width: 160 }} options={(measures.data ?? []).map((m) => ({ value: m.key, label: pick(m.zh, m.en) }))} />
              </Form.Item>
              <Form.Item name="comparator" label={t('rsub.comparator')}>
                <Select
                  style={{ width: 90 }}
                  options={[
                    { value: 'lt', label: t('rsub.lt') },
                    { value: 'gt', label: t('rsub.gt') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="threshold"
                label={t('rsub.threshold')}
                extra={t('rsub.thresholdHint')}
                rules={[
                  { required: true },
                  {
                    validator: (_, v: string) => (!unitOf(measureKey) || parseThreshold(v ?? '', unitOf(measureKey)!) !== null ? Promise.resolve() : Promise.reject(new Error(t('rsub.thresholdBad')))),
                  },
                ]}
              >
                <Input style={{ width: 180 }} addonAfter={unitOf(measureKey) === 'bp' ? '%' : undefined} />
              </Form.Item>
            </Space>
          ) : null}
        </Form>
      </Modal>
    </PageContainer>
  );
}
