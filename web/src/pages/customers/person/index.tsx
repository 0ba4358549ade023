import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Empty, Result, Spin, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { type Holding, type PersonCompany, usePerson } from '../../../api/customers';
import { accessOf } from '../../../access';
import { fmtDate } from '../../../format';
import { fmtMoney, yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { RelationGraph } from '../components/RelationGraph';
import { RevealValue } from './components/RevealValue';

/** 个人客户360视图: masked numbers with an audited reveal, the companies they link to, holdings, graph. */
export default function PersonPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const access = accessOf(me);
  const personId = Number(id) || undefined;
  const person = usePerson(personId);
  const [tab, setTab] = useState('companies');
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };

  if (person.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const p = person.data;
  if (!p) {
    const status = (person.error as { status?: number } | null)?.status;
    return status === 403 ? <Result status="403" title="403" subTitle={t('common.forbidden')} /> : <Empty description={t('customer.notFound')} />;
  }

  return (
    <PageContainer
      title={<span data-testid="person-title">{p.name}</span>}
      tags={
        p.vipTier
          ? [
              <Tag key="vip" color="gold">
                {p.vipTier}
              </Tag>,
            ]
          : []
      }
      onBack={() => navigate(-1)}
    >
      <ProCard title={t('customer.basicInfo')} bordered headerBordered style={{ marginBottom: 16 }}>
        <ProDescriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <ProDescriptions.Item label={t('customer.idNumber')}>
            <RevealValue key={`id-${p.id}`} personId={p.id} field="idNumber" masked={p.idNumber} canReveal={access.canRevealCustomers} />
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.phone')}>
            <RevealValue key={`ph-${p.id}`} personId={p.id} field="phone" masked={p.phone} canReveal={access.canRevealCustomers} />
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.gender')}>{p.gender === 'M' ? t('customer.male') : p.gender === 'F' ? t('customer.female') : '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.birthDate')}>{fmtDate(p.birthDate)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.aum')}>{fmtMoney(p.aumFen, unit)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.vipTier')}>{p.vipTier ?? '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.node')}>{p.nodeName}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('customer.dedicatedAm')}>{p.dedicatedAmName ?? '-'}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <ProCard bordered>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            {
              key: 'companies',
              label: `${t('customer.tabCompanies')}（${p.companies.length}）`,
              children: (
                <Table<PersonCompany>
                  rowKey="linkId"
                  size="middle"
                  pagination={false}
                  dataSource={p.companies}
                  data-testid="person-companies"
                  columns={[
                    {
                      title: t('customer.companyName'),
                      dataIndex: 'companyName',
                      render: (_, c) => <Link to={`/customers/companies/${c.companyId}`}>{c.companyName}</Link>,
                    },
                    { title: t('customer.uscc'), dataIndex: 'uscc', width: 200 },
                    { title: t('customer.relation'), dataIndex: 'role', width: 110, render: (_, c) => <Tag>{t(`customer.role.${c.role}`)}</Tag> },
                    { title: t('customer.position'), dataIndex: 'title', width: 140, render: (_, c) => c.title ?? '-' },
                    { title: t('customer.since'), dataIndex: 'since', width: 120, render: (_, c) => fmtDate(c.since) },
                    { title: t('customer.until'), dataIndex: 'until', width: 120, render: (_, c) => (c.until ? fmtDate(c.until) : t('customer.current')) },
                  ]}
                />
              ),
            },
            {
              key: 'holdings',
              label: `${t('customer.tabHoldings')}（${p.holdings.length}）`,
              children: (
                <Table<Holding>
                  rowKey="id"
                  size="middle"
                  pagination={false}
                  dataSource={p.holdings}
                  data-testid="person-holdings"
                  columns={[
                    { title: t('customer.productCode'), dataIndex: 'productCode', width: 140 },
                    { title: t('customer.productName'), dataIndex: 'productName' },
                    {
                      title: t('customer.holdingAmount'),
                      dataIndex: 'amountFen',
                      width: 180,
                      align: 'right',
                      render: (_, h) => (h.amountFen === null ? '-' : `${yuanOf(h.amountFen)} ${t('unit.yuan')}`),
                    },
                    { title: t('customer.quantity'), dataIndex: 'quantity', width: 100, align: 'right', render: (_, h) => h.quantity ?? '-' },
                    { title: t('customer.holdingSince'), dataIndex: 'since', width: 120, render: (_, h) => fmtDate(h.since) },
                  ]}
                />
              ),
            },
            { key: 'graph', label: t('customer.tabGraph'), children: <RelationGraph personId={p.id} /> },
          ]}
        />
      </ProCard>
    </PageContainer>
  );
}
