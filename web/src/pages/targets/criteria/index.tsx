import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../api/auth';
import { useClientTypes, useFactsCatalogue } from '../../../api/customers';
import { type Criterion, type CriterionRow, TARGET_DEPT_KINDS, type TargetDeptKind, useCriteria } from '../../../api/targets';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';
import { CriterionEditor } from './CriterionEditor';
import { type RuleContext, ruleText } from './ruleText';

/** 准入标准 (SPEC §3, Art. 9): the criteria in force per department kind, their history, effective-dated edits. */
export default function CriteriaPage() {
  const { t, pick, lang } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const [kind, setKind] = useState<TargetDeptKind>('corporate');
  const criteria = useCriteria(kind);
  const catalogue = useFactsCatalogue();
  const types = useClientTypes();
  const [editing, setEditing] = useState<Criterion | null>(null);
  const ctx: RuleContext = { t, pick, catalogue: catalogue.data ?? [], types: types.data ?? [], lang };

  const statusOf = (c: Criterion) => {
    if (c.inForce) return <Tag color="green">{t('target.inForce')}</Tag>;
    const future = c.history.find((h) => h.effectiveFrom > (criteria.data?.on ?? ''));
    if (future && !c.current) return <Tag color="blue">{t('target.notYetInForce')}</Tag>;
    return <Tag>{t('target.inactive')}</Tag>;
  };

  const history = (c: Criterion) => (
    <Table<CriterionRow>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={c.history}
      columns={[
        {
          title: t('target.effectiveFrom'),
          dataIndex: 'effectiveFrom',
          width: 120,
          render: (_, r) => (
            <>
              {r.effectiveFrom}{' '}
              {c.current?.id === r.id ? <Tag color="green">{t('target.inForce')}</Tag> : r.effectiveFrom > (criteria.data?.on ?? '') ? <Tag color="blue">{t('target.scheduled')}</Tag> : null}
            </>
          ),
        },
        { title: t('target.criterionName'), dataIndex: 'nameZh', render: (_, r) => pick(r.nameZh, r.nameEn) },
        { title: t('target.rule'), dataIndex: 'rule', render: (_, r) => ruleText(r.rule, ctx) },
        { title: t('common.status'), dataIndex: 'active', width: 80, render: (_, r) => (r.active ? t('common.active') : t('common.inactive')) },
        { title: t('target.changedAt'), dataIndex: 'createdAt', width: 170, render: (_, r) => fmtBeijing(r.createdAt) },
      ]}
    />
  );

  return (
    <PageContainer title={t('target.criteriaTitle')} subTitle={t('target.criteriaSubtitle')}>
      <ProCard bordered>
        <Tabs activeKey={kind} onChange={(k) => setKind(k as TargetDeptKind)} items={TARGET_DEPT_KINDS.map((k) => ({ key: k, label: t(`dept.kind.${k}`) }))} />
        <Typography.Paragraph type="secondary">{t('target.criteriaOn', { on: criteria.data?.on ?? '-' })}</Typography.Paragraph>
        <Table<Criterion>
          rowKey="code"
          size="middle"
          loading={criteria.isLoading}
          dataSource={criteria.data?.items ?? []}
          pagination={false}
          data-testid="criteria-table"
          expandable={{ expandedRowRender: history }}
          columns={[
            { title: t('target.criterionCode'), dataIndex: 'code', width: 200, render: (_, c) => <Typography.Text code>{c.code}</Typography.Text> },
            {
              title: t('target.criterionName'),
              key: 'name',
              width: 240,
              render: (_, c) => {
                const r = c.current ?? c.history[0];
                return r ? pick(r.nameZh, r.nameEn) : '-';
              },
            },
            {
              title: t('target.thresholds'),
              key: 'rule',
              render: (_, c) => {
                const r = c.current ?? c.history[0];
                return r ? ruleText(r.rule, ctx) : '-';
              },
            },
            { title: t('target.effectiveFrom'), key: 'from', width: 120, render: (_, c) => c.current?.effectiveFrom ?? '-' },
            { title: t('common.status'), key: 'status', width: 100, render: (_, c) => statusOf(c) },
            {
              title: t('target.historyCount'),
              key: 'history',
              width: 80,
              align: 'right',
              render: (_, c) => c.history.length,
            },
            ...(access.canConfigureTargets
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, c: Criterion) => (
                      <a onClick={() => setEditing(c)} data-testid={`edit-${c.code}`}>
                        {t('target.adjust')}
                      </a>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </ProCard>
      <CriterionEditor criterion={editing} today={criteria.data?.on} onClose={() => setEditing(null)} />
    </PageContainer>
  );
}
