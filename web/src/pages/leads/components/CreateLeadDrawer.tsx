import { Alert, App, Button, Checkbox, Drawer, Form, Input, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCreateLead } from '../../../api/leads';
import { useProductOptions } from '../../../api/products';
import { type PickClient, pickClients, usePickDepartments } from '../../../api/salesForm';
import { debounce } from '../../../forms/debounce';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

interface Values {
  contactName: string;
  client?: string;
  productCode?: string;
  departmentId?: number;
  source: 'manual' | 'referral' | 'activity';
  note?: string;
  keepMine: boolean;
}

/** A lead found at a project's activity: the person, the project and the activity are given, not picked. */
export interface LeadPreset {
  personId: number;
  contactName: string;
  projectId: number;
  activityId: number;
  activityTitle: string;
}

/** 登记商机: a referral or a need found at an activity; routed by the capacity rule unless kept. */
export function CreateLeadDrawer({ open, onClose, preset }: { open: boolean; onClose: () => void; preset?: LeadPreset }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const products = useProductOptions(open);
  const depts = usePickDepartments();
  const create = useCreateLead();
  const [clients, setClients] = useState<PickClient[]>([]);
  const search = useMemo(() => debounce(async (q: string) => setClients(q.trim() ? await pickClients(q) : []), 300), []);

  const save = async () => {
    const v = await form.validateFields();
    const [kind, id] = (v.client ?? '').split(':');
    try {
      const lead = await create.mutateAsync({
        contactName: v.contactName,
        productCode: v.productCode ?? null,
        departmentId: v.departmentId ?? null,
        personId: preset ? preset.personId : kind === 'individual' ? Number(id) : null,
        companyId: !preset && kind === 'company' ? Number(id) : null,
        projectId: preset?.projectId ?? null,
        activityId: preset?.activityId ?? null,
        source: preset ? 'activity' : v.source,
        note: v.note ?? null,
        keepMine: v.keepMine,
      });
      message.success(lead.ownerName ? t('lead.created', { owner: lead.ownerName }) : t('lead.createdPool'));
      form.resetFields();
      onClose();
      navigate(`/leads/${lead.id}`);
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };

  return (
    <Drawer title={t('lead.createTitle')} open={open} onClose={onClose} width={Math.min(560, window.innerWidth - 24)} destroyOnHidden data-testid="lead-create-drawer">
      <Form form={form} layout="vertical" initialValues={{ source: preset ? 'activity' : 'referral', keepMine: !!preset, contactName: preset?.contactName }}>
        {preset ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('lead.fromActivity', { title: preset.activityTitle })} data-testid="lead-preset" /> : null}
        <Form.Item name="contactName" label={t('lead.contactName')} rules={[{ required: true, message: t('forms.required') }, { max: 60 }]}>
          <Input data-testid="lead-form-name" />
        </Form.Item>
        <Form.Item name="client" label={t('lead.client')} extra={t('lead.clientHint')} hidden={!!preset}>
          <Select
            allowClear
            showSearch
            filterOption={false}
            onSearch={search}
            notFoundContent={null}
            data-testid="lead-form-client"
            options={clients.map((c) => ({ value: `${c.kind}:${c.id}`, label: `${c.name} · ${c.code}` }))}
            onChange={(v?: string) => {
              const c = clients.find((x) => `${x.kind}:${x.id}` === v);
              if (c && !form.getFieldValue('contactName')) form.setFieldValue('contactName', c.name);
            }}
          />
        </Form.Item>
        <Form.Item name="productCode" label={t('lead.product')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="lead-form-product"
            options={(products.data ?? []).filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.name}（${p.hostDepartmentName ?? p.hostDepartmentCode}）` }))}
          />
        </Form.Item>
        <Form.Item name="departmentId" label={t('lead.department')} extra={t('lead.departmentHint')}>
          <Select allowClear showSearch optionFilterProp="label" options={(depts.data ?? []).map((d) => ({ value: d.id, label: `${d.nodeName} · ${d.name}` }))} />
        </Form.Item>
        <Form.Item name="source" label={t('lead.source')} hidden={!!preset}>
          <Select options={(['referral', 'activity', 'manual'] as const).map((s) => ({ value: s, label: t(`lead.source.${s}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('lead.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="keepMine" valuePropName="checked">
          <Checkbox>{t('lead.keepMine')}</Checkbox>
        </Form.Item>
        <Space>
          <Button type="primary" onClick={() => void save().catch(() => undefined)} loading={create.isPending} data-testid="lead-form-save">
            {t('common.save')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
