import { App, Button, Card, Descriptions, Drawer, Form, Image, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { fileUrl, useFiBranches, useInstitution, useLandings, useMoveInstitution, useSignings, useVisits } from '../../api/interbank';
import { fmtBeijing } from '../../format';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';
import { BranchSelect, kindLabel, SigningStatus } from './RegistryLabels';

/** One institution: its facts, jurisdiction history (a move closes the open row), signings, visits with photos, landings. */
export function RegistryDetail({ id, onClose, canManage }: { id: number; onClose: () => void; canManage: boolean }) {
  const { t } = useI18n();
  const inst = useInstitution(id);
  const signings = useSignings({ institutionId: id, page: 1, pageSize: 50 });
  const visits = useVisits({ institutionId: id, page: 1, pageSize: 20 });
  const landings = useLandings({ institutionId: id, page: 1, pageSize: 20 });
  const [moving, setMoving] = useState(false);
  const d = inst.data;
  return (
    <Drawer open width={860} title={d ? `${d.name}（${d.code}）` : ''} onClose={onClose} data-testid="fi-detail">
      {d ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('fi.kindLabel')}>{kindLabel(t, d.kind)}</Descriptions.Item>
            <Descriptions.Item label={t('fi.parent')}>{d.parentName ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('fi.branch')}>{d.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('fi.leader')}>{d.leaderName ? `${d.leaderName} ${d.leaderNo}` : '-'}</Descriptions.Item>
            <Descriptions.Item label={t('fi.status')}>{t(`fi.instStatus.${d.status}` as MessageKey)}</Descriptions.Item>
            <Descriptions.Item label={t('fi.uscc')}>{d.uscc ?? '-'}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title={t('fi.history')}
            extra={
              canManage ? (
                <Button size="small" onClick={() => setMoving(true)} data-testid="fi-move">
                  {t('fi.move')}
                </Button>
              ) : null
            }
          >
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={d.history}
              columns={[
                { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
                { title: t('fi.leader'), key: 'l', width: 170, render: (_, h) => (h.leaderName ? `${h.leaderName} ${h.leaderNo}` : '-') },
                { title: t('fi.validFrom'), dataIndex: 'validFrom', width: 110 },
                { title: t('fi.validTo'), dataIndex: 'validTo', width: 110, render: (v: string | null) => v ?? <Tag color="green">{t('fi.current')}</Tag> },
                { title: t('fi.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '-' },
              ]}
            />
          </Card>
          <Card size="small" title={t('fi.signings')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={signings.data?.items ?? []}
              columns={[
                { title: t('fi.signingKind'), key: 'k', width: 190, render: (_, s) => (s.kind === 'framework' ? t('fi.framework') : `${t('fi.product')}：${s.productName}`) },
                { title: t('fi.signedOn'), dataIndex: 'signedOn', width: 110 },
                { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
                { title: t('fi.status'), dataIndex: 'status', width: 90, render: (v: string) => <SigningStatus status={v} /> },
                { title: t('fi.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '-' },
              ]}
            />
          </Card>
          <Card size="small" title={t('fi.visits')}>
            {(visits.data?.items ?? []).map((v) => (
              <div key={v.id} style={{ marginBottom: 12 }}>
                <Typography.Text strong>{v.visitedOn}</Typography.Text> · {v.peopleMet} · <Typography.Text type="secondary">{v.ourPeople ?? ''}</Typography.Text>
                <div>{v.summary}</div>
                <Space wrap>
                  {v.photos.map((p) => (
                    <div key={p.id} style={{ textAlign: 'center' }}>
                      <Image width={96} height={72} style={{ objectFit: 'cover' }} src={fileUrl(p.id)} alt={p.fileName} />
                      <div style={{ fontSize: 12, color: '#888' }}>{p.takenAt ? t('fi.takenAt', { at: fmtBeijing(p.takenAt) }) : t('fi.noExif')}</div>
                    </div>
                  ))}
                </Space>
              </div>
            ))}
            {visits.data?.items.length ? null : <Typography.Text type="secondary">{t('fi.noneVisits')}</Typography.Text>}
          </Card>
          <Card size="small" title={t('fi.landings')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={landings.data?.items ?? []}
              columns={[
                { title: t('fi.landingProduct'), dataIndex: 'product' },
                { title: t('fi.stage'), dataIndex: 'stage', width: 100, render: (v: string) => t(`fi.landingStage.${v}` as MessageKey) },
                { title: t('fi.stageOn'), dataIndex: 'stageOn', width: 110 },
              ]}
            />
          </Card>
        </Space>
      ) : null}
      {moving && d ? <MoveModal id={d.id} onClose={() => setMoving(false)} /> : null}
    </Drawer>
  );
}

function MoveModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const move = useMoveInstitution();
  const branches = useFiBranches();
  const nodeId = Form.useWatch('nodeId', form) as number | undefined;
  const staff = branches.data?.items.find((b) => b.id === nodeId)?.staff ?? [];
  return (
    <Modal
      open
      title={t('fi.move')}
      onCancel={onClose}
      okButtonProps={{ loading: move.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        await move.mutateAsync({ id, ...v, leaderStaffId: v.leaderStaffId ?? null });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Typography.Paragraph type="secondary">{t('fi.moveHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="nodeId" label={t('fi.branch')} rules={[{ required: true }]}>
          <BranchSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="leaderStaffId" label={t('fi.leader')}>
          <Select allowClear showSearch optionFilterProp="label" options={staff.map((s) => ({ value: s.id, label: `${s.name} ${s.staffNo}` }))} />
        </Form.Item>
        <Form.Item name="validFrom" label={t('fi.validFrom')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="reason" label={t('fi.reason')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
