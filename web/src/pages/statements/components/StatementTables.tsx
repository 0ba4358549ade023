import { Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { AdjustmentLine, Statement, StatementDepartment, StatementPerson } from '../../../api/statements';
import { useI18n } from '../../../locales';
import { PointsCell } from '../../sales/components/SaleSplitView';
import type { DrillTarget } from './DrillDrawer';

/** 按部门: points and sales per department, each with its drill-down. */
export function DepartmentTable({ statement: s, onDrill }: { statement: Statement; onDrill(d: DrillTarget): void }) {
  const { t } = useI18n();
  return (
    <Table<StatementDepartment>
      rowKey="departmentId"
      size="small"
      pagination={false}
      dataSource={s.departments}
      data-testid="department-table"
      columns={[
        { title: t('split.department'), dataIndex: 'name', render: (v: string, d) => `${v}（${d.code}）` },
        { title: t('statement.salesCount'), dataIndex: 'sales', align: 'right', width: 110 },
        { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 160, render: (v: string, d) => <PointsCell points={v} voided={d.voided} /> },
        {
          title: t('common.actions'),
          key: 'drill',
          width: 110,
          render: (_, d) => (
            <a data-testid={`drill-department-${d.code}`} onClick={() => onDrill({ kind: 'department', id: d.departmentId, title: d.name })}>
              {t('statement.drill')}
            </a>
          ),
        },
      ]}
    />
  );
}

/** 按人员: points per person and department, with roles and drill-down. */
export function PeopleTable({ statement: s, onDrill }: { statement: Statement; onDrill(d: DrillTarget): void }) {
  const { t } = useI18n();
  return (
    <Table<StatementPerson>
      rowKey={(p) => `${p.departmentId}-${p.staffId}`}
      size="small"
      dataSource={s.people}
      pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.totalN', { n }) }}
      columns={[
        { title: t('split.person'), dataIndex: 'name', render: (v: string, p) => `${v}（${p.staffNo}）` },
        { title: t('split.department'), dataIndex: 'departmentName' },
        { title: t('statement.roles'), dataIndex: 'roles', render: (r: string[]) => r.map((x) => <Tag key={x}>{x}</Tag>) },
        { title: t('statement.salesCount'), dataIndex: 'sales', align: 'right', width: 110 },
        { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 160, render: (v: string, p) => <PointsCell points={v} voided={p.voided} /> },
        {
          title: t('common.actions'),
          key: 'drill',
          width: 110,
          render: (_, p) => <a onClick={() => onDrill({ kind: 'person', id: p.staffId, title: p.name })}>{t('statement.drill')}</a>,
        },
      ]}
    />
  );
}

/** 按项目: points per cross-marketing project (SPEC §4); sales without one grouped together. */
export function ProjectTable({ statement: s }: { statement: Statement }) {
  const { t } = useI18n();
  return (
    <Table
      rowKey={(p) => String(p.projectId)}
      size="small"
      pagination={false}
      dataSource={s.projects}
      columns={[
        {
          title: t('statement.project'),
          dataIndex: 'projectId',
          render: (v: number | null, p) =>
            v === null ? <Typography.Text type="secondary">{t('statement.noProject')}</Typography.Text> : <Link to={`/projects/${v}`}>{p.projectName ?? `#${v}`}</Link>,
        },
        { title: t('statement.salesCount'), dataIndex: 'sales', align: 'right', width: 110 },
        { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 160, render: (v: string, p) => <PointsCell points={v} voided={p.voided} /> },
      ]}
    />
  );
}

/**
 * 调整: corrections of a locked month (SPEC §9.5). On the open month they are the lines it took
 * in (`written`), on the locked month the lines later months took for it (`later`).
 */
export function AdjustmentTable({ lines, mode }: { lines: AdjustmentLine[]; mode: 'written' | 'later' }) {
  const { t } = useI18n();
  return (
    <Table<AdjustmentLine>
      rowKey={(a) => `${a.saleId}-${a.writtenMonth}-${a.departmentId}-${a.staffId ?? 0}`}
      size="small"
      dataSource={lines}
      data-testid={`adjustments-${mode}`}
      pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.totalN', { n }) }}
      columns={[
        { title: t('statement.adjustment.sale'), dataIndex: 'sourceId' },
        mode === 'written'
          ? { title: t('statement.adjustment.adjustsMonth'), dataIndex: 'adjustsMonth', width: 130, render: (v: string) => <Tag color="orange">{v}</Tag> }
          : { title: t('statement.adjustment.writtenMonth'), dataIndex: 'writtenMonth', width: 130, render: (v: string) => <Tag color="blue">{v}</Tag> },
        { title: t('split.department'), dataIndex: 'departmentName' },
        { title: t('split.person'), dataIndex: 'staffName', render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('statement.adjustment.departmentLevel')}</Typography.Text> },
        { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 160, render: (v: string, a) => <PointsCell points={v} voided={a.voided} /> },
      ]}
    />
  );
}
