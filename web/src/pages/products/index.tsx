import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns } from '@ant-design/pro-components';
import { Button, Select, Tag } from 'antd';
import { useRef, useState } from 'react';
import { download } from '../../api/client';
import { fetchProducts, type Product, type ProductFilters, useProductLines } from '../../api/products';
import { useI18n } from '../../locales';
import { ProductDrawer } from './components/ProductDrawer';
import { ProductForm } from './components/ProductForm';
import { useCanWriteProducts } from './useCanWriteProducts';
import ExportButton from '../../components/ExportButton';
import { ListTable, textFilter } from '../../components/ListTable';

interface FormFilters {
  q?: string;
  lineCode?: string;
}

/** 产品目录 (SPEC §6): the catalogue with the unit score in force today; a drawer with the score history. */
export default function ProductsPage() {
  const { t, pick } = useI18n();
  const canWrite = useCanWriteProducts();
  const lines = useProductLines();
  const actionRef = useRef<ActionType>(undefined);
  const [filters, setFilters] = useState<ProductFilters>({});
  const [viewing, setViewing] = useState<number | null>(null);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);

  const lineName = (p: Product) => pick(p.lineName, lines.data?.find((l) => l.code === p.lineCode)?.nameEn);

  const columns: ProColumns<Product>[] = [
    { title: t('product.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('product.keywordPlaceholder') } },
    { title: t('product.code'), dataIndex: 'code', width: 120, search: false, render: (_, p) => <a onClick={() => setViewing(p.id)}>{p.code}</a> },
    { title: t('product.name'), dataIndex: 'name', width: 180, search: false },
    {
      title: t('product.line'),
      dataIndex: 'lineCode',
      width: 130,
      render: (_, p) => <Tag>{lineName(p)}</Tag>,
      renderFormItem: () => <Select allowClear placeholder={t('common.all')} options={(lines.data ?? []).map((l) => ({ value: l.code, label: pick(l.nameZh, l.nameEn) }))} />,
    },
    { title: t('product.hostDepartment'), dataIndex: 'hostDepartmentName', width: 120, search: false, render: (_, p) => p.hostDepartmentName ?? p.hostDepartmentCode },
    { title: t('product.unit'), dataIndex: 'unit', width: 90, search: false },
    {
      title: t('product.mortgage'),
      dataIndex: 'mortgage',
      width: 90,
      search: false,
      render: (_, p) => (p.mortgage ? <Tag color="orange">{t('common.yes')}</Tag> : t('common.no')),
    },
    {
      title: t('product.currentScore'),
      dataIndex: 'score',
      width: 120,
      search: false,
      align: 'right',
      render: (_, p) => (p.score === null ? '-' : <span data-testid={`score-${p.code}`}>{p.score}</span>),
    },
    { title: t('product.scoreFrom'), dataIndex: 'scoreFrom', width: 120, search: false, render: (_, p) => p.scoreFrom ?? '-' },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 80,
      search: false,
      render: (_, p) => (p.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 140,
      fixed: 'right',
      render: (_, p) =>
        [
          <a key="view" onClick={() => setViewing(p.id)}>
            {t('product.scoreHistory')}
          </a>,
          canWrite ? (
            <a key="edit" onClick={() => setEditing(p)}>
              {t('common.edit')}
            </a>
          ) : null,
        ].filter(Boolean),
    },
  ];

  return (
    <PageContainer title={t('product.title')} subTitle={t('product.subtitle')}>
      <ListTable<Product, FormFilters>
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 1200 }}
        headerTitle={t('product.list')}
        toolBarRender={() => [
          canWrite ? (
            <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('product.create')}
            </Button>
          ) : null,
          <ExportButton
            key="export"
            onExport={async () => {
              const { page: _p, pageSize: _s, ...rest } = filters;
              await download('/products/export.xlsx', { ...rest }, '产品目录.xlsx');
            }}
          />,
        ]}
        fetchPage={({ page, pageSize, q, lineCode }) => {
          const f: ProductFilters = { page, pageSize, q: textFilter(q), lineCode };
          setFilters(f);
          return fetchProducts(f);
        }}
      />
      <ProductDrawer productId={viewing} onClose={() => setViewing(null)} onEdit={(p) => setEditing(p)} onChanged={() => actionRef.current?.reload()} />
      <ProductForm
        open={editing !== null}
        product={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          actionRef.current?.reload();
        }}
      />
    </PageContainer>
  );
}
