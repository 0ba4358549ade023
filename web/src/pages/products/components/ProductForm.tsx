import { DrawerForm, ProFormDatePicker, ProFormDigit, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { App, Form } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { type Product, type ProductInput, useCreateProduct, useProductLines, useUpdateProduct } from '../../../api/products';
import { useAllDepartments } from '../../../api/org';
import { normalizeCode, normalizeText, parseNumberInput } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';
import { beijingToday } from '../../../format';

interface Values {
  code: string;
  name: string;
  lineCode: string;
  hostDepartmentCode: string;
  unit: string;
  mortgage?: boolean;
  active?: boolean;
  score?: string | number;
  effectiveFrom?: string;
}

/** Which form field a server error belongs to. */
const FIELD_OF: Record<string, keyof Values> = {
  'PRODUCT.CODE_TAKEN': 'code',
  'PRODUCT.UNKNOWN_LINE': 'lineCode',
  'PRODUCT.UNKNOWN_HOST_DEPARTMENT': 'hostDepartmentCode',
  'PRODUCT.BAD_SCORE': 'score',
};

const UNITS = ['件', '户', '张', '笔', '万元'];

interface Props {
  open: boolean;
  /** null → create */
  product: Product | null;
  onClose(): void;
  onSaved(p: Product): void;
}

/** Create or edit a product (product.write); a new product may bring its first unit score. */
export function ProductForm({ open, product, onClose, onSaved }: Props) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const lines = useProductLines();
  const departments = useAllDepartments();
  const create = useCreateProduct();
  const update = useUpdateProduct();

  // Host departments are named by code (PF, CC …): each branch resolves the code to its own department.
  const deptOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of departments.data ?? []) if (d.active && !seen.has(d.code)) seen.set(d.code, d.name);
    return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([code, name]) => ({ value: code, label: name }));
  }, [departments.data]);

  return (
    <DrawerForm<Values>
      key={product ? `p${product.id}` : 'new'}
      form={form}
      title={product ? t('product.editTitle', { name: product.name }) : t('product.create')}
      open={open}
      width={520}
      drawerProps={{ onClose, destroyOnHidden: true, maskClosable: false }}
      initialValues={product ? { ...product } : { mortgage: false, unit: '件', effectiveFrom: beijingToday() }}
      onFinish={async (v) => {
        const body: ProductInput = {
          name: v.name,
          lineCode: v.lineCode,
          hostDepartmentCode: v.hostDepartmentCode,
          unit: v.unit,
          mortgage: !!v.mortgage,
        };
        try {
          let saved: Product;
          if (product) {
            saved = await update.mutateAsync({ id: product.id, ...body, active: !!v.active });
          } else {
            const first = v.score !== undefined && v.score !== null && v.score !== '' && v.effectiveFrom;
            saved = await create.mutateAsync({
              ...body,
              code: v.code.toUpperCase(),
              score: first ? { score: String(v.score), effectiveFrom: dayjs(v.effectiveFrom).format('YYYY-MM-DD') } : undefined,
            });
          }
          message.success(product ? t('common.saved') : t('common.created'));
          onSaved(saved);
          return true;
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: FIELD_OF, fieldOf: (path) => (path[0] === 'score' ? ['score'] : path) });
          return false;
        }
      }}
    >
      <ProFormText
        name="code"
        label={t('product.code')}
        disabled={!!product}
        normalize={normalizeCode}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, message: t('form.codePattern') },
        ]}
      />
      <ProFormText name="name" label={t('product.name')} normalize={normalizeText} rules={[{ required: true, message: t('form.required') }]} />
      <ProFormSelect
        name="lineCode"
        label={t('product.line')}
        rules={[{ required: true, message: t('form.required') }]}
        options={(lines.data ?? []).map((l) => ({ value: l.code, label: pick(l.nameZh, l.nameEn) }))}
      />
      <ProFormSelect name="hostDepartmentCode" label={t('product.hostDepartment')} rules={[{ required: true, message: t('form.required') }]} options={deptOptions} showSearch />
      <ProFormSelect name="unit" label={t('product.unit')} rules={[{ required: true, message: t('form.required') }]} options={UNITS.map((u) => ({ value: u, label: u }))} />
      <ProFormSwitch name="mortgage" label={t('product.mortgage')} extra={t('product.mortgageHint')} />
      {product ? <ProFormSwitch name="active" label={t('common.status')} checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} /> : null}
      {product ? null : (
        <>
          <ProFormDigit name="score" label={t('product.firstScore')} min={0} fieldProps={{ precision: 2, step: 0.5, stringMode: true, parser: parseNumberInput }} extra={t('product.firstScoreHint')} />
          <ProFormDatePicker name="effectiveFrom" label={t('product.effectiveFrom')} width="md" />
        </>
      )}
    </DrawerForm>
  );
}
