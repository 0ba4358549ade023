import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSaveCommittee } from '../../../api/org';
import { COMMITTEE_POSITIONS, type CommitteeMember, type CommitteePosition, type OrgNodeDetail } from '../../../api/types';
import { StaffSelect } from '../../../components/StaffSelect';
import { useI18n } from '../../../locales';
import { quietly } from '../../../components/quietly';

const POSITION_COLOR: Record<CommitteePosition, string> = { chair: 'red', vice_chair: 'volcano', member: 'blue', office: 'gold' };
const ORDER: Record<CommitteePosition, number> = { chair: 0, vice_chair: 1, member: 2, office: 3 };

/** 交叉营销管理委员会: chair = president, vice-chairs, members, and the office (SPEC §1). */
export function CommitteePanel({ node, canWrite }: { node: OrgNodeDetail; canWrite: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const save = useSaveCommittee();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ members: { staffId?: number; position: CommitteePosition }[] }>();
  const members = [...node.committee].sort((a, b) => ORDER[a.position] - ORDER[b.position]);
  const known = node.committee.map((m) => ({ id: m.staffId, label: `${m.name}（${m.staffNo}）` }));

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t('committee.title', { name: node.name })}</Typography.Text>
        {canWrite ? (
          <Button
            icon={<EditOutlined />}
            onClick={() => {
              form.setFieldsValue({ members: members.map((m) => ({ staffId: m.staffId, position: m.position })) });
              setOpen(true);
            }}
          >
            {t('committee.edit')}
          </Button>
        ) : null}
      </Space>
      <Table<CommitteeMember>
        rowKey={(m) => `${m.staffId}-${m.position}`}
        size="small"
        pagination={false}
        dataSource={members}
        locale={{ emptyText: t('committee.empty') }}
        columns={[
          {
            title: t('committee.position'),
            dataIndex: 'position',
            width: 140,
            render: (p: CommitteePosition) => <Tag color={POSITION_COLOR[p]}>{t(`committee.position.${p}`)}</Tag>,
          },
          { title: t('staff.name'), dataIndex: 'name' },
          { title: t('staff.staffNo'), dataIndex: 'staffNo' },
          { title: t('staff.department'), dataIndex: 'departmentName', render: (v: string | null) => v ?? '-' },
        ]}
      />
      <Modal
        title={t('committee.edit')}
        open={open}
        width={680}
        confirmLoading={save.isPending}
        onCancel={() => setOpen(false)}
        okText={t('common.save')}
        destroyOnHidden
        onOk={quietly(async () => {
          const v = await form.validateFields();
          await save.mutateAsync({
            nodeId: node.id,
            members: (v.members ?? []).filter((m) => m.staffId).map((m) => ({ staffId: m.staffId!, position: m.position })),
          });
          message.success(t('common.saved'));
          setOpen(false);
        })}
      >
        <Typography.Paragraph type="secondary">{t('committee.hint')}</Typography.Paragraph>
        <Form form={form} preserve={false}>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item name={[f.name, 'position']} rules={[{ required: true, message: t('form.required') }]}>
                      <Select style={{ width: 150 }} options={COMMITTEE_POSITIONS.map((p) => ({ value: p, label: t(`committee.position.${p}`) }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'staffId']} rules={[{ required: true, message: t('form.required') }]}>
                      <StaffSelect nodeId={node.id} known={known} style={{ width: 380 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ position: 'member' })}>
                  {t('committee.addMember')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
