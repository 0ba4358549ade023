import { Tag } from 'antd';
import { fetchStaff } from '../../../api/staff';
import { ListTable } from '../../../components/ListTable';
import type { Staff } from '../../../api/types';
import { useI18n } from '../../../locales';

/** The staff of a node's whole subtree, paged on the server. */
export function NodeStaffTable({ nodeId }: { nodeId: number }) {
  const { t, lang } = useI18n();
  return (
    <ListTable<Staff>
      key={nodeId}
      size="small"
      search={false}
      options={false}
      cardProps={{ bodyStyle: { padding: 0 } }}
      pagination={{ defaultPageSize: 10, showTotal: undefined }}
      scroll={{ x: 'max-content' }}
      params={{ nodeId }}
      fetchPage={({ page, pageSize }) => fetchStaff({ page, pageSize, nodeId })}
      columns={[
        { title: t('staff.staffNo'), dataIndex: 'staffNo', width: 110 },
        { title: t('staff.name'), dataIndex: 'name', width: 100 },
        { title: t('staff.node'), dataIndex: 'nodeName' },
        { title: t('staff.department'), dataIndex: 'departmentName' },
        { title: t('staff.title'), dataIndex: 'title' },
        {
          title: t('staff.roles'),
          dataIndex: 'roles',
          render: (_, s) => s.roles.map((r) => <Tag key={`${r.role}-${r.scopeNodeId}`}>{lang === 'en' ? r.roleEn : r.roleZh}</Tag>),
        },
        {
          title: t('common.status'),
          dataIndex: 'active',
          width: 80,
          render: (_, s) => (s.active ? <Tag color="green">{t('staff.statusActive')}</Tag> : <Tag>{t('staff.statusInactive')}</Tag>),
        },
      ]}
    />
  );
}
