import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useMe } from '../../../api/auth';
import { useDepartments } from '../../../api/org';
import { useProductLines, useProductOptions } from '../../../api/products';
import { groupQty, QUANTITY_PATTERN, type Quota, type QuotaSource, useCreateQuota, useDeleteQuota, useUpdateQuota } from '../../../api/quotas';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { StaffSelect } from '../../../components/StaffSelect';
import { numberText } from '../../../../../shared/normalize';
import { normalizeNumber, normalizeText } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

const SOURCE_COLOR: Record<QuotaSource, string> = { manual: 'blue', proposal: 'purple', import: 'cyan' };

/** "1,234.5" or full-width "１，２３４．５" typed → "1234.5" as the API (and the imports) take it; undefined when it is not a quantity. */
export function cleanQuantity(v: string | undefined | null): string | undefined {
  const s = numberText(v ?? '');
  return QUANTITY_PATTERN.test(s) ? s : undefined;
}

/**
 * The year's quotas, department × product (optionally narrowed to a person or an outlet), edited
 * in place by the committee office (quota.write): the quantity in the product's unit with up to four
 * decimals, sent as the string the API expects. Any edit puts the plan back to draft.
 */
export function QuotaTable({ nodeId, year, items }: { nodeId: number; year: number; items: Quota[] }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const canWrite = accessOf(me).canWriteQuotas;
  const lines = useProductLines();
  const update = useUpdateQuota();
  const remove = useDeleteQuota();
  const [editing, setEditing] = useState<{ id: number; quantity: string; note: string } | null>(null);
  const [adding, setAdding] = useState(false);

  const lineName = (code: string) => {
    const l = lines.data?.find((x) => x.code === code);
    return l ? pick(l.nameZh, l.nameEn) : code;
  };
  const filterOf = (values: string[]) => [...new Set(values)].map((v) => ({ text: v, value: v }));
  const badQty = editing !== null && cleanQuantity(editing.quantity) === undefined;
  // The 细分到 column only when some quota is narrowed to a person or an outlet.
  const narrowed = items.some((q) => q.staffId !== null || q.outletNodeId !== null);

  const save = async () => {
    if (!editing) return;
    const quantity = cleanQuantity(editing.quantity);
    if (quantity === undefined) return;
    await update.mutateAsync({ id: editing.id, quantity, note: editing.note.trim() || null });
    message.success(t('common.saved'));
    setEditing(null);
  };

  return (
    <>
      {canWrite ? (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="quota-add">
            {t('quota.add')}
          </Button>
          <Typography.Text type="secondary">{t('quota.editHint')}</Typography.Text>
        </Space>
      ) : null}
      <Table<Quota>
        rowKey="id"
        size="small"
        dataSource={items}
        data-testid="quota-table"
        scroll={{ x: (narrowed ? 120 : 0) + (canWrite ? 110 : 0) + 960 }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.totalN', { n }) }}
        locale={{ emptyText: t('quota.empty') }}
        columns={[
          {
            title: t('quota.department'),
            dataIndex: 'departmentName',
            width: 130,
            filters: filterOf(items.map((q) => q.departmentName)),
            onFilter: (v, q) => q.departmentName === v,
          },
          {
            title: t('quota.product'),
            dataIndex: 'productName',
            width: 190,
            render: (v: string, q) => `${v}（${q.productCode}）`,
            filters: filterOf(items.map((q) => q.productName)),
            onFilter: (v, q) => q.productName === v,
          },
          {
            title: t('quota.line'),
            dataIndex: 'lineCode',
            width: 110,
            render: lineName,
            filters: [...new Set(items.map((q) => q.lineCode))].map((c) => ({ text: lineName(c), value: c })),
            onFilter: (v, q) => q.lineCode === v,
          },
          {
            title: t('quota.narrowing'),
            key: 'narrowing',
            width: 120,
            hidden: !narrowed,
            render: (_, q) => (q.staffId ? `${q.staffName}（${q.staffNo}）` : q.outletNodeId ? q.outletName : <Typography.Text type="secondary">{t('quota.narrowing.department')}</Typography.Text>),
          },
          {
            title: t('quota.quantity'),
            dataIndex: 'quantity',
            align: 'right',
            width: 150,
            render: (v: string, q) =>
              editing?.id === q.id ? (
                <Input
                  size="small"
                  autoFocus
                  value={editing.quantity}
                  status={badQty ? 'error' : undefined}
                  suffix={q.unit}
                  onChange={(e) => setEditing({ ...editing, quantity: e.target.value })}
                  onPressEnter={() => void save()}
                  data-testid="quota-qty-input"
                  style={{ width: 136 }}
                />
              ) : (
                <span data-testid={`quota-qty-${q.id}`}>
                  {groupQty(v)} {q.unit}
                </span>
              ),
          },
          {
            title: t('quota.source'),
            dataIndex: 'source',
            width: 96,
            render: (s: QuotaSource) => <Tag color={SOURCE_COLOR[s]}>{t(`quota.source.${s}`)}</Tag>,
          },
          {
            title: t('quota.note'),
            dataIndex: 'note',
            width: 110,
            ellipsis: true,
            render: (v: string | null, q) =>
              editing?.id === q.id ? <Input size="small" value={editing.note} maxLength={200} onChange={(e) => setEditing({ ...editing, note: e.target.value })} /> : (v ?? ''),
          },
          {
            title: t('quota.updated'),
            key: 'updated',
            width: 170,
            render: (_, q) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {q.updatedBy?.name ?? '-'}
                <br />
                {fmtBeijing(q.updatedAt)}
              </Typography.Text>
            ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 110,
                  fixed: 'right' as const,
                  render: (_: unknown, q: Quota) =>
                    editing?.id === q.id ? (
                      <Space size={4}>
                        <Button size="small" type="link" disabled={badQty} loading={update.isPending} onClick={() => void save()} data-testid="quota-save">
                          {t('common.save')}
                        </Button>
                        <Button size="small" type="link" onClick={() => setEditing(null)}>
                          {t('common.cancel')}
                        </Button>
                      </Space>
                    ) : (
                      <Space size={4}>
                        <Tooltip title={t('common.edit')}>
                          <Button
                            size="small"
                            type="text"
                            icon={<EditOutlined />}
                            aria-label={t('common.edit')}
                            data-testid={`quota-edit-${q.departmentCode}-${q.productCode}${q.staffNo ? `-${q.staffNo}` : ''}${q.outletCode ? `-${q.outletCode}` : ''}`}
                            onClick={() => setEditing({ id: q.id, quantity: q.quantity, note: q.note ?? '' })}
                          />
                        </Tooltip>
                        <Popconfirm
                          title={t('quota.deleteConfirm', { department: q.departmentName, product: q.productName })}
                          onConfirm={async () => {
                            await remove.mutateAsync(q.id);
                            message.success(t('common.deleted'));
                          }}
                        >
                          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {adding ? <AddQuotaModal nodeId={nodeId} year={year} onClose={() => setAdding(false)} /> : null}
    </>
  );
}

interface AddValues {
  departmentId: number;
  productId: number;
  narrowing: 'department' | 'staff' | 'outlet';
  staffId?: number;
  outletNodeId?: number;
  quantity: string;
  note?: string;
}

/** Domain errors that belong to one field of the add form. */
const QUOTA_FIELD_OF: Record<string, keyof AddValues> = {
  'QUOTA.EXISTS': 'productId',
  'QUOTA.BAD_DEPARTMENT': 'departmentId',
  'QUOTA.BAD_PRODUCT': 'productId',
  'QUOTA.BAD_STAFF': 'staffId',
  'QUOTA.BAD_OUTLET': 'outletNodeId',
  'QUOTA.BAD_QUANTITY': 'quantity',
};

/** 新增营销任务: department, product, optionally one person or one outlet, and the quantity. */
function AddQuotaModal({ nodeId, year, onClose }: { nodeId: number; year: number; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const departments = useDepartments(nodeId);
  const products = useProductOptions();
  const create = useCreateQuota();
  const narrowing = Form.useWatch('narrowing', form) ?? 'department';
  const productId = Form.useWatch('productId', form);
  const unit = useMemo(() => products.data?.find((p) => p.id === productId)?.unit, [products.data, productId]);

  return (
    <Modal
      open
      title={t('quota.addTitle', { year })}
      onCancel={onClose}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'quota-add-ok' }}
      onOk={async () => {
        const v = await form.validateFields();
        try {
          await create.mutateAsync({
            nodeId,
            year,
            departmentId: v.departmentId,
            productId: v.productId,
            staffId: v.narrowing === 'staff' ? (v.staffId ?? null) : null,
            outletNodeId: v.narrowing === 'outlet' ? (v.outletNodeId ?? null) : null,
            quantity: cleanQuantity(v.quantity)!,
            note: v.note?.trim() || null,
          });
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: QUOTA_FIELD_OF });
          return;
        }
        message.success(t('common.created'));
        onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="quota-form" initialValues={{ narrowing: 'department' }}>
        <Form.Item name="departmentId" label={t('quota.department')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={departments.isLoading}
            options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: `${d.name}（${d.code}）` }))}
          />
        </Form.Item>
        <Form.Item name="productId" label={t('quota.product')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={products.isLoading}
            options={(products.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: `${p.name}（${p.code}）· ${p.unit}` }))}
          />
        </Form.Item>
        <Form.Item name="narrowing" label={t('quota.narrowing')} extra={t('quota.narrowingHint')}>
          <Radio.Group>
            <Radio.Button value="department">{t('quota.narrowing.department')}</Radio.Button>
            <Radio.Button value="staff">{t('quota.narrowing.staff')}</Radio.Button>
            <Radio.Button value="outlet">{t('quota.narrowing.outlet')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {narrowing === 'staff' ? (
          <Form.Item name="staffId" label={t('quota.narrowing.staff')} rules={[{ required: true, message: t('form.required') }]}>
            <StaffSelect nodeId={nodeId} />
          </Form.Item>
        ) : null}
        {narrowing === 'outlet' ? (
          <Form.Item name="outletNodeId" label={t('quota.narrowing.outlet')} rules={[{ required: true, message: t('form.required') }]}>
            <OrgTreeSelect selectable={['subbranch', 'outlet']} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="quantity"
          label={t('quota.quantity')}
          extra={t('quota.quantityHint')}
          normalize={normalizeNumber}
          rules={[
            { required: true, message: t('form.required') },
            { validator: (_, v: string) => (v === undefined || v === '' || cleanQuantity(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('quota.badQuantity')))) },
          ]}
        >
          <Input suffix={unit} inputMode="decimal" />
        </Form.Item>
        <Form.Item name="note" label={t('quota.note')} normalize={normalizeText}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
