import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { type ObjectionTarget, useRaiseObjection } from '../../../api/objections';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';

export interface RaiseTarget {
  target: ObjectionTarget;
  /** What the person sees: 部门：公司业务部（CORP）… */
  label: string;
}

/** 提出异议: the line, a required reason; POST /api/objections (the server checks the window). */
export function RaiseObjectionModal({ nodeId, month, value, onClose }: { nodeId: number; month: string; value: RaiseTarget | null; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const raise = useRaiseObjection();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = quietly(async () => {
    const { reason } = await form.validateFields();
    const o = await raise.mutateAsync({ nodeId, month, target: value!.target, reason: reason.trim() });
    message.success({
      content: (
        <span data-testid="objection-raised">
          {t('objection.raised', { id: o.id })} <a onClick={() => navigate(`/objections/${o.id}`)}>{t('objection.view')}</a>
        </span>
      ),
      duration: 6,
    });
    form.resetFields();
    onClose();
  });
  return (
    <Modal
      open={value !== null}
      title={t('objection.raiseTitle')}
      onCancel={onClose}
      onOk={submit}
      okText={t('objection.submit')}
      okButtonProps={{ loading: raise.isPending, 'data-testid': 'objection-submit' }}
      destroyOnHidden
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('objection.raiseHint')} />
      <Typography.Paragraph>
        <Typography.Text type="secondary">{t('objection.targetLabel')}</Typography.Text>
        <Typography.Text strong data-testid="objection-target-label">
          {value?.label}
        </Typography.Text>
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('objection.reason')} rules={[{ required: true, whitespace: true, message: t('objection.reasonRequired') }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t('objection.reasonPlaceholder')} data-testid="objection-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
