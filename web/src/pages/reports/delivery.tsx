import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, Button, Space, Tag } from 'antd';
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router-dom';
import { apiUrl } from '../../api/client';
import { useOpenDelivery } from '../../api/report-subscriptions';
import type { ReportCompletionData, ReportFeedData, ReportSalesData } from '../../api/reports';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { CadenceTag } from './components/labels';
import { CompletionView, FeedView, SalesView } from './components/IssueViews';
import { GenericIssueTable, IssuePdfButton } from './components/IssueExport';

/**
 * A delivered issue (issue 16): opening it is the read receipt; the figures are the issue filtered
 * by the server to the subscriber's own subtree, with the same Excel as the attachment and the
 * print PDF of the issue (the same filter: the subscriber's own report.read scope).
 */
export default function ReportDeliveryPage() {
  const { t, lang, pick } = useI18n();
  const id = Number(useParams().id) || 0;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const opened = useOpenDelivery(id);
  // The receipt changed the inbox's read state: the lists refresh.
  useEffect(() => {
    if (opened.data) void qc.invalidateQueries({ queryKey: ['report-subscriptions', 'deliveries'] });
  }, [opened.data, qc]);
  const d = opened.data;
  if (!d)
    return (
      <PageContainer loading={opened.isLoading}>
        {opened.error ? <Alert type="error" showIcon message={opened.error instanceof Error ? opened.error.message : String(opened.error)} /> : null}
      </PageContainer>
    );
  const i = d.issue;
  const data = i.data as ReportSalesData | ReportCompletionData | ReportFeedData | null;
  return (
    <PageContainer
      title={`${pick(i.nameZh, i.nameEn)} · ${i.periodLabel}`}
      subTitle={
        <Space>
          <CadenceTag cadence={i.cadence} lang={lang} />
          <Tag>{t('reports.versionN', { n: i.version })}</Tag>
          <Tag color="green">{t('rsub.deliveredTitle')}</Tag>
        </Space>
      }
      onBack={() => navigate('/reports/subscriptions')}
      extra={
        <Space>
          <Button href={apiUrl(`/reports/deliveries/${id}/attachment.xlsx`)} data-testid="delivery-attachment">
            {t('rsub.attachment')}
          </Button>
          <IssuePdfButton id={i.id} />
        </Space>
      }
    >
      <ProCard bordered style={{ marginBottom: 12 }}>
        <ProDescriptions column={3} size="small">
          <ProDescriptions.Item label={t('reports.col.period')}>{`${i.periodFrom} ~ ${i.periodTo}`}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('rsub.deliveredAt')}>{fmtBeijing(d.delivery.deliveredAt)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('rsub.readAt')}>{fmtBeijing(d.delivery.readAt)}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <Alert type="info" showIcon message={t('rsub.filtered')} style={{ marginBottom: 12 }} data-testid="delivery-filtered" />
      {data?.view === 'sales' ? <SalesView data={data} /> : null}
      {data?.view === 'completion' ? <CompletionView data={data} /> : null}
      {data?.view === 'feed' ? <FeedView data={data} /> : null}
      {/* The other own-data views (points, leads, projects, VIP, assessment) as the generic table, filtered the same way. */}
      {data && !['sales', 'completion', 'feed'].includes(data.view) ? <GenericIssueTable id={i.id} /> : null}
    </PageContainer>
  );
}
