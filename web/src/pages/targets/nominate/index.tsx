import { CloudUploadOutlined, SendOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, App, Button, Empty, Form, Input, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { type Nomination, useCriteria, useEvaluation, useNominate, useNominations } from '../../../api/targets';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';
import { CompanySelect } from '../components/CompanySelect';
import { EvaluationTable } from '../components/EvaluationTable';
import { StatusTag } from '../components/StatusTag';
import { useTargetDepartments } from '../components/useTargetDepartments';

/** Waits until typing pauses before re-evaluating "other" with the reason. */
function useDebounced<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/**
 * 提名 (SPEC §3, Art. 7–8): a corporate department nominates a client it manages; the criteria it
 * meets are shown with the facts before submitting; "其他" needs a written reason.
 */
export default function NominatePage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const [params] = useSearchParams();
  const depts = useTargetDepartments();
  const [departmentId, setDepartmentId] = useState<number | undefined>(Number(params.get('departmentId')) || undefined);
  const [companyId, setCompanyId] = useState<number | undefined>(Number(params.get('companyId')) || undefined);
  const [companyLabel, setCompanyLabel] = useState<string | undefined>();
  const [action, setAction] = useState<'add' | 'remove'>('add');
  const [reason, setReason] = useState('');
  const debounced = useDebounced(reason.trim());
  const nominate = useNominate();

  // Default to the caller's own branch department, else the first one in scope.
  useEffect(() => {
    if (departmentId || !depts.items.length) return;
    setDepartmentId((depts.items.find((d) => d.nodeId === me?.nodeId) ?? depts.items[0]).id);
  }, [depts.items, departmentId, me?.nodeId]);

  const dept = depts.items.find((d) => d.id === departmentId);
  const criteria = useCriteria(dept?.kind);
  const otherCodes = useMemo(() => new Set((criteria.data?.items ?? []).filter((c) => c.current?.rule.kind === 'other').map((c) => c.code)), [criteria.data]);
  const evaluation = useEvaluation(companyId, departmentId, debounced || undefined, true);
  const metByRule = (evaluation.data?.results ?? []).filter((r) => r.met && !otherCodes.has(r.code));
  const needsReason = action === 'remove' || (!!evaluation.data && metByRule.length === 0);
  const mine = useNominations({ departmentId, pageSize: 10 }, !!departmentId);

  const submit = quietly(async () => {
    if (!companyId || !departmentId) return;
    if (needsReason && reason.trim().length === 0) {
      message.warning(action === 'remove' ? t('target.removeNeedsReason') : t('target.otherNeedsReason'));
      return;
    }
    const n = await nominate.mutateAsync({ companyId, departmentId, action, reason: reason.trim() || null });
    message.success(t('target.nominated', { name: n.companyName }));
    setCompanyId(undefined);
    setCompanyLabel(undefined);
    setReason('');
  });

  return (
    <PageContainer
      title={t('target.nominateTitle')}
      subTitle={t('target.nominateSubtitle')}
      extra={
        access.canImport ? (
          <Link to="/imports?kind=target-nominations">
            <Button icon={<CloudUploadOutlined />}>{t('target.batchImport')}</Button>
          </Link>
        ) : null
      }
    >
      <ProCard gutter={[16, 16]} wrap ghost>
        <ProCard colSpan={{ xs: 24, xl: 9 }} title={t('target.nominationForm')} bordered headerBordered>
          <Form layout="vertical">
            <Form.Item label={t('target.nominatingDepartment')} required>
              <Select
                value={departmentId}
                loading={depts.isLoading}
                showSearch
                optionFilterProp="label"
                onChange={(v) => {
                  setDepartmentId(v);
                  setCompanyId(undefined);
                }}
                options={depts.items.map((d) => ({ value: d.id, label: d.label }))}
                data-testid="nominate-department"
              />
            </Form.Item>
            <Form.Item label={t('target.client')} required extra={t('target.clientHint')}>
              <CompanySelect
                value={companyId}
                departmentId={departmentId}
                known={
                  companyId && (companyLabel || evaluation.data?.company.id === companyId)
                    ? [{ id: companyId, label: companyLabel ?? `${evaluation.data!.company.name}（${evaluation.data!.company.uscc}）` }]
                    : []
                }
                onChange={(v, c) => {
                  setCompanyId(v);
                  setCompanyLabel(c ? `${c.name}（${c.uscc}）` : undefined);
                }}
                style={{ width: '100%' }}
              />
            </Form.Item>
            <Form.Item label={t('target.action')}>
              <Radio.Group value={action} onChange={(e) => setAction(e.target.value)}>
                <Radio.Button value="add">{t('target.action.add')}</Radio.Button>
                <Radio.Button value="remove">{t('target.action.remove')}</Radio.Button>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              label={t('target.reason')}
              required={needsReason}
              extra={needsReason ? (action === 'remove' ? t('target.removeNeedsReason') : t('target.otherNeedsReason')) : t('target.reasonOptional')}
            >
              <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="nominate-reason" />
            </Form.Item>
            <Button type="primary" icon={<SendOutlined />} disabled={!companyId || !departmentId || !evaluation.data} loading={nominate.isPending} onClick={submit} data-testid="nominate-submit">
              {t('target.submitNomination')}
            </Button>
          </Form>
        </ProCard>
        <ProCard colSpan={{ xs: 24, xl: 15 }} title={t('target.evaluationTitle')} bordered headerBordered>
          {!companyId ? (
            <Empty description={t('target.pickClientFirst')} />
          ) : evaluation.error ? (
            <Alert type="error" showIcon message={(evaluation.error as Error).message} />
          ) : !evaluation.data ? (
            <Spin />
          ) : (
            <>
              <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
                <Typography.Text>
                  <Link to={`/customers/companies/${evaluation.data.company.id}`}>{evaluation.data.company.name}</Link>
                  <Typography.Text type="secondary">（{evaluation.data.company.uscc}）</Typography.Text>
                </Typography.Text>
                <Alert
                  type={evaluation.data.met.length ? 'success' : 'warning'}
                  showIcon
                  message={evaluation.data.met.length ? t('target.meetsN', { n: evaluation.data.met.length }) : t('target.meetsNoneNeedReason')}
                  description={t('target.evaluatedOn', { on: evaluation.data.on })}
                />
              </Space>
              <EvaluationTable results={evaluation.data.results} compact />
            </>
          )}
        </ProCard>
        <ProCard colSpan={24} title={t('target.recentNominations', { dept: dept?.label ?? '' })} bordered headerBordered>
          <Table<Nomination>
            rowKey="id"
            size="small"
            loading={mine.isLoading}
            dataSource={mine.data?.items ?? []}
            pagination={false}
            columns={[
              { title: t('target.client'), dataIndex: 'companyName', render: (_, n) => <Link to={`/customers/companies/${n.companyId}`}>{n.companyName}</Link> },
              { title: t('target.action'), dataIndex: 'action', width: 80, render: (_, n) => <Tag>{t(`target.action.${n.action}`)}</Tag> },
              {
                title: t('target.metCriteria'),
                dataIndex: 'met',
                render: (_, n) =>
                  n.evaluation.results
                    .filter((r) => r.met)
                    .map((r) => (
                      <Tag key={r.code} color="green">
                        {pick(r.nameZh, r.nameEn)}
                      </Tag>
                    )),
              },
              { title: t('target.nominatedBy'), dataIndex: 'nominatedByName', width: 100 },
              { title: t('target.nominatedAt'), dataIndex: 'nominatedAt', width: 170, render: (_, n) => fmtBeijing(n.nominatedAt) },
              { title: t('common.status'), dataIndex: 'status', width: 90, render: (_, n) => <StatusTag status={n.status} /> },
              { title: t('target.decisionReason'), dataIndex: 'decisionReason', width: 180, ellipsis: true, render: (_, n) => n.decisionReason ?? '-' },
            ]}
          />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
