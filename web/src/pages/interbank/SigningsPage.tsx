import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiSigning, fileUrl, useCorrectSigning, useRecordSigning, useSigningDocuments, useSignings, useUploadFi, useVoidSigning } from '../../api/interbank';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { BranchSelect, InstitutionSelect, SigningStatus } from './RegistryLabels';
import { serverPaging } from '../../components/paging';

/** 签约登记 (SPEC §11): framework and product agreements, append-only; correct or void with a reason; documents. */
export default function SigningsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [f, setF] = useState<{ nodeId?: number; kind?: string; status?: string; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const list = useSignings(f);
  const [editing, setEditing] = useState<{ mode: 'new' | 'correct'; row?: FiSigning } | null>(null);
  const [voiding, setVoiding] = useState<FiSigning | null>(null);
  const [docsOf, setDocsOf] = useState<FiSigning | null>(null);
  const uploadFi = useUploadFi();
  const set = (patch: Partial<typeof f>) => setF((old) => ({ ...old, ...patch, page: 1 }));
  return (
    <PageContainer title={t('fi.signings.title')} subTitle={t('fi.signings.subtitle')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <BranchSelect allowClear value={f.nodeId} onChange={(v) => set({ nodeId: v })} />
          <Select
            allowClear
            placeholder={t('fi.signingKind')}
            style={{ width: 130 }}
            value={f.kind}
            onChange={(v) => set({ kind: v })}
            options={[
              { value: 'framework', label: t('fi.framework') },
              { value: 'product', label: t('fi.product') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('fi.status')}
            style={{ width: 120 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={['active', 'superseded', 'void'].map((s) => ({ value: s, label: t(`fi.signingStatus.${s}` as 'fi.signingStatus.active') }))}
          />
          {access.canManageInterbank ? (
            <Button type="primary" onClick={() => setEditing({ mode: 'new' })} data-testid="fi-sign-new">
              {t('fi.recordSigning')}
            </Button>
          ) : null}
        </Space>
        <Table<FiSigning>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          data-testid="fi-signings-table"
          scroll={{ x: 1400 }}
          pagination={serverPaging(t, f.page, f.pageSize, list.data?.total, (page, pageSize) => setF({ ...f, page, pageSize }))}
          columns={[
            { title: t('fi.institution'), dataIndex: 'institutionName', width: 170, fixed: 'left' },
            { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
            {
              title: t('fi.signingKind'),
              key: 'k',
              width: 200,
              render: (_, s) => (s.kind === 'framework' ? <Tag color="green">{t('fi.framework')}</Tag> : <Tag color="blue">{`${t('fi.product')}：${s.productName}`}</Tag>),
            },
            { title: t('fi.sidedness'), dataIndex: 'sidedness', width: 80, render: (v: string) => t(v === 'bilateral' ? 'fi.bilateral' : 'fi.unilateral') },
            { title: t('fi.signedOn'), dataIndex: 'signedOn', width: 105 },
            { title: t('fi.recordedAt'), dataIndex: 'recordedAt', width: 150, render: (v: string) => fmtBeijing(v) },
            { title: t('fi.status'), dataIndex: 'status', width: 80, render: (v: string) => <SigningStatus status={v} /> },
            { title: t('fi.grant'), dataIndex: 'grantAmount', width: 80, render: (v: number | null) => (v === null ? '-' : <Tag color="gold">{v}</Tag>) },
            { title: t('fi.reason'), dataIndex: 'reason', width: 120, ellipsis: true, render: (v: string | null) => v ?? '-' },
            {
              title: t('common.actions'),
              key: 'a',
              width: 240,
              fixed: 'right',
              render: (_, s) => (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => setDocsOf(s)}>
                    {t('fi.documentsN', { n: s.documents })}
                  </Button>
                  {access.canManageInterbank && s.status === 'active' ? (
                    <>
                      <Upload
                        showUploadList={false}
                        accept=".pdf,.jpg,.jpeg,.png"
                        customRequest={({ file }) =>
                          void uploadFi
                            .mutateAsync({ to: 'signing', id: s.id, file: file as File })
                            .then(() => message.success(t('fi.uploaded')))
                            .catch((e: Error) => message.error(e.message))
                        }
                      >
                        <Button size="small" type="link">
                          {t('fi.upload')}
                        </Button>
                      </Upload>
                      <Button size="small" type="link" onClick={() => setEditing({ mode: 'correct', row: s })}>
                        {t('fi.correct')}
                      </Button>
                      <Button size="small" type="link" danger onClick={() => setVoiding(s)}>
                        {t('fi.void')}
                      </Button>
                    </>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing ? <SigningModal mode={editing.mode} row={editing.row} onClose={() => setEditing(null)} /> : null}
      {voiding ? <VoidModal row={voiding} onClose={() => setVoiding(null)} /> : null}
      {docsOf ? <DocumentsModal row={docsOf} onClose={() => setDocsOf(null)} /> : null}
    </PageContainer>
  );
}

function SigningModal({ mode, row, onClose }: { mode: 'new' | 'correct'; row?: FiSigning; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const record = useRecordSigning();
  const correct = useCorrectSigning();
  const kind = Form.useWatch('kind', form) as string | undefined;
  return (
    <Modal
      open
      title={mode === 'new' ? t('fi.recordSigning') : t('fi.correctTitle', { name: row!.institutionName })}
      onCancel={onClose}
      okButtonProps={{ loading: record.isPending || correct.isPending, 'data-testid': 'fi-sign-ok' } as never}
      onOk={async () => {
        const v = await form.validateFields();
        const body = { ...v, productName: v.kind === 'product' ? v.productName : null };
        const saved = mode === 'new' ? await record.mutateAsync(body) : await correct.mutateAsync({ id: row!.id, ...body });
        message.success(saved.grantAmount ? t('fi.savedWithGrant', { n: saved.grantAmount }) : t('common.saved'));
        onClose();
      }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          row ? { kind: row.kind, productName: row.productName, sidedness: row.sidedness, signedOn: row.signedOn } : { kind: 'framework', sidedness: 'bilateral', signedOn: beijingToday() }
        }
      >
        {mode === 'new' ? (
          <Form.Item name="institutionId" label={t('fi.institution')} rules={[{ required: true }]}>
            <InstitutionSelect testId="fi-sign-institution" />
          </Form.Item>
        ) : null}
        <Form.Item name="kind" label={t('fi.signingKind')}>
          <Radio.Group
            options={[
              { value: 'framework', label: t('fi.framework') },
              { value: 'product', label: t('fi.product') },
            ]}
          />
        </Form.Item>
        {kind === 'product' ? (
          <Form.Item name="productName" label={t('fi.productName')} rules={[{ required: true }]}>
            <Input placeholder="同业招标APP" />
          </Form.Item>
        ) : null}
        <Form.Item name="sidedness" label={t('fi.sidedness')}>
          <Radio.Group
            options={[
              { value: 'bilateral', label: t('fi.bilateral') },
              { value: 'unilateral', label: t('fi.unilateral') },
            ]}
          />
        </Form.Item>
        <Form.Item name="signedOn" label={t('fi.signedOn')} rules={[{ required: true }]}>
          <Input type="date" data-testid="fi-sign-date" />
        </Form.Item>
        {mode === 'correct' ? (
          <Form.Item name="reason" label={t('fi.correctReason')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function VoidModal({ row, onClose }: { row: FiSigning; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const voidIt = useVoidSigning();
  return (
    <Modal
      open
      title={t('fi.voidTitle', { name: row.institutionName })}
      onCancel={onClose}
      okButtonProps={{ danger: true, disabled: !reason.trim(), loading: voidIt.isPending } as never}
      onOk={async () => {
        await voidIt.mutateAsync({ id: row.id, reason });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <p>{t('fi.voidHint')}</p>
      <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('fi.reason')} />
    </Modal>
  );
}

function DocumentsModal({ row, onClose }: { row: FiSigning; onClose: () => void }) {
  const { t } = useI18n();
  const docs = useSigningDocuments(row.id);
  return (
    <Modal open footer={null} title={t('fi.documentsOf', { name: row.institutionName })} onCancel={onClose}>
      {(docs.data?.items ?? []).map((d) => (
        <div key={d.id}>
          <a href={fileUrl(d.id)} target="_blank" rel="noreferrer">
            {d.fileName}
          </a>{' '}
          · {Math.ceil(d.size / 1024)} KB · {fmtBeijing(d.uploadedAt)}
        </div>
      ))}
      {docs.data?.items.length ? null : t('fi.noneDocuments')}
    </Modal>
  );
}
