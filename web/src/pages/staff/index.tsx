import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable, textFilter, useUrlKeyword } from '../../components/ListTable';
import { App, Button, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { useMe } from '../../api/auth';
import { download } from '../../api/client';
import { useAllDepartments, useOrgNodes } from '../../api/org';
import { fetchStaff, type StaffFilters, useRoles, useUnlockStaff } from '../../api/staff';
import type { Staff } from '../../api/types';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useI18n } from '../../locales';
import { ResetPasswordModal } from './components/ResetPasswordModal';
import { RolesModal } from './components/RolesModal';
import { StaffDrawer } from './components/StaffDrawer';
import { quietly } from '../../components/quietly';
import ExportButton from '../../components/ExportButton';

interface FormFilters {
  q?: string;
  nodeId?: number;
  departmentId?: number;
  role?: string;
  active?: 'true' | 'false';
}

/** 员工管理: server-side paged list with filters, edit drawer, roles, password reset, unlock. */
export default function StaffPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const roles = useRoles();
  const nodes = useOrgNodes();
  const departments = useAllDepartments();
  const unlock = useUnlockStaff();
  const actionRef = useRef<ActionType>(undefined);
  const [filters, setFilters] = useState<StaffFilters>({});
  const keyword = useUrlKeyword();
  const [filterNode, setFilterNode] = useState<number | undefined>();
  const [drawer, setDrawer] = useState<Staff | 'new' | null>(null);
  const [rolesFor, setRolesFor] = useState<Staff | null>(null);
  const [resetFor, setResetFor] = useState<Staff | null>(null);

  // Departments of the chosen node's branch or below it; all in scope when none is chosen.
  const deptOptions = useMemo(() => {
    const byId = new Map((nodes.data ?? []).map((n) => [n.id, n]));
    const chosen = filterNode ? byId.get(filterNode) : undefined;
    return (departments.data ?? [])
      .filter((d) => {
        if (!chosen) return true;
        const p = byId.get(d.nodeId)?.path ?? '';
        return p.startsWith(chosen.path) || chosen.path.startsWith(p);
      })
      .map((d) => ({ value: d.id, label: `${d.name} · ${byId.get(d.nodeId)?.name ?? ''}` }));
  }, [departments.data, nodes.data, filterNode]);

  const roleName = (code: string) => {
    const r = roles.data?.find((x) => x.code === code);
    return r ? (lang === 'en' ? r.nameEn : r.nameZh) : code;
  };

  const columns: ProColumns<Staff>[] = [
    {
      title: t('staff.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      initialValue: keyword.initial,
      fieldProps: { placeholder: t('staff.keywordPlaceholder') },
    },
    { title: t('staff.staffNo'), dataIndex: 'staffNo', width: 110, search: false, fixed: 'left' },
    { title: t('staff.name'), dataIndex: 'name', width: 90, search: false, fixed: 'left' },
    {
      title: t('staff.node'),
      dataIndex: 'nodeId',
      width: 160,
      render: (_, s) => s.nodeName,
      renderFormItem: () => <OrgTreeSelect placeholder={t('staff.nodeFilter')} />,
    },
    {
      title: t('staff.department'),
      dataIndex: 'departmentId',
      width: 120,
      render: (_, s) => s.departmentName ?? '-',
      renderFormItem: () => <Select allowClear showSearch optionFilterProp="label" options={deptOptions} placeholder={t('common.all')} />,
    },
    { title: t('staff.title'), dataIndex: 'title', width: 120, search: false, ellipsis: true },
    { title: t('staff.phone'), dataIndex: 'phone', width: 120, search: false },
    { title: t('staff.email'), dataIndex: 'email', width: 180, search: false, ellipsis: true },
    {
      title: t('staff.roles'),
      dataIndex: 'role',
      width: 220,
      render: (_, s) => (
        <Space size={[4, 4]} wrap>
          {s.roles.map((r) => (
            <Tooltip key={`${r.role}-${r.scopeNodeId}`} title={t('staff.roleScope', { scope: r.scopeName })}>
              <Tag color="red">{lang === 'en' ? r.roleEn : r.roleZh}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
      renderFormItem: () => <Select allowClear placeholder={t('common.all')} options={(roles.data ?? []).map((r) => ({ value: r.code, label: roleName(r.code) }))} />,
    },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 110,
      valueType: 'select',
      valueEnum: {
        true: { text: t('staff.statusActive') },
        false: { text: t('staff.statusInactive') },
      },
      render: (_, s) => {
        const locked = s.lockedUntil && dayjs(s.lockedUntil).isAfter(dayjs());
        return (
          <Space size={4}>
            {s.active ? <Tag color="green">{t('staff.statusActive')}</Tag> : <Tag>{t('staff.statusInactive')}</Tag>}
            {locked ? <Tag color="orange">{t('staff.locked')}</Tag> : null}
          </Space>
        );
      },
    },
    { title: t('staff.lastLogin'), dataIndex: 'lastLoginAt', width: 160, search: false, render: (_, s) => fmtBeijing(s.lastLoginAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 220,
      fixed: 'right',
      render: (_, s) => {
        const locked = s.lockedUntil && dayjs(s.lockedUntil).isAfter(dayjs());
        return [
          access.canWriteStaff ? (
            <a key="edit" onClick={() => setDrawer(s)}>
              {t('common.edit')}
            </a>
          ) : null,
          access.canAssignRoles ? (
            <a key="roles" data-testid={`roles-${s.staffNo}`} onClick={() => setRolesFor(s)}>
              {t('staff.assignRoles')}
            </a>
          ) : null,
          access.canResetPassword ? (
            <a key="reset" onClick={() => setResetFor(s)}>
              {t('staff.resetPassword')}
            </a>
          ) : null,
          access.canResetPassword && locked ? (
            <Popconfirm
              key="unlock"
              title={t('staff.unlockConfirm', { name: s.name })}
              onConfirm={quietly(async () => {
                await unlock.mutateAsync(s.id);
                message.success(t('staff.unlocked'));
                actionRef.current?.reload();
              })}
            >
              <a>{t('staff.unlock')}</a>
            </Popconfirm>
          ) : null,
        ].filter(Boolean);
      },
    },
  ];

  return (
    <PageContainer title={t('staff.pageTitle')}>
      <ListTable<Staff, FormFilters>
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 1500 }}
        form={{
          onValuesChange: (changed: Partial<FormFilters>) => {
            if ('nodeId' in changed) setFilterNode(changed.nodeId);
          },
        }}
        pagination={{ showQuickJumper: true }}
        headerTitle={t('staff.listTitle')}
        toolBarRender={() => [
          access.canWriteStaff ? (
            <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setDrawer('new')}>
              {t('staff.create')}
            </Button>
          ) : null,
          <ExportButton
            key="export"
            onExport={async () => {
              const { page: _p, pageSize: _s, ...rest } = filters;
              await download('/staff/export.xlsx', { ...rest }, 'staff.xlsx');
            }}
          />,
        ]}
        fetchPage={(params) => {
          const f: StaffFilters = {
            page: params.page,
            pageSize: params.pageSize,
            q: textFilter(params.q),
            nodeId: params.nodeId,
            departmentId: params.departmentId,
            role: params.role,
            active: params.active === undefined ? undefined : String(params.active) === 'true',
          };
          setFilters(f);
          keyword.sync(f.q);
          return fetchStaff(f);
        }}
        tableExtraRender={() => (filters.nodeId ? <Typography.Text type="secondary">{t('staff.subtreeHint')}</Typography.Text> : null)}
      />
      <StaffDrawer
        open={drawer !== null}
        staff={drawer === 'new' ? null : drawer}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null);
          actionRef.current?.reload();
        }}
      />
      <RolesModal staff={rolesFor} onClose={() => setRolesFor(null)} onSaved={() => actionRef.current?.reload()} />
      <ResetPasswordModal staff={resetFor} onClose={() => setResetFor(null)} />
    </PageContainer>
  );
}
