import { type ActionType, type ProColumns, PageContainer } from '@ant-design/pro-components';
import { Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { type Development, fetchDevelopments } from '../../../api/sales';
import { ListTable, textFilter } from '../../../components/ListTable';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { useI18n } from '../../../locales';
import { FiguresDrawer } from './FiguresDrawer';

interface FormFilters {
  q?: string;
  nodeId?: number;
}

/** 楼盘 (SPEC §8): lender mode, threshold and the latest cumulative mortgage households. */
export default function DevelopmentsPage() {
  const { t } = useI18n();
  const [viewing, setViewing] = useState<Development | null>(null);
  const actionRef = useRef<ActionType>(undefined);

  const columns: ProColumns<Development>[] = [
    { title: t('development.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('development.keywordPlaceholder') } },
    { title: t('development.code'), dataIndex: 'code', width: 120, search: false, render: (_, d) => <a onClick={() => setViewing(d)}>{d.code}</a> },
    { title: t('development.name'), dataIndex: 'name', width: 150, search: false },
    { title: t('development.lenderMode'), dataIndex: 'lenderMode', width: 120, search: false, render: (_, d) => t(`development.mode.${d.lenderMode}`) },
    { title: t('development.loanShare'), dataIndex: 'loanShare', width: 110, search: false, align: 'right', render: (_, d) => (d.loanShare ? `${d.loanShare}%` : '-') },
    { title: t('development.threshold'), dataIndex: 'threshold', width: 100, search: false, align: 'right', render: (_, d) => `≥ ${d.threshold}%` },
    { title: t('development.asOf'), key: 'asOf', width: 100, search: false, render: (_, d) => d.latest?.asOf ?? '-' },
    {
      title: t('development.households'),
      key: 'households',
      width: 110,
      search: false,
      align: 'right',
      render: (_, d) => (d.latest ? `${d.latest.bankHouseholds} / ${d.latest.totalHouseholds}` : '-'),
    },
    {
      title: t('development.ratio'),
      key: 'ratio',
      width: 100,
      search: false,
      align: 'right',
      render: (_, d) => (d.latest?.ratio ? <Typography.Text type={d.latest.meetsThreshold ? undefined : 'danger'}>{d.latest.ratio}%</Typography.Text> : '-'),
    },
    {
      title: t('development.verdict'),
      key: 'verdict',
      width: 110,
      search: false,
      render: (_, d) =>
        !d.latest ? <Tag>{t('development.noFigures')}</Tag> : d.latest.meetsThreshold ? <Tag color="green">{t('development.pass')}</Tag> : <Tag color="red">{t('development.fail')}</Tag>,
    },
    { title: t('development.developer'), dataIndex: 'developerName', width: 240, search: false, ellipsis: true },
    {
      title: t('development.node'),
      dataIndex: 'nodeId',
      width: 120,
      render: (_, d) => d.nodeName,
      renderFormItem: () => <OrgTreeSelect placeholder={t('staff.nodeFilter')} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 100,
      render: (_, d) => [
        <a key="figures" onClick={() => setViewing(d)}>
          {t('development.figuresHistory')}
        </a>,
      ],
    },
  ];

  return (
    <PageContainer title={t('development.title')} subTitle={t('development.subtitle')}>
      <ListTable<Development, FormFilters>
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 1450 }}
        pagination={{ showSizeChanger: undefined }}
        headerTitle={t('development.list')}
        fetchPage={({ page, pageSize, q, nodeId }) => fetchDevelopments({ page, pageSize, q: textFilter(q), nodeId })}
      />
      <FiguresDrawer
        development={viewing}
        onClose={() => {
          setViewing(null);
          // New figures change the latest ratio shown in the list.
          actionRef.current?.reload();
        }}
      />
    </PageContainer>
  );
}
