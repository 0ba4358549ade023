import { ProCard } from '@ant-design/pro-components';
import { Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReportJobRun, useJobRuns } from '../../../api/report-subscriptions';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

const STATUS_COLOR: Record<ReportJobRun['status'], string> = { running: 'processing', ok: 'success', failed: 'error', abandoned: 'warning' };

/** The report jobs' latest runs on the calendar page: when, how long, the result, failures and their retries. */
export function JobRunsCard() {
  const { t, has } = useI18n();
  const runs = useJobRuns();
  const jobName = (job: string) => {
    const k = `rsub.job.${job}`;
    return has(k) ? t(k) : job;
  };
  const columns: ColumnsType<ReportJobRun> = [
    { title: t('rsub.run.startedAt'), dataIndex: 'startedAt', width: 170, render: (v: string) => fmtBeijing(v) },
    { title: '', dataIndex: 'job', width: 110, render: (v: string) => jobName(v) },
    { title: t('rsub.run.duration'), dataIndex: 'durationMs', width: 90, render: (v: number | null) => (v === null ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`) },
    {
      title: t('rsub.run.result'),
      dataIndex: 'status',
      render: (_, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLOR[r.status]} data-testid={`job-run-${r.id}`}>
            {t(`rsub.status.${r.status}`)}
          </Tag>
          <Typography.Text style={{ fontSize: 12 }}>{t('rsub.run.done', { n: r.done })}</Typography.Text>
          {r.failed ? (
            <Tooltip title={r.failures.map((f) => `${f.period}：${f.error}`).join('\n')}>
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t('rsub.run.failed', { n: r.failed })}
              </Typography.Text>
            </Tooltip>
          ) : null}
          {r.retried ? (
            <Typography.Text type="success" style={{ fontSize: 12 }}>
              {t('rsub.run.retried', { n: r.retried })}
            </Typography.Text>
          ) : null}
          {r.error ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.error}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: t('rsub.run.instance'), dataIndex: 'instance', width: 150, render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
  ];
  return (
    <ProCard title={t('rsub.runs')} bordered headerBordered size="small" collapsible defaultCollapsed={false} data-testid="report-job-runs">
      <Table<ReportJobRun> rowKey="id" size="small" columns={columns} dataSource={runs.data ?? []} loading={runs.isLoading} pagination={{ pageSize: 5 }} locale={{ emptyText: t('rsub.runsEmpty') }} />
    </ProCard>
  );
}
