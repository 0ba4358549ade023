import { type ActionType, PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable } from '../../../components/ListTable';
import { Select, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { fetchNominations, NOMINATION_STATUSES, type Nomination, type NominationStatus } from '../../../api/targets';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';
import { EvaluationTable } from '../components/EvaluationTable';
import { StatusTag } from '../components/StatusTag';
import { useTargetDepartments } from '../components/useTargetDepartments';
import { DecisionModal } from './DecisionModal';

interface FormFilters {
  departmentId?: number;
  status?: NominationStatus;
}

/** 审议 (SPEC §3, Art. 8): committee members decide pending nominations, seeing the evaluation. */
export default function ReviewPage() {
  const { t, pick } = useI18n();
  const { data: me } = useMe();
  const depts = useTargetDepartments();
  const actionRef = useRef<ActionType>(undefined);
  const [deciding, setDeciding] = useState<{ n: Nomination; decision: 'approve' | 'reject' } | null>(null);

  const columns: ProColumns<Nomination>[] = [
    {
      title: t('target.department'),
      dataIndex: 'departmentId',
      width: 200,
      render: (_, n) => `${n.nodeName} · ${n.departmentName}`,
      renderFormItem: () => <Select allowClear showSearch optionFilterProp="label" placeholder={t('common.all')} options={depts.items.map((d) => ({ value: d.id, label: d.label }))} />,
    },
    {
      title: t('target.client'),
      dataIndex: 'companyName',
      search: false,
      width: 260,
      render: (_, n) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/companies/${n.companyId}`}>{n.companyName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.uscc}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('target.action'), dataIndex: 'action', width: 80, search: false, render: (_, n) => <Tag>{t(`target.action.${n.action}`)}</Tag> },
    {
      title: t('target.metCriteria'),
      dataIndex: 'met',
      search: false,
      width: 340,
      render: (_, n) => {
        const met = n.evaluation.results.filter((r) => r.met);
        return met.length ? (
          <Space wrap size={[4, 4]}>
            {met.map((r) => (
              <Tag key={r.code} color="green">
                {pick(r.nameZh, r.nameEn)}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('target.meetsNone')}</Typography.Text>
        );
      },
    },
    { title: t('target.reason'), dataIndex: 'reason', width: 160, search: false, ellipsis: true, render: (_, n) => n.reason ?? '-' },
    { title: t('target.nominatedBy'), dataIndex: 'nominatedByName', width: 100, search: false },
    { title: t('target.nominatedAt'), dataIndex: 'nominatedAt', width: 170, search: false, render: (_, n) => fmtBeijing(n.nominatedAt) },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 100,
      initialValue: 'nominated',
      render: (_, n) => <StatusTag status={n.status} />,
      renderFormItem: () => <Select allowClear placeholder={t('common.all')} options={NOMINATION_STATUSES.map((s) => ({ value: s, label: t(`target.status.${s}`) }))} />,
    },
    {
      title: t('target.decision'),
      dataIndex: 'decisionReason',
      width: 180,
      search: false,
      render: (_, n) =>
        n.decidedAt ? (
          <Space direction="vertical" size={0}>
            <span>
              {n.decidedByName} · {fmtBeijing(n.decidedAt)}
            </span>
            {n.decisionReason ? <Typography.Text type="secondary">{n.decisionReason}</Typography.Text> : null}
          </Space>
        ) : (
          '-'
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      valueType: 'option',
      width: 120,
      fixed: 'right',
      render: (_, n) =>
        n.status === 'nominated' && n.nominatedById !== me?.staffId
          ? [
              <a key="approve" data-testid={`approve-${n.id}`} onClick={() => setDeciding({ n, decision: 'approve' })}>
                {t('target.approve')}
              </a>,
              <a key="reject" style={{ color: '#cf1322' }} data-testid={`reject-${n.id}`} onClick={() => setDeciding({ n, decision: 'reject' })}>
                {t('target.reject')}
              </a>,
            ]
          : [],
    },
  ];

  return (
    <PageContainer title={t('target.reviewTitle')} subTitle={t('target.reviewSubtitle')}>
      <ListTable<Nomination, FormFilters>
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 1720 }}
        headerTitle={t('target.nominationsList')}
        expandable={{
          expandedRowRender: (n) => <EvaluationTable results={n.evaluation.results} />,
        }}
        fetchPage={({ page, pageSize, departmentId, status }) => fetchNominations({ page, pageSize, departmentId, status })}
      />
      <DecisionModal
        nomination={deciding?.n ?? null}
        decision={deciding?.decision ?? 'approve'}
        onClose={() => {
          setDeciding(null);
          actionRef.current?.reload();
        }}
      />
    </PageContainer>
  );
}
