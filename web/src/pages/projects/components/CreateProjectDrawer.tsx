import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { type MemberRole, MEMBER_ROLES, useCandidates, useCreateProject, useGoals } from '../../../api/projects';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { StaffSelect } from '../../../components/StaffSelect';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

interface Values {
  companyId: number;
  name?: string;
  coOutletNodeId: number;
  phaseGoalId?: number;
  members: { staffId: number; role: MemberRole }[];
}

/** 组建项目团队: a unit from the branch's latest target list, the co-organising outlet, the team in roles. */
export function CreateProjectDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const candidates = useCandidates(true);
  const goals = useGoals();
  const create = useCreateProject();
  const save = async () => {
    const v = await form.validateFields();
    try {
      const p = await create.mutateAsync({ ...v, name: v.name?.trim() || null, phaseGoalId: v.phaseGoalId ?? null });
      onClose();
      navigate(`/projects/${p.id}`);
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  return (
    <Drawer
      open
      width={640}
      title={t('project.createTitle')}
      onClose={onClose}
      data-testid="project-create-drawer"
      extra={
        <Button type="primary" loading={create.isPending} onClick={() => void save().catch(() => undefined)} data-testid="project-save">
          {t('common.save')}
        </Button>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('project.createHint')} />
      <Form form={form} layout="vertical" initialValues={{ members: [{ role: 'corporate_am' }, { role: 'personal_am' }] }}>
        <Form.Item name="companyId" label={t('project.company')} rules={[{ required: true, message: t('project.companyRequired') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={candidates.isLoading}
            data-testid="project-company"
            options={(candidates.data ?? []).map((c) => ({
              value: c.companyId,
              label: `${c.name}（${c.nodeName}）`,
              disabled: c.activeProjectId !== null,
            }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('project.name')} extra={t('project.nameHint')}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="coOutletNodeId" label={t('project.outlet')} rules={[{ required: true, message: t('project.outletRequired') }]}>
          <OrgTreeSelect selectable={['outlet']} id="project-outlet" />
        </Form.Item>
        <Form.Item name="phaseGoalId" label={t('goal.title')}>
          <Select allowClear options={(goals.data ?? []).map((g) => ({ value: g.id, label: `${g.title}（${g.startsOn} ～ ${g.endsOn}）` }))} />
        </Form.Item>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }} data-testid="project-member">
                  <Form.Item name={[f.name, 'role']} rules={[{ required: true }]} style={{ width: 160 }}>
                    <Select options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`project.role.${r}`) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'staffId']} rules={[{ required: true, message: t('project.memberRequired') }]} style={{ width: 360 }}>
                    <StaffSelect />
                  </Form.Item>
                  {fields.length > 2 ? <MinusCircleOutlined onClick={() => remove(f.name)} /> : null}
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ role: 'product_manager' })} icon={<PlusOutlined />}>
                {t('project.addMember')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
