import { CheckCircleOutlined, DownloadOutlined, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { StatisticCard } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Spin, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../api/auth';
import type { ApiError } from '../../../api/client';
import { downloadPayout, type Run, useApproveRun, useLockRun, useReopenRun, useRun } from '../../../api/assessment';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { bpText } from '../../quotas/components/LineTargets';
import { AwardRulesView } from './AwardRulesView';
import { DepartmentTable, PeopleTable } from './ResultTables';
import { GateTable } from './GateTable';
import { RunStateTag } from './RunStateTag';

/** One run: who ran and approved it, its figures, the gate, departments, people, award rules; approve, lock, download. */
export function RunDetail({ runId }: { runId: number }) {
  const run = useRun(runId);
  if (run.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!run.data) return null;
  return <RunBody run={run.data} />;
}

function RunBody({ run }: { run: Run }) {
  const { t, pick } = useI18n();
  const r = run.result;
  const gated = r.gate.filter((g) => !g.passed).length;
  return (
    <div data-testid="assessment-run" data-run-id={run.id} data-state={run.state}>
      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={
          <Space wrap>
            {t('assessment.runTitle', { id: run.id, node: run.nodeName, year: run.year })}
            <RunStateTag state={run.state} testId="assessment-state" />
          </Space>
        }
        extra={<RunActions run={run} />}
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('assessment.pool')}>
            <span data-testid="assessment-pool-amount">
              {yuanOf(r.pool.amountFen)} {t('assessment.yuan')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.gate')}>{t('assessment.gateText', { gate: bpText(run.gateBp) })}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.quotaVersion')}>{run.quotaVersion ? t('quota.versionN', { n: run.quotaVersion }) : t('assessment.noQuotaVersion')}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.createdBy')}>{`${run.createdBy?.name ?? '-'} · ${fmtBeijing(run.createdAt)}`}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.approvedBy')}>{run.approvedBy ? `${run.approvedBy.name} · ${fmtBeijing(run.approvedAt)}` : '-'}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.lockedBy')}>{run.lockedBy ? `${run.lockedBy.name} · ${fmtBeijing(run.lockedAt)}` : '-'}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.inputsHash')}>
            <Typography.Text code copyable={{ text: run.inputsHash }}>
              {run.inputsHash.slice(0, 16)}…
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {run.state === 'superseded' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="assessment-superseded"
          message={t('assessment.supersededTitle', { name: run.supersededBy?.name ?? '-', at: fmtBeijing(run.supersededAt) })}
          description={t('assessment.supersededReason', { reason: run.supersedeReason ?? '' })}
        />
      ) : null}
      <StatisticCard.Group direction="row" style={{ marginBottom: 16 }}>
        <StatisticCard statistic={{ title: t('assessment.rewardTotal'), value: yuanOf(r.totals.reward.amountFen), suffix: t('assessment.yuan') }} />
        <StatisticCard statistic={{ title: t('assessment.pointsBefore'), value: r.totals.points.points }} />
        <StatisticCard statistic={{ title: t('assessment.pointsCounted'), value: r.totals.counted.points }} />
        <StatisticCard statistic={{ title: t('assessment.pointsGated'), value: r.totals.gated.points, valueStyle: r.totals.gated.pointsHundredths ? { color: '#cf1322' } : undefined }} />
        <StatisticCard statistic={{ title: t('assessment.specialTotal'), value: yuanOf(r.totals.special.amountFen), suffix: t('assessment.yuan') }} />
      </StatisticCard.Group>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t('assessment.explanation')}
        description={
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="assessment-notes">
            {r.notes.map((n, i) => (
              <li key={i}>{pick(n.zh, n.en)}</li>
            ))}
          </ul>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Tabs
          items={[
            { key: 'gate', label: `${t('assessment.tab.gate')}（${gated}/${r.gate.length}）`, children: <GateTable result={r} /> },
            { key: 'departments', label: `${t('assessment.tab.departments')}（${r.departments.length}）`, children: <DepartmentTable result={r} /> },
            { key: 'people', label: `${t('assessment.tab.people')}（${r.people.length}）`, children: <PeopleTable result={r} /> },
            { key: 'rules', label: t('assessment.tab.rules'), children: <AwardRulesView run={run} /> },
          ]}
        />
      </Card>
    </div>
  );
}

/** 审批 (committee chair, not the runner), 锁定 (HR, after the payout), 下载发放表 (everyone who reads). */
function RunActions({ run }: { run: Run }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const approve = useApproveRun();
  const lock = useLockRun();
  const reopen = useReopenRun();
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setError(null);
    try {
      await fn();
      message.success(ok);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  return (
    <Space wrap direction="vertical" align="end" size={4}>
      <Space wrap>
        {access.canApproveAssessment && run.state === 'draft' ? (
          <Popconfirm
            title={t('assessment.approveConfirm', { amount: yuanOf(run.pool.amountFen) })}
            okButtonProps={{ 'data-testid': 'assessment-approve-confirm' }}
            onConfirm={() => act(() => approve.mutateAsync(run.id), t('assessment.approved'))}
          >
            <Button type="primary" icon={<CheckCircleOutlined />} loading={approve.isPending} data-testid="assessment-approve">
              {t('assessment.approve')}
            </Button>
          </Popconfirm>
        ) : null}
        {access.canRunAssessment && run.state === 'approved' ? (
          <Popconfirm title={t('assessment.lockConfirm')} okButtonProps={{ 'data-testid': 'assessment-lock-confirm' }} onConfirm={() => act(() => lock.mutateAsync(run.id), t('assessment.locked'))}>
            <Button icon={<LockOutlined />} loading={lock.isPending} data-testid="assessment-lock">
              {t('assessment.lock')}
            </Button>
          </Popconfirm>
        ) : null}
        {access.canApproveAssessment && (run.state === 'approved' || run.state === 'locked') ? (
          <Button danger icon={<UnlockOutlined />} onClick={() => setReopening(true)} data-testid="assessment-reopen">
            {t('assessment.reopen')}
          </Button>
        ) : null}
        <Button
          icon={<DownloadOutlined />}
          loading={downloading}
          data-testid="assessment-payout"
          onClick={async () => {
            setDownloading(true);
            try {
              await downloadPayout(run.id);
            } finally {
              setDownloading(false);
            }
          }}
        >
          {t('assessment.payout')}
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon closable message={error} data-testid="assessment-action-error" onClose={() => setError(null)} /> : null}
      <Modal
        open={reopening}
        title={t('assessment.reopenTitle', { year: run.year })}
        okText={t('assessment.reopen')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: reopen.isPending, 'data-testid': 'assessment-reopen-ok' }}
        onCancel={() => setReopening(false)}
        onOk={async () => {
          await act(() => reopen.mutateAsync({ id: run.id, reason: reason.trim() }), t('assessment.reopened'));
          setReopening(false);
          setReason('');
        }}
      >
        <Typography.Paragraph>{t('assessment.reopenIntro')}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('assessment.reopenReason')} data-testid="assessment-reopen-reason" />
      </Modal>
    </Space>
  );
}
