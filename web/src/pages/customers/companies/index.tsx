import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable, textFilter, useUrlKeyword } from '../../../components/ListTable';
import { Button, Select, Tag } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { download } from '../../../api/client';
import { type Company, type CompanyFilters, fetchCompanies, useClientTypes, useIndustries } from '../../../api/customers';
import { accessOf } from '../../../access';
import { wanOf } from '../../../components/money';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { StaffSelect } from '../../../components/StaffSelect';
import { useI18n } from '../../../locales';
import { CompanyDrawer } from './components/CompanyDrawer';
import ExportButton from '../../../components/ExportButton';

interface FormFilters {
  q?: string;
  typeCode?: string;
  industryCode?: string;
  nodeId?: number;
  accountManagerId?: number;
}

/** 对公客户: server-side paged list with search, filters, export and the create/edit drawer. */
export default function CompaniesPage() {
  const { t, pick } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const types = useClientTypes();
  const industries = useIndustries();
  const actionRef = useRef<ActionType>(undefined);
  const [filters, setFilters] = useState<CompanyFilters>({});
  const [drawer, setDrawer] = useState<Company | 'new' | null>(null);
  const [capped, setCapped] = useState(false);
  const keyword = useUrlKeyword();

  const typeName = (c: Company) => pick(c.typeName, types.data?.find((x) => x.code === c.typeCode)?.nameEn);
  const industryName = (c: Company) => (c.industryCode ? pick(c.industryName, industries.data?.find((x) => x.code === c.industryCode)?.nameEn) : '-');

  const columns: ProColumns<Company>[] = [
    {
      title: t('customer.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      initialValue: keyword.initial,
      fieldProps: { placeholder: t('customer.companyKeywordPlaceholder') },
    },
    {
      title: t('customer.companyName'),
      dataIndex: 'name',
      width: 260,
      search: false,
      fixed: 'left',
      ellipsis: true,
      render: (_, c) => <Link to={`/customers/companies/${c.id}`}>{c.name}</Link>,
    },
    { title: t('customer.uscc'), dataIndex: 'uscc', width: 190, search: false, copyable: true },
    {
      title: t('customer.type'),
      dataIndex: 'typeCode',
      width: 110,
      render: (_, c) => <Tag>{typeName(c)}</Tag>,
      renderFormItem: () => <Select allowClear placeholder={t('common.all')} options={(types.data ?? []).map((x) => ({ value: x.code, label: pick(x.nameZh, x.nameEn) }))} />,
    },
    {
      title: t('customer.industry'),
      dataIndex: 'industryCode',
      width: 170,
      ellipsis: true,
      render: (_, c) => industryName(c),
      renderFormItem: () => (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('common.all')}
          options={(industries.data ?? []).map((x) => ({ value: x.code, label: `${x.code} ${pick(x.nameZh, x.nameEn)}` }))}
        />
      ),
    },
    {
      title: t('customer.node'),
      dataIndex: 'nodeId',
      width: 150,
      ellipsis: true,
      render: (_, c) => c.nodeName,
      renderFormItem: () => <OrgTreeSelect placeholder={t('staff.nodeFilter')} />,
    },
    { title: t('customer.department'), dataIndex: 'departmentName', width: 120, search: false, render: (_, c) => c.departmentName ?? '-' },
    {
      title: t('customer.accountManager'),
      dataIndex: 'accountManagerId',
      width: 110,
      render: (_, c) => c.accountManagerName ?? '-',
      renderFormItem: () => <StaffSelect style={{ width: '100%' }} />,
    },
    {
      title: t('customer.creditLineWan'),
      dataIndex: 'creditLineFen',
      width: 140,
      search: false,
      align: 'right',
      render: (_, c) => wanOf(c.creditLineFen),
    },
    {
      title: t('customer.loanBalanceWan'),
      dataIndex: 'loanBalanceFen',
      width: 140,
      search: false,
      align: 'right',
      render: (_, c) => wanOf(c.loanBalanceFen),
    },
    {
      title: t('customer.taxRank'),
      dataIndex: 'provincialTaxRank',
      width: 100,
      search: false,
      align: 'right',
      render: (_, c) => c.provincialTaxRank ?? '-',
    },
    {
      title: t('customer.listed'),
      dataIndex: 'listed',
      width: 80,
      search: false,
      render: (_, c) => (c.listed ? <Tag color="gold">{t('common.yes')}</Tag> : t('common.no')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 120,
      fixed: 'right',
      render: (_, c) =>
        [
          <Link key="view" to={`/customers/companies/${c.id}`}>
            {t('customer.view360')}
          </Link>,
          access.canWriteCustomers ? (
            <a key="edit" onClick={() => setDrawer(c)}>
              {t('common.edit')}
            </a>
          ) : null,
        ].filter(Boolean),
    },
  ];

  return (
    <PageContainer title={t('customer.companiesTitle')} subTitle={t('customer.companiesSubtitle')}>
      <ListTable<Company, FormFilters>
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 1700 }}
        pagination={{
          showQuickJumper: true,
          // The server stops counting on huge scopes: say "more than" rather than a wrong total.
          showTotal: (n, [a, b]) => (capped ? t('customer.totalCapped', { a, b, n }) : t('customer.totalRange', { a, b, n })),
        }}
        headerTitle={t('customer.companiesList')}
        toolBarRender={() => [
          access.canWriteCustomers ? (
            <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setDrawer('new')}>
              {t('customer.createCompany')}
            </Button>
          ) : null,
          <ExportButton
            key="export"
            onExport={async () => {
              const { page: _p, pageSize: _s, ...rest } = filters;
              await download('/customers/companies/export.xlsx', { ...rest }, '对公客户清单.xlsx');
            }}
          />,
        ]}
        fetchPage={async (params) => {
          const f: CompanyFilters = {
            page: params.page,
            pageSize: params.pageSize,
            q: textFilter(params.q),
            typeCode: params.typeCode,
            industryCode: params.industryCode,
            nodeId: params.nodeId,
            accountManagerId: params.accountManagerId,
          };
          setFilters(f);
          keyword.sync(f.q);
          const r = await fetchCompanies(f);
          setCapped(!!r.totalCapped);
          return r;
        }}
      />
      <CompanyDrawer
        open={drawer !== null}
        companyId={drawer === 'new' || drawer === null ? null : drawer.id}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null);
          actionRef.current?.reload();
        }}
      />
    </PageContainer>
  );
}
