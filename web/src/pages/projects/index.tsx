import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Button, Input, Progress, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type PhaseGoal, type Project, useGoals, useProjects } from '../../api/projects';
import { accessOf } from '../../access';
import { fmtDate, hundredthsText } from '../../format';
import { useI18n } from '../../locales';
import { CreateProjectDrawer } from './components/CreateProjectDrawer';
import { GoalModal } from './components/GoalModal';

/** 营销项目: the phase goals with their progress, and the projects the caller reads (SPEC §4). */
export default function ProjectsPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const [mine, setMine] = useState<'true' | 'false'>(access.canManageProjects ? 'false' : 'true');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<'project' | 'goal' | null>(null);
  const list = useProjects({ mine, q: q || undefined, page, pageSize: 20 });
  const goals = useGoals();
  return (
    <PageContainer
      title={t('project.title')}
      subTitle={t('project.subtitle')}
      extra={
        access.canManageProjects || access.canWorkProjects ? (
          <Space wrap>
            {access.canWorkProjects ? (
              <Link to="/imports?kind=project-activities" data-testid="project-activities-import">
                <Button>{t('project.importActivities')}</Button>
              </Link>
            ) : null}
            {access.canManageProjects ? (
              <>
                <Link to="/imports?kind=project-teams" data-testid="project-teams-import">
                  <Button>{t('project.importTeams')}</Button>
                </Link>
                <Button onClick={() => setDialog('goal')} data-testid="goal-create">
                  {t('goal.create')}
                </Button>
                <Button type="primary" onClick={() => setDialog('project')} data-testid="project-create">
                  {t('project.create')}
                </Button>
              </>
            ) : null}
          </Space>
        ) : null
      }
    >
      <ProCard bordered title={t('goal.title')} style={{ marginBottom: 16 }} data-testid="goal-list">
        {goals.data?.length ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            {goals.data.map((g) => (
              <GoalRow key={g.id} g={g} />
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('goal.none')}</Typography.Text>
        )}
      </ProCard>
      <ProCard bordered>
        <Space style={{ marginBottom: 12 }} wrap>
          <Segmented
            value={mine}
            onChange={(v) => {
              setMine(v as 'true' | 'false');
              setPage(1);
            }}
            options={[
              { value: 'true', label: t('project.mine') },
              { value: 'false', label: t('project.all') },
            ]}
          />
          <Input.Search allowClear placeholder={t('project.search')} onSearch={(v) => (setQ(v.trim()), setPage(1))} style={{ width: 260 }} />
        </Space>
        <Table<Project>
          data-testid="project-table"
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 1000 }}
          columns={[
            { title: t('project.name'), dataIndex: 'name', render: (_, p) => <Link to={`/projects/${p.id}`}>{p.name}</Link> },
            { title: t('project.company'), dataIndex: 'companyName', width: 220 },
            { title: t('project.branch'), dataIndex: 'nodeName', width: 110 },
            { title: t('project.outlet'), dataIndex: 'coOutletName', width: 140 },
            { title: t('project.team'), dataIndex: 'teamSize', width: 80, align: 'right' },
            { title: t('project.activities'), dataIndex: 'activities', width: 80, align: 'right' },
            { title: t('project.leads'), width: 110, align: 'right', render: (_, p) => `${p.openLeads} / ${p.wonLeads}` },
            { title: t('project.points'), dataIndex: 'pointsHundredths', width: 100, align: 'right', render: (v: number) => hundredthsText(v) },
            {
              title: t('project.status'),
              dataIndex: 'status',
              width: 90,
              render: (s: Project['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`project.status.${s}`)}</Tag>,
            },
            { title: t('project.createdAt'), dataIndex: 'createdAt', width: 110, render: (v: string) => fmtDate(v) },
          ]}
        />
      </ProCard>
      {dialog === 'project' ? <CreateProjectDrawer onClose={() => setDialog(null)} /> : null}
      {dialog === 'goal' ? <GoalModal onClose={() => setDialog(null)} /> : null}
    </PageContainer>
  );
}

function GoalRow({ g }: { g: PhaseGoal }) {
  const { t } = useI18n();
  const value = (v: number) => (g.measure === 'points' ? hundredthsText(v) : String(v));
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(220px, 2fr) 3fr minmax(160px, 1fr)', gap: 16, alignItems: 'center' }}>
      <div>
        <Typography.Text strong>{g.title}</Typography.Text>
        <br />
        <Typography.Text type="secondary">
          {g.nodeName} · {t(`goal.measure.${g.measure}`)} · {g.startsOn} ～ {g.endsOn}
        </Typography.Text>
      </div>
      <Progress percent={Math.min(100, g.progressBp / 100)} format={() => `${value(g.actual)} / ${value(g.targetValue)}`} status={g.met ? 'success' : g.state === 'ended' ? 'exception' : 'active'} />
      <Tag color={g.met ? 'green' : g.state === 'running' ? 'blue' : 'default'}>
        {g.met ? t('goal.met') : g.state === 'running' ? t('goal.daysLeft', { days: g.daysLeft }) : t(`goal.state.${g.state}`)}
      </Tag>
    </div>
  );
}
