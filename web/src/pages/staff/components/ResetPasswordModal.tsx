import { App, Alert, Button, Form, Input, Modal, Space } from 'antd';
import { useEffect } from 'react';
import { useResetPassword } from '../../../api/staff';
import type { Staff } from '../../../api/types';
import { passwordProblems } from '../../../components/passwordPolicy';
import { useI18n } from '../../../locales';
import { quietly } from '../../../components/quietly';

/** A random temporary password that meets the policy (upper, lower, digit, symbol; 12 chars). */
function generate(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%&*!?'];
  const pick = (s: string) => s[crypto.getRandomValues(new Uint32Array(1))[0] % s.length];
  const chars = sets.map(pick);
  while (chars.length < 12) chars.push(pick(sets.join('')));
  return chars.sort(() => (crypto.getRandomValues(new Uint8Array(1))[0] > 127 ? 1 : -1)).join('');
}

/** 重置密码 (administrator): the person must change it at the next sign-in. */
export function ResetPasswordModal({ staff, onClose }: { staff: Staff | null; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const reset = useResetPassword();
  const [form] = Form.useForm<{ temporary: string }>();

  useEffect(() => {
    if (staff) form.setFieldsValue({ temporary: generate() });
  }, [staff, form]);

  return (
    <Modal
      title={staff ? t('staff.resetTitle', { name: staff.name }) : ''}
      open={!!staff}
      onCancel={onClose}
      okText={t('staff.resetPassword')}
      confirmLoading={reset.isPending}
      destroyOnHidden
      onOk={quietly(async () => {
        const v = await form.validateFields();
        await reset.mutateAsync({ id: staff!.id, temporary: v.temporary });
        message.success(t('staff.resetDone'));
        onClose();
      })}
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('staff.resetHint')} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('staff.temporaryPassword')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="temporary"
              noStyle
              rules={[
                { required: true, message: t('form.required') },
                {
                  validator: (_r, value: string) => {
                    const p = value ? passwordProblems(value, staff?.staffNo ?? '') : [];
                    return p.length ? Promise.reject(new Error(p.map((k) => t(k)).join('；'))) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input />
            </Form.Item>
            <Button onClick={() => form.setFieldsValue({ temporary: generate() })}>{t('staff.generate')}</Button>
          </Space.Compact>
        </Form.Item>
      </Form>
    </Modal>
  );
}
