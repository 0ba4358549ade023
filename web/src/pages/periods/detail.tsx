import { FileTextOutlined, TableOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, App, Button, Descriptions, Empty, Popconfirm, Result, Space, Spin, Steps, Table, Tag, Tooltip } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type Objection, OBJECTION_STATUS_COLORS, useObjections } from '../../api/objections';
import { type PeriodAction, type PeriodView, PERIOD_STATES, usePeriod, usePeriodAction } from '../../api/periods';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { actionLabel, monthText, PeriodStateTag } from '../../components/PeriodStateTag';
import { useSpotCheck } from '../../api/spotchecks';
import { SpotCheckCard } from './components/SpotCheckCard';
import { ObjectionTargetText } from '../objections/components/ObjectionTargetText';

/** 某分行某月: the state machine as steps, who did each and when, and the step the caller may take. */
export default function PeriodDetailPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const params = useParams();
  const nodeId = Number(params.nodeId) || undefined;
  const month = params.month;
  const { data: me } = useMe();
  const access = accessOf(me);
  const period = usePeriod(nodeId, month);

  if (period.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const p = period.data;
  if (!p) {
    const err = period.error as { status?: number; message?: string } | null;
    return err?.status === 403 ? <Result status="403" title="403" subTitle={err.message || t('common.forbidden')} /> : <Result status="warning" title={err?.message ?? t('common.notFound')} />;
  }

  return (
    <PageContainer
      title={<span data-testid="period-title">{t('period.detailTitle', { node: p.nodeName, month: monthText(t, p.month) })}</span>}
      tags={[<PeriodStateTag key="s" state={p.state} />]}
      onBack={() => navigate(-1)}
      extra={
        <Space wrap>
          {p.state !== 'draft' ? (
            <Link to={`/periods/${p.nodeId}/${p.month}/notice`}>
              <Button icon={<FileTextOutlined />} data-testid="period-open-notice">
                {t('period.viewNotice')}
              </Button>
            </Link>
          ) : null}
          {access.canReadStatements ? (
            <Link to={`/statements?node=${p.nodeId}&month=${p.month}`}>
              <Button icon={<TableOutlined />}>{t('period.viewStatement')}</Button>
            </Link>
          ) : null}
          <ActionButtons period={p} />
        </Space>
      }
    >
      <ProCard bordered style={{ marginBottom: 16 }} data-testid="period-steps">
        <LifeSteps period={p} />
      </ProCard>
      <NextStepHint period={p} />
      <ProCard title={t('period.facts')} bordered headerBordered style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <Descriptions.Item label={t('statement.branch')}>{`${p.nodeName}（${p.nodeCode}）`}</Descriptions.Item>
          <Descriptions.Item label={t('sale.month')}>{p.month}</Descriptions.Item>
          <Descriptions.Item label={t('period.scheduledDay')}>
            <Space size={4}>
              {p.scheduledPublicationDay}
              {p.publicationOverdue ? <Tag color="error">{t('period.overdue')}</Tag> : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('period.publishedAt')}>{fmtBeijing(p.publishedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('period.windowClosesAt')}>
            <Space size={4}>
              <span data-testid="period-window-closes">{fmtBeijing(p.windowClosesAt)}</span>
              {p.state === 'published' ? (
                p.windowOpen ? (
                  <Tag color="processing" data-testid="window-open">
                    {t('period.windowOpen')}
                  </Tag>
                ) : (
                  <Tag data-testid="window-closed">{t('period.windowClosed')}</Tag>
                )
              ) : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('period.openObjections')}>
            <Link to={`/objections?node=${p.nodeId}&month=${p.month}`} data-testid="period-open-objections">
              {p.openObjections}
            </Link>
          </Descriptions.Item>
        </Descriptions>
      </ProCard>
      <MonthObjections period={p} />
      {access.canReadStatements ? <SpotCheckCard period={p} /> : null}
    </PageContainer>
  );
}

/** The five states as steps; each done step names who took it and when. */
function LifeSteps({ period: p }: { period: PeriodView }) {
  const { t } = useI18n();
  const current = PERIOD_STATES.indexOf(p.state);
  const by = (who: { name: string } | null, at: string | null, system = false) =>
    at ? (
      <span>
        {who?.name || (system ? t('period.bySystem') : '-')}
        <br />
        {fmtBeijing(at)}
      </span>
    ) : null;
  const steps = [
    { title: t('period.step.draft'), description: t('period.step.draftHint') },
    {
      title: t('period.step.published'),
      description:
        by(p.publishedBy, p.publishedAt, true) ??
        // Never a planned date in the past without saying it is overdue and why (issue 12 rule 5).
        (p.publicationOverdue ? (
          <span data-testid="publication-overdue">{t('period.overdue.step', { day: p.scheduledPublicationDay })}</span>
        ) : (
          t('period.step.publishedHint', { day: p.scheduledPublicationDay })
        )),
    },
    { title: t('period.step.submitted'), description: by(p.submittedBy, p.submittedAt) ?? t('period.step.submittedHint') },
    { title: t('period.step.audited'), description: by(p.auditedBy, p.auditedAt) ?? t('period.step.auditedHint') },
    { title: t('period.step.locked'), description: by(p.approvedBy ?? p.lockedBy, p.approvedAt ?? p.lockedAt) ?? t('period.step.lockedHint') },
  ];
  return <Steps current={current} status={p.state === 'locked' ? 'finish' : 'process'} items={steps} size="small" />;
}

/** Who takes the next step, and why it may not be possible yet. */
function NextStepHint({ period: p }: { period: PeriodView }) {
  const { t } = useI18n();
  if (p.state === 'locked') return <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('period.lockedHint')} data-testid="period-locked-hint" />;
  const next = p.actions[0];
  if (!next) return null;
  const notes: string[] = [];
  if (p.state === 'published' && p.windowOpen) notes.push(t('period.waitWindow', { at: fmtBeijing(p.windowClosesAt) }));
  if (p.state === 'published' && p.openObjections > 0) notes.push(t('period.waitObjections', { n: p.openObjections }));
  if (p.state === 'submitted') notes.push(t('period.auditHint'));
  if (p.state === 'audited') notes.push(t('period.approveHint'));
  // Why a draft is past its publication day (issue 12 rule 5).
  if (p.publicationOverdue) notes.push(t(`period.overdue.${p.publicationOverdue}`, { day: p.scheduledPublicationDay }));
  return (
    <Alert
      type={p.publicationOverdue ? 'warning' : 'info'}
      data-testid="period-next-step"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('period.nextStep', { action: actionLabel(t, next.action), who: t(`period.actor.${next.action}`) })}
      description={notes.length ? notes.join('；') : undefined}
    />
  );
}

const CONFIRM: Record<PeriodAction, 'period.confirm.publish' | 'period.confirm.submit' | 'period.confirm.audit' | 'period.confirm.approve'> = {
  publish: 'period.confirm.publish',
  submit: 'period.confirm.submit',
  audit: 'period.confirm.audit',
  approve: 'period.confirm.approve',
};

/** The steps the API says the caller may take now, each behind a Popconfirm. Errors: the API's message. */
function ActionButtons({ period: p }: { period: PeriodView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const act = usePeriodAction();
  // 完成审核 waits for a verdict on every sampled sale (the API refuses it too: PERIOD.SPOT_CHECK_PENDING).
  const auditing = p.state === 'submitted' && p.actions.some((a) => a.action === 'audit' && a.allowed);
  const spot = useSpotCheck(p.nodeId, p.month, auditing);
  const pending = spot.data?.summary.pending ?? 0;
  return (
    <>
      {p.actions
        .filter((a) => a.allowed)
        .map((a) => {
          // The server refuses a submit while the window is open or objections are unanswered: say why up front.
          const blocked =
            a.action === 'submit' && p.windowOpen
              ? t('period.waitWindow', { at: fmtBeijing(p.windowClosesAt) })
              : a.action === 'submit' && p.openObjections > 0
                ? t('period.waitObjections', { n: p.openObjections })
                : a.action === 'audit' && pending > 0
                  ? t('period.waitSpotCheck', { n: pending })
                  : null;
          if (blocked)
            return (
              <Tooltip key={a.action} title={blocked}>
                <Space size={8}>
                  <Button type="primary" disabled data-testid={`period-action-${a.action}`}>
                    {actionLabel(t, a.action)}
                  </Button>
                  {a.action === 'audit' && pending > 0 ? (
                    <span style={{ color: '#d48806' }} data-testid="period-audit-blocked">
                      {blocked}
                    </span>
                  ) : null}
                </Space>
              </Tooltip>
            );
          return (
            <Popconfirm
              key={a.action}
              title={actionLabel(t, a.action)}
              description={<div style={{ maxWidth: 360 }}>{t(CONFIRM[a.action])}</div>}
              okText={t('period.confirmOk')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': 'period-action-confirm' }}
              onConfirm={async () => {
                try {
                  const after = await act.mutateAsync({ nodeId: p.nodeId, month: p.month, action: a.action });
                  message.success(t('period.done', { action: actionLabel(t, a.action), state: t(`period.state.${after.state}`) }));
                } catch {
                  // The API's message was shown by the fetch wrapper.
                }
              }}
            >
              <Button type="primary" danger={a.action === 'approve'} loading={act.isPending} data-testid={`period-action-${a.action}`}>
                {actionLabel(t, a.action)}
              </Button>
            </Popconfirm>
          );
        })}
    </>
  );
}

/** The month's objections, newest first, each linking to its page. */
function MonthObjections({ period: p }: { period: PeriodView }) {
  const { t } = useI18n();
  const list = useObjections({ nodeId: p.nodeId, month: p.month, pageSize: 10 });
  if (p.state === 'draft') return null;
  return (
    <ProCard title={t('period.objections')} bordered headerBordered style={{ marginBottom: 16 }} extra={<Link to={`/objections?node=${p.nodeId}&month=${p.month}`}>{t('period.allObjections')}</Link>}>
      {list.data && list.data.total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('objection.none')} />
      ) : (
        <Table<Objection>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          data-testid="period-objections"
          columns={[
            { title: t('objection.id'), dataIndex: 'id', width: 80, render: (v: number) => <Link to={`/objections/${v}`}>#{v}</Link> },
            { title: t('objection.target'), key: 'target', render: (_, o) => <ObjectionTargetText objection={o} /> },
            { title: t('objection.reason'), dataIndex: 'reason', ellipsis: true },
            { title: t('objection.raisedBy'), dataIndex: ['raisedBy', 'name'], width: 120 },
            { title: t('common.status'), dataIndex: 'status', width: 100, render: (s: Objection['status']) => <Tag color={OBJECTION_STATUS_COLORS[s]}>{t(`objection.status.${s}`)}</Tag> },
          ]}
        />
      )}
    </ProCard>
  );
}
