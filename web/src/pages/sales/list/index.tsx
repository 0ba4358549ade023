import { CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable, textFilter } from '../../../components/ListTable';
import { Button, Segmented, Select, Space, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { useAllDepartments, useOrgNodes } from '../../../api/org';
import { useProductOptions } from '../../../api/products';
import { downloadSales, fetchSales, type Sale, type SaleFilters, useDevelopmentOptions } from '../../../api/sales';
import { accessOf } from '../../../access';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { StaffSelect } from '../../../components/StaffSelect';
import { useI18n } from '../../../locales';
import ExportButton from '../../../components/ExportButton';
import { RecordSaleDrawer } from '../components/RecordSaleDrawer';

interface FormFilters {
  q?: string;
  month?: string;
  nodeId?: number;
  productId?: number;
  departmentId?: number;
  staffId?: number;
  developmentId?: number;
}

/** 交叉销售 (SPEC §7): server-paged sales with filters, export, and the way to the sales import. */
export default function SalesPage() {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const [search, setSearch] = useSearchParams();
  // Without sale.read a person sees the sales they took part in (我的销售); each filter shows only
  // when its options come from an API the person may use.
  const mine = !access.canReadSales || search.get('mine') === 'true';
  const products = useProductOptions(access.canReadProducts);
  const developments = useDevelopmentOptions(undefined, access.canReadSales);
  const nodes = useOrgNodes(access.canReadOrg);
  const departments = useAllDepartments(access.canReadOrg);
  const [filters, setFilters] = useState<SaleFilters>({});
  // 登记销售 (issue 12): the one-sale form in a drawer.
  const [recording, setRecording] = useState(false);
  const table = useRef<ActionType>(null);
  const navigate = useNavigate();

  const deptOptions = useMemo(() => {
    const nodeName = new Map((nodes.data ?? []).map((n) => [n.id, n.name]));
    return (departments.data ?? []).map((d) => ({ value: d.id, label: `${d.name} · ${nodeName.get(d.nodeId) ?? ''}` }));
  }, [nodes.data, departments.data]);

  const columns: ProColumns<Sale>[] = [
    { title: t('sale.month'), dataIndex: 'month', valueType: 'dateMonth', hideInTable: true, initialValue: search.get('month') ?? undefined },
    {
      title: t('sale.sourceId'),
      dataIndex: 'q',
      width: 180,
      fixed: 'left',
      fieldProps: { placeholder: t('sale.sourceIdPlaceholder') },
      render: (_, s) => (
        <Link to={`/sales/${s.id}`} data-testid="sale-link">
          {s.sourceId}
        </Link>
      ),
    },
    { title: t('sale.saleDate'), dataIndex: 'saleDate', width: 100, search: false },
    {
      title: t('sale.product'),
      dataIndex: 'productId',
      width: 110,
      ellipsis: true,
      search: access.canReadProducts ? undefined : false,
      render: (_, s) => s.productName,
      renderFormItem: () => (
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('common.all')} options={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
      ),
    },
    { title: t('sale.client'), key: 'client', width: 100, search: false, ellipsis: true, render: (_, s) => s.personName ?? s.companyName ?? '-' },
    { title: t('sale.quantity'), dataIndex: 'quantity', width: 100, search: false, align: 'right', responsive: ['xxl'], render: (_, s) => `${s.quantity} ${s.unit}` },
    { title: t('sale.unitScore'), dataIndex: 'unitScore', width: 90, search: false, align: 'right', responsive: ['xxl'], render: (_, s) => s.unitScore ?? '-' },
    { title: t('sale.points'), dataIndex: 'points', width: 80, search: false, align: 'right', render: (_, s) => s.points ?? '-' },
    {
      title: t('sale.node'),
      dataIndex: 'nodeId',
      width: 110,
      responsive: ['xxl'],
      search: access.canReadOrg && !mine ? undefined : false,
      render: (_, s) => s.nodeName,
      renderFormItem: () => <OrgTreeSelect placeholder={t('staff.nodeFilter')} />,
    },
    {
      title: t('sale.hostDepartment'),
      dataIndex: 'departmentId',
      width: 100,
      ellipsis: true,
      search: access.canReadOrg && !mine ? undefined : false,
      render: (_, s) => s.hostDepartmentName,
      renderFormItem: () => <Select allowClear showSearch optionFilterProp="label" placeholder={t('sale.departmentFilter')} options={deptOptions} />,
    },
    {
      title: t('sale.participants'),
      key: 'participants',
      width: 170,
      search: false,
      render: (_, s) => (
        <Space size={[4, 4]} wrap>
          {s.departments.map((d) => (
            <Tag key={d.departmentId}>
              {d.name}
              {d.ratio ? ` ${d.ratio}%` : ''}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('sale.people'),
      dataIndex: 'staffId',
      width: 110,
      search: access.canReadStaff && !mine ? undefined : false,
      ellipsis: true,
      render: (_, s) => <Tooltip title={s.people.map((p) => `${p.name}（${p.departmentName} · ${p.role}）`).join('，')}>{s.people.map((p) => p.name).join('、') || '-'}</Tooltip>,
      renderFormItem: () => <StaffSelect style={{ width: '100%', minWidth: 0 }} />,
    },
    {
      title: t('sale.development'),
      dataIndex: 'developmentId',
      width: 150,
      responsive: ['xxl'],
      search: access.canReadSales ? undefined : false,
      render: (_, s) => s.developmentName ?? '-',
      renderFormItem: () => (
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('common.all')} options={(developments.data ?? []).map((d) => ({ value: d.id, label: `${d.code} ${d.name}` }))} />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 64,
      fixed: 'right',
      render: (_, s) => [
        <Link key="view" to={`/sales/${s.id}`}>
          {t('sale.viewSplit')}
        </Link>,
      ],
    },
  ];

  return (
    <PageContainer title={t('sale.title')} subTitle={t('sale.subtitle')}>
      {/* Which list (all or mine) depends on the permissions: none is fetched before they are known. */}
      {me ? (
        <ListTable<Sale, FormFilters>
          columns={columns}
          // Key columns (积分, 参与部门, 营销人员) fit at 1366 px; quantity, score, branch and 楼盘 join from 1600 px.
          scroll={{ x: 1000 }}
          pagination={{ showQuickJumper: true }}
          key={mine ? 'mine' : 'all'}
          actionRef={table}
          headerTitle={
            access.canReadSales ? (
              <Segmented
                data-testid="sales-scope"
                value={mine ? 'mine' : 'all'}
                onChange={(v) => setSearch(v === 'mine' ? { mine: 'true' } : {})}
                options={[
                  { value: 'all', label: t('workbench.salesAll') },
                  { value: 'mine', label: t('workbench.salesMine') },
                ]}
              />
            ) : (
              t('workbench.salesMine')
            )
          }
          toolBarRender={() => [
            access.canImportSales ? (
              <Button key="record" type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="sales-record">
                {t('saleForm.record')}
              </Button>
            ) : null,
            access.canImportSales ? (
              <Link key="import" to="/imports?kind=sales">
                <Button icon={<CloudUploadOutlined />} data-testid="sales-import">
                  {t('sale.import')}
                </Button>
              </Link>
            ) : null,
            access.canReadSales ? (
              <ExportButton
                key="export"
                onExport={async () => {
                  await downloadSales(filters);
                }}
              />
            ) : null,
          ]}
          fetchPage={(params) => {
            const f: SaleFilters = {
              page: params.page,
              pageSize: params.pageSize,
              q: textFilter(params.q),
              month: params.month ? dayjs(params.month).format('YYYY-MM') : undefined,
              nodeId: params.nodeId,
              productId: params.productId,
              departmentId: params.departmentId,
              staffId: params.staffId,
              developmentId: params.developmentId,
              mine: mine || undefined,
            };
            setFilters(f);
            return fetchSales(f);
          }}
        />
      ) : null}
      <RecordSaleDrawer
        open={recording}
        onClose={() => setRecording(false)}
        onSaved={(id) => {
          setRecording(false);
          void table.current?.reload();
          navigate(`/sales/${id}`);
        }}
      />
    </PageContainer>
  );
}
