import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Grid, Progress, Segmented, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  type CoverageRow,
  type Indicator,
  SEVERITY_COLORS,
  type StatusBy,
  useIndicators,
  useWarningCoverage,
  useWarnings,
  useWarningStatus,
  type Warning,
  type WarningStatusRow,
} from '../../api/warnings';
import { useMe } from '../../api/auth';
import { accessOf } from '../../access';
import { fmtMoney } from '../../components/money';
import { serverPaging } from '../../components/paging';
import { useI18n } from '../../locales';
import { EscalationCard } from './EscalationCard';
import { IndicatorModal } from './IndicatorModal';
import { WarningTags } from './labels';

/**
 * 预警处理情况 for leaders (SPEC §12, seed 002 "分支行领导可以实时通过手机查看预警客户处理情况和有贷户的
 * 综合产品营销情况"): handling by branch / sub-branch / outlet / AM, the overdue warnings, the loan
 * clients' product holdings, and each indicator with last month's count.
 */
export default function WarningStatusPage() {
  const { t, lang } = useI18n();
  const narrow = !Grid.useBreakpoint().md;
  const [by, setBy] = useState<StatusBy>('branch');
  const status = useWarningStatus(by);
  const [overduePage, setOverduePage] = useState(1);
  const overdue = useWarnings({ overdue: 'true', page: overduePage, pageSize: 10 });
  const [covPage, setCovPage] = useState(1);
  const coverage = useWarningCoverage(covPage);
  const [history, setHistory] = useState(false);
  const indicators = useIndicators(history);
  const access = accessOf(useMe().data);
  // 修改 / 新增指标 (bank-wide 'warning.configure'): null closed, 'new', or the version edited.
  const [editing, setEditing] = useState<Indicator | 'new' | null>(null);
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  const rate = (r: WarningStatusRow) => (r.total ? Math.floor((r.closed * 100) / r.total) : 0);
  return (
    <PageContainer title={t('warning.statusTitle')} subTitle={narrow ? undefined : t('warning.statusSubtitle')}>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Card
          size="small"
          title={
            <Segmented
              value={by}
              onChange={(v) => setBy(v as StatusBy)}
              options={(['branch', 'subbranch', 'outlet', 'am'] as const).map((k) => ({ value: k, label: t(`warning.by.${k}`) }))}
              data-testid="warning-status-by"
            />
          }
        >
          <Table<WarningStatusRow>
            rowKey="groupId"
            size="small"
            data-testid="warning-status-table"
            loading={status.isLoading}
            dataSource={status.data?.items ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            columns={[
              { title: t('warning.group'), fixed: 'left', render: (_, r) => (r.parentName && by !== 'branch' ? `${r.groupName}（${r.parentName}）` : r.groupName) },
              { title: t('warning.total'), dataIndex: 'total', align: 'right' },
              { title: t('warning.status.open'), dataIndex: 'open', align: 'right' },
              { title: t('warning.status.acknowledged'), dataIndex: 'acknowledged', align: 'right' },
              { title: t('warning.status.visited'), dataIndex: 'visited', align: 'right' },
              { title: t('warning.status.closed'), dataIndex: 'closed', align: 'right' },
              { title: t('warning.escalated'), dataIndex: 'escalated', align: 'right', render: (v: number) => (v ? <Tag color="magenta">{v}</Tag> : 0) },
              { title: t('warning.overdue'), dataIndex: 'overdue', align: 'right', render: (v: number) => (v ? <Tag color="volcano">{v}</Tag> : 0) },
              { title: t('warning.highOpen'), dataIndex: 'highOpen', align: 'right' },
              { title: t('warning.closeRate'), width: 140, render: (_, r) => <Progress percent={rate(r)} size="small" /> },
            ]}
          />
        </Card>
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'overdue',
                label: t('warning.overdueList'),
                children: (
                  <Table<Warning>
                    rowKey="id"
                    size="small"
                    data-testid="warning-overdue-table"
                    dataSource={overdue.data?.items ?? []}
                    pagination={serverPaging(t, overduePage, 10, overdue.data?.total, (p) => setOverduePage(p))}
                    scroll={{ x: 800 }}
                    columns={[
                      { title: t('warning.client'), render: (_, w) => <Link to={`/warnings/${w.id}`}>{w.clientName}</Link> },
                      { title: t('warning.indicator'), render: (_, w) => (lang === 'en' ? w.indicatorEn : w.indicatorZh) },
                      { title: t('warning.status'), render: (_, w) => <WarningTags w={w} /> },
                      { title: t('warning.firstDay'), dataIndex: 'firstDay' },
                      { title: t('warning.node'), dataIndex: 'nodeName' },
                      { title: t('warning.am'), dataIndex: 'amName' },
                    ]}
                  />
                ),
              },
              {
                key: 'coverage',
                label: t('warning.coverage'),
                children: (
                  <Table<CoverageRow>
                    rowKey="clientId"
                    size="small"
                    data-testid="warning-coverage-table"
                    dataSource={coverage.data?.items ?? []}
                    pagination={serverPaging(t, covPage, 10, coverage.data?.total, (p) => setCovPage(p))}
                    scroll={{ x: 800 }}
                    columns={[
                      { title: t('warning.client'), dataIndex: 'clientName' },
                      { title: t('warning.node'), dataIndex: 'nodeName' },
                      { title: t('warning.loanBalance'), dataIndex: 'loanBalanceFen', align: 'right', render: (v: number | null) => fmtMoney(v, unit) },
                      { title: t('warning.openWarnings'), dataIndex: 'openWarnings', align: 'right' },
                      { title: t('warning.people'), dataIndex: 'people', align: 'right' },
                      { title: t('warning.products'), dataIndex: 'products', align: 'right' },
                      { title: t('warning.productNames'), dataIndex: 'productNames', ellipsis: true },
                    ]}
                  />
                ),
              },
              {
                key: 'indicators',
                label: t('warning.indicators'),
                children: (
                  <Space direction="vertical" size={12} style={{ width: '100%' }}>
                    <EscalationCard canEdit={access.canConfigureWarnings} />
                    <Space wrap>
                      {access.canConfigureWarnings ? (
                        <Button type="primary" onClick={() => setEditing('new')} data-testid="indicator-new">
                          {t('warning.newIndicator')}
                        </Button>
                      ) : null}
                      <Switch checked={history} onChange={setHistory} data-testid="indicator-history" /> {t('warning.showHistory')}
                    </Space>
                    <Table<Indicator>
                      rowKey="id"
                      size="small"
                      data-testid="warning-indicator-table"
                      loading={indicators.isLoading}
                      dataSource={indicators.data ?? []}
                      pagination={false}
                      scroll={{ x: 1100 }}
                      columns={[
                        { title: t('warning.indicator'), width: 220, render: (_, i) => `${i.code} ${lang === 'en' ? i.nameEn : i.nameZh}` },
                        { title: t('warning.rule'), width: 280, render: (_, i) => (lang === 'en' ? i.rule.en : i.rule.zh) },
                        { title: t('warning.severity'), dataIndex: 'severity', width: 70, render: (v: Indicator['severity']) => <Tag color={SEVERITY_COLORS[v]}>{t(`warning.severity.${v}`)}</Tag> },
                        { title: t('warning.version'), dataIndex: 'version', width: 60, align: 'right' },
                        { title: t('warning.validFrom'), dataIndex: 'validFrom', width: 110 },
                        ...(history
                          ? [
                              { title: t('warning.validTo'), dataIndex: 'validTo', width: 110, render: (v: string | null) => v ?? '-' },
                              { title: t('warning.changeReason'), dataIndex: 'reason', width: 200, ellipsis: true, render: (v: string | null) => v ?? '-' },
                            ]
                          : []),
                        { title: t('warning.active'), dataIndex: 'active', width: 70, render: (v: boolean) => (v ? t('common.yes') : <Tag>{t('warning.inactive')}</Tag>) },
                        { title: `${t('warning.lastMonth')}`, dataIndex: 'lastMonth', width: 100, align: 'right' },
                        { title: t('warning.openNow'), dataIndex: 'openNow', width: 100, align: 'right' },
                        ...(access.canConfigureWarnings && !history
                          ? [
                              {
                                title: t('common.actions'),
                                key: 'actions',
                                fixed: 'right' as const,
                                width: 80,
                                render: (_: unknown, i: Indicator) => (
                                  <a onClick={() => setEditing(i)} data-testid={`indicator-edit-${i.code}`}>
                                    {t('common.edit')}
                                  </a>
                                ),
                              },
                            ]
                          : []),
                      ]}
                    />
                    <IndicatorModal open={editing !== null} editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}
