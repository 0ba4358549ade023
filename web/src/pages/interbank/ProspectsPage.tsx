import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiProspect, useProspects, useSaveProspect } from '../../api/interbank';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';
import { BranchSelect, InstitutionSelect, PROSPECT_STAGES } from './RegistryLabels';
import { serverPaging } from '../../components/paging';

const COLOR: Record<string, string> = { contacted: 'default', negotiating: 'blue', approving: 'purple', ready: 'orange', signed: 'green', dropped: 'red' };

/** 意向客户 (SPEC §11): each institution's stage towards signing, the next step and its date; per branch. */
export default function ProspectsPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const [f, setF] = useState<{ nodeId?: number; stage?: string; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const list = useProspects(f);
  const [editing, setEditing] = useState<Partial<FiProspect> | null>(null);
  const today = beijingToday();
  return (
    <PageContainer title={t('fi.prospects.title')} subTitle={t('fi.prospects.subtitle')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <BranchSelect allowClear value={f.nodeId} onChange={(v) => setF({ ...f, nodeId: v, page: 1 })} />
          <Select
            allowClear
            placeholder={t('fi.stage')}
            style={{ width: 130 }}
            value={f.stage}
            onChange={(v) => setF({ ...f, stage: v, page: 1 })}
            options={PROSPECT_STAGES.map((s) => ({ value: s, label: t(`fi.prospectStage.${s}` as MessageKey) }))}
          />
          {access.canManageInterbank ? (
            <Button type="primary" onClick={() => setEditing({})}>
              {t('fi.addProspect')}
            </Button>
          ) : null}
        </Space>
        <Table<FiProspect>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={serverPaging(t, f.page, f.pageSize, list.data?.total, (page, pageSize) => setF({ ...f, page, pageSize }))}
          columns={[
            { title: t('fi.institution'), dataIndex: 'institutionName', width: 200 },
            { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
            { title: t('fi.stage'), dataIndex: 'stage', width: 100, render: (v: string) => <Tag color={COLOR[v]}>{t(`fi.prospectStage.${v}` as MessageKey)}</Tag> },
            { title: t('fi.nextStep'), dataIndex: 'nextStep', render: (v: string | null) => v ?? '-' },
            {
              title: t('fi.nextStepOn'),
              dataIndex: 'nextStepOn',
              width: 110,
              render: (v: string | null, r) => (v ? <span style={{ color: v < today && !['signed', 'dropped'].includes(r.stage) ? '#cf1322' : undefined }}>{v}</span> : '-'),
            },
            { title: t('fi.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string, r) => `${fmtBeijing(v)} ${r.updatedByName ?? ''}` },
            {
              title: t('common.actions'),
              key: 'a',
              width: 80,
              render: (_, r) =>
                access.canManageInterbank ? (
                  <Button size="small" type="link" onClick={() => setEditing(r)}>
                    {t('fi.update')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {editing ? <ProspectModal row={editing} onClose={() => setEditing(null)} /> : null}
    </PageContainer>
  );
}

function ProspectModal({ row, onClose }: { row: Partial<FiProspect>; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const save = useSaveProspect();
  return (
    <Modal
      open
      title={row.institutionName ?? t('fi.addProspect')}
      onCancel={onClose}
      okButtonProps={{ loading: save.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        await save.mutateAsync({ id: row.institutionId ?? v.institutionId, stage: v.stage, nextStep: v.nextStep || null, nextStepOn: v.nextStepOn || null, note: null });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ stage: row.stage ?? 'contacted', nextStep: row.nextStep, nextStepOn: row.nextStepOn }}>
        {row.institutionId ? null : (
          <Form.Item name="institutionId" label={t('fi.institution')} rules={[{ required: true }]}>
            <InstitutionSelect />
          </Form.Item>
        )}
        <Form.Item name="stage" label={t('fi.stage')}>
          <Select options={PROSPECT_STAGES.map((s) => ({ value: s, label: t(`fi.prospectStage.${s}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="nextStep" label={t('fi.nextStep')}>
          <Input />
        </Form.Item>
        <Form.Item name="nextStepOn" label={t('fi.nextStepOn')}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
