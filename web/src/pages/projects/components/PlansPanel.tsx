import { App, Button, Descriptions, Drawer, Empty, Form, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useProductOptions } from '../../../api/products';
import { ASSET_CLASSES, type MarketingPlan, usePlans, usePlanTemplates, useUnitPeople, useWritePlan } from '../../../api/projects';
import { fmtBeijing } from '../../../format';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

/** 营销方案 (Art. 12): the plans written for the unit's executives, middle managers and high-end clients, newest version first. */
export function PlansPanel({ projectId, mayWork }: { projectId: number; mayWork: boolean }) {
  const { t } = useI18n();
  const plans = usePlans(projectId);
  const [open, setOpen] = useState(false);
  return (
    <>
      {mayWork ? (
        <Button type="primary" onClick={() => setOpen(true)} style={{ marginBottom: 12 }} data-testid="plan-create">
          {t('plan.create')}
        </Button>
      ) : null}
      {plans.data?.length ? <List dataSource={plans.data} renderItem={(p) => <PlanItem p={p} />} data-testid="plan-list" /> : <Empty description={t('plan.none')} />}
      {open ? <PlanDrawer projectId={projectId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function PlanItem({ p }: { p: MarketingPlan }) {
  const { t } = useI18n();
  return (
    <List.Item>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{p.personName}</Typography.Text>
          <Tag color="blue">{t(`plan.segment.${p.segment}`)}</Tag>
          <Tag>{t('plan.version', { version: p.version })}</Tag>
          <Typography.Text type="secondary">
            {p.createdBy ?? ''} · {fmtBeijing(p.createdAt)}
          </Typography.Text>
        </Space>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('plan.anchor')}>{p.anchorProduct.name}</Descriptions.Item>
          <Descriptions.Item label={t('plan.bundle')}>{p.bundle.map((b) => b.name).join('、') || '-'}</Descriptions.Item>
          <Descriptions.Item label={t('plan.allocation')}>
            {Object.entries(p.allocation)
              .filter(([, v]) => v > 0)
              .map(([k, v]) => `${t(`plan.class.${k as 'deposit'}`)} ${(v / 100).toFixed(0)}%`)
              .join(' · ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('plan.advice')}>{p.advice}</Descriptions.Item>
        </Descriptions>
      </Space>
    </List.Item>
  );
}

type Values = { personId: number; templateCode: string; anchorProductCode: string; bundleProductCodes: string[]; advice: string } & Record<(typeof ASSET_CLASSES)[number], number | null>;

/** 制定方案: pick a person of the unit and a template; the template fills anchor, bundle, allocation and advice to edit. */
function PlanDrawer({ projectId, onClose }: { projectId: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const people = useUnitPeople(projectId);
  const templates = usePlanTemplates();
  const products = useProductOptions();
  const write = useWritePlan();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const total = ASSET_CLASSES.reduce((a, c) => a + (Number(watched?.[c]) || 0), 0);
  const apply = (code: string) => {
    const tp = templates.data?.find((x) => x.code === code);
    if (!tp) return;
    form.setFieldsValue({
      anchorProductCode: tp.anchor,
      bundleProductCodes: tp.bundle,
      advice: tp.adviceZh,
      ...Object.fromEntries(ASSET_CLASSES.map((c) => [c, (tp.allocation[c] ?? 0) / 100])),
    });
  };
  const save = async () => {
    const v = await form.validateFields();
    const tp = templates.data!.find((x) => x.code === v.templateCode)!;
    try {
      await write.mutateAsync({
        projectId,
        body: {
          personId: v.personId,
          segment: tp.segment,
          templateCode: v.templateCode,
          anchorProductCode: v.anchorProductCode,
          bundleProductCodes: v.bundleProductCodes ?? [],
          advice: v.advice.trim(),
          allocation: Object.fromEntries(ASSET_CLASSES.map((c) => [c, Math.round((Number(v[c]) || 0) * 100)])),
        },
      });
      onClose();
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  const productOptions = (products.data ?? []).map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }));
  return (
    <Drawer
      open
      width={600}
      title={t('plan.create')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={write.isPending} onClick={() => void save().catch(() => undefined)} data-testid="plan-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="personId" label={t('plan.person')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={(people.data ?? []).map((p) => ({ value: p.personId, label: `${p.name}${p.title ? `（${p.title}）` : ''}` }))} />
        </Form.Item>
        <Form.Item name="templateCode" label={t('plan.template')} rules={[{ required: true }]}>
          <Select onChange={apply} options={(templates.data ?? []).map((x) => ({ value: x.code, label: `${x.zh}（${t(`plan.segment.${x.segment}`)}）` }))} />
        </Form.Item>
        <Form.Item name="anchorProductCode" label={t('plan.anchor')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={productOptions} />
        </Form.Item>
        <Form.Item name="bundleProductCodes" label={t('plan.bundle')}>
          <Select mode="multiple" optionFilterProp="label" options={productOptions} />
        </Form.Item>
        <Typography.Text>
          {t('plan.allocation')}（{t('plan.total', { total: total.toFixed(0) })}）
        </Typography.Text>
        <Space wrap style={{ marginTop: 8 }}>
          {ASSET_CLASSES.map((c) => (
            <Form.Item key={c} name={c} label={t(`plan.class.${c}`)} style={{ width: 110 }}>
              <InputNumber min={0} max={100} precision={0} addonAfter="%" />
            </Form.Item>
          ))}
        </Space>
        <Form.Item name="advice" label={t('plan.advice')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
