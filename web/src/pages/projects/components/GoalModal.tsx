import { App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMe } from '../../../api/auth';
import { useCreateGoal } from '../../../api/projects';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

const MEASURES = ['projects', 'activities', 'attendees', 'surveyed', 'leads', 'won', 'vip', 'points'] as const;

/** 设定阶段目标: what the committee wants done by when (points are entered in points, stored in hundredths). */
export function GoalModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe().data;
  const [form] = Form.useForm<{ nodeId: number; title: string; measure: (typeof MEASURES)[number]; target: number; range: [Dayjs, Dayjs] }>();
  const create = useCreateGoal();
  const ok = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({
        nodeId: v.nodeId,
        title: v.title.trim(),
        measure: v.measure,
        targetValue: v.measure === 'points' ? Math.round(v.target * 100) : v.target,
        startsOn: v.range[0].format('YYYY-MM-DD'),
        endsOn: v.range[1].format('YYYY-MM-DD'),
      });
      onClose();
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  return (
    <Modal open title={t('goal.create')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={create.isPending} okButtonProps={{ id: 'goal-ok' }}>
      <Form form={form} layout="vertical" initialValues={{ nodeId: me?.nodeId, measure: 'won' }}>
        <Form.Item name="nodeId" label={t('goal.node')} rules={[{ required: true }]}>
          <OrgTreeSelect selectable={['province', 'branch']} />
        </Form.Item>
        <Form.Item name="title" label={t('goal.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={80} data-testid="goal-title" />
        </Form.Item>
        <Form.Item name="measure" label={t('goal.measure')} rules={[{ required: true }]}>
          <Select options={MEASURES.map((m) => ({ value: m, label: t(`goal.measure.${m}`) }))} />
        </Form.Item>
        <Form.Item name="target" label={t('goal.target')} rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: 200 }} data-testid="goal-target" />
        </Form.Item>
        <Form.Item name="range" label={t('goal.range')} rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
