import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, Button, Form, Input, Modal, Space, Tag, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type ReportCompletionData, type ReportFeedData, type ReportSalesData, useReportIssue, useRerunIssue } from '../../api/reports';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { CadenceTag, IssueStatusTag } from './components/labels';
import { CompletionView, FeedView, SalesView } from './components/IssueViews';
import { ReceiptsCard } from './components/Receipts';
import { GenericIssueTable, IssueExportButtons } from './components/IssueExport';
import { drillNodeLink } from './drill-links';

/** One issue of a report: its frozen figures (filtered by the server to the reader's subtree), versions, re-run. */
export default function ReportIssuePage() {
  const { t, lang, pick } = useI18n();
  const id = Number(useParams().id) || 0;
  const navigate = useNavigate();
  const access = accessOf(useMe().data);
  const issue = useReportIssue(id);
  const rerun = useRerunIssue();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const i = issue.data;
  if (!i)
    return (
      <PageContainer loading={issue.isLoading}>{issue.error ? <Alert type="error" showIcon message={issue.error instanceof Error ? issue.error.message : String(issue.error)} /> : null}</PageContainer>
    );
  const data = i.data as ReportSalesData | ReportCompletionData | ReportFeedData | null;
  const view = (i.data as { view?: string } | null)?.view;

  const submit = async () => {
    const { reason } = await form.validateFields();
    const r = await rerun.mutateAsync({ id: i.id, reason });
    void message.success(t('reports.rerun.done', { n: r.version }));
    setOpen(false);
    form.resetFields();
    navigate(`/reports/issues/${r.id}`);
  };

  return (
    <PageContainer
      title={`${pick(i.nameZh, i.nameEn)} · ${i.periodLabel}`}
      subTitle={
        <Space>
          <CadenceTag cadence={i.cadence} lang={lang} />
          <Tag>{t('reports.versionN', { n: i.version })}</Tag>
          <IssueStatusTag t={t} issue={i} />
        </Space>
      }
      onBack={() => navigate(`/reports/${i.code}`)}
      extra={
        <Space>
          {i.status === 'produced' ? <IssueExportButtons id={i.id} drill={view === 'sales' || view === 'points' ? drillNodeLink({ from: i.periodFrom, to: i.periodTo }) : null} /> : null}
          {access.canManageReports ? (
            <Button onClick={() => setOpen(true)} data-testid="report-rerun">
              {t('reports.rerun')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <ProCard bordered style={{ marginBottom: 12 }}>
        <ProDescriptions column={3} size="small">
          <ProDescriptions.Item label={t('reports.col.period')}>{`${i.periodFrom} ~ ${i.periodTo}`}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('reports.col.dueAt')}>{fmtBeijing(i.dueAt)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('reports.col.producedAt')}>{fmtBeijing(i.producedAt)}</ProDescriptions.Item>
          {i.reason ? <ProDescriptions.Item label={t('reports.col.reason')}>{`${i.reason}${i.createdByName ? `（${i.createdByName}）` : ''}`}</ProDescriptions.Item> : null}
          <ProDescriptions.Item label={t('reports.versions')}>
            <Space size={4} wrap>
              {i.versions.map((v) =>
                v.id === i.id ? (
                  <Tag key={v.id} color="blue">
                    {t('reports.versionN', { n: v.version })}
                  </Tag>
                ) : (
                  <Link key={v.id} to={`/reports/issues/${v.id}`}>
                    <Tag>{t('reports.versionN', { n: v.version })}</Tag>
                  </Link>
                ),
              )}
            </Space>
          </ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      {i.status === 'waiting_feed' ? <Alert type="info" showIcon message={t('reports.waitingFeed', { feed: i.waitingOn ?? '' })} /> : null}
      {i.status === 'failed' ? <Alert type="error" showIcon message={t('reports.failed', { error: i.error ?? '' })} /> : null}
      {data?.view === 'sales' ? <SalesView data={data} /> : null}
      {data?.view === 'completion' ? <CompletionView data={data} /> : null}
      {data?.view === 'feed' ? <FeedView data={data} /> : null}
      {access.canManageReports && i.status === 'produced' ? <ReceiptsCard issueId={i.id} /> : null}
      {view && !['sales', 'completion', 'feed'].includes(view) ? <GenericIssueTable id={i.id} /> : null}
      <Modal open={open} title={t('reports.rerun.title', { period: i.periodLabel })} onCancel={() => setOpen(false)} onOk={() => void submit()} confirmLoading={rerun.isPending} destroyOnHidden>
        <Alert type="info" showIcon message={t('reports.rerun.hint')} style={{ marginBottom: 12 }} />
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('reports.rerun.reason')} rules={[{ required: true, min: 2, max: 500 }]}>
            <Input.TextArea rows={3} data-testid="report-rerun-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
