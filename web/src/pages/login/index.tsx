import { ApartmentOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useLogin, useMe } from '../../api/auth';
import { useSetupState } from '../../api/setup';
import type { ApiError } from '../../api/client';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { normalizeCode } from '../../forms/normalize';
import { useI18n } from '../../locales';

interface LoginState {
  from?: string;
  reason?: string;
  /** After the first-run setup: what to say, and the administrator's 工号 to fill in. */
  notice?: string;
  staffNo?: string;
}

/** 登录: 工号 + 密码; wrong password, lockout and an expired session are shown in place. */
export default function LoginPage() {
  const { t } = useI18n();
  const me = useMe();
  const setup = useSetupState();
  const login = useLogin();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;
  const [error, setError] = useState<string | null>(null);
  const target = state.from && state.from !== '/login' ? state.from : '/overview';

  if (me.data) return <Navigate to={target} replace />;
  // An empty database (no user at all): the first-run setup comes first.
  if (setup.data && !setup.data.installed) return <Navigate to="/setup" replace />;

  const onFinish = async (v: { staffNo: string; password: string }) => {
    setError(null);
    try {
      await login.mutateAsync({ staffNo: v.staffNo, password: v.password });
      navigate(target, { replace: true });
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const notice = error ?? state.reason ?? null;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #fff5f5 0%, #f0f2f5 60%)',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 400, boxShadow: '0 6px 24px rgba(0,0,0,0.08)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <ApartmentOutlined style={{ fontSize: 40, color: '#c7000b' }} />
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {notice ? <Alert type="error" showIcon message={notice} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        {!notice && state.notice ? <Alert type="success" showIcon message={state.notice} style={{ marginBottom: 16 }} data-testid="login-notice" /> : null}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large" initialValues={{ staffNo: state.staffNo }}>
          <Form.Item name="staffNo" label={t('login.staffNo')} normalize={normalizeCode} rules={[{ required: true, message: t('login.staffNoRequired') }]}>
            <Input prefix={<UserOutlined />} placeholder={t('login.staffNoPlaceholder')} autoComplete="username" id="staffNo" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} placeholder={t('login.passwordPlaceholder')} autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24 }}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}
