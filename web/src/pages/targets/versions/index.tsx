import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { App, Button, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useMe } from '../../../api/auth';
import { type CriterionName, type TargetDeptKind, useCriteria, useCutVersion, useTargetLists, useVersions, type Version } from '../../../api/targets';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';
import { RemindersAlert } from '../components/RemindersAlert';
import { DiffPanel } from './DiffPanel';
import { EntriesDrawer } from './EntriesDrawer';

/** 名单版本 (SPEC §3): per branch × department, the versions, their entries, a new version, and any two compared. */
export default function VersionsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const lists = useTargetLists();
  const [nodeId, setNodeId] = useState<number | undefined>();
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [viewing, setViewing] = useState<number | undefined>();
  const [cutOpen, setCutOpen] = useState(false);
  const [diff, setDiff] = useState<{ from?: number; to?: number }>({});
  const [form] = Form.useForm<{ note?: string }>();
  const cut = useCutVersion();

  const branches = useMemo(() => {
    const seen = new Map<number, string>();
    for (const l of lists.data ?? []) seen.set(l.nodeId, l.nodeName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [lists.data]);
  const deptLists = (lists.data ?? []).filter((l) => l.nodeId === nodeId);
  const current = deptLists.find((l) => l.departmentId === departmentId);

  // Start on the caller's own branch (else the first) and its first list.
  useEffect(() => {
    if (nodeId || !branches.length) return;
    const own = branches.find((b) => b.value === me?.nodeId) ?? branches[0];
    setNodeId(own.value);
  }, [branches, nodeId, me?.nodeId]);
  useEffect(() => {
    if (nodeId && !deptLists.some((l) => l.departmentId === departmentId)) setDepartmentId(deptLists[0]?.departmentId);
  }, [nodeId, deptLists, departmentId]);

  const versions = useVersions(nodeId, departmentId);
  const items = versions.data?.items ?? [];
  // Compare the two newest versions by default.
  useEffect(() => {
    setDiff(items.length ? { from: items.length > 1 ? items[1].versionNo : 0, to: items[0].versionNo } : {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset the compared pair only when the list or its newest version changes, not on every refetch
  }, [nodeId, departmentId, items.length, items[0]?.versionNo]);

  const criteria = useCriteria(versions.data?.departmentKind as TargetDeptKind | undefined);
  const names = useMemo(() => {
    const m = new Map<string, CriterionName>();
    for (const c of criteria.data?.items ?? []) {
      const row = c.current ?? c.history[0];
      if (row) m.set(c.code, { code: c.code, nameZh: row.nameZh, nameEn: row.nameEn });
    }
    return m;
  }, [criteria.data]);

  const pickList = (n: number, d: number) => {
    setNodeId(n);
    setDepartmentId(d);
  };

  return (
    <PageContainer title={t('target.versionsTitle')} subTitle={t('target.versionsSubtitle')}>
      <RemindersAlert onPick={pickList} />
      <ProCard bordered style={{ marginBottom: 16 }}>
        <Space wrap size="large">
          <Space>
            <Typography.Text>{t('target.branch')}</Typography.Text>
            <Select style={{ width: 200 }} value={nodeId} options={branches} loading={lists.isLoading} onChange={(v) => setNodeId(v)} data-testid="list-branch" />
          </Space>
          <Space>
            <Typography.Text>{t('target.department')}</Typography.Text>
            <Select
              style={{ width: 200 }}
              value={departmentId}
              options={deptLists.map((l) => ({ value: l.departmentId, label: l.departmentName }))}
              onChange={setDepartmentId}
              data-testid="list-department"
            />
          </Space>
          {current ? (
            <Space size="middle" wrap>
              <span>
                {t('target.currentVersion')}：<b>{current.versionNo ? t('target.versionNo', { n: current.versionNo }) : t('target.noVersion')}</b>
              </span>
              <span>
                {t('target.entryCount')}：<b>{current.entryCount}</b>
              </span>
              <span>
                {t('target.pendingCount')}：<b>{current.pendingCount}</b>
              </span>
              <span data-testid="approved-waiting">
                {t('target.approvedWaiting')}：<b>{current.approvedWaiting}</b>
              </span>
            </Space>
          ) : null}
          {access.canReview && nodeId && departmentId ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCutOpen(true)} data-testid="cut-version">
              {t('target.cutVersion')}
            </Button>
          ) : null}
        </Space>
      </ProCard>

      <ProCard gutter={[16, 16]} wrap ghost>
        <ProCard colSpan={24} title={t('target.versionList')} bordered headerBordered>
          <Table<Version>
            rowKey="id"
            size="small"
            loading={versions.isLoading}
            dataSource={items}
            pagination={false}
            data-testid="versions-table"
            locale={{ emptyText: <Empty description={t('target.noVersion')} /> }}
            columns={[
              { title: t('target.version'), dataIndex: 'versionNo', width: 100, render: (_, v) => <Tag color="red">{t('target.versionNo', { n: v.versionNo })}</Tag> },
              { title: t('target.entryCount'), dataIndex: 'entryCount', width: 110, align: 'right' },
              {
                title: t('target.changes'),
                key: 'changes',
                width: 110,
                render: (_, v) => (
                  <Space size={4}>
                    <Tag color="green">+{v.addedCount}</Tag>
                    <Tag color="red">−{v.removedCount}</Tag>
                  </Space>
                ),
              },
              {
                title: t('target.createdBy'),
                dataIndex: 'createdByName',
                width: 120,
              },
              { title: t('target.createdAt'), dataIndex: 'createdAt', width: 180, render: (_, v) => fmtBeijing(v.createdAt) },
              { title: t('target.versionNote'), dataIndex: 'note', ellipsis: true, render: (_, v) => v.note ?? '-' },
              { title: t('target.reviewDueOn'), dataIndex: 'reviewDueOn', width: 130, render: (_, v) => v.reviewDueOn ?? '-' },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 90,
                render: (_, v) => (
                  <a onClick={() => setViewing(v.versionNo)} data-testid={`view-version-${v.versionNo}`}>
                    {t('target.viewEntries')}
                  </a>
                ),
              },
            ]}
          />
        </ProCard>
        <ProCard colSpan={24} title={t('target.diffTitle')} bordered headerBordered>
          {nodeId && departmentId && items.length ? (
            <DiffPanel nodeId={nodeId} departmentId={departmentId} versions={items} from={diff.from} to={diff.to} names={names} onChange={(from, to) => setDiff({ from, to })} />
          ) : (
            <Empty description={t('target.noVersion')} />
          )}
        </ProCard>
      </ProCard>

      <EntriesDrawer nodeId={nodeId} departmentId={departmentId} versionNo={viewing} onClose={() => setViewing(undefined)} />

      <Modal
        open={cutOpen}
        title={t('target.cutVersionTitle', { list: current ? `${current.nodeName} · ${current.departmentName}` : '' })}
        okText={t('target.cutVersion')}
        okButtonProps={{ 'data-testid': 'cut-ok' } as ButtonProps}
        confirmLoading={cut.isPending}
        destroyOnHidden
        onCancel={() => setCutOpen(false)}
        onOk={quietly(async () => {
          const { note } = await form.validateFields();
          const v = await cut.mutateAsync({ nodeId: nodeId!, departmentId: departmentId!, note: note?.trim() || null });
          message.success(t('target.versionCut', { n: v.versionNo }));
          setCutOpen(false);
        })}
      >
        <Typography.Paragraph type="secondary">{t('target.cutVersionHint', { n: current?.approvedWaiting ?? 0 })}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="note" label={t('target.versionNote')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
