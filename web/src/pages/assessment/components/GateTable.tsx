import { Alert, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { AssessmentResult, GateLine } from '../../../api/assessment';
import { pctOfBp } from '../../../api/dashboards';
import { groupQty } from '../../../api/quotas';
import { useI18n } from '../../../locales';
import { bpText } from '../../quotas/components/LineTargets';

/**
 * 完成率门槛 (Art. 22): every department × product with an approved quota, passed or not, with the
 * reason in words. A product below the gate counts nothing toward its department (exactly at the
 * gate counts); gated lines are shown first and in red.
 */
export function GateTable({ result: r }: { result: AssessmentResult }) {
  const { t, pick } = useI18n();
  const gated = r.gate.filter((g) => !g.passed);
  const [show, setShow] = useState<'gated' | 'all'>(gated.length ? 'gated' : 'all');
  const rows = show === 'gated' ? gated : r.gate;
  return (
    <>
      <Alert
        type={gated.length ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="assessment-gate-summary"
        message={r.gate.length ? t('assessment.gateSummary', { gate: bpText(r.gateBp), n: r.gate.length, m: gated.length, points: r.totals.gated.points }) : t('assessment.gateNone')}
      />
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          value={show}
          onChange={(v) => setShow(v as 'gated' | 'all')}
          options={[
            { value: 'gated', label: `${t('assessment.gatedOnly')}（${gated.length}）` },
            { value: 'all', label: `${t('common.all')}（${r.gate.length}）` },
          ]}
          data-testid="assessment-gate-filter"
        />
      </Space>
      <Table<GateLine>
        rowKey={(g) => `${g.departmentId}-${g.productId}`}
        size="small"
        dataSource={rows}
        data-testid="assessment-gate-table"
        scroll={{ x: 1000 }}
        pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.totalN', { n }) }}
        onRow={(g) => ({ style: g.passed ? undefined : { background: '#fff1f0' } })}
        locale={{ emptyText: t('assessment.noGated') }}
        columns={[
          { title: t('quota.department'), dataIndex: 'departmentName', width: 110 },
          { title: t('quota.product'), dataIndex: 'productName', width: 130 },
          { title: t('dashboard.quota'), dataIndex: 'quota', align: 'right', width: 100, render: (v: string, g) => `${groupQty(v)} ${g.unit}` },
          { title: t('dashboard.done'), dataIndex: 'completion', align: 'right', width: 100, render: (v: string, g) => `${groupQty(v)} ${g.unit}` },
          { title: t('dashboard.rate'), dataIndex: 'completionBp', align: 'right', width: 90, render: (v: number | null) => pctOfBp(v) },
          {
            title: t('assessment.gateResult'),
            dataIndex: 'passed',
            width: 130,
            render: (p: boolean) => (p ? <Tag color="green">{t('assessment.passed')}</Tag> : <Tag color="red">{t('assessment.gatedTag')}</Tag>),
          },
          {
            title: t('assessment.productPoints'),
            key: 'points',
            align: 'right',
            width: 100,
            render: (_, g) =>
              g.passed ? (
                g.points.points
              ) : (
                <Typography.Text delete type="danger">
                  {g.points.points}
                </Typography.Text>
              ),
          },
          { title: t('assessment.reason'), key: 'reason', render: (_, g) => pick(g.reason.zh, g.reason.en) },
        ]}
      />
    </>
  );
}
