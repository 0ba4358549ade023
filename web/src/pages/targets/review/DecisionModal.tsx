import type { ButtonProps } from 'antd';
import { Form, Input, Modal, Typography } from 'antd';
import { App } from 'antd';
import type { Nomination } from '../../../api/targets';
import { useDecide } from '../../../api/targets';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';

interface Props {
  nomination: Nomination | null;
  decision: 'approve' | 'reject';
  onClose(): void;
}

/** 审议: approve (reason optional) or reject (reason required) one nomination. */
export function DecisionModal({ nomination, decision, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const decide = useDecide();
  const [form] = Form.useForm<{ reason?: string }>();
  const reject = decision === 'reject';
  return (
    <Modal
      open={!!nomination}
      title={reject ? t('target.rejectTitle', { name: nomination?.companyName ?? '' }) : t('target.approveTitle', { name: nomination?.companyName ?? '' })}
      okText={reject ? t('target.reject') : t('target.approve')}
      okButtonProps={{ danger: reject, 'data-testid': 'decision-ok' } as ButtonProps}
      confirmLoading={decide.isPending}
      destroyOnHidden
      onCancel={onClose}
      onOk={quietly(async () => {
        const { reason } = await form.validateFields();
        await decide.mutateAsync({ id: nomination!.id, decision, reason: reason?.trim() || null });
        message.success(reject ? t('target.rejected') : t('target.approved'));
        onClose();
      })}
    >
      <Typography.Paragraph type="secondary">{reject ? t('target.rejectHint') : t('target.approveHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('target.decisionReason')} rules={reject ? [{ required: true, whitespace: true, message: t('target.rejectNeedsReason') }] : []}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
