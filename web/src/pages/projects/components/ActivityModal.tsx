import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { ACTIVITY_KINDS, type ActivityKind, useCreateActivity } from '../../../api/projects';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

/** 策划营销活动: kind, title, time (Beijing), place; invitations follow on the event page. */
export function ActivityModal({ projectId, onClose }: { projectId: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ kind: ActivityKind; title: string; startsAt: Dayjs; place?: string }>();
  const create = useCreateActivity();
  const ok = async () => {
    const v = await form.validateFields();
    try {
      const a = await create.mutateAsync({ projectId, body: { kind: v.kind, title: v.title.trim(), startsAt: v.startsAt.format('YYYY-MM-DDTHH:mm:00+08:00'), place: v.place?.trim() || null } });
      onClose();
      navigate(`/projects/activities/${a.id}`);
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  return (
    <Modal open title={t('activity.create')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={create.isPending} okButtonProps={{ id: 'activity-ok' }}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'salon' }}>
        <Form.Item name="kind" label={t('activity.kind')} rules={[{ required: true }]}>
          <Select options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activity.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('activity.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={80} data-testid="activity-title" />
        </Form.Item>
        <Form.Item name="startsAt" label={t('activity.startsAt')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="activity-starts" />
        </Form.Item>
        <Form.Item name="place" label={t('activity.place')}>
          <Input maxLength={120} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
