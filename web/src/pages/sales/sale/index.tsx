import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, Empty, Result, Spin, Table, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { type Sale, useSale } from '../../../api/sales';
import { useSaleSplit } from '../../../api/statements';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';
import { ruleVersionText } from '../components/ruleVersion';
import { SaleSplitView } from '../components/SaleSplitView';

/** 销售详情: the sale's facts, departments with ratios, people with contributions, and its split with the ledger trace. */
export default function SalePage() {
  const { t } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const access = accessOf(me);
  const saleId = Number(id) || undefined;
  const sale = useSale(saleId);
  // The server lets statement readers and the sale's participants read its split.
  const canReadSplit = access.canReadStatements || (!!me && !!sale.data?.people.some((p) => p.staffId === me.staffId));
  const split = useSaleSplit(saleId, canReadSplit);

  if (sale.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const s = sale.data;
  if (!s) {
    const status = (sale.error as { status?: number } | null)?.status;
    return status === 403 ? <Result status="403" title="403" subTitle={t('common.forbidden')} /> : <Empty description={t('sale.notFound')} />;
  }

  return (
    <PageContainer
      title={<span data-testid="sale-title">{s.sourceId}</span>}
      subTitle={`${s.productName} · ${s.saleDate}`}
      tags={
        s.mortgage
          ? [
              <Tag key="m" color="orange">
                {t('product.mortgage')}
              </Tag>,
            ]
          : undefined
      }
      onBack={() => navigate(-1)}
    >
      <ProCard title={t('sale.facts')} bordered headerBordered style={{ marginBottom: 16 }}>
        <SaleFacts sale={s} />
      </ProCard>
      <ProCard title={t('sale.departmentsAndPeople')} bordered headerBordered style={{ marginBottom: 16 }}>
        <Table
          rowKey="departmentId"
          size="small"
          pagination={false}
          dataSource={[
            { departmentId: s.hostDepartmentId, code: s.hostDepartmentCode, name: s.hostDepartmentName, ratio: null as string | null, weight: null as number | null, host: true },
            ...s.departments.map((d) => ({ ...d, host: false })),
          ]}
          columns={[
            {
              title: t('split.department'),
              dataIndex: 'name',
              render: (v: string, d) => (
                <span>
                  {v} {d.host ? <Tag color="red">{t('split.host')}</Tag> : <Tag>{t('split.participant')}</Tag>}
                </span>
              ),
            },
            { title: t('sale.deptCode'), dataIndex: 'code', width: 100 },
            {
              title: t('split.ratio'),
              dataIndex: 'ratio',
              width: 160,
              render: (v: string | null, d) => (d.host ? t('sale.hostShare') : d.weight !== null ? t('split.weight', { weight: d.weight }) : v ? `${v}%` : t('split.equal')),
            },
            {
              title: t('sale.people'),
              key: 'people',
              render: (_, d) =>
                s.people
                  .filter((p) => p.departmentId === d.departmentId)
                  .map((p) => `${p.name}（${p.staffNo}）· ${p.role} · ${p.weight !== null ? t('split.weight', { weight: p.weight }) : p.contribution ? `${p.contribution}%` : t('split.equal')}`)
                  .join('；') || '-',
            },
          ]}
        />
      </ProCard>
      <ProCard title={t('sale.split')} bordered headerBordered>
        {!canReadSplit ? (
          <Alert type="info" showIcon message={t('sale.splitNeedsStatement')} />
        ) : split.isLoading ? (
          <Spin />
        ) : split.data ? (
          <>
            <ProDescriptions column={3} size="small" style={{ marginBottom: 12 }}>
              <ProDescriptions.Item label={t('split.total')}>
                <span data-testid="split-total">{split.data.total.points}</span>
              </ProDescriptions.Item>
              <ProDescriptions.Item label={t('split.voided')}>
                <span style={split.data.voided.pointsHundredths ? { color: '#cf1322' } : undefined}>{split.data.voided.points}</span>
              </ProDescriptions.Item>
              <ProDescriptions.Item label={t('split.ruleVersion')}>{ruleVersionText(split.data.ruleVersion, t)}</ProDescriptions.Item>
            </ProDescriptions>
            <SaleSplitView split={split.data} entries={split.data.entries} />
          </>
        ) : (
          <Empty />
        )}
      </ProCard>
    </PageContainer>
  );
}

function SaleFacts({ sale: s }: { sale: Sale }) {
  const { t } = useI18n();
  return (
    <ProDescriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="sale-facts">
      <ProDescriptions.Item label={t('sale.sourceId')} copyable>
        {s.sourceId}
      </ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.saleDate')}>{s.saleDate}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.product')}>{`${s.productName}（${s.productCode}）`}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.quantity')}>{`${s.quantity} ${s.unit}`}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.unitScore')}>{s.unitScore ?? '-'}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.points')}>{s.points ?? '-'}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.person')}>
        {s.personId ? <Link to={`/customers/people/${s.personId}`}>{s.personName}</Link> : '-'}
        {s.personIdNumber ? `（${s.personIdNumber}）` : ''}
      </ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.company')}>{s.companyId ? <Link to={`/customers/companies/${s.companyId}`}>{s.companyName}</Link> : '-'}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.node')}>{`${s.nodeName}（${s.nodeCode}）`}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.project')}>{s.projectId ?? '-'}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('sale.development')}>{s.developmentName ? `${s.developmentName}（${s.developmentCode}）` : '-'}</ProDescriptions.Item>
      <ProDescriptions.Item label={t('product.createdAt')}>{fmtBeijing(s.createdAt)}</ProDescriptions.Item>
    </ProDescriptions>
  );
}
