import { DrawerForm, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { App, Form } from 'antd';
import { useMemo } from 'react';
import { useAllDepartments, useOrgNodes } from '../../../api/org';
import { useCreateStaff, useUpdateStaff } from '../../../api/staff';
import type { Staff } from '../../../api/types';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { normalizeCode, normalizeText } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

interface Values {
  staffNo: string;
  name: string;
  nodeId: number;
  departmentId?: number | null;
  title?: string;
  phone?: string;
  email?: string;
  active?: boolean;
}

/** Domain errors that belong to one field of the form. */
const STAFF_FIELD_OF: Record<string, keyof Values> = {
  'STAFF.NO_TAKEN': 'staffNo',
  'STAFF.DEPT_MISMATCH': 'departmentId',
  'ORG.NOT_FOUND': 'nodeId',
};

interface Props {
  open: boolean;
  /** null → create */
  staff: Staff | null;
  onClose(): void;
  onSaved(): void;
}

/** Create or edit one person (ProForm in a drawer). */
export function StaffDrawer({ open, staff, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const nodeId = Form.useWatch('nodeId', form);
  const nodes = useOrgNodes();
  const departments = useAllDepartments();
  const create = useCreateStaff();
  const update = useUpdateStaff();

  // A person's department belongs to their own node or the branch above it.
  const deptOptions = useMemo(() => {
    const byId = new Map((nodes.data ?? []).map((n) => [n.id, n]));
    const node = nodeId ? byId.get(nodeId) : undefined;
    if (!node) return [];
    return (departments.data ?? [])
      .filter((d) => d.active && node.path.startsWith(byId.get(d.nodeId)?.path ?? '\u0000'))
      .map((d) => ({ value: d.id, label: `${d.name} · ${byId.get(d.nodeId)?.name ?? ''}` }));
  }, [nodes.data, departments.data, nodeId]);

  return (
    <DrawerForm<Values>
      key={staff ? `s${staff.id}` : 'new'}
      form={form}
      title={staff ? t('staff.editTitle', { name: staff.name }) : t('staff.createTitle')}
      open={open}
      width={520}
      drawerProps={{ onClose, destroyOnHidden: true, maskClosable: false }}
      initialValues={
        staff
          ? {
              staffNo: staff.staffNo,
              name: staff.name,
              nodeId: staff.nodeId,
              departmentId: staff.departmentId,
              title: staff.title ?? undefined,
              phone: staff.phone ?? undefined,
              email: staff.email ?? undefined,
              active: staff.active,
            }
          : { active: true }
      }
      onValuesChange={(changed: Partial<Values>) => {
        if ('nodeId' in changed) form.setFieldValue('departmentId', null);
      }}
      onFinish={async (v) => {
        const common = {
          name: v.name,
          nodeId: v.nodeId,
          departmentId: v.departmentId ?? null,
          title: v.title || undefined,
          // A masked number was never changed by the editor: leave it alone.
          phone: v.phone && !v.phone.includes('*') ? v.phone : undefined,
          email: v.email || undefined,
        };
        try {
          if (staff) {
            await update.mutateAsync({ id: staff.id, ...common, active: v.active });
            message.success(t('common.saved'));
          } else {
            await create.mutateAsync({ staffNo: v.staffNo, ...common });
            message.success(t('staff.createdHint'));
          }
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: STAFF_FIELD_OF });
          return false;
        }
        onSaved();
        return true;
      }}
    >
      <ProFormText
        name="staffNo"
        label={t('staff.staffNo')}
        disabled={!!staff}
        normalize={normalizeCode}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: /^[0-9A-Za-z_.-]+$/, message: t('form.staffNoPattern') },
        ]}
      />
      <ProFormText name="name" label={t('staff.name')} normalize={normalizeText} rules={[{ required: true, message: t('form.required') }]} />
      <Form.Item name="nodeId" label={t('staff.node')} rules={[{ required: true, message: t('form.required') }]}>
        <OrgTreeSelect allowClear={false} style={{ width: '100%' }} />
      </Form.Item>
      <ProFormSelect
        name="departmentId"
        label={t('staff.department')}
        options={deptOptions}
        fieldProps={{ allowClear: true, showSearch: true, optionFilterProp: 'label' }}
        placeholder={nodeId ? t('staff.departmentPlaceholder') : t('staff.pickNodeFirst')}
      />
      <ProFormText name="title" label={t('staff.title')} normalize={normalizeText} />
      <ProFormText name="phone" label={t('staff.phone')} normalize={normalizeCode} rules={[{ pattern: /^(1[3-9]\d{9}|1\d{2}\*{4}\d{4})$/, message: t('form.phonePattern') }]} />
      <ProFormText name="email" label={t('staff.email')} normalize={normalizeCode} rules={[{ type: 'email', message: t('form.emailPattern') }]} />
      {staff ? <ProFormSwitch name="active" label={t('staff.statusActive')} /> : null}
    </DrawerForm>
  );
}
