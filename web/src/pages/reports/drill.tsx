import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, Breadcrumb, Progress, Space, Statistic, Table, Tag } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { type DrillNode, useDrillNode } from '../../api/report-drill';
import { hundredthsText } from '../../format';
import { useI18n } from '../../locales';
import { drillNodeLink, drillParams, drillPersonLink } from './drill-links';

/**
 * 报表钻取 (issue 16 part B): one org unit's points and sales of a period — its total, its own
 * (本级) lines, each unit below and its own people — each row one click further down, to a person's
 * sales and a sale's ledger lines. The server answers only inside the reader's scope.
 */
export default function ReportDrillPage() {
  const { t, has } = useI18n();
  const navigate = useNavigate();
  const p = drillParams(useSearchParams()[0]);
  const q = useDrillNode(p);
  const d = q.data;
  const level = (l: string) => {
    const k = `reportDrill.level.${l}`;
    return has(k) ? t(k) : l;
  };
  const share = (v: number) => (d && d.total.pointsHundredths > 0 ? Math.floor((v * 1000) / d.total.pointsHundredths) / 10 : 0);
  return (
    <PageContainer
      title={d ? `${t('reportDrill.title')} · ${d.node.name}` : t('reportDrill.title')}
      subTitle={
        <Space>
          <Tag>{`${t('reportDrill.period')}：${p.from} ~ ${p.to}`}</Tag>
          <Tag>{p.product ? `${t('reportDrill.product')}：${p.product}` : t('reportDrill.allProducts')}</Tag>
        </Space>
      }
      onBack={() => navigate(-1)}
      loading={q.isLoading}
      content={t('reportDrill.subtitle')}
    >
      {q.error ? <Alert type="error" showIcon message={q.error instanceof Error ? q.error.message : String(q.error)} /> : null}
      {d ? (
        <>
          <Breadcrumb
            data-testid="drill-crumbs"
            style={{ marginBottom: 12 }}
            items={d.crumbs.map((c) => ({ title: c.id === d.node.id ? c.name : <Link to={drillNodeLink({ ...p, nodeId: c.id })}>{c.name}</Link> }))}
          />
          <ProCard gutter={12} style={{ marginBottom: 12 }} ghost>
            <ProCard bordered>
              <Statistic title={t('reportDrill.total')} value={hundredthsText(d.total.pointsHundredths)} suffix={`· ${t('reportDrill.salesN', { n: d.total.sales })}`} />
            </ProCard>
            <ProCard bordered>
              <Statistic title={t('reportDrill.own')} value={hundredthsText(d.own.pointsHundredths)} suffix={`· ${t('reportDrill.salesN', { n: d.own.sales })}`} />
            </ProCard>
          </ProCard>
          {d.children.length ? (
            <ProCard title={t('reportDrill.children')} bordered headerBordered size="small" style={{ marginBottom: 12 }}>
              <Table<DrillNode['children'][number]>
                rowKey="nodeId"
                size="small"
                data-testid="drill-children"
                dataSource={d.children}
                pagination={d.children.length > 20 ? { pageSize: 20 } : false}
                columns={[
                  { title: t('reportDrill.col.node'), dataIndex: 'name', render: (v: string, c) => <Link to={drillNodeLink({ ...p, nodeId: c.nodeId })}>{`${v}（${c.code}）`}</Link> },
                  { title: t('reportDrill.col.level'), dataIndex: 'level', width: 110, render: (v: string) => level(v) },
                  { title: t('reportDrill.col.sales'), dataIndex: 'sales', width: 90, align: 'right' },
                  { title: t('reportDrill.col.points'), dataIndex: 'pointsHundredths', width: 120, align: 'right', render: (v: number) => hundredthsText(v) },
                  { title: t('reportDrill.col.share'), dataIndex: 'pointsHundredths', key: 'share', width: 200, render: (v: number) => <Progress percent={share(v)} size="small" /> },
                ]}
              />
            </ProCard>
          ) : null}
          <ProCard title={t('reportDrill.people')} bordered headerBordered size="small">
            <Table<DrillNode['people'][number]>
              rowKey="staffId"
              size="small"
              data-testid="drill-people"
              dataSource={d.people}
              pagination={d.people.length > 20 ? { pageSize: 20 } : false}
              locale={{ emptyText: t('reportDrill.none') }}
              columns={[
                { title: t('reportDrill.col.staffNo'), dataIndex: 'staffNo', width: 130 },
                { title: t('reportDrill.col.name'), dataIndex: 'name', render: (v: string, r) => <Link to={drillPersonLink(r.staffId, p)}>{v}</Link> },
                { title: t('reportDrill.col.sales'), dataIndex: 'sales', width: 90, align: 'right' },
                { title: t('reportDrill.col.points'), dataIndex: 'pointsHundredths', width: 120, align: 'right', render: (v: number) => hundredthsText(v) },
              ]}
            />
          </ProCard>
        </>
      ) : null}
    </PageContainer>
  );
}
