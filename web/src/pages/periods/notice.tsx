import { DownloadOutlined, ExclamationCircleOutlined, PrinterOutlined } from '@ant-design/icons';
import { PageContainer, StatisticCard } from '@ant-design/pro-components';
import { Alert, Button, Card, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { downloadNoticePdf, type Notice, useNotice } from '../../api/periods';
import type { StatementDepartment, StatementPerson } from '../../api/statements';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { RaiseObjectionModal, type RaiseTarget } from '../objections/components/RaiseObjectionModal';
import { PointsCell } from '../sales/components/SaleSplitView';
import { DevelopmentTable } from '../statements/components/DevelopmentTable';
import { DrillDrawer, type DrillTarget } from '../statements/components/DrillDrawer';
import { StatementCharts } from '../statements/components/StatementCharts';
import { AdjustmentTable, ProjectTable } from '../statements/components/StatementTables';
import { monthText, PeriodStateTag } from '../../components/PeriodStateTag';
import { NoticeChangeLog, NoticeVersionTag } from './components/NoticeVersions';
import './notice.css';

/**
 * 积分统计结果公示 (SPEC §9.2): what every member of staff of the branch reads for a week after
 * publication — printable, as PDF — and where they raise an objection on a line while it is open.
 */
export default function NoticePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const params = useParams();
  const nodeId = Number(params.nodeId) || undefined;
  const month = params.month;
  const notice = useNotice(nodeId, month);
  const [pdfBusy, setPdfBusy] = useState(false);

  if (notice.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const n = notice.data;
  if (!n) {
    const err = notice.error as { status?: number; message?: string; code?: string } | null;
    if (err?.status === 403)
      return (
        <div data-testid="notice-forbidden">
          <Result status="403" title={t('notice.forbiddenTitle')} subTitle={err.message || t('common.forbidden')} />
        </div>
      );
    return (
      <Result
        status="info"
        title={err?.code === 'PERIOD.NOT_PUBLISHED' ? t('notice.notPublished') : (err?.message ?? t('common.notFound'))}
        subTitle={err?.code === 'PERIOD.NOT_PUBLISHED' ? err.message : undefined}
        extra={<Button onClick={() => navigate('/notices')}>{t('notice.backToList')}</Button>}
      />
    );
  }

  return (
    <PageContainer
      title={t('notice.pageTitle')}
      onBack={() => navigate(-1)}
      extra={
        <Space className="no-print">
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="notice-print">
            {t('notice.print')}
          </Button>
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            loading={pdfBusy}
            data-testid="notice-pdf"
            onClick={async () => {
              setPdfBusy(true);
              try {
                await downloadNoticePdf(n.period.nodeId, n.period.month);
              } catch {
                // shown by the fetch wrapper
              } finally {
                setPdfBusy(false);
              }
            }}
          >
            {t('notice.pdf')}
          </Button>
        </Space>
      }
    >
      <NoticeSheet notice={n} />
    </PageContainer>
  );
}

function NoticeSheet({ notice: n }: { notice: Notice }) {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const p = n.period;
  const s = n.statement;
  const [raise, setRaise] = useState<RaiseTarget | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const canRaise = p.windowOpen && access.canRaiseObjection;
  // Every reader of the notice sees each line's sales with their splits (the notice's own endpoints).
  const canDrill = true;

  const objectButton = (target: RaiseTarget, testId: string) =>
    canRaise ? (
      <Button size="small" type="link" danger icon={<ExclamationCircleOutlined />} style={{ paddingInline: 0 }} onClick={() => setRaise(target)} data-testid={testId}>
        {t('objection.raise')}
      </Button>
    ) : null;

  return (
    <div className="notice-sheet" data-testid="notice">
      <Card className="notice-section">
        <div className="notice-heading">
          <Typography.Text type="secondary">{`${n.bankName} ${p.nodeName}`}</Typography.Text>
          <Typography.Title level={2} data-testid="notice-title">
            {t('notice.heading', { node: p.nodeName, month: monthText(t, p.month) })}
          </Typography.Title>
          <Space wrap size={[24, 4]} style={{ justifyContent: 'center' }}>
            <span>{t('notice.publishedLine', { at: fmtBeijing(p.publishedAt) })}</span>
            <span data-testid="notice-window-closes">{t('notice.windowLine', { at: fmtBeijing(p.windowClosesAt) })}</span>
            <PeriodStateTag state={p.state} />
            <NoticeVersionTag notice={n} />
            {p.state === 'published' ? (
              p.windowOpen ? (
                <Tag color="processing" data-testid="notice-window-open">
                  {t('period.windowOpen')}
                </Tag>
              ) : (
                <Tag>{t('period.windowClosed')}</Tag>
              )
            ) : null}
          </Space>
        </div>
        {p.state === 'published' && p.windowOpen ? (
          <Alert className="no-print" type="info" showIcon message={t('notice.windowOpenHint', { at: fmtBeijing(p.windowClosesAt) })} />
        ) : p.state === 'published' ? (
          <Alert className="no-print" type="warning" showIcon message={t('notice.windowClosedHint')} />
        ) : p.state === 'locked' ? (
          <Alert type="success" showIcon message={t('notice.lockedHint', { at: fmtBeijing(p.lockedAt) })} />
        ) : null}
      </Card>

      <StatisticCard.Group direction="row" className="notice-section" data-testid="notice-totals">
        <StatisticCard statistic={{ title: t('statement.totalPoints'), value: s.totals.total.points }} />
        <StatisticCard statistic={{ title: t('statement.salesCount'), value: s.totals.sales }} />
        <StatisticCard statistic={{ title: t('statement.peoplePoints'), value: s.totals.people.points }} />
        <StatisticCard statistic={{ title: t('statement.departmentLevelPoints'), value: s.totals.departmentLevel.points }} />
        <StatisticCard statistic={{ title: t('statement.voidedPoints'), value: s.totals.voided.points, valueStyle: s.totals.voided.pointsHundredths ? { color: '#cf1322' } : undefined }} />
      </StatisticCard.Group>

      <div className="notice-section">
        <StatementCharts statement={s} />
      </div>

      <Card size="small" title={t('notice.section.departments')} className="notice-section">
        <Table<StatementDepartment>
          rowKey="departmentId"
          size="small"
          pagination={false}
          dataSource={s.departments}
          data-testid="notice-departments"
          onRow={(d) => ({ 'data-code': d.code }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('sale.deptCode'), dataIndex: 'code', width: 110 },
            { title: t('split.department'), dataIndex: 'name' },
            { title: t('statement.salesCount'), dataIndex: 'sales', align: 'right', width: 100 },
            { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 170, render: (v: string, d) => <PointsCell points={v} voided={d.voided} /> },
            ...(canRaise || canDrill
              ? [
                  {
                    title: t('common.actions'),
                    key: 'act',
                    width: 160,
                    className: 'no-print',
                    render: (_: unknown, d: StatementDepartment) => (
                      <Space size={12}>
                        {canDrill ? <a onClick={() => setDrill({ kind: 'department', id: d.departmentId, title: d.name })}>{t('statement.drill')}</a> : null}
                        {objectButton(
                          { target: { kind: 'department', departmentId: d.departmentId }, label: t('notice.departmentLine', { name: d.name, code: d.code }) },
                          `object-department-${d.code}`,
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Card size="small" title={t('notice.section.people')} className="notice-section">
        <Table<StatementPerson>
          rowKey={(x) => `${x.departmentId}-${x.staffId}`}
          size="small"
          pagination={false}
          dataSource={s.people}
          data-testid="notice-people"
          columns={[
            { title: t('staff.staffNo'), dataIndex: 'staffNo', width: 120 },
            { title: t('split.person'), dataIndex: 'name', width: 120 },
            { title: t('split.department'), dataIndex: 'departmentName' },
            { title: t('statement.roles'), dataIndex: 'roles', render: (r: string[]) => r.map((x) => <Tag key={x}>{x}</Tag>) },
            { title: t('statement.salesCount'), dataIndex: 'sales', align: 'right', width: 90 },
            { title: t('statement.points'), dataIndex: 'points', align: 'right', width: 170, render: (v: string, x) => <PointsCell points={v} voided={x.voided} /> },
            ...(canRaise || canDrill
              ? [
                  {
                    title: t('common.actions'),
                    key: 'act',
                    width: 160,
                    className: 'no-print',
                    render: (_: unknown, x: StatementPerson) => (
                      <Space size={12}>
                        {canDrill ? <a onClick={() => setDrill({ kind: 'person', id: x.staffId, title: x.name })}>{t('statement.drill')}</a> : null}
                        {objectButton(
                          {
                            target: { kind: 'person', staffId: x.staffId, departmentId: x.departmentId },
                            label: t('notice.personLine', { name: x.name, staffNo: x.staffNo, department: x.departmentName }),
                          },
                          `object-person-${x.staffNo}-${x.departmentId}`,
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Card size="small" title={t('notice.section.projects')} className="notice-section">
        <ProjectTable statement={s} />
      </Card>

      <div className="notice-section">
        <DevelopmentTable statement={s} />
      </div>

      {s.adjustments.length ? (
        <Card size="small" title={`${t('statement.adjustment.written')}（${s.adjustments.length}）`} className="notice-section">
          <Typography.Paragraph type="secondary">{t('notice.adjustmentsHint')}</Typography.Paragraph>
          <AdjustmentTable lines={s.adjustments} mode="written" />
        </Card>
      ) : null}
      {s.laterAdjustments.length ? (
        <Card size="small" title={`${t('statement.adjustment.later')}（${s.laterAdjustments.length}）`} className="notice-section">
          <Typography.Paragraph type="secondary">{t('notice.laterAdjustmentsHint')}</Typography.Paragraph>
          <AdjustmentTable lines={s.laterAdjustments} mode="later" />
        </Card>
      ) : null}

      <NoticeChangeLog notice={n} />

      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {t('notice.footer', { bank: n.bankName, node: p.nodeName })}
      </Typography.Paragraph>

      <RaiseObjectionModal nodeId={p.nodeId} month={p.month} value={raise} onClose={() => setRaise(null)} />
      {canDrill ? (
        <DrillDrawer
          source="notice"
          nodeId={p.nodeId}
          month={p.month}
          target={drill}
          onClose={() => setDrill(null)}
          saleAction={
            canRaise
              ? (sale) => objectButton({ target: { kind: 'sale', saleId: sale.id }, label: t('notice.saleLine', { sale: sale.sourceId, date: sale.saleDate }) }, `object-sale-${sale.id}`)
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
