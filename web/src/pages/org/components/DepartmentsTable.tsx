import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { App, Button, Form, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useCreateDepartment, useDeleteDepartment, useUpdateDepartment } from '../../../api/org';
import { DEPARTMENT_KINDS, type Department, type DepartmentKind, type OrgNodeDetail } from '../../../api/types';
import { normalizeCode, normalizeText } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';
import { quietly } from '../../../components/quietly';

interface Values {
  code: string;
  name: string;
  kind: DepartmentKind;
  committeeOffice?: boolean;
  active?: boolean;
}

/** The departments of a branch (公司业务部, 个人金融部 …): data, not code (SPEC §1). */
export function DepartmentsTable({ node, canWrite }: { node: OrgNodeDetail; canWrite: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const del = useDeleteDepartment();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const current = editing && editing !== 'new' ? editing : null;
  const [form] = Form.useForm<Values>();

  return (
    <>
      {canWrite ? (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setEditing('new')}>
          {t('dept.add')}
        </Button>
      ) : null}
      <Table<Department>
        rowKey="id"
        size="small"
        dataSource={node.departments}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="departments-table"
        columns={[
          { title: t('dept.code'), dataIndex: 'code', width: 80 },
          {
            title: t('dept.name'),
            dataIndex: 'name',
            render: (name: string, d) => (
              <Space size={4}>
                {name}
                {d.committeeOffice ? <Tag color="gold">{t('dept.committeeOfficeTag')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('dept.kind'), dataIndex: 'kind', render: (k: DepartmentKind) => t(`dept.kind.${k}`) },
          { title: t('dept.staffCount'), dataIndex: 'staffCount', width: 90, align: 'right' },
          {
            title: t('common.status'),
            dataIndex: 'active',
            width: 80,
            render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, d: Department) => (
                    <Space>
                      <a onClick={() => setEditing(d)}>{t('common.edit')}</a>
                      <Popconfirm
                        title={t('dept.deleteConfirm', { name: d.name })}
                        onConfirm={quietly(async () => {
                          await del.mutateAsync(d.id);
                          message.success(t('common.deleted'));
                        })}
                      >
                        <a style={{ color: '#c7000b' }}>{t('common.delete')}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ModalForm<Values>
        key={current ? `d${current.id}` : String(editing)}
        form={form}
        title={current ? t('dept.editTitle') : t('dept.createTitle')}
        open={editing !== null}
        width={480}
        modalProps={{ onCancel: () => setEditing(null), destroyOnHidden: true, maskClosable: false }}
        initialValues={current ? { ...current } : { committeeOffice: false, kind: 'other' }}
        onFinish={async (v) => {
          try {
            if (current) {
              await update.mutateAsync({ id: current.id, ...v });
              message.success(t('common.saved'));
            } else {
              await create.mutateAsync({ nodeId: node.id, code: v.code, name: v.name, kind: v.kind, committeeOffice: v.committeeOffice });
              message.success(t('common.created'));
            }
          } catch (e) {
            showSaveError(form, e, t, (text) => message.error(text), { codeFields: { 'DEPT.CODE_TAKEN': 'code' } });
            return false;
          }
          setEditing(null);
          return true;
        }}
      >
        <ProFormText
          name="code"
          label={t('dept.code')}
          normalize={normalizeCode}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: /^[0-9A-Za-z_-]+$/, message: t('form.codePattern') },
          ]}
        />
        <ProFormText name="name" label={t('dept.name')} normalize={normalizeText} rules={[{ required: true, message: t('form.required') }]} />
        <ProFormSelect name="kind" label={t('dept.kind')} rules={[{ required: true, message: t('form.required') }]} options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: t(`dept.kind.${k}`) }))} />
        <ProFormSwitch name="committeeOffice" label={t('dept.committeeOffice')} />
        {current ? <ProFormSwitch name="active" label={t('common.active')} /> : null}
      </ModalForm>
    </>
  );
}
