import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { PageContainer, StatisticCard } from '@ant-design/pro-components';
import { App, Button, Card, DatePicker, Empty, Popconfirm, Result, Space, Spin, Tabs } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useOrgNodes } from '../../api/org';
import { downloadStatement, type Statement, useRecompute, useStatement, useStatementMonths } from '../../api/statements';
import { accessOf } from '../../access';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PeriodStateTag } from '../../components/PeriodStateTag';
import { useI18n } from '../../locales';
import { DevelopmentTable } from './components/DevelopmentTable';
import { DrillDrawer, type DrillTarget } from './components/DrillDrawer';
import { BranchRollup } from './components/BranchRollup';
import { StatementCharts } from './components/StatementCharts';
import { AdjustmentTable, DepartmentTable, PeopleTable, ProjectTable } from './components/StatementTables';
import { beijingMonth } from '../../format';

const BRANCH_LEVELS = ['province', 'branch'] as const;

/** 积分统计表（草稿）(SPEC §9 step 1): a branch's month by department, person and project, with drill-down. */
export default function StatementsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const nodes = useOrgNodes();
  const [search, setSearch] = useSearchParams();
  const nodeId = Number(search.get('node')) || undefined;
  const monthParam = search.get('month');
  const months = useStatementMonths(nodeId);
  // No month asked: the latest month with scored sales (never an empty current month), else this month.
  const month = monthParam ?? (months.isLoading ? undefined : (months.data?.[0]?.month ?? beijingMonth()));
  const statement = useStatement(nodeId, month);
  const recompute = useRecompute();
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [exporting, setExporting] = useState(false);

  // Default branch: the person's own when it is a branch, else the first branch in scope.
  useEffect(() => {
    if (nodeId || !nodes.data?.length) return;
    const branches = nodes.data.filter((n) => (BRANCH_LEVELS as readonly string[]).includes(n.level));
    const own = branches.find((n) => n.id === me?.nodeId);
    const pick = own ?? branches.find((n) => n.level === 'branch') ?? branches[0];
    if (pick) setSearch(monthParam ? { node: String(pick.id), month: monthParam } : { node: String(pick.id) }, { replace: true });
  }, [nodeId, nodes.data, me?.nodeId, monthParam, setSearch]);
  // Once the latest month is known it goes into the address, so the page can be shared and reloaded.
  useEffect(() => {
    if (nodeId && !monthParam && month) setSearch({ node: String(nodeId), month }, { replace: true });
  }, [nodeId, monthParam, month, setSearch]);

  const choose = (next: { node?: number; month?: string }) => setSearch({ node: String(next.node ?? nodeId ?? ''), month: next.month ?? month ?? beijingMonth() });
  const province = nodes.data?.find((n) => n.id === nodeId)?.level === 'province';

  const s = statement.data;
  return (
    <PageContainer
      title={t('statement.title')}
      subTitle={t('statement.subtitle')}
      // The month's real state (issue 12 rule 6), not a fixed 草稿.
      tags={s ? [<PeriodStateTag key="state" state={s.state} testId="statement-state" />] : []}
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            disabled={!s}
            loading={exporting}
            data-testid="statement-export"
            onClick={async () => {
              setExporting(true);
              try {
                await downloadStatement(nodeId!, month!);
              } finally {
                setExporting(false);
              }
            }}
          >
            {t('common.exportExcel')}
          </Button>
          {/* A locked month is final: no recompute is offered (the API refuses it too). */}
          {access.canConfigureScoring && s?.state !== 'locked' ? (
            <Popconfirm
              title={t('statement.recomputeConfirm')}
              onConfirm={async () => {
                const r = await recompute.mutateAsync({ nodeId: nodeId!, month: month! });
                message.success(r.entries ? t('statement.recomputed', { reversed: r.reversed, written: r.written }) : t('statement.recomputeNothing'));
              }}
            >
              <Button icon={<ReloadOutlined />} loading={recompute.isPending} disabled={!s}>
                {t('statement.recompute')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('statement.branch')}</span>
          <OrgTreeSelect value={nodeId} onChange={(v) => v && choose({ node: v })} selectable={[...BRANCH_LEVELS]} allowClear={false} style={{ width: 240 }} id="statement-node" />
          <span>{t('sale.month')}</span>
          <DatePicker picker="month" allowClear={false} value={month ? dayjs(`${month}-01`) : null} onChange={(d) => d && choose({ month: d.format('YYYY-MM') })} data-testid="statement-month" />
        </Space>
      </Card>
      {province && month ? <BranchRollup nodeId={nodeId!} month={month} /> : null}
      {statement.isLoading || months.isLoading || (!nodeId && nodes.isLoading) ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : statement.error ? (
        <StatementRefused error={statement.error} month={month!} />
      ) : !s ? (
        <Empty description={t('statement.chooseBranch')} />
      ) : (
        <StatementBody statement={s} onDrill={setDrill} />
      )}
      {nodeId && month ? <DrillDrawer nodeId={nodeId} month={month} target={drill} onClose={() => setDrill(null)} /> : null}
    </PageContainer>
  );
}

/**
 * Why there is no statement to show, in the page rather than a passing toast: an archived year
 * (410 PERIOD.ARCHIVED — the figures left the online data as partitions, decision 0042) says so
 * with its year; any other refusal shows the server's own words.
 */
function StatementRefused({ error, month }: { error: Error; month: string }) {
  const { t } = useI18n();
  const archived = error instanceof ApiError && error.code === 'PERIOD.ARCHIVED';
  return (
    <div data-testid={archived ? 'statement-archived' : 'statement-refused'}>
      <Result status={archived ? 'info' : 'warning'} title={archived ? t('statement.archived', { year: month.slice(0, 4) }) : t('statement.refused')} subTitle={error.message} />
    </div>
  );
}

function StatementBody({ statement: s, onDrill }: { statement: Statement; onDrill(d: DrillTarget): void }) {
  const { t } = useI18n();
  return (
    <div data-testid="statement">
      <StatisticCard.Group direction="row" style={{ marginBottom: 16 }}>
        <StatisticCard statistic={{ title: t('statement.totalPoints'), value: s.totals.total.points }} />
        <StatisticCard statistic={{ title: t('statement.salesCount'), value: s.totals.sales }} />
        <StatisticCard statistic={{ title: t('statement.voidedPoints'), value: s.totals.voided.points, valueStyle: s.totals.voided.pointsHundredths ? { color: '#cf1322' } : undefined }} />
        <StatisticCard statistic={{ title: t('statement.peoplePoints'), value: s.totals.people.points }} />
        <StatisticCard statistic={{ title: t('statement.departmentLevelPoints'), value: s.totals.departmentLevel.points }} />
      </StatisticCard.Group>
      <StatementCharts statement={s} />
      <DevelopmentTable statement={s} />
      <Card size="small">
        <Tabs
          items={[
            { key: 'departments', label: t('statement.byDepartment'), children: <DepartmentTable statement={s} onDrill={onDrill} /> },
            { key: 'people', label: t('statement.byPerson'), children: <PeopleTable statement={s} onDrill={onDrill} /> },
            { key: 'projects', label: t('statement.byProject'), children: <ProjectTable statement={s} /> },
            ...(s.adjustments.length
              ? [{ key: 'adjustments', label: `${t('statement.adjustment.written')}（${s.adjustments.length}）`, children: <AdjustmentTable lines={s.adjustments} mode="written" /> }]
              : []),
            ...(s.laterAdjustments.length
              ? [{ key: 'later', label: `${t('statement.adjustment.later')}（${s.laterAdjustments.length}）`, children: <AdjustmentTable lines={s.laterAdjustments} mode="later" /> }]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
