import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable, textFilter, useUrlKeyword } from '../../../components/ListTable';
import { Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { download } from '../../../api/client';
import { fetchPeople, type Person, type PersonFilters } from '../../../api/customers';
import { fmtDate } from '../../../format';
import { fmtMoney } from '../../../components/money';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { useI18n } from '../../../locales';
import ExportButton from '../../../components/ExportButton';

interface FormFilters {
  q?: string;
  idSuffix?: string;
  phoneSuffix?: string;
  nodeId?: number;
}

/** 个人客户: search by 姓名, 身份证后四位, 手机后四位; numbers always masked here. */
export default function PeoplePage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<PersonFilters>({});
  const [capped, setCapped] = useState(false);
  const keyword = useUrlKeyword();
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };

  const columns: ProColumns<Person>[] = [
    {
      title: t('customer.personName'),
      dataIndex: 'q',
      hideInTable: true,
      initialValue: keyword.initial,
      fieldProps: { placeholder: t('customer.personNamePlaceholder') },
    },
    {
      title: t('customer.idSuffix'),
      dataIndex: 'idSuffix',
      hideInTable: true,
      fieldProps: { placeholder: t('customer.idSuffixPlaceholder'), maxLength: 4 },
      formItemProps: { rules: [{ pattern: /^\d{3}[\dXx]$/, message: t('customer.idSuffixPattern') }] },
    },
    {
      title: t('customer.phoneSuffix'),
      dataIndex: 'phoneSuffix',
      hideInTable: true,
      fieldProps: { placeholder: t('customer.phoneSuffixPlaceholder'), maxLength: 4 },
      formItemProps: { rules: [{ pattern: /^\d{4}$/, message: t('customer.phoneSuffixPattern') }] },
    },
    {
      title: t('customer.personName'),
      dataIndex: 'name',
      width: 110,
      search: false,
      fixed: 'left',
      render: (_, p) => <Link to={`/customers/people/${p.id}`}>{p.name}</Link>,
    },
    {
      title: t('customer.gender'),
      dataIndex: 'gender',
      width: 70,
      search: false,
      render: (_, p) => (p.gender === 'M' ? t('customer.male') : p.gender === 'F' ? t('customer.female') : '-'),
    },
    { title: t('customer.birthDate'), dataIndex: 'birthDate', width: 120, search: false, render: (_, p) => fmtDate(p.birthDate) },
    { title: t('customer.idNumber'), dataIndex: 'idNumber', width: 190, search: false },
    { title: t('customer.phone'), dataIndex: 'phone', width: 130, search: false, render: (_, p) => p.phone ?? '-' },
    {
      title: t('customer.node'),
      dataIndex: 'nodeId',
      width: 150,
      ellipsis: true,
      render: (_, p) => p.nodeName,
      renderFormItem: () => <OrgTreeSelect placeholder={t('staff.nodeFilter')} />,
    },
    { title: t('customer.dedicatedAm'), dataIndex: 'dedicatedAmName', width: 110, search: false, render: (_, p) => p.dedicatedAmName ?? '-' },
    { title: t('customer.vipTier'), dataIndex: 'vipTier', width: 100, search: false, render: (_, p) => (p.vipTier ? <Tag color="gold">{p.vipTier}</Tag> : '-') },
    { title: t('customer.aum'), dataIndex: 'aumFen', width: 150, search: false, align: 'right', render: (_, p) => fmtMoney(p.aumFen, unit) },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 90,
      fixed: 'right',
      render: (_, p) => [
        <Link key="view" to={`/customers/people/${p.id}`}>
          {t('customer.view360')}
        </Link>,
      ],
    },
  ];

  return (
    <PageContainer title={t('customer.peopleTitle')} subTitle={t('customer.peopleSubtitle')}>
      <ListTable<Person, FormFilters>
        columns={columns}
        scroll={{ x: 1400 }}
        pagination={{
          showQuickJumper: true,
          // The server stops counting on huge scopes: say "more than" rather than a wrong total.
          showTotal: (n, [a, b]) => (capped ? t('customer.totalCapped', { a, b, n }) : t('customer.totalRange', { a, b, n })),
        }}
        headerTitle={t('customer.peopleList')}
        toolBarRender={() => [
          <ExportButton
            key="export"
            onExport={async () => {
              const { page: _p, pageSize: _s, ...rest } = filters;
              await download('/customers/individuals/export.xlsx', { ...rest }, '个人客户清单.xlsx');
            }}
          />,
        ]}
        fetchPage={async (params) => {
          const f: PersonFilters = {
            page: params.page,
            pageSize: params.pageSize,
            q: textFilter(params.q),
            idSuffix: textFilter(params.idSuffix),
            phoneSuffix: textFilter(params.phoneSuffix),
            nodeId: params.nodeId,
          };
          setFilters(f);
          keyword.sync(f.q);
          const r = await fetchPeople(f);
          setCapped(!!r.totalCapped);
          return r;
        }}
      />
    </PageContainer>
  );
}
