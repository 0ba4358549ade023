import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type ScDraw, type ScProgrammeDetail, useDecideReassessment, useRecomputeNpl, useRequestReassessment, useScDraws, useScProgramme } from '../../api/supplychain';
import { accessOf } from '../../access';
import { FullPageSpin } from '../../components/FullPageSpin';
import { yuanOf } from '../../components/money';
import { fmtBeijing } from '../../format';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';
import { ClientsTab } from './ClientsTab';
import { pct } from './pct';

const LEVEL_COLOR = { normal: 'green', warn: 'orange', suspend: 'red' } as const;

/** One programme: position, the suspension and its four-eyes reassessment, clients, draws, NPL days, compensation. */
export default function ProgrammePage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const access = accessOf(useMe().data);
  const q = useScProgramme(id);
  const p = q.data;
  if (!p) return <FullPageSpin />;
  return (
    <PageContainer title={`${p.name}（${p.code}）`} subTitle={p.enterpriseName} extra={<Link to="/supplychain">{t('sc.back')}</Link>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small">
          <Space size={40} wrap>
            <Statistic title={t('sc.total')} value={yuanOf(p.totalCapFen)} />
            <Statistic title={t('sc.granted')} value={yuanOf(p.grantedFen)} />
            <Statistic title={t('sc.remaining')} value={yuanOf(p.remainingFen)} />
            <Statistic title={t('sc.balance')} value={yuanOf(p.balanceFen)} />
            <Statistic title={t('sc.marginHeld')} value={yuanOf(p.marginHeldFen)} />
            <Statistic
              title={t('sc.npl')}
              value={pct(p.nplRatioBp)}
              valueStyle={{ color: p.nplRatioBp !== null && p.nplRatioBp >= p.suspendBp ? '#cf1322' : p.nplRatioBp !== null && p.nplRatioBp >= p.warnBp ? '#d46b08' : undefined }}
            />
            <div data-testid="sc-status">
              <Tag color={p.status === 'active' ? 'green' : 'red'} style={{ fontSize: 14, padding: '4px 10px' }}>
                {t(p.status === 'active' ? 'sc.status.active' : 'sc.status.suspended')}
              </Tag>
            </div>
          </Space>
          <Descriptions size="small" column={4} style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('sc.branch')}>{p.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('sc.owner')}>{p.ownerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('sc.agreementNo')}>{p.agreementNo}</Descriptions.Item>
            <Descriptions.Item label={t('sc.guaranteeNo')}>{p.guaranteeNo}</Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary">
            {t('sc.config', {
              household: yuanOf(p.householdCapFen),
              ratio: pct(p.orderRatioBp),
              margin: pct(p.marginBp),
              warn: pct(p.warnBp),
              suspend: pct(p.suspendBp),
              tol: pct(p.toleranceBp),
              term: p.maxTermMonths,
            })}
          </Typography.Text>
        </Card>
        <Suspension p={p} canManage={access.canManageSupplyChain} canApprove={access.canApproveSupplyChain} />
        {access.canManageSupplyChain ? (
          <Space>
            <Typography.Text>{t('sc.imports')}</Typography.Text>
            <Link to="/imports?kind=supplychain-recommendations">{t('sc.import.recommendations')}</Link>
            <Link to="/imports?kind=supplychain-orders">{t('sc.import.orders')}</Link>
            <Link to="/imports?kind=supplychain-loans">{t('sc.import.loans')}</Link>
          </Space>
        ) : null}
        <Card size="small">
          <Tabs
            items={[
              { key: 'clients', label: t('sc.tab.clients'), children: <ClientsTab programme={p} canManage={access.canManageSupplyChain} /> },
              { key: 'draws', label: t('sc.tab.draws'), children: <DrawsTab id={p.id} /> },
              { key: 'npl', label: t('sc.tab.npl'), children: <NplTab p={p} canManage={access.canManageSupplyChain} /> },
              {
                key: 'comp',
                label: t('sc.tab.compensation'),
                children: (
                  <Table
                    rowKey="month"
                    size="small"
                    pagination={false}
                    dataSource={p.compensations}
                    columns={[
                      { title: t('sc.compMonth'), dataIndex: 'month' },
                      { title: t('sc.compensated'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuanOf(v) },
                      { title: t('sc.compDraws'), dataIndex: 'draws', align: 'right' },
                    ]}
                  />
                ),
              },
              {
                key: 'reassess',
                label: t('sc.tab.reassessments'),
                children: (
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={p.reassessments}
                    columns={[
                      { title: t('sc.requestedBy'), dataIndex: 'requestedBy', width: 100 },
                      { title: t('sc.reassessReason'), dataIndex: 'reason' },
                      { title: t('sc.npl'), dataIndex: 'ratioBp', width: 80, render: (v: number | null) => pct(v) },
                      { title: t('sc.status'), dataIndex: 'status', width: 90, render: (v: string) => <Tag>{t(`sc.reassessStatus.${v}` as MessageKey)}</Tag> },
                      { title: t('sc.decidedBy'), dataIndex: 'decidedBy', width: 100 },
                      { title: t('sc.decisionNote'), dataIndex: 'decisionNote' },
                      { title: '', dataIndex: 'decidedAt', width: 150, render: (v: string | null) => fmtBeijing(v) },
                    ]}
                  />
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}

/** The suspension banner: a manager requests the reassessment, someone else with supplychain.approve decides it. */
function Suspension({ p, canManage, canApprove }: { p: ScProgrammeDetail; canManage: boolean; canApprove: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const request = useRequestReassessment();
  const decide = useDecideReassessment();
  const [asking, setAsking] = useState<'request' | 'approve' | null>(null);
  const [text, setText] = useState('');
  const pending = p.reassessments.find((r) => r.status === 'pending');
  if (p.status !== 'suspended') return null;
  return (
    <>
      <Alert
        type="error"
        showIcon
        message={t('sc.suspendedAlert')}
        description={pending ? t('sc.pendingReassess', { reason: pending.reason, who: pending.requestedBy }) : null}
        action={
          <Space direction="vertical">
            {canManage && !pending ? (
              <Button danger onClick={() => setAsking('request')}>
                {t('sc.requestReassess')}
              </Button>
            ) : null}
            {canApprove && pending ? (
              <Button type="primary" onClick={() => setAsking('approve')}>
                {t('sc.approve')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Modal
        open={asking !== null}
        title={asking === 'request' ? t('sc.requestReassess') : t('sc.approve')}
        onCancel={() => setAsking(null)}
        okButtonProps={{ disabled: !text.trim(), loading: request.isPending || decide.isPending } as never}
        onOk={async () => {
          if (asking === 'request') await request.mutateAsync({ id: p.id, reason: text.trim() });
          else if (pending) await decide.mutateAsync({ id: pending.id, approve: true, note: text.trim() });
          message.success(t('common.saved'));
          setText('');
          setAsking(null);
        }}
      >
        <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={asking === 'request' ? t('sc.reassessReason') : t('sc.decisionNote')} />
      </Modal>
    </>
  );
}

function DrawsTab({ id }: { id: number }) {
  const { t } = useI18n();
  const draws = useScDraws(id);
  return (
    <Table<ScDraw>
      rowKey="id"
      size="small"
      data-testid="sc-draws"
      loading={draws.isLoading}
      dataSource={draws.data?.items ?? []}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('sc.loanNo'), dataIndex: 'loanNo', width: 110 },
        { title: t('sc.client'), dataIndex: 'clientName' },
        { title: t('sc.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuanOf(v) },
        { title: t('sc.drawnOn'), dataIndex: 'drawnOn', width: 100 },
        { title: t('sc.maturityOn'), dataIndex: 'maturityOn', width: 100 },
        { title: t('sc.margin'), dataIndex: 'marginFen', align: 'right', render: (v: number) => yuanOf(v) },
        { title: t('sc.marginReleased'), dataIndex: 'marginReleasedFen', align: 'right', render: (v: number) => yuanOf(v) },
        { title: t('sc.balance'), dataIndex: 'balanceFen', align: 'right', render: (v: number) => yuanOf(v) },
        { title: t('sc.overdue'), dataIndex: 'overdueFen', align: 'right', render: (v: number) => yuanOf(v) },
        { title: t('sc.overdueDays'), dataIndex: 'overdueDays', width: 80, align: 'right', render: (v: number, d) => (d.nonPerforming ? <Tag color="red">{`${v} ${t('sc.npTag')}`}</Tag> : v) },
        { title: t('sc.compensated'), dataIndex: 'compensatedFen', align: 'right', render: (v: number) => yuanOf(v) },
      ]}
    />
  );
}

function NplTab({ p, canManage }: { p: ScProgrammeDetail; canManage: boolean }) {
  const { t } = useI18n();
  const recompute = useRecomputeNpl();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canManage ? (
        <Button size="small" loading={recompute.isPending} onClick={() => recompute.mutate(p.id)}>
          {t('sc.recompute')}
        </Button>
      ) : null}
      <Table
        rowKey="day"
        size="small"
        pagination={false}
        data-testid="sc-npl"
        dataSource={p.nplDays}
        columns={[
          { title: t('sc.day'), dataIndex: 'day', width: 110 },
          { title: t('sc.balance'), dataIndex: 'balanceFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.nplBalance'), dataIndex: 'nplFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.npl'), dataIndex: 'ratioBp', align: 'right', width: 90, render: (v: number | null) => pct(v) },
          { title: t('sc.status'), dataIndex: 'level', width: 90, render: (v: keyof typeof LEVEL_COLOR) => <Tag color={LEVEL_COLOR[v]}>{t(`sc.level.${v}` as MessageKey)}</Tag> },
        ]}
      />
    </Space>
  );
}
