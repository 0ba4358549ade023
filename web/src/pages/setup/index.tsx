import { ApartmentOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate } from 'react-router-dom';
import type { ApiError } from '../../api/client';
import { useSetup, useSetupState } from '../../api/setup';
import { FullPageSpin } from '../../components/FullPageSpin';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { normalizeCode, normalizeText } from '../../forms/normalize';
import { useI18n } from '../../locales';

interface SetupForm {
  bankName: string;
  bankCode?: string;
  adminStaffNo: string;
  adminName?: string;
  password: string;
  confirm: string;
}

/**
 * 系统初始化 (issue 18): the root node and the first administrator of a clean install. Reachable
 * only while the database has no user; afterwards it sends people to the sign-in page (and the
 * server answers 409).
 */
export default function SetupPage() {
  const { t } = useI18n();
  const state = useSetupState();
  const setup = useSetup();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (state.isLoading) return <FullPageSpin />;
  // Closed once anybody exists; right after our own setup, the sign-in page greets the administrator.
  if (state.data?.installed) return <Navigate to="/login" replace state={done ? { notice: t('setup.done'), staffNo: done } : undefined} />;

  const onFinish = async (v: SetupForm) => {
    setError(null);
    try {
      setDone(v.adminStaffNo);
      await setup.mutateAsync({
        bankName: v.bankName,
        bankCode: v.bankCode || undefined,
        adminStaffNo: v.adminStaffNo,
        adminName: v.adminName || undefined,
        password: v.password,
      });
    } catch (e) {
      setDone(null);
      setError((e as ApiError).message);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #fff5f5 0%, #f0f2f5 60%)' }}>
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 480, boxShadow: '0 6px 24px rgba(0,0,0,0.08)' }}>
        <div style={{ textAlign: 'center', marginBottom: 16 }}>
          <ApartmentOutlined style={{ fontSize: 36, color: '#c7000b' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
            {t('setup.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('setup.subtitle')}</Typography.Text>
        </div>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="setup-error" /> : null}
        <Form<SetupForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="bankName" normalize={normalizeText} label={t('setup.bankName')} rules={[{ required: true, whitespace: true, message: t('setup.bankNameRequired') }]}>
            <Input id="bankName" placeholder={t('setup.bankNamePlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name="bankCode" normalize={normalizeCode} label={t('setup.bankCode')} extra={t('setup.bankCodeHelp')}>
            <Input id="bankCode" placeholder="0001" maxLength={20} />
          </Form.Item>
          <Form.Item
            name="adminStaffNo"
            normalize={normalizeCode}
            label={t('setup.adminStaffNo')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_]{1,32}$/, message: t('setup.adminStaffNoRequired') }]}
          >
            <Input id="adminStaffNo" autoComplete="username" maxLength={32} />
          </Form.Item>
          <Form.Item name="adminName" normalize={normalizeText} label={t('setup.adminName')}>
            <Input id="adminName" maxLength={50} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('setup.password')}
            extra={[t('password.ruleLength'), t('password.ruleClasses'), t('password.ruleNoStaffNo')].join(' · ')}
            rules={[{ required: true, message: t('password.nextRequired') }]}
          >
            <Input.Password id="password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['password']}
            rules={[
              { required: true, message: t('password.confirmRequired') },
              ({ getFieldValue }) => ({ validator: (_r, value) => (value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))) }),
            ]}
          >
            <Input.Password id="confirm" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={setup.isPending} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('setup.onceHint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
