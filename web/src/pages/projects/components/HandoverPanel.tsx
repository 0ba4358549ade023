import { App, Button, DatePicker, Empty, Form, Input, Modal, Select, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useLeads } from '../../../api/leads';
import { type Handover, useHandOver, useHandovers, useReceivers } from '../../../api/projects';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

/** 售后移交 of a project (Art. 14): won clients handed to the co-organising outlet, with task, due day and feedback. */
export function HandoverPanel({ projectId, mayWork }: { projectId: number; mayWork: boolean }) {
  const { t } = useI18n();
  const all = useHandovers('all');
  const [open, setOpen] = useState(false);
  const items = (all.data ?? []).filter((h) => h.projectId === projectId);
  return (
    <>
      {mayWork ? (
        <Button type="primary" onClick={() => setOpen(true)} style={{ marginBottom: 12 }} data-testid="handover-create">
          {t('handover.create')}
        </Button>
      ) : null}
      {items.length ? <HandoverTable items={items} /> : <Empty description={t('handover.none')} />}
      {open ? <HandoverModal projectId={projectId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function HandoverTable({ items, action }: { items: Handover[]; action?: (h: Handover) => React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Table<Handover>
      size="small"
      rowKey="id"
      data-testid="handover-table"
      pagination={false}
      dataSource={items}
      scroll={{ x: 900 }}
      columns={[
        { title: t('handover.client'), dataIndex: 'clientName', width: 100 },
        { title: t('project.title'), dataIndex: 'projectName', render: (v: string | null, h) => (h.projectId ? <Link to={`/projects/${h.projectId}`}>{v}</Link> : '-') },
        { title: t('handover.task'), dataIndex: 'task' },
        { title: t('handover.to'), render: (_, h) => `${h.toName} · ${h.outletName}`, width: 180 },
        { title: t('handover.dueOn'), dataIndex: 'dueOn', width: 110 },
        {
          title: t('handover.status'),
          width: 100,
          render: (_, h) =>
            h.status === 'done' ? <Tag color="green">{t('handover.done')}</Tag> : h.overdue ? <Tag color="red">{t('handover.overdue')}</Tag> : <Tag color="blue">{t('handover.open')}</Tag>,
        },
        { title: t('handover.feedback'), dataIndex: 'feedback', render: (v: string | null) => v ?? '-' },
        ...(action ? [{ title: '', width: 110, render: (_: unknown, h: Handover) => action(h) }] : []),
      ]}
    />
  );
}

function HandoverModal({ projectId, onClose }: { projectId: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ leadId: number; toStaffId: number; task: string; dueOn: Dayjs }>();
  const won = useLeads({ stage: 'won', projectId, pageSize: 200 });
  const receivers = useReceivers(projectId, true);
  const create = useHandOver();
  const ok = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ leadId: v.leadId, toStaffId: v.toStaffId, task: v.task.trim(), dueOn: v.dueOn.format('YYYY-MM-DD') });
      onClose();
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  const leads = won.data?.items ?? [];
  return (
    <Modal open title={t('handover.create')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={create.isPending} okButtonProps={{ id: 'handover-ok' }}>
      <Form form={form} layout="vertical" initialValues={{ dueOn: dayjs().add(7, 'day'), task: t('handover.defaultTask') }}>
        <Form.Item name="leadId" label={t('handover.lead')} rules={[{ required: true }]}>
          <Select data-testid="handover-lead" options={leads.map((l) => ({ value: l.id, label: `${l.contactName} · ${l.productName ?? ''}` }))} />
        </Form.Item>
        <Form.Item name="toStaffId" label={t('handover.to')} rules={[{ required: true }]}>
          <Select data-testid="handover-to" options={(receivers.data ?? []).map((r) => ({ value: r.staffId, label: `${r.name}（${r.staffNo}）· ${r.nodeName}` }))} />
        </Form.Item>
        <Form.Item name="task" label={t('handover.task')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
        <Form.Item name="dueOn" label={t('handover.dueOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
