import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { useSettings, useUpdateSetting } from '../../api/settings';
import type { Setting } from '../../api/types';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { quietly } from '../../components/quietly';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** 系统参数: bank-wide configuration (split percentages, publication window …). */
export default function SettingsPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const canWrite = accessOf(me).canWriteSettings;
  const settings = useSettings();
  const update = useUpdateSetting();
  const [editing, setEditing] = useState<{ key: string; value: unknown } | null>(null);

  const save = async () => {
    if (!editing) return;
    let value = editing.value;
    if (typeof value === 'string' && typeof settings.data?.find((s) => s.key === editing.key)?.value === 'object') {
      try {
        value = JSON.parse(value);
      } catch {
        message.error(t('settings.badJson'));
        return;
      }
    }
    await update.mutateAsync({ key: editing.key, value });
    message.success(t('common.saved'));
    setEditing(null);
  };

  const editor = (s: Setting) => {
    if (typeof s.value === 'number') return <InputNumber value={editing!.value as number} onChange={(v) => setEditing({ key: s.key, value: v })} style={{ width: 200 }} autoFocus />;
    if (typeof s.value === 'string') return <Input value={editing!.value as string} onChange={(e) => setEditing({ key: s.key, value: e.target.value })} style={{ width: 300 }} autoFocus />;
    return <Input.TextArea value={editing!.value as string} onChange={(e) => setEditing({ key: s.key, value: e.target.value })} autoSize style={{ width: 360 }} />;
  };

  return (
    <PageContainer title={t('settings.title')} subTitle={t('settings.subtitle')}>
      <Table<Setting>
        rowKey="key"
        loading={settings.isLoading}
        dataSource={settings.data ?? []}
        pagination={false}
        bordered
        columns={[
          { title: t('settings.label'), key: 'label', width: 280, render: (_, s) => pick(s.labelZh, s.labelEn) },
          { title: t('settings.key'), dataIndex: 'key', width: 270, render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
          {
            title: t('settings.value'),
            key: 'value',
            render: (_, s) => (editing?.key === s.key ? editor(s) : <Typography.Text strong>{show(s.value)}</Typography.Text>),
          },
          { title: t('settings.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string | null) => fmtBeijing(v) },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, s: Setting) =>
                    editing?.key === s.key ? (
                      <Space>
                        <Button type="link" size="small" loading={update.isPending} onClick={quietly(save)}>
                          {t('common.save')}
                        </Button>
                        <Button type="link" size="small" onClick={() => setEditing(null)}>
                          {t('common.cancel')}
                        </Button>
                      </Space>
                    ) : (
                      <Button type="link" size="small" onClick={() => setEditing({ key: s.key, value: typeof s.value === 'object' ? JSON.stringify(s.value) : s.value })}>
                        {t('common.edit')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </PageContainer>
  );
}
