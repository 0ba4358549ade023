import { Alert, App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useRunAssessment } from '../../../api/assessment';
import { yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { percentToBp } from '../../quotas/components/LineTargets';
import { fenOfYuanText } from './money';

interface Values {
  pool: string;
  gate: string;
}

/**
 * 计算年终考核: the reward pool in 元 (two decimals, sent as integer 分) and the gate (default 50 %).
 * The run is a draft until the committee approves it; running again gives a new draft.
 */
export function NewRunModal({ nodeId, year, onClose, onCreated }: { nodeId: number; year: number; onClose(): void; onCreated(id: number): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const run = useRunAssessment();
  const pool = Form.useWatch('pool', form);
  const fen = fenOfYuanText(pool);

  return (
    <Modal
      open
      title={t('assessment.newRunTitle', { year })}
      okText={t('assessment.runIt')}
      onCancel={onClose}
      confirmLoading={run.isPending}
      okButtonProps={{ 'data-testid': 'assessment-run-ok' }}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run.mutateAsync({ nodeId, year, poolFen: fenOfYuanText(v.pool)!, gateBp: percentToBp(v.gate) });
        message.success(t('assessment.ran', { id: r.id }));
        onCreated(r.id);
      }}
      destroyOnHidden
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('assessment.newRunHint')} />
      <Form form={form} layout="vertical" initialValues={{ gate: '50' }} name="assessment-run">
        <Form.Item
          name="pool"
          label={t('assessment.poolYuan')}
          extra={fen !== undefined ? t('assessment.poolIs', { amount: yuanOf(fen) }) : t('assessment.poolHint')}
          rules={[
            { required: true, message: t('form.required') },
            { validator: (_, v: string) => (!v || fenOfYuanText(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('assessment.badPool')))) },
          ]}
        >
          <Input inputMode="decimal" addonAfter={t('assessment.yuan')} data-testid="assessment-pool" placeholder="100000.00" />
        </Form.Item>
        <Form.Item
          name="gate"
          label={t('assessment.gatePercent')}
          extra={t('assessment.gateHint')}
          rules={[{ validator: (_, v: string) => (percentToBp(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('assessment.badGate')))) }]}
        >
          <InputNumber<string> stringMode min="0" max="100" precision={2} addonAfter="%" style={{ width: 160 }} data-testid="assessment-gate" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('assessment.runNote')}</Typography.Text>
    </Modal>
  );
}
