import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { type ReportCatalogueItem, useReportCatalogue } from '../../api/reports';
import { useI18n } from '../../locales';
import { CadenceTag, dueText, IssueStatusTag, sourceText } from './components/labels';
import { JobRunsCard } from './components/JobRuns';

/**
 * 报表与通报 (SPEC §13, issue 16): the calendar of seed 004's reports grouped by category — each with
 * its cadence, due rule, data source and the status of its latest ended period (on time, late,
 * missing, waiting on a named feed, or not produced yet because its view is not built).
 */
export default function ReportsPage() {
  const { t, lang, has, pick } = useI18n();
  const catalogue = useReportCatalogue();
  const items = catalogue.data ?? [];
  const groups = [...new Set(items.map((i) => i.category))].map((c) => ({ category: c, items: items.filter((i) => i.category === c) }));
  const count = (pred: (i: ReportCatalogueItem) => boolean) => items.filter(pred).length;

  const columns: ColumnsType<ReportCatalogueItem> = [
    {
      title: t('reports.col.name'),
      dataIndex: 'nameZh',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/reports/${r.code}`} data-testid={`report-${r.code}`}>
            {pick(r.nameZh, r.nameEn)}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('reports.col.cadence'), dataIndex: 'cadence', width: 80, render: (_, r) => <CadenceTag cadence={r.cadence} lang={lang} /> },
    { title: t('reports.col.due'), dataIndex: 'due', width: 210, render: (_, r) => dueText(t, r.due) },
    { title: t('reports.col.source'), dataIndex: 'source', width: 230, render: (_, r) => sourceText(t, has, r) },
    {
      title: t('reports.col.lastIssue'),
      dataIndex: 'lastIssue',
      width: 250,
      render: (_, r) => {
        if (r.cadence === 'ad_hoc') return <Tag>{t('reports.status.adHoc')}</Tag>;
        if (!r.producible) return <Tag color="default">{t('reports.status.notBuilt')}</Tag>;
        const li = r.lastIssue;
        if (!li) return <Tag>{t('reports.status.notStarted')}</Tag>;
        const tag = <IssueStatusTag t={t} issue={{ ...li, waitingOn: li.waitingOn ? feedName(r, li.waitingOn) : null }} />;
        return (
          <Space size={4} data-testid={`report-status-${r.code}`}>
            <Typography.Text style={{ fontSize: 12 }}>{li.periodLabel}</Typography.Text>
            {li.id ? <Link to={`/reports/issues/${li.id}`}>{tag}</Link> : tag}
          </Space>
        );
      },
    },
  ];

  return (
    <PageContainer
      title={t('reports.title')}
      subTitle={t('reports.subtitle')}
      extra={
        <Link to="/reports/subscriptions">
          <Button data-testid="reports-subscriptions">{t('rsub.open')}</Button>
        </Link>
      }
    >
      {catalogue.error ? <Alert type="error" showIcon message={catalogue.error instanceof Error ? catalogue.error.message : String(catalogue.error)} /> : null}
      <Space wrap style={{ marginBottom: 12 }} data-testid="reports-summary">
        <Tag>{t('reports.count', { n: items.length })}</Tag>
        <Tag color="success">
          {t('reports.status.on_time')} {count((i) => i.lastIssue?.status === 'produced' && i.lastIssue.timeliness === 'on_time')}
        </Tag>
        <Tag color="warning">
          {t('reports.status.late')} {count((i) => i.lastIssue?.status === 'produced' && i.lastIssue.timeliness === 'late')}
        </Tag>
        <Tag color="error">
          {t('reports.status.missing')} {count((i) => i.producible && i.lastIssue?.status !== 'produced' && i.lastIssue?.timeliness === 'missing')}
        </Tag>
        <Tag color="processing">
          {t('reports.state.waiting_feed')} {count((i) => i.lastIssue?.status === 'waiting_feed')}
        </Tag>
      </Space>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <JobRunsCard />
        {groups.map((g) => (
          <ProCard
            key={g.category}
            title={pick(g.items[0].categoryZh, g.items[0].categoryEn)}
            extra={<Tag>{g.items.length}</Tag>}
            bordered
            headerBordered
            size="small"
            data-testid={`reports-group-${g.category}`}
          >
            <Table<ReportCatalogueItem> rowKey="code" size="small" pagination={false} columns={columns} dataSource={g.items} loading={catalogue.isLoading} />
          </ProCard>
        ))}
      </Space>
    </PageContainer>
  );
}

/** The feed's Chinese name where the server knows it, else its code. */
const feedName = (r: ReportCatalogueItem, feed: string) => (r.source === feed && r.feedZh ? r.feedZh : feed);
