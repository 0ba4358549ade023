import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useReveal } from '../../../../api/customers';
import { quietly } from '../../../../components/quietly';
import { useI18n } from '../../../../locales';

interface Props {
  personId: number;
  field: 'idNumber' | 'phone';
  masked: string | null;
  canReveal: boolean;
}

/**
 * A masked ID or phone number with 查看: the full value only after a stated reason, which the
 * server keeps in the audit log (SPEC §1: every reveal is logged).
 */
export function RevealValue({ personId, field, masked, canReveal }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const reveal = useReveal();
  const [open, setOpen] = useState(false);
  const [full, setFull] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  if (!masked) return <>-</>;
  const label = field === 'idNumber' ? t('customer.idNumber') : t('customer.phone');

  return (
    <Space size={4}>
      <Typography.Text copyable={full ? { text: full } : false} data-testid={`value-${field}`}>
        {full ?? masked}
      </Typography.Text>
      {canReveal && !full ? (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid={`reveal-${field}`}>
          {t('customer.reveal')}
        </Button>
      ) : null}
      <Modal
        open={open}
        title={t('customer.revealTitle', { field: label })}
        okText={t('customer.revealConfirm')}
        confirmLoading={reveal.isPending}
        destroyOnHidden
        onCancel={() => setOpen(false)}
        onOk={quietly(async () => {
          const { reason } = await form.validateFields();
          const r = await reveal.mutateAsync({ id: personId, field, reason: reason.trim() });
          setFull(r.value);
          setOpen(false);
          form.resetFields();
          message.success(t('customer.revealed'));
        })}
      >
        <Typography.Paragraph type="secondary">{t('customer.revealHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('customer.revealReason')}
            rules={[
              { required: true, whitespace: true, message: t('customer.revealReasonRequired') },
              { min: 4, message: t('customer.revealReasonMin') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('customer.revealReasonPlaceholder')} data-testid="reveal-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
