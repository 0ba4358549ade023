import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Image, Input, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiVisit, fileUrl, useRecordVisit, useUploadFi, useVisits } from '../../api/interbank';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { BranchSelect, InstitutionSelect } from './RegistryLabels';
import { serverPaging } from '../../components/paging';

/** 拜访记录 (SPEC §11): who was met, our people, what was said; up to 10 photos each with the time they were taken. */
export default function VisitsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [f, setF] = useState<{ nodeId?: number; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const list = useVisits(f);
  const [adding, setAdding] = useState(false);
  const uploadFi = useUploadFi();
  return (
    <PageContainer title={t('fi.visits.title')} subTitle={t('fi.visits.subtitle')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <BranchSelect allowClear value={f.nodeId} onChange={(v) => setF({ ...f, nodeId: v, page: 1 })} />
          {access.canManageInterbank ? (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t('fi.recordVisit')}
            </Button>
          ) : null}
        </Space>
        <Table<FiVisit>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={serverPaging(t, f.page, f.pageSize, list.data?.total, (page, pageSize) => setF({ ...f, page, pageSize }))}
          columns={[
            { title: t('fi.visitedOn'), dataIndex: 'visitedOn', width: 105 },
            { title: t('fi.institution'), dataIndex: 'institutionName', width: 180 },
            { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 80 },
            { title: t('fi.peopleMet'), dataIndex: 'peopleMet', width: 140 },
            { title: t('fi.ourPeople'), dataIndex: 'ourPeople', width: 140, render: (v: string | null) => v ?? '-' },
            { title: t('fi.summary'), dataIndex: 'summary', width: 240 },
            {
              title: t('fi.photos'),
              key: 'p',
              width: 260,
              render: (_, v) => (
                <Space wrap size={4}>
                  {v.photos.map((p) => (
                    <Image key={p.id} width={56} height={42} style={{ objectFit: 'cover' }} src={fileUrl(p.id)} title={p.takenAt ? t('fi.takenAt', { at: fmtBeijing(p.takenAt) }) : t('fi.noExif')} />
                  ))}
                  {access.canManageInterbank && v.photos.length < 10 ? (
                    <Upload
                      showUploadList={false}
                      accept=".jpg,.jpeg,.png"
                      customRequest={({ file }) =>
                        void uploadFi
                          .mutateAsync({ to: 'visit', id: v.id, file: file as File })
                          .then((r) => message.success(r.takenAt ? t('fi.takenAt', { at: fmtBeijing(r.takenAt) }) : t('fi.uploaded')))
                          .catch((e: Error) => message.error(e.message))
                      }
                    >
                      <Button size="small">{t('fi.addPhoto')}</Button>
                    </Upload>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
        <Typography.Text type="secondary">{t('fi.photoHint')}</Typography.Text>
      </Card>
      {adding ? <VisitModal onClose={() => setAdding(false)} /> : null}
    </PageContainer>
  );
}

function VisitModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const record = useRecordVisit();
  return (
    <Modal
      open
      title={t('fi.recordVisit')}
      onCancel={onClose}
      okButtonProps={{ loading: record.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        await record.mutateAsync({ ...v, ourPeople: v.ourPeople || null });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ visitedOn: beijingToday() }}>
        <Form.Item name="institutionId" label={t('fi.institution')} rules={[{ required: true }]}>
          <InstitutionSelect />
        </Form.Item>
        <Form.Item name="visitedOn" label={t('fi.visitedOn')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="peopleMet" label={t('fi.peopleMet')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="ourPeople" label={t('fi.ourPeople')}>
          <Input />
        </Form.Item>
        <Form.Item name="summary" label={t('fi.summary')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
