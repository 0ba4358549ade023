import { PageContainer } from '@ant-design/pro-components';
import { Button, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router-dom';
import { type ReportIssueSummary, useReportCatalogue, useReportIssues } from '../../api/reports';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { CadenceTag, dueText, IssueStatusTag, sourceText } from './components/labels';

/** A report's issues, newest period first, every version (a re-run shows beside the one it replaced). */
export default function ReportIssuesPage() {
  const { t, lang, has, pick } = useI18n();
  const code = useParams().code ?? '';
  const def = useReportCatalogue().data?.find((d) => d.code === code);
  const issues = useReportIssues(code);
  const columns: ColumnsType<ReportIssueSummary> = [
    { title: t('reports.col.period'), dataIndex: 'periodLabel', render: (_, r) => <Link to={`/reports/issues/${r.id}`}>{r.periodLabel}</Link> },
    { title: t('reports.col.version'), dataIndex: 'version', width: 90, render: (v: number) => t('reports.versionN', { n: v }) },
    { title: t('reports.col.status'), dataIndex: 'status', width: 200, render: (_, r) => <IssueStatusTag t={t} issue={{ ...r, waitingOn: r.waitingOn && def?.feedZh ? def.feedZh : r.waitingOn }} /> },
    { title: t('reports.col.dueAt'), dataIndex: 'dueAt', width: 170, render: (v: string) => fmtBeijing(v) },
    { title: t('reports.col.producedAt'), dataIndex: 'producedAt', width: 170, render: (v: string | null) => fmtBeijing(v) },
    { title: t('reports.col.reason'), dataIndex: 'reason', render: (v: string | null, r) => (v ? `${v}${r.createdByName ? `（${r.createdByName}）` : ''}` : '') },
  ];
  return (
    <PageContainer
      title={def ? t('reports.issues.title', { name: pick(def.nameZh, def.nameEn) }) : code}
      subTitle={def ? <CadenceTag cadence={def.cadence} lang={lang} /> : null}
      onBack={() => history.back()}
      extra={
        <Space>
          <Link to={`/reports/rankings/${code}`}>
            <Button data-testid="report-rankings">{t('rsub.rankings')}</Button>
          </Link>
          <Link to="/reports/subscriptions">
            <Button>{t('rsub.open')}</Button>
          </Link>
        </Space>
      }
      content={def ? <Typography.Text type="secondary">{`${dueText(t, def.due)} · ${sourceText(t, has, def)} · ${def.ownerDept}`}</Typography.Text> : null}
    >
      <Table<ReportIssueSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={issues.data ?? []}
        loading={issues.isLoading}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: t('reports.issues.empty') }}
      />
    </PageContainer>
  );
}
