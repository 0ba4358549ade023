import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, Breadcrumb, Table, Tag } from 'antd';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { type DrillSale, useDrillSale } from '../../api/report-drill';
import { fmtBeijing, hundredthsText } from '../../format';
import { useI18n } from '../../locales';
import { e4Text } from './components/labels';
import { drillNodeLink, drillParams } from './drill-links';

const KIND_COLOR: Record<string, string> = { allocation: 'green', reversal: 'orange', void: 'default', adjustment: 'blue' };

/** 钻取到单笔销售 (issue 16 part B): the sale and every scoring ledger line of it the reader may see. */
export default function ReportDrillSalePage() {
  const { t, has } = useI18n();
  const navigate = useNavigate();
  const id = Number(useParams().id) || 0;
  const p = drillParams(useSearchParams()[0]);
  const q = useDrillSale(id);
  const d = q.data;
  const kind = (k: string) => {
    const key = `reportDrill.kind.${k}`;
    return has(key) ? t(key) : k;
  };
  return (
    <PageContainer title={t('reportDrill.sale.title', { id })} onBack={() => navigate(-1)} loading={q.isLoading}>
      {q.error ? <Alert type="error" showIcon message={q.error instanceof Error ? q.error.message : String(q.error)} /> : null}
      {d ? (
        <>
          {p.from ? (
            <Breadcrumb style={{ marginBottom: 12 }} items={[...d.crumbs.map((c) => ({ title: <Link to={drillNodeLink({ ...p, nodeId: c.id })}>{c.name}</Link> })), { title: `#${d.sale.id}` }]} />
          ) : null}
          {d.sale.struck ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('reportDrill.sale.struck', { reason: d.sale.struckReason ?? '' })} /> : null}
          <ProCard bordered style={{ marginBottom: 12 }}>
            <ProDescriptions column={3} size="small" data-testid="drill-sale">
              <ProDescriptions.Item label={t('reportDrill.sale.source')}>{d.sale.sourceId}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('reportDrill.col.saleDate')}>{d.sale.saleDate}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('reportDrill.sale.node')}>{d.sale.nodeName}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('reportDrill.col.product')}>{`${d.sale.productName}（${d.sale.productCode}）`}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('reportDrill.col.quantity')}>{`${e4Text(d.sale.quantity1e4)} ${d.sale.unit}`}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('reportDrill.sale.host')}>{d.sale.hostDepartmentName}</ProDescriptions.Item>
            </ProDescriptions>
          </ProCard>
          {d.hiddenLines ? <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('reportDrill.hidden', { n: d.hiddenLines })} /> : null}
          <ProCard title={t('reportDrill.sale.lines', { n: d.lines.length })} bordered headerBordered size="small">
            <Table<DrillSale['lines'][number]>
              rowKey="id"
              size="small"
              data-testid="drill-ledger"
              dataSource={d.lines}
              pagination={false}
              columns={[
                { title: '#', dataIndex: 'id', width: 80 },
                { title: t('reportDrill.col.kind'), dataIndex: 'kind', width: 90, render: (v: string) => <Tag color={KIND_COLOR[v]}>{kind(v)}</Tag> },
                { title: t('reportDrill.col.department'), dataIndex: 'departmentName' },
                { title: t('reportDrill.col.person'), dataIndex: 'staffName', render: (v: string | null, r) => (v ? `${v}（${r.staffNo}）` : '—') },
                { title: t('reportDrill.col.points'), dataIndex: 'pointsHundredths', width: 100, align: 'right', render: (v: number) => hundredthsText(v) },
                { title: t('reportDrill.col.ledgerPeriod'), dataIndex: 'period', width: 110 },
                { title: t('reportDrill.col.rule'), dataIndex: 'ruleVersion', width: 110 },
                { title: t('reportDrill.col.reverses'), dataIndex: 'reversesId', width: 90, render: (v: number | null) => (v ? `#${v}` : '') },
                { title: t('reportDrill.col.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => fmtBeijing(v) },
              ]}
            />
          </ProCard>
        </>
      ) : null}
    </PageContainer>
  );
}
