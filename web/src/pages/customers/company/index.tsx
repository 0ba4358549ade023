import { EditOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Button, Empty, Result, Spin, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { useClientTypes, useCompany } from '../../../api/customers';
import { accessOf } from '../../../access';
import { useI18n } from '../../../locales';
import { CompanyDrawer } from '../companies/components/CompanyDrawer';
import { RelationGraph } from '../components/RelationGraph';
import { CompanyFacts } from './components/CompanyFacts';
import { EligibilityPanel } from './components/EligibilityPanel';
import { PeopleTable } from './components/PeopleTable';

/** 对公客户360视图: facts, managers, group, the people linked to the company, the graph and list eligibility. */
export default function CompanyPage() {
  const { t, pick } = useI18n();
  const types = useClientTypes();
  const { id } = useParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const access = accessOf(me);
  const companyId = Number(id) || undefined;
  const company = useCompany(companyId);
  const [tab, setTab] = useState('people');
  const [editing, setEditing] = useState(false);

  const typeName = (code: string, zh: string) => pick(zh, types.data?.find((x) => x.code === code)?.nameEn);
  if (company.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const c = company.data;
  if (!c) {
    const status = (company.error as { status?: number } | null)?.status;
    return status === 403 ? <Result status="403" title="403" subTitle={t('common.forbidden')} /> : <Empty description={t('customer.notFound')} />;
  }

  return (
    <PageContainer
      title={<span data-testid="company-title">{c.name}</span>}
      tags={
        c.listed
          ? [
              <Tag key="listed" color="gold">
                {t('customer.listedTag')}
              </Tag>,
              <Tag key="type">{typeName(c.typeCode, c.typeName)}</Tag>,
            ]
          : [<Tag key="type">{typeName(c.typeCode, c.typeName)}</Tag>]
      }
      subTitle={c.uscc}
      onBack={() => navigate('/customers/companies')}
      extra={
        access.canWriteCustomers ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      <ProCard title={t('customer.basicInfo')} bordered headerBordered style={{ marginBottom: 16 }}>
        <CompanyFacts company={c} />
      </ProCard>
      <ProCard bordered>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            {
              key: 'people',
              label: `${t('customer.tabPeople')}（${c.people.length}）`,
              children: <PeopleTable people={c.people} />,
            },
            { key: 'graph', label: t('customer.tabGraph'), children: <RelationGraph companyId={c.id} /> },
            { key: 'eligibility', label: t('customer.tabEligibility'), children: <EligibilityPanel company={c} /> },
          ]}
        />
      </ProCard>
      <CompanyDrawer open={editing} companyId={c.id} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
    </PageContainer>
  );
}
