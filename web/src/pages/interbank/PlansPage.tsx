import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, DatePicker, Input, InputNumber, Row, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import {
  bpText,
  type IbAdjustmentPreview,
  useAddCaliber,
  useAddSteps,
  useIbAdjustments,
  useIbCalibers,
  useIbCoverage,
  useIbPlans,
  useIbSteps,
  usePreviewAdjustment,
  useSaveAdjustment,
  useSetPlan,
} from '../../api/interbankCoverage';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

type Rounding = 'half_up' | 'up' | 'down';

/** benchmark × plan ÷ own, rounded once, in integers (the server's rule, for the calculator only). */
function adjusted(benchmark: number, own: number, plan: number, rounding: Rounding): number | null {
  if (own <= 0) return null;
  const n = BigInt(benchmark) * BigInt(plan);
  const d = BigInt(own);
  const q = n / d;
  const r = n % d;
  if (r === 0n || rounding === 'down') return Number(q);
  return Number(rounding === 'up' || 2n * r >= d ? q + 1n : q);
}

/** 口径与计划: caliber and steps versions, plans of a year, the adjustment calculator and its records. */
export default function PlansPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const can = access.canConfigureInterbank;
  return (
    <PageContainer title={t('ibc.plans.title')} subTitle={t('ibc.plans.subtitle')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Calibers can={can} />
          </Col>
          <Col xs={24} lg={12}>
            <Steps can={can} />
          </Col>
        </Row>
        <Calculator />
        <Plans can={can} />
      </Space>
    </PageContainer>
  );
}

function Calibers({ can }: { can: boolean }) {
  const { t } = useI18n();
  const list = useIbCalibers();
  const add = useAddCaliber();
  const [fw, setFw] = useState(70);
  const [from, setFrom] = useState(dayjs().add(1, 'day').format('YYYY-MM-DD'));
  return (
    <Card size="small" title={t('ibc.calibers')}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list.data ?? []}
        columns={[
          { title: t('ibc.framework'), dataIndex: 'frameworkBp', render: (v: number) => bpText(v) },
          { title: t('ibc.productAgreement'), dataIndex: 'productBp', render: (v: number) => bpText(v) },
          { title: t('ibc.validFrom'), dataIndex: 'validFrom' },
          { title: t('ibc.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? '—' },
          { title: t('ibc.setBy'), dataIndex: 'setBy', render: (v: string | null) => v ?? '—' },
        ]}
      />
      {can && (
        <Space wrap style={{ marginTop: 8 }}>
          <span>{t('ibc.frameworkPct')}</span>
          <InputNumber min={0} max={100} precision={0} value={fw} onChange={(v) => setFw(v ?? 0)} />
          <span>
            {t('ibc.productPct')} {100 - fw}
          </span>
          <DatePicker allowClear={false} value={dayjs(from)} onChange={(d) => d && setFrom(d.format('YYYY-MM-DD'))} disabledDate={(d) => d.format('YYYY-MM-DD') < beijingToday()} />
          <Button loading={add.isPending} onClick={() => add.mutate({ frameworkBp: fw * 100, productBp: (100 - fw) * 100, validFrom: from })}>
            {t('ibc.addVersion')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function Steps({ can }: { can: boolean }) {
  const { t } = useI18n();
  const list = useIbSteps();
  const add = useAddSteps();
  const [text, setText] = useState('1=60\n2=100');
  const [from, setFrom] = useState(dayjs().add(1, 'day').format('YYYY-MM-DD'));
  const parse = () =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [n, p] = l.split('=').map((x) => Number.parseInt(x, 10));
        return { signings: n, bp: p * 100 };
      });
  return (
    <Card size="small" title={t('ibc.steps')}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list.data ?? []}
        columns={[
          { title: t('ibc.steps'), dataIndex: 'steps', render: (s: { signings: number; bp: number }[]) => s.map((x) => t('ibc.stepText', { n: x.signings, bp: bpText(x.bp) })).join('；') },
          { title: t('ibc.validFrom'), dataIndex: 'validFrom' },
          { title: t('ibc.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? '—' },
        ]}
      />
      {can && (
        <Space wrap style={{ marginTop: 8 }} align="start">
          <Input.TextArea rows={2} style={{ width: 140 }} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('ibc.stepsInput')} />
          <DatePicker allowClear={false} value={dayjs(from)} onChange={(d) => d && setFrom(d.format('YYYY-MM-DD'))} />
          <Button loading={add.isPending} onClick={() => add.mutate({ steps: parse(), validFrom: from })}>
            {t('ibc.addVersion')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function Calculator() {
  const { t } = useI18n();
  const [b, setB] = useState(150);
  const [o, setO] = useState(100);
  const [p, setP] = useState(10);
  const [r, setR] = useState<Rounding>('half_up');
  const result = adjusted(b, o, p, r);
  return (
    <Card size="small" title={`${t('ibc.adjust')} · ${t('ibc.calculator')}`}>
      <Typography.Paragraph type="secondary">{t('ibc.adjustHelp')}</Typography.Paragraph>
      <Space wrap data-testid="ibc-calculator">
        <InputNumber min={0} precision={0} value={b} onChange={(v) => setB(v ?? 0)} addonBefore={t('ibc.benchmarkCount')} />
        <span>÷</span>
        <InputNumber min={1} precision={0} value={o} onChange={(v) => setO(v ?? 1)} addonBefore={t('ibc.ownCount')} />
        <span>×</span>
        <InputNumber min={0} precision={0} value={p} onChange={(v) => setP(v ?? 0)} addonBefore={t('ibc.calcPlan')} />
        <Select<Rounding> value={r} onChange={setR} style={{ width: 120 }} options={(['half_up', 'up', 'down'] as const).map((k) => ({ value: k, label: t(`ibc.rounding.${k}`) }))} />
        <Typography.Text strong data-testid="ibc-calc-result">
          {`${b} ÷ ${o} × ${p} = ${result ?? '—'}`}
        </Typography.Text>
      </Space>
    </Card>
  );
}

function Plans({ can }: { can: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(Number(beijingToday().slice(0, 4)));
  const plans = useIbPlans(year);
  const adjustments = useIbAdjustments(year);
  const branches = useIbCoverage(beijingToday()).data?.lines ?? [];
  const setPlan = useSetPlan();
  const [plan, setPlanForm] = useState<{ nodeId?: number; planCount: number; reason: string }>({ planCount: 10, reason: '' });
  const preview = usePreviewAdjustment();
  const save = useSaveAdjustment();
  const [adj, setAdj] = useState({ benchmarkName: '', benchmarkCount: 150, asOf: beijingToday(), rounding: 'half_up' as Rounding });
  const body = { year, ...adj, reason: null };
  const shown: IbAdjustmentPreview | undefined = preview.data;
  return (
    <Card size="small" title={t('ibc.plans')} extra={<InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} addonBefore={t('ibc.year')} />}>
      <Table
        rowKey="nodeId"
        size="small"
        pagination={false}
        dataSource={plans.data ?? []}
        columns={[
          { title: t('ibc.branch'), dataIndex: 'nodeName' },
          { title: t('ibc.planCount'), dataIndex: 'planCount', align: 'right' },
          { title: t('ibc.version'), dataIndex: 'version', align: 'right' },
          { title: t('ibc.reason'), dataIndex: 'reason' },
          { title: t('ibc.setBy'), dataIndex: 'setBy' },
        ]}
      />
      {can && (
        <Space wrap style={{ marginTop: 8 }}>
          <Select
            style={{ width: 160 }}
            placeholder={t('ibc.branch')}
            value={plan.nodeId}
            onChange={(v) => setPlanForm({ ...plan, nodeId: v })}
            options={branches.map((l) => ({ value: l.nodeId, label: l.nodeName }))}
          />
          <InputNumber min={0} precision={0} value={plan.planCount} onChange={(v) => setPlanForm({ ...plan, planCount: v ?? 0 })} addonBefore={t('ibc.planCount')} />
          <Input style={{ width: 200 }} placeholder={t('ibc.reason')} value={plan.reason} onChange={(e) => setPlanForm({ ...plan, reason: e.target.value })} />
          <Button
            disabled={!plan.nodeId || !plan.reason}
            loading={setPlan.isPending}
            onClick={() => setPlan.mutate({ year, nodeId: plan.nodeId!, planCount: plan.planCount, reason: plan.reason }, { onSuccess: () => void message.success(t('ibc.saved')) })}
          >
            {t('ibc.setPlan')}
          </Button>
        </Space>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('ibc.adjust')}
      </Typography.Title>
      {can && (
        <Space wrap>
          <Input style={{ width: 140 }} placeholder={t('ibc.benchmarkName')} value={adj.benchmarkName} onChange={(e) => setAdj({ ...adj, benchmarkName: e.target.value })} />
          <InputNumber min={0} precision={0} value={adj.benchmarkCount} onChange={(v) => setAdj({ ...adj, benchmarkCount: v ?? 0 })} addonBefore={t('ibc.benchmarkCount')} />
          <DatePicker allowClear={false} value={dayjs(adj.asOf)} onChange={(d) => d && setAdj({ ...adj, asOf: d.format('YYYY-MM-DD') })} />
          <Select<Rounding>
            value={adj.rounding}
            onChange={(v) => setAdj({ ...adj, rounding: v })}
            style={{ width: 120 }}
            options={(['half_up', 'up', 'down'] as const).map((k) => ({ value: k, label: t(`ibc.rounding.${k}`) }))}
          />
          <Button disabled={!adj.benchmarkName} loading={preview.isPending} onClick={() => preview.mutate(body)}>
            {t('ibc.preview')}
          </Button>
          <Button type="primary" disabled={!shown} loading={save.isPending} onClick={() => save.mutate(body, { onSuccess: () => void message.success(t('ibc.saved')) })}>
            {t('ibc.saveAdjustment')}
          </Button>
        </Space>
      )}
      {shown && (
        <Table
          style={{ marginTop: 8 }}
          rowKey="nodeId"
          size="small"
          pagination={false}
          dataSource={shown.lines}
          columns={[
            { title: t('ibc.branch'), dataIndex: 'nodeName' },
            { title: t('ibc.adjusted'), render: (_: unknown, l) => `${shown.benchmarkCount} ÷ ${shown.ownCount} × ${l.planCount} = ${l.adjustedCount}` },
          ]}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('ibc.history')}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={adjustments.data ?? []}
        columns={[
          { title: t('ibc.benchmarkName'), dataIndex: 'benchmarkName' },
          { title: t('ibc.asOf'), dataIndex: 'asOf' },
          { title: t('ibc.rounding'), dataIndex: 'rounding', render: (r: Rounding) => t(`ibc.rounding.${r}`) },
          { title: t('ibc.adjusted'), render: (_: unknown, a) => a.lines.map((l) => `${l.nodeName}：${a.benchmarkCount} ÷ ${a.ownCount} × ${l.planCount} = ${l.adjustedCount}`).join('；') },
          { title: t('ibc.madeBy'), render: (_: unknown, a) => `${a.madeBy ?? ''} ${fmtBeijing(a.madeAt).slice(0, 16)}` },
        ]}
      />
    </Card>
  );
}
