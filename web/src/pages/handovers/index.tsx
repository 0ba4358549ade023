import { PageContainer, ProCard } from '@ant-design/pro-components';
import { App, Button, Form, Input, Modal, Segmented } from 'antd';
import { useState } from 'react';
import { type Handover, useFeedback, useHandovers } from '../../api/projects';
import { useI18n } from '../../locales';
import { HandoverTable } from '../projects/components/HandoverPanel';

/** 售后移交 (Art. 14): the follow-ups handed to me, with feedback; and those of the projects I read. */
export default function HandoversPage() {
  const { t } = useI18n();
  const [view, setView] = useState<'mine' | 'all'>('mine');
  const list = useHandovers(view);
  const [answering, setAnswering] = useState<Handover | null>(null);
  return (
    <PageContainer title={t('handover.title')} subTitle={t('handover.subtitle')}>
      <ProCard bordered>
        <Segmented
          style={{ marginBottom: 12 }}
          value={view}
          onChange={(v) => setView(v as 'mine' | 'all')}
          options={[
            { value: 'mine', label: t('handover.mine') },
            { value: 'all', label: t('handover.all') },
          ]}
        />
        <HandoverTable
          items={list.data ?? []}
          action={(h) =>
            h.status === 'open' && view === 'mine' ? (
              <Button size="small" type="primary" onClick={() => setAnswering(h)} data-testid="handover-feedback">
                {t('handover.giveFeedback')}
              </Button>
            ) : null
          }
        />
      </ProCard>
      {answering ? <FeedbackModal h={answering} onClose={() => setAnswering(null)} /> : null}
    </PageContainer>
  );
}

function FeedbackModal({ h, onClose }: { h: Handover; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ feedback: string }>();
  const save = useFeedback();
  const ok = async () => {
    const v = await form.validateFields();
    await save.mutateAsync({ id: h.id, feedback: v.feedback.trim() });
    void message.success(t('handover.saved'));
    onClose();
  };
  return (
    <Modal
      open
      title={`${t('handover.giveFeedback')}：${h.clientName}`}
      onOk={() => void ok().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ id: 'feedback-ok' }}
    >
      <p>{h.task}</p>
      <Form form={form} layout="vertical">
        <Form.Item name="feedback" label={t('handover.feedback')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={4} maxLength={1000} data-testid="feedback-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
