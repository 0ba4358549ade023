import { InfoCircleOutlined } from '@ant-design/icons';
import { Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { AssessmentResult, DepartmentResult, PersonResult } from '../../../api/assessment';
import { pctOfBp } from '../../../api/dashboards';
import { yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { shareBpOf } from './money';

/**
 * 部门得分与奖励: points before and after the gate, the mean completion, the share of the pool
 * (largest remainder to the 分: the column adds up to the pool), special awards and KPI deductions,
 * with each department's explanation lines.
 */
export function DepartmentTable({ result: r }: { result: AssessmentResult }) {
  const { t, pick } = useI18n();
  return (
    <Table<DepartmentResult>
      rowKey="departmentId"
      size="small"
      dataSource={r.departments}
      pagination={false}
      data-testid="assessment-departments"
      scroll={{ x: 1060 }}
      expandable={{
        fixed: 'left',
        rowExpandable: (d) => d.notes.length > 0 || r.people.some((p) => p.departmentId === d.departmentId),
        expandedRowRender: (d) => (
          <>
            {d.notes.length ? (
              <ul style={{ margin: '0 0 8px', paddingLeft: 18 }}>
                {d.notes.map((n, i) => (
                  <li key={i}>{pick(n.zh, n.en)}</li>
                ))}
              </ul>
            ) : null}
            <PeopleRows people={r.people.filter((p) => p.departmentId === d.departmentId)} />
          </>
        ),
      }}
      columns={[
        {
          title: t('quota.department'),
          dataIndex: 'name',
          width: 140,
          fixed: 'left',
          render: (v: string, d) => (
            <>
              <div style={{ whiteSpace: 'nowrap' }}>{v}</div>
              {d.code ? <Typography.Text type="secondary">{d.code}</Typography.Text> : null}
            </>
          ),
        },
        { title: t('assessment.pointsBefore'), key: 'points', align: 'right', width: 100, render: (_, d) => d.points.points },
        {
          title: t('assessment.pointsGated'),
          key: 'gated',
          align: 'right',
          width: 100,
          render: (_, d) => (d.gated.pointsHundredths ? <Typography.Text type="danger">{d.gated.points}</Typography.Text> : d.gated.points),
        },
        { title: t('assessment.pointsCounted'), key: 'counted', align: 'right', width: 100, render: (_, d) => <b>{d.counted.points}</b> },
        { title: t('assessment.meanCompletion'), dataIndex: 'completionBp', align: 'right', width: 100, render: (v: number | null) => pctOfBp(v) },
        { title: t('assessment.share'), key: 'share', align: 'right', width: 90, render: (_, d) => pctOfBp(shareBpOf(d.reward.amountFen, r.pool.amountFen)) },
        {
          title: `${t('assessment.reward')}（${t('assessment.yuan')}）`,
          key: 'reward',
          align: 'right',
          width: 120,
          render: (_, d) => <span data-testid={`assessment-reward-${d.code}`}>{yuanOf(d.reward.amountFen)}</span>,
        },
        { title: `${t('assessment.special')}（${t('assessment.yuan')}）`, key: 'special', align: 'right', width: 110, render: (_, d) => yuanOf(d.special.amountFen) },
        {
          title: t('assessment.kpi'),
          key: 'kpi',
          align: 'right',
          width: 80,
          render: (_, d) => (d.kpiDeduction.pointsHundredths ? <Tag color="red">-{d.kpiDeduction.points}</Tag> : '-'),
        },
        {
          title: t('assessment.notes'),
          key: 'notes',
          width: 64,
          align: 'center',
          render: (_, d) =>
            d.notes.length ? (
              <Tooltip
                title={
                  <ul style={{ margin: 0, paddingLeft: 16 }}>
                    {d.notes.map((n, i) => (
                      <li key={i}>{pick(n.zh, n.en)}</li>
                    ))}
                  </ul>
                }
              >
                <InfoCircleOutlined style={{ color: '#1677ff', cursor: 'help' }} aria-label={t('assessment.notes')} />
              </Tooltip>
            ) : null,
        },
      ]}
      summary={() => (
        <Table.Summary fixed>
          <Table.Summary.Row style={{ fontWeight: 600 }}>
            <Table.Summary.Cell index={0} />
            <Table.Summary.Cell index={1}>{t('assessment.total')}</Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {r.totals.points.points}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {r.totals.gated.points}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {r.totals.counted.points}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} />
            <Table.Summary.Cell index={6} align="right">
              {pctOfBp(shareBpOf(r.totals.reward.amountFen, r.pool.amountFen))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              <span data-testid="assessment-reward-total">{yuanOf(r.totals.reward.amountFen)}</span>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right">
              {yuanOf(r.totals.special.amountFen)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={9} />
            <Table.Summary.Cell index={10} />
          </Table.Summary.Row>
        </Table.Summary>
      )}
    />
  );
}

/** The people of one department (inside the department table). */
function PeopleRows({ people }: { people: PersonResult[] }) {
  const { t } = useI18n();
  return <Table<PersonResult> rowKey={(p) => `${p.departmentId}-${p.staffId ?? 'dept'}`} size="small" pagination={false} dataSource={people} columns={personColumns(t, false)} />;
}

function personColumns(t: ReturnType<typeof useI18n>['t'], withDepartment: boolean) {
  return [
    ...(withDepartment ? [{ title: t('quota.department'), dataIndex: 'departmentName', width: 120 }] : []),
    {
      title: t('dashboard.person'),
      key: 'who',
      width: 200,
      render: (_: unknown, p: PersonResult) => (p.staffId === null ? <Typography.Text type="secondary">{t('assessment.departmentPart')}</Typography.Text> : `${p.name}（${p.staffNo}）`),
    },
    { title: t('assessment.pointsBefore'), key: 'points', align: 'right' as const, width: 110, render: (_: unknown, p: PersonResult) => p.points.points },
    { title: t('assessment.pointsCounted'), key: 'counted', align: 'right' as const, width: 110, render: (_: unknown, p: PersonResult) => p.counted.points },
    { title: `${t('assessment.reward')}（${t('assessment.yuan')}）`, key: 'reward', align: 'right' as const, width: 130, render: (_: unknown, p: PersonResult) => yuanOf(p.reward.amountFen) },
    { title: `${t('assessment.special')}（${t('assessment.yuan')}）`, key: 'special', align: 'right' as const, width: 120, render: (_: unknown, p: PersonResult) => yuanOf(p.special.amountFen) },
    {
      title: `${t('assessment.payable')}（${t('assessment.yuan')}）`,
      key: 'total',
      align: 'right' as const,
      width: 130,
      // Integer 分 added: exact.
      render: (_: unknown, p: PersonResult) => <b>{yuanOf(p.reward.amountFen + p.special.amountFen)}</b>,
    },
  ];
}

/** 人员奖励: every person's share of their department's reward, by their points after the gate. */
export function PeopleTable({ result: r }: { result: AssessmentResult }) {
  const { t } = useI18n();
  const [department, setDepartment] = useState<number | undefined>();
  const rows = useMemo(() => r.people.filter((p) => !department || p.departmentId === department), [r, department]);
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder={t('dashboard.allDepartments')}
          value={department}
          onChange={setDepartment}
          style={{ width: 180 }}
          options={r.departments.map((d) => ({ value: d.departmentId, label: d.name }))}
          data-testid="assessment-people-department"
        />
        <Typography.Text type="secondary">{t('assessment.peopleHint')}</Typography.Text>
      </Space>
      <Table<PersonResult>
        rowKey={(p) => `${p.departmentId}-${p.staffId ?? 'dept'}`}
        size="small"
        dataSource={rows}
        data-testid="assessment-people"
        scroll={{ x: 900 }}
        pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.totalN', { n }) }}
        columns={personColumns(t, true)}
      />
    </>
  );
}
