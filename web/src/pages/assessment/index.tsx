import { CalculatorOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Empty, Spin, Table, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useState } from 'react';
import { useMe } from '../../api/auth';
import { type RunSummary, useRuns, useYearStatus } from '../../api/assessment';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { yuanOf } from '../../components/money';
import { useI18n } from '../../locales';
import { bpText } from '../quotas/components/LineTargets';
import { BranchYearPicker, useBranchYear } from '../quotas/components/BranchYear';
import { NewRunModal } from './components/NewRunModal';
import { RunDetail } from './components/RunDetail';
import { RunStateTag } from './components/RunStateTag';
import { WhatIfPanel } from './components/WhatIfPanel';

/**
 * 年终考核 (SPEC §10, Art. 17, 22, 23): HR runs the year's assessment of a branch (the 50 % gate,
 * points, the pool to departments and people, award rules), the committee approves it (four-eyes),
 * HR and finance download the payout workbook and lock the run once paid. 试算 (what-if) tries
 * another pool, gate or quotas side by side and saves nothing.
 */
export default function AssessmentPage() {
  const { t, pick } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const { nodeId, year, choose, loadingNodes, search } = useBranchYear();
  const runs = useRuns(nodeId, year);
  // Art. 22: a final run needs every month of the year locked; until then only 试算.
  const yearStatus = useYearStatus(nodeId, year);
  const yearOpen = yearStatus.data?.reason ?? null;
  const [creating, setCreating] = useState(false);
  const runParam = Number(search.get('run')) || undefined;
  const list = runs.data ?? [];
  // The run shown: the one in the URL, else the approved/locked one, else the latest.
  const runId = runParam && list.some((r) => r.id === runParam) ? runParam : (list.find((r) => r.state === 'approved' || r.state === 'locked') ?? list[0])?.id;
  useEffect(() => {
    if (runParam && runs.data && !runs.data.some((r) => r.id === runParam)) choose({ run: null });
  }, [runParam, runs.data]); // eslint-disable-line react-hooks/exhaustive-deps -- choose is a new function each render; the check depends only on the URL's run and the list

  return (
    <PageContainer
      title={t('assessment.title')}
      subTitle={t('assessment.subtitle')}
      extra={
        access.canRunAssessment && nodeId ? (
          <Button type="primary" icon={<CalculatorOutlined />} onClick={() => setCreating(true)} disabled={!!yearOpen} data-testid="assessment-new">
            {t('assessment.newRun')}
          </Button>
        ) : null
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <BranchYearPicker nodeId={nodeId} year={year} onChange={(p) => choose({ node: p.node, year: p.year, run: null })} testId="assessment" />
      </Card>
      {!nodeId ? (
        loadingNodes ? (
          <Spin style={{ display: 'block', margin: 48 }} />
        ) : (
          <Empty description={t('quota.chooseBranch')} />
        )
      ) : (
        <>
          {yearOpen ? (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('assessment.yearOpenTitle')} description={pick(yearOpen.zh, yearOpen.en)} data-testid="assessment-year-open" />
          ) : null}
          <Card size="small" title={t('assessment.runs', { year })} style={{ marginBottom: 16 }}>
            <Table<RunSummary>
              rowKey="id"
              size="small"
              loading={runs.isLoading}
              dataSource={list}
              pagination={false}
              data-testid="assessment-runs"
              locale={{ emptyText: <Empty description={access.canRunAssessment ? t('assessment.noRunsHr') : t('assessment.noRuns')} /> }}
              onRow={(r) =>
                ({
                  onClick: () => choose({ run: r.id }),
                  style: { cursor: 'pointer', background: r.id === runId ? '#fff1f0' : undefined },
                  'data-testid': `assessment-run-row-${r.id}`,
                }) as HTMLAttributes<HTMLElement>
              }
              columns={[
                { title: t('assessment.runNo'), dataIndex: 'id', width: 90, render: (v: number) => `#${v}` },
                { title: t('common.status'), dataIndex: 'state', width: 130, render: (_, r) => <RunStateTag state={r.state} /> },
                { title: t('assessment.pool'), dataIndex: 'pool', align: 'right', render: (_, r) => `${yuanOf(r.pool.amountFen)} ${t('assessment.yuan')}` },
                { title: t('assessment.gate'), dataIndex: 'gateBp', align: 'right', width: 90, render: (v: number) => bpText(v) },
                { title: t('assessment.quotaVersion'), dataIndex: 'quotaVersion', width: 110, render: (v: number | null) => (v ? t('quota.versionN', { n: v }) : t('assessment.noQuotaVersion')) },
                { title: t('assessment.createdBy'), key: 'created', render: (_, r) => `${r.createdBy?.name ?? '-'} · ${fmtBeijing(r.createdAt)}` },
                {
                  title: t('assessment.approvedBy'),
                  key: 'approved',
                  render: (_, r) => (r.approvedBy ? `${r.approvedBy.name} · ${fmtBeijing(r.approvedAt)}` : <Typography.Text type="secondary">-</Typography.Text>),
                },
              ]}
            />
          </Card>
          {runId ? <RunDetail runId={runId} /> : null}
          {access.canReadAssessment ? <WhatIfPanel key={`${nodeId}-${year}-${runId ?? 0}`} nodeId={nodeId} year={year} runId={runId} /> : null}
        </>
      )}
      {creating && nodeId ? (
        <NewRunModal
          nodeId={nodeId}
          year={year}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            choose({ run: id });
          }}
        />
      ) : null}
    </PageContainer>
  );
}
