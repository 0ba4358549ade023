import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Empty, Popconfirm, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../api/auth';
import { useDeleteNode, useOrgNode, useOrgNodes } from '../../../api/org';
import { accessOf } from '../../../access';
import { LevelTag } from '../../../components/LevelTag';
import { useI18n } from '../../../locales';
import { CommitteePanel } from './CommitteePanel';
import { DepartmentsTable } from './DepartmentsTable';
import { CHILD_LEVEL, holdsDepartments } from './levels';
import { NodeForm } from './NodeForm';
import { NodeStaffTable } from './NodeStaffTable';
import { quietly } from '../../../components/quietly';

interface Props {
  nodeId: number;
  onSelect(id: number): void;
  onCreated(parentId: number): void;
}

/** One node: details, departments, committee and staff, with the writes the person may do. */
export function NodePanel({ nodeId, onSelect, onCreated }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const detail = useOrgNode(nodeId);
  const all = useOrgNodes();
  const del = useDeleteNode();
  const [form, setForm] = useState<'create' | 'edit' | null>(null);
  const [tab, setTab] = useState('info');

  if (detail.isLoading) return <Spin />;
  const node = detail.data;
  if (!node) return <Empty description={t('common.noData')} />;
  const parent = all.data?.find((n) => n.id === node.parentId);
  const childLevel = CHILD_LEVEL[node.level];
  const branchLevel = holdsDepartments(node.level);

  return (
    <div data-testid="node-panel">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="node-title">
            {node.name}
          </Typography.Title>
          <LevelTag level={node.level} />
          {node.active ? null : <Tag>{t('common.inactive')}</Tag>}
        </Space>
        {access.canWriteOrg ? (
          <Space>
            {childLevel ? (
              <Button icon={<PlusOutlined />} onClick={() => setForm('create')}>
                {t('org.addChild', { level: t(`level.${childLevel}`) })}
              </Button>
            ) : null}
            <Button icon={<EditOutlined />} onClick={() => setForm('edit')}>
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('org.deleteConfirm', { name: node.name })}
              onConfirm={quietly(async () => {
                await del.mutateAsync(nodeId);
                message.success(t('common.deleted'));
                if (node.parentId) onSelect(node.parentId);
              })}
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null}
      </Space>
      <Tabs
        activeKey={branchLevel || tab === 'staff' ? tab : 'info'}
        onChange={setTab}
        items={[
          {
            key: 'info',
            label: t('org.tabInfo'),
            children: (
              <ProDescriptions column={2} bordered size="small" dataSource={node}>
                <ProDescriptions.Item label={t('org.code')} dataIndex="code" />
                <ProDescriptions.Item label={t('org.name')} dataIndex="name" />
                <ProDescriptions.Item label={t('org.level')} dataIndex="level" render={() => <LevelTag level={node.level} />} />
                <ProDescriptions.Item label={t('org.parent')} render={() => parent?.name ?? '-'} />
                <ProDescriptions.Item label={t('org.address')} dataIndex="address" span={2} />
                <ProDescriptions.Item label={t('org.sort')} dataIndex="sort" />
                <ProDescriptions.Item label={t('org.status')} render={() => (node.active ? t('common.active') : t('common.inactive'))} />
                <ProDescriptions.Item label={t('org.directStaff')} dataIndex="staffCount" />
                <ProDescriptions.Item label={t('org.departmentCount')} render={() => (branchLevel ? node.departments.length : '-')} />
              </ProDescriptions>
            ),
          },
          ...(branchLevel
            ? [
                {
                  key: 'departments',
                  label: `${t('org.tabDepartments')} (${node.departments.length})`,
                  children: <DepartmentsTable node={node} canWrite={access.canWriteOrg} />,
                },
                {
                  key: 'committee',
                  label: t('org.tabCommittee'),
                  children: <CommitteePanel node={node} canWrite={access.canWriteCommittee} />,
                },
              ]
            : []),
          {
            key: 'staff',
            label: t('org.tabStaff'),
            children: <NodeStaffTable nodeId={nodeId} />,
          },
        ]}
      />
      <NodeForm
        open={form !== null}
        mode={form ?? 'edit'}
        node={node}
        childLevel={childLevel}
        onClose={() => setForm(null)}
        onDone={(created) => {
          setForm(null);
          if (created) {
            onCreated(node.id);
            onSelect(created);
          }
        }}
      />
    </div>
  );
}
