import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiGap, type FiLanding, useCreateLanding, useLandingGaps, useLandings, useUpdateLanding } from '../../api/interbank';
import { accessOf } from '../../access';
import { beijingToday } from '../../format';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';
import { BranchSelect, InstitutionSelect, LANDING_STAGES } from './RegistryLabels';

/** 金融科技产品落地 (SPEC §11): products at signed institutions through their stages; signed institutions with nothing landed. */
export default function LandingsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [f, setF] = useState<{ nodeId?: number; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const list = useLandings(f);
  const gaps = useLandingGaps();
  const update = useUpdateLanding();
  const [adding, setAdding] = useState<number | null | undefined>(undefined);
  const stageLabel = (s: string) => t(`fi.landingStage.${s}` as MessageKey);
  return (
    <PageContainer title={t('fi.landings.title')} subTitle={t('fi.landings.subtitle')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            <BranchSelect allowClear value={f.nodeId} onChange={(v) => setF({ ...f, nodeId: v, page: 1 })} />
            {access.canManageInterbank ? (
              <Button type="primary" onClick={() => setAdding(null)}>
                {t('fi.addLanding')}
              </Button>
            ) : null}
          </Space>
          <Table<FiLanding>
            rowKey="id"
            size="small"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            pagination={{ current: f.page, pageSize: f.pageSize, total: list.data?.total ?? 0, onChange: (page, pageSize) => setF({ ...f, page, pageSize }) }}
            columns={[
              { title: t('fi.institution'), dataIndex: 'institutionName', width: 200 },
              { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
              { title: t('fi.landingProduct'), dataIndex: 'product' },
              {
                title: t('fi.stage'),
                dataIndex: 'stage',
                width: 150,
                render: (v: string, r) =>
                  access.canManageInterbank ? (
                    <Select
                      size="small"
                      value={v as (typeof LANDING_STAGES)[number]}
                      style={{ width: 120 }}
                      options={LANDING_STAGES.map((s) => ({ value: s, label: stageLabel(s) }))}
                      onChange={(stage: (typeof LANDING_STAGES)[number]) =>
                        void update.mutateAsync({ id: r.id, product: r.product, stage, stageOn: beijingToday(), note: r.note }).then(() => message.success(t('common.saved')))
                      }
                    />
                  ) : (
                    <Tag>{stageLabel(v)}</Tag>
                  ),
              },
              { title: t('fi.stageOn'), dataIndex: 'stageOn', width: 110 },
            ]}
          />
        </Card>
        <Card size="small" title={t('fi.gapsTitle', { n: gaps.data?.items.length ?? 0 })}>
          <Table<FiGap>
            rowKey="institutionId"
            size="small"
            dataSource={gaps.data?.items ?? []}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t('fi.institution'), dataIndex: 'institutionName' },
              { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
              { title: t('fi.firstSignedOn'), dataIndex: 'firstSignedOn', width: 120 },
              { title: t('fi.openLandings'), dataIndex: 'openLandings', width: 110 },
              {
                title: t('common.actions'),
                key: 'a',
                width: 110,
                render: (_, g) =>
                  access.canManageInterbank ? (
                    <Button size="small" type="link" onClick={() => setAdding(g.institutionId)}>
                      {t('fi.addLanding')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      </Space>
      {adding !== undefined ? <LandingModal institutionId={adding} onClose={() => setAdding(undefined)} /> : null}
    </PageContainer>
  );
}

function LandingModal({ institutionId, onClose }: { institutionId: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateLanding();
  return (
    <Modal
      open
      title={t('fi.addLanding')}
      onCancel={onClose}
      okButtonProps={{ loading: create.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        await create.mutateAsync({ ...v, note: null });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ institutionId: institutionId ?? undefined, stage: 'intent', stageOn: beijingToday() }}>
        <Form.Item name="institutionId" label={t('fi.institution')} rules={[{ required: true }]}>
          <InstitutionSelect signedOnly />
        </Form.Item>
        <Form.Item name="product" label={t('fi.landingProduct')} rules={[{ required: true }]}>
          <Input placeholder="零售智能风控数据测试" />
        </Form.Item>
        <Form.Item name="stage" label={t('fi.stage')}>
          <Select options={LANDING_STAGES.map((s) => ({ value: s, label: t(`fi.landingStage.${s}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="stageOn" label={t('fi.stageOn')}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
