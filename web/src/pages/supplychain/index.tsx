import { PageContainer } from '@ant-design/pro-components';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type ScProgramme, useCreateScProgramme, useScProgrammes } from '../../api/supplychain';
import { accessOf } from '../../access';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { yuanOf } from '../../components/money';
import { useI18n } from '../../locales';
import { pct } from './pct';

/** 供应链金融 (SPEC §12): the programmes in scope, with their position and NPL ratio. */
export default function SupplyChainPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const list = useScProgrammes();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  return (
    <PageContainer
      title={t('sc.title')}
      subTitle={t('sc.subtitle')}
      extra={
        access.canManageSupplyChain ? (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('sc.add')}
          </Button>
        ) : null
      }
    >
      <Table<ScProgramme>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="sc-programmes"
        onRow={(r) => ({ onClick: () => navigate(`/supplychain/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('sc.code'), dataIndex: 'code', width: 100 },
          { title: t('sc.name'), dataIndex: 'name', render: (v: string) => <a>{v}</a> },
          { title: t('sc.enterprise'), dataIndex: 'enterpriseName' },
          { title: t('sc.branch'), dataIndex: 'nodeName', width: 100 },
          { title: t('sc.total'), dataIndex: 'totalCapFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.granted'), dataIndex: 'grantedFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.balance'), dataIndex: 'balanceFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.npl'), dataIndex: 'nplRatioBp', width: 90, align: 'right', render: (v: number | null) => pct(v) },
          {
            title: t('sc.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: ScProgramme['status']) => <Tag color={v === 'active' ? 'green' : 'red'}>{t(v === 'active' ? 'sc.status.active' : 'sc.status.suspended')}</Tag>,
          },
        ]}
      />
      {adding ? <ProgrammeModal onClose={() => setAdding(false)} /> : null}
    </PageContainer>
  );
}

function ProgrammeModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateScProgramme();
  const navigate = useNavigate();
  return (
    <Modal
      open
      width={640}
      title={t('sc.add')}
      onCancel={onClose}
      okButtonProps={{ loading: create.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        const p = await create.mutateAsync({
          code: v.code,
          name: v.name,
          enterpriseName: v.enterpriseName,
          nodeId: v.nodeId,
          agreementNo: v.agreementNo,
          guaranteeNo: v.guaranteeNo,
          signedOn: v.signedOn.format('YYYY-MM-DD'),
          totalCapFen: Math.round(v.totalYuan * 100),
          householdCapFen: Math.round(v.householdYuan * 100),
        });
        message.success(t('common.saved'));
        onClose();
        navigate(`/supplychain/${p.id}`);
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ totalYuan: 400_000_000, householdYuan: 2_000_000 }}>
        <Space wrap>
          <Form.Item name="code" label={t('sc.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/ }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="name" label={t('sc.name')} rules={[{ required: true }]}>
            <Input style={{ width: 360 }} />
          </Form.Item>
          <Form.Item name="enterpriseName" label={t('sc.enterprise')} rules={[{ required: true }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="nodeId" label={t('sc.branch')} rules={[{ required: true }]}>
            <OrgTreeSelect style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="agreementNo" label={t('sc.agreementNo')} rules={[{ required: true }]}>
            <Input style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="guaranteeNo" label={t('sc.guaranteeNo')} rules={[{ required: true }]}>
            <Input style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="signedOn" label={t('sc.signedOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="totalYuan" label={t('sc.total')} rules={[{ required: true }]}>
            <InputNumber min={1} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="householdYuan" label={t('sc.householdCap')} rules={[{ required: true }]}>
            <InputNumber min={1} precision={2} style={{ width: 200 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
