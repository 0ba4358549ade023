import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useChangePassword, useMe } from '../api/auth';
import type { ApiError } from '../api/client';
import { useI18n } from '../locales';
import { passwordProblems } from './passwordPolicy';
import { quietly } from './quietly';

interface Props {
  open: boolean;
  /** The first sign-in with a temporary password: the dialog cannot be dismissed. */
  forced?: boolean;
  onClose(): void;
}

/** 修改密码: the bank's policy is shown and checked before the server checks it again. */
export function ChangePasswordModal({ open, forced, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const change = useChangePassword();
  const [form] = Form.useForm<{ current: string; next: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await change.mutateAsync({ current: v.current, next: v.next });
      message.success(t('password.changed'));
      onClose();
    } catch (e) {
      const err = e as ApiError;
      const details = Array.isArray(err.details) ? (err.details as unknown[]).map((d) => (typeof d === 'string' ? d : ((d as { message?: string }).message ?? ''))).filter(Boolean) : [];
      setError([err.message, ...details].join('；'));
    }
  };

  return (
    <Modal
      open={open}
      title={forced ? t('password.forcedTitle') : t('password.title')}
      onOk={quietly(submit)}
      onCancel={forced ? undefined : onClose}
      closable={!forced}
      maskClosable={false}
      keyboard={!forced}
      cancelButtonProps={forced ? { style: { display: 'none' } } : undefined}
      confirmLoading={change.isPending}
      okText={t('common.save')}
      destroyOnHidden
    >
      {forced ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('password.forcedHint')} /> : null}
      <Alert
        type="info"
        style={{ marginBottom: 16 }}
        message={t('password.policyTitle')}
        description={
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            <li>{t('password.ruleLength')}</li>
            <li>{t('password.ruleClasses')}</li>
            <li>{t('password.ruleNoStaffNo')}</li>
          </ul>
        }
      />
      {error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="password-error" /> : null}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="current" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="next"
          label={t('password.next')}
          rules={[
            { required: true, message: t('password.nextRequired') },
            {
              validator: (_r, value: string) => {
                const problems = value ? passwordProblems(value, me?.staffNo ?? '') : [];
                return problems.length ? Promise.reject(new Error(problems.map((p) => t(p)).join('；'))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['next']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_r, value) => (value && value !== getFieldValue('next') ? Promise.reject(new Error(t('password.mismatch'))) : Promise.resolve()),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('password.afterChange')}</Typography.Text>
    </Modal>
  );
}
