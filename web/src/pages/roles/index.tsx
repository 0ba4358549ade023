import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Checkbox, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useMe } from '../../api/auth';
import { useRoles, useUpdateRole } from '../../api/staff';
import type { Role } from '../../api/types';
import { accessOf } from '../../access';
import { type MessageKey, useI18n } from '../../locales';
import { quietly } from '../../components/quietly';
// Every permission the server knows, in its order: the one list (shared/access.ts).
import { PERMISSIONS } from '../../../../shared/access';

/** 角色权限: each role's permissions as checkboxes; the administrator role keeps them all. */
export default function RolesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const canWrite = accessOf(me).canWriteSettings;
  const roles = useRoles();
  const update = useUpdateRole();
  const [draft, setDraft] = useState<Record<string, string[]>>({});

  useEffect(() => {
    if (roles.data) setDraft(Object.fromEntries(roles.data.map((r) => [r.code, [...r.permissions]])));
  }, [roles.data]);

  const dirty = (r: Role) => [...(draft[r.code] ?? [])].sort().join() !== [...r.permissions].sort().join();
  const toggle = (code: string, p: string, on: boolean) => setDraft((d) => ({ ...d, [code]: on ? [...new Set([...(d[code] ?? []), p])] : (d[code] ?? []).filter((x) => x !== p) }));

  return (
    <PageContainer title={t('roles.title')} subTitle={t('roles.subtitle')}>
      <Table<Role>
        rowKey="code"
        loading={roles.isLoading}
        dataSource={roles.data ?? []}
        pagination={false}
        bordered
        size="small"
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('roles.role'),
            key: 'role',
            fixed: 'left',
            width: 180,
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{lang === 'en' ? r.nameEn : r.nameZh}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.code}
                </Typography.Text>
              </Space>
            ),
          },
          ...PERMISSIONS.map((p) => ({
            title: (
              <Tooltip title={p}>
                <span>{t(`perm.${p}` as MessageKey)}</span>
              </Tooltip>
            ),
            key: p,
            align: 'center' as const,
            width: 78,
            render: (_: unknown, r: Role) => <Checkbox checked={(draft[r.code] ?? []).includes(p)} disabled={!canWrite || r.code === 'admin'} onChange={(e) => toggle(r.code, p, e.target.checked)} />,
          })),
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  width: 116,
                  render: (_: unknown, r: Role) =>
                    r.code === 'admin' ? (
                      <Tag>{t('roles.adminFixed')}</Tag>
                    ) : (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          disabled={!dirty(r)}
                          loading={update.isPending && update.variables?.code === r.code}
                          onClick={quietly(async () => {
                            await update.mutateAsync({ code: r.code, permissions: draft[r.code] ?? [] });
                            message.success(t('common.saved'));
                          })}
                        >
                          {t('common.save')}
                        </Button>
                        <Button type="link" size="small" disabled={!dirty(r)} onClick={() => setDraft((d) => ({ ...d, [r.code]: [...r.permissions] }))}>
                          {t('common.reset')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
    </PageContainer>
  );
}
