import { PageContainer } from '@ant-design/pro-components';
import { Alert, Breadcrumb, Space, Table, Tag } from 'antd';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { type DrillPerson, useDrillPerson } from '../../api/report-drill';
import { hundredthsText } from '../../format';
import { useI18n } from '../../locales';
import { e4Text } from './components/labels';
import { drillNodeLink, drillParams, drillSaleLink } from './drill-links';

/** 钻取到个人 (issue 16 part B): a person's sales of the period, their points on each, each sale one click to its ledger lines. */
export default function ReportDrillPersonPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const id = Number(useParams().id) || 0;
  const p = drillParams(useSearchParams()[0]);
  const q = useDrillPerson(id, p);
  const d = q.data;
  return (
    <PageContainer
      title={d ? t('reportDrill.person.title', { name: d.person.name, staffNo: d.person.staffNo }) : t('reportDrill.title')}
      subTitle={
        <Space>
          <Tag>{`${t('reportDrill.period')}：${p.from} ~ ${p.to}`}</Tag>
          {d ? <Tag color="blue">{`${t('reportDrill.total')}：${hundredthsText(d.total.pointsHundredths)} · ${t('reportDrill.salesN', { n: d.total.sales })}`}</Tag> : null}
        </Space>
      }
      onBack={() => navigate(-1)}
      loading={q.isLoading}
    >
      {q.error ? <Alert type="error" showIcon message={q.error instanceof Error ? q.error.message : String(q.error)} /> : null}
      {d ? (
        <>
          <Breadcrumb style={{ marginBottom: 12 }} items={[...d.crumbs.map((c) => ({ title: <Link to={drillNodeLink({ ...p, nodeId: c.id })}>{c.name}</Link> })), { title: d.person.name }]} />
          <Table<DrillPerson['sales'][number]>
            rowKey="saleId"
            size="small"
            data-testid="drill-person-sales"
            dataSource={d.sales}
            pagination={d.sales.length > 20 ? { pageSize: 20 } : false}
            locale={{ emptyText: t('reportDrill.none') }}
            columns={[
              { title: '#', dataIndex: 'saleId', width: 90, render: (v: number) => <Link to={drillSaleLink(v, p)}>{`#${v}`}</Link> },
              { title: t('reportDrill.col.saleDate'), dataIndex: 'saleDate', width: 120 },
              { title: t('reportDrill.col.product'), dataIndex: 'productName', render: (v: string, r) => `${v}（${r.productCode}）` },
              { title: t('reportDrill.col.quantity'), dataIndex: 'quantity1e4', width: 110, align: 'right', render: (v: number, r) => `${e4Text(v)} ${r.unit}` },
              { title: t('reportDrill.col.myPoints'), dataIndex: 'pointsHundredths', width: 110, align: 'right', render: (v: number) => hundredthsText(v) },
              { title: t('reportDrill.col.salePoints'), dataIndex: 'salePointsHundredths', width: 120, align: 'right', render: (v: number) => hundredthsText(v) },
            ]}
          />
        </>
      ) : null}
    </PageContainer>
  );
}
