import { PageContainer, ProCard, StatisticCard } from '@ant-design/pro-components';
import { Button, Empty, Progress, Result, Space, Spin, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type ProjectBoard, useBoard } from '../../api/projects';
import { fmtBeijing, hundredthsText } from '../../format';
import { useI18n } from '../../locales';
import { ActivityModal } from './components/ActivityModal';
import { HandoverPanel } from './components/HandoverPanel';
import { PlansPanel } from './components/PlansPanel';

/** 项目看板 (SPEC §4): the team, the timeline of activities, the funnel, the white-space grid and the points. */
export default function ProjectPage() {
  const { t } = useI18n();
  const id = Number(useParams().id) || undefined;
  const board = useBoard(id);
  const [dialog, setDialog] = useState<'activity' | null>(null);
  if (board.isLoading) return <Spin style={{ margin: 48 }} />;
  if (!board.data)
    return <Result status="404" title={t('project.title')} subTitle={board.error instanceof Error ? board.error.message : undefined} extra={<Link to="/projects">{t('project.title')}</Link>} />;
  const b = board.data;
  const p = b.project;
  return (
    <PageContainer
      title={p.name}
      subTitle={<Tag color={p.status === 'active' ? 'green' : 'default'}>{t(`project.status.${p.status}`)}</Tag>}
      content={
        <Typography.Text type="secondary" data-testid="project-head">
          {t('project.company')}：{p.companyName} · {t('project.branch')}：{p.nodeName} · {t('project.outlet')}：{p.coOutletName}
        </Typography.Text>
      }
      onBack={() => history.back()}
      extra={
        p.mayWork ? (
          <Button type="primary" onClick={() => setDialog('activity')} data-testid="activity-create">
            {t('activity.create')}
          </Button>
        ) : null
      }
    >
      <StatisticCard.Group direction="row" style={{ marginBottom: 16 }} data-testid="project-stats">
        <StatisticCard statistic={{ title: t('project.points'), value: hundredthsText(b.points.totalHundredths) }} />
        <StatisticCard statistic={{ title: t('project.sales'), value: b.points.sales }} />
        <StatisticCard statistic={{ title: t('project.openLeads'), value: b.leads.open }} />
        <StatisticCard statistic={{ title: t('project.wonLeads'), value: b.leads.won }} />
        <StatisticCard statistic={{ title: t('project.openHandovers'), value: `${b.handovers.open} / ${b.handovers.open + b.handovers.done}` }} />
      </StatisticCard.Group>
      <ProCard gutter={16} wrap style={{ marginBottom: 16 }}>
        <ProCard colSpan={{ xs: 24, lg: 10 }} bordered title={t('project.team')} data-testid="project-team">
          <Table
            size="small"
            pagination={false}
            rowKey={(m) => `${m.staffId}-${m.role}`}
            dataSource={p.team}
            columns={[
              { title: t('project.role'), dataIndex: 'role', width: 130, render: (r: string) => <Tag>{t(`project.role.${r as 'leader'}`)}</Tag> },
              { title: t('project.member'), render: (_, m) => `${m.name}（${m.staffNo}）` },
              { title: t('project.memberDept'), render: (_, m) => `${m.nodeName}${m.departmentName ? ` · ${m.departmentName}` : ''}` },
            ]}
          />
        </ProCard>
        <ProCard colSpan={{ xs: 24, lg: 14 }} bordered title={t('project.funnel')} data-testid="project-funnel">
          <Funnel b={b} />
        </ProCard>
      </ProCard>
      <ProCard bordered tabs={{ type: 'card' }} data-testid="project-tabs">
        <ProCard.TabPane key="timeline" tab={t('project.timeline')}>
          {b.timeline.length ? (
            <Timeline
              data-testid="project-timeline"
              items={b.timeline.map((a) => ({
                color: a.status === 'held' ? 'green' : a.status === 'cancelled' ? 'gray' : 'blue',
                children: (
                  <Space direction="vertical" size={0}>
                    <Link to={`/projects/activities/${a.id}`}>
                      {fmtBeijing(a.startsAt)} · {t(`activity.kind.${a.kind}`)} · {a.title}
                    </Link>
                    <Typography.Text type="secondary">
                      {t(`activity.status.${a.status}`)} · {t('activity.counts', { invited: a.invited, accepted: a.accepted, attended: a.attended })}
                      {a.place ? ` · ${a.place}` : ''}
                    </Typography.Text>
                    {a.outcome ? <Typography.Text>{a.outcome}</Typography.Text> : null}
                  </Space>
                ),
              }))}
            />
          ) : (
            <Empty description={t('activity.none')} />
          )}
        </ProCard.TabPane>
        <ProCard.TabPane key="whitespace" tab={t('project.whiteSpace')}>
          <WhiteSpace b={b} />
        </ProCard.TabPane>
        <ProCard.TabPane key="plans" tab={t('plan.title')}>
          <PlansPanel projectId={p.id} mayWork={p.mayWork} />
        </ProCard.TabPane>
        <ProCard.TabPane key="handovers" tab={t('handover.title')}>
          <HandoverPanel projectId={p.id} mayWork={p.mayWork || p.member} />
        </ProCard.TabPane>
        <ProCard.TabPane key="points" tab={t('project.pointsByMonth')}>
          <Table
            size="small"
            pagination={false}
            rowKey="period"
            dataSource={b.points.byMonth}
            columns={[
              { title: t('project.month'), dataIndex: 'period' },
              { title: t('project.sales'), dataIndex: 'sales', align: 'right' },
              { title: t('project.points'), dataIndex: 'pointsHundredths', align: 'right', render: (v: number) => hundredthsText(v) },
            ]}
          />
        </ProCard.TabPane>
      </ProCard>
      {dialog === 'activity' ? <ActivityModal projectId={p.id} onClose={() => setDialog(null)} /> : null}
    </PageContainer>
  );
}

/** The funnel as bars: each stage's people, its conversion from the stage before. */
function Funnel({ b }: { b: ProjectBoard }) {
  const { t } = useI18n();
  const top = Math.max(1, b.funnel[0]?.count ?? 1);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      {b.funnel.map((f) => (
        <div key={f.stage} style={{ display: 'grid', gridTemplateColumns: '88px 1fr 120px', gap: 8, alignItems: 'center' }} data-testid={`funnel-${f.stage}`}>
          <Typography.Text>{t(`project.funnel.${f.stage}`)}</Typography.Text>
          <Progress percent={Math.round((f.count * 100) / top)} showInfo={false} strokeColor="#1677ff" />
          <Typography.Text>
            {f.count}
            {f.fromPreviousBp !== null ? <Typography.Text type="secondary">{`（${(f.fromPreviousBp / 100).toFixed(2)}%）`}</Typography.Text> : null}
          </Typography.Text>
        </div>
      ))}
    </Space>
  );
}

/** 产品空白: who holds which product line; a grey cell is white space to sell into. */
function WhiteSpace({ b }: { b: ProjectBoard }) {
  const { t } = useI18n();
  const w = b.whiteSpace;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('project.whiteSpaceHint', { shown: w.shown, people: w.people })}</Typography.Paragraph>
      <Table
        size="small"
        data-testid="white-space"
        rowKey="personId"
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 200 + w.lines.length * 84 }}
        dataSource={w.rows}
        columns={[
          { title: t('project.person'), dataIndex: 'name', fixed: 'left', width: 110 },
          ...w.lines.map((l, i) => ({
            title: (
              <Tooltip title={t('project.lineHolders', { holders: l.holders, gaps: l.gaps })}>
                <span>{l.name}</span>
              </Tooltip>
            ),
            key: l.code,
            width: 84,
            align: 'center' as const,
            render: (_: unknown, r: (typeof w.rows)[number]) => (r.cells[i] ? <Tag color="green">✓</Tag> : <Tag>{t('project.gap')}</Tag>),
          })),
          { title: t('project.gaps'), dataIndex: 'gaps', width: 70, align: 'right' as const },
        ]}
      />
    </>
  );
}
