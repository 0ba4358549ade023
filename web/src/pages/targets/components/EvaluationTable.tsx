import { CheckCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { Space, Table, Tag, Typography } from 'antd';
import { useFactsCatalogue } from '../../../api/customers';
import type { CriterionResult, FactUsed } from '../../../api/targets';
import { wanOf } from '../../../components/money';
import { useI18n } from '../../../locales';

/** A fact value as a bank user reads it: amounts in 万元, ranks as 第n名, yes/no, enum labels. */
export function useFactValue() {
  const { t, pick } = useI18n();
  const catalogue = useFactsCatalogue();
  return (f: FactUsed): string => {
    const v = f.value;
    if (v === null || v === undefined) return t('customer.unknown');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'number' && f.key.endsWith('Fen')) return `${wanOf(v)} ${t('unit.wan')}`;
    if (typeof v === 'number' && /Rank/.test(f.key)) return t('customer.rankNo', { n: v });
    const option = catalogue.data?.find((c) => c.key === f.key)?.options?.find((o) => o.value === v);
    return option ? pick(option.zh, option.en) : String(v);
  };
}

/** Met / unmet Article 9 criteria with the facts each one read (SPEC §3). */
export function EvaluationTable({ results, compact }: { results: CriterionResult[]; compact?: boolean }) {
  const { t, pick } = useI18n();
  const factValue = useFactValue();
  return (
    <Table<CriterionResult>
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={results}
      data-testid="evaluation-table"
      rowClassName={(r) => (r.met ? 'criterion-met' : 'criterion-unmet')}
      columns={[
        {
          title: t('target.criterion'),
          dataIndex: 'nameZh',
          width: compact ? 220 : 280,
          render: (_, r) => (
            <Space>
              {r.met ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <MinusCircleOutlined style={{ color: '#bfbfbf' }} />}
              <Typography.Text strong={r.met}>{pick(r.nameZh, r.nameEn)}</Typography.Text>
            </Space>
          ),
        },
        {
          title: t('target.result'),
          dataIndex: 'met',
          width: 90,
          render: (_, r) => (r.met ? <Tag color="green">{t('target.met')}</Tag> : <Tag>{t('target.unmet')}</Tag>),
        },
        {
          title: t('target.facts'),
          key: 'facts',
          width: compact ? 220 : 280,
          render: (_, r) =>
            r.facts.length ? (
              <Space direction="vertical" size={0}>
                {r.facts.map((f) => (
                  <Typography.Text key={f.key} type={f.value === null ? 'secondary' : undefined}>
                    {pick(f.labelZh, f.labelEn)}：{factValue(f)}
                  </Typography.Text>
                ))}
              </Space>
            ) : (
              '-'
            ),
        },
        ...(compact
          ? []
          : [
              {
                title: t('target.explanation'),
                key: 'explanation',
                render: (_: unknown, r: CriterionResult) => <Typography.Text type="secondary">{pick(r.explanation.zh, r.explanation.en)}</Typography.Text>,
              },
            ]),
      ]}
    />
  );
}
