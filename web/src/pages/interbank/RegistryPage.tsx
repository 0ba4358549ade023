import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { type FiInstitution, useCreateInstitution, useFiBranches, useInstitutions } from '../../api/interbank';
import { accessOf } from '../../access';
import { beijingToday } from '../../format';
import { useI18n } from '../../locales';
import { RegistryDetail } from './RegistryDetail';
import { BranchSelect, KINDS, kindLabel } from './RegistryLabels';
import { serverPaging } from '../../components/paging';

/** 机构名录 (SPEC §11): the financial institutions of the branches in scope, filtered; detail in a drawer. */
export default function RegistryPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const [f, setF] = useState<{ nodeId?: number; kind?: string; parentId?: number; signed?: string; q?: string; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const list = useInstitutions(f);
  const associations = useInstitutions({ kind: 'association', page: 1, pageSize: 50 });
  const [open, setOpen] = useState<number | undefined>();
  const [adding, setAdding] = useState(false);
  const set = (patch: Partial<typeof f>) => setF((old) => ({ ...old, ...patch, page: 1 }));
  return (
    <PageContainer title={t('fi.registry.title')} subTitle={t('fi.registry.subtitle')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <BranchSelect allowClear value={f.nodeId} onChange={(v) => set({ nodeId: v })} testId="fi-filter-branch" />
          <Select
            allowClear
            placeholder={t('fi.kindLabel')}
            style={{ width: 160 }}
            value={f.kind}
            onChange={(v) => set({ kind: v })}
            options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))}
          />
          <Select
            allowClear
            placeholder={t('fi.parent')}
            style={{ width: 200 }}
            value={f.parentId}
            onChange={(v) => set({ parentId: v })}
            options={(associations.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
          <Select
            allowClear
            placeholder={t('fi.signedFilter')}
            style={{ width: 130 }}
            value={f.signed}
            onChange={(v) => set({ signed: v })}
            options={[
              { value: 'true', label: t('fi.signedYes') },
              { value: 'false', label: t('fi.signedNo') },
            ]}
          />
          <Input.Search allowClear placeholder={t('fi.searchName')} style={{ width: 220 }} onSearch={(v) => set({ q: v || undefined })} data-testid="fi-search" />
          {access.canManageInterbank ? (
            <Button type="primary" onClick={() => setAdding(true)} data-testid="fi-add">
              {t('fi.add')}
            </Button>
          ) : null}
        </Space>
        <Table<FiInstitution>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          data-testid="fi-registry-table"
          scroll={{ x: 1020 }}
          pagination={serverPaging(t, f.page, f.pageSize, list.data?.total, (page, pageSize) => setF({ ...f, page, pageSize }))}
          columns={[
            { title: t('fi.code'), dataIndex: 'code', width: 100 },
            { title: t('fi.name'), dataIndex: 'name', width: 180, render: (v: string, r) => <a onClick={() => setOpen(r.id)}>{v}</a> },
            { title: t('fi.kindLabel'), dataIndex: 'kind', width: 110, render: (v: string) => kindLabel(t, v) },
            { title: t('fi.parent'), dataIndex: 'parentName', width: 150, ellipsis: true, render: (v: string | null) => v ?? '-' },
            { title: t('fi.branchCol'), dataIndex: 'nodeName', width: 90 },
            {
              title: t('fi.leader'),
              key: 'leader',
              width: 150,
              render: (_, r) =>
                r.leaderName ? (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {r.leaderName} <Typography.Text type="secondary">{r.leaderNo}</Typography.Text>
                  </span>
                ) : (
                  '-'
                ),
            },
            {
              title: t('fi.signState'),
              key: 'signed',
              width: 150,
              render: (_, r) => (
                <Space size={4}>
                  {r.framework ? <Tag color="green">{t('fi.framework')}</Tag> : null}
                  {r.products ? <Tag color="blue">{t('fi.productsN', { n: r.products })}</Tag> : null}
                  {!r.framework && !r.products ? <Tag>{t('fi.signedNo')}</Tag> : null}
                </Space>
              ),
            },
            { title: t('fi.lastSignedOn'), dataIndex: 'lastSignedOn', width: 100, render: (v: string | null) => v ?? '-' },
          ]}
        />
      </Card>
      {open ? <RegistryDetail id={open} onClose={() => setOpen(undefined)} canManage={access.canManageInterbank} /> : null}
      {adding ? <AddModal onClose={() => setAdding(false)} /> : null}
    </PageContainer>
  );
}

function AddModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateInstitution();
  const branches = useFiBranches();
  const nodeId = Form.useWatch('nodeId', form) as number | undefined;
  const staff = branches.data?.items.find((b) => b.id === nodeId)?.staff ?? [];
  return (
    <Modal
      open
      title={t('fi.add')}
      onCancel={onClose}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'fi-add-ok' } as never}
      onOk={async () => {
        const v = await form.validateFields();
        await create.mutateAsync({ ...v, validFrom: v.validFrom || beijingToday(), leaderStaffId: v.leaderStaffId ?? null });
        message.success(t('common.saved'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="code" label={t('fi.code')} rules={[{ required: true }]}>
          <Input data-testid="fi-add-code" />
        </Form.Item>
        <Form.Item name="name" label={t('fi.name')} rules={[{ required: true }]}>
          <Input data-testid="fi-add-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('fi.kindLabel')} rules={[{ required: true }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} />
        </Form.Item>
        <Form.Item name="nodeId" label={t('fi.branch')} rules={[{ required: true }]}>
          <BranchSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="leaderStaffId" label={t('fi.leader')}>
          <Select allowClear showSearch optionFilterProp="label" options={staff.map((s) => ({ value: s.id, label: `${s.name} ${s.staffNo}` }))} />
        </Form.Item>
        <Form.Item name="validFrom" label={t('fi.validFrom')}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
