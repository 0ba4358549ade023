import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useAssignRoles, useRoles } from '../../../api/staff';
import type { Staff } from '../../../api/types';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { useI18n } from '../../../locales';
import { quietly } from '../../../components/quietly';

interface Row {
  role?: string;
  scopeNodeId?: number;
}

/** 角色分配: each role is granted over one org node's subtree. */
export function RolesModal({ staff, onClose, onSaved }: { staff: Staff | null; onClose(): void; onSaved(): void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const roles = useRoles();
  const assign = useAssignRoles();
  const [form] = Form.useForm<{ roles: Row[] }>();

  useEffect(() => {
    if (staff) form.setFieldsValue({ roles: staff.roles.map((r) => ({ role: r.role, scopeNodeId: r.scopeNodeId })) });
  }, [staff, form]);

  return (
    <Modal
      title={staff ? t('staff.rolesTitle', { name: staff.name, no: staff.staffNo }) : ''}
      open={!!staff}
      width={680}
      onCancel={onClose}
      okText={t('common.save')}
      confirmLoading={assign.isPending}
      destroyOnHidden
      data-testid="roles-modal"
      onOk={quietly(async () => {
        const v = await form.validateFields();
        await assign.mutateAsync({
          id: staff!.id,
          roles: (v.roles ?? []).map((r) => ({ role: r.role!, scopeNodeId: r.scopeNodeId! })),
        });
        message.success(t('common.saved'));
        onSaved();
        onClose();
      })}
    >
      <Typography.Paragraph type="secondary">{t('staff.rolesHint')}</Typography.Paragraph>
      <Form form={form} preserve={false}>
        <Form.List name="roles">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[f.name, 'role']} rules={[{ required: true, message: t('form.required') }]}>
                    <Select style={{ width: 260 }} placeholder={t('staff.role')} options={(roles.data ?? []).map((r) => ({ value: r.code, label: lang === 'en' ? r.nameEn : r.nameZh }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'scopeNodeId']} rules={[{ required: true, message: t('form.required') }]}>
                    <OrgTreeSelect style={{ width: 300 }} placeholder={t('staff.scope')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ scopeNodeId: staff?.nodeId })}>
                {t('staff.addRole')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
