import { DeleteOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import type { ApiError } from '../../../api/client';
import { type Money, useRun, useWhatIf, type WhatIf } from '../../../api/assessment';
import { groupQty, useQuotas } from '../../../api/quotas';
import { yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { bpText, percentToBp } from '../../quotas/components/LineTargets';
import { cleanQuantity } from '../../quotas/components/QuotaTable';
import { fenOfYuanText } from './money';

interface Override {
  key?: string;
  quantity?: string;
  remove?: boolean;
}
interface Values {
  pool: string;
  gate: string;
  overrides: Override[];
}

const CHANGED = { background: '#fffbe6' };
const gatedOf = (r: { gate: { passed: boolean }[] }) => r.gate.filter((g) => !g.passed).length;

/**
 * 试算（不保存）: the same assessment with another pool, gate or quotas, side by side with the run
 * shown (or, before any run, with a computation from today's data). The server computes it in a
 * read-only transaction: nothing is written, nothing is audited, the run does not change.
 */
export function WhatIfPanel({ nodeId, year, runId }: { nodeId: number; year: number; runId?: number }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const run = useRun(runId);
  const quotas = useQuotas(nodeId, year);
  const whatIf = useWhatIf();
  const base = run.data;
  // The run arrives after the panel: start from its pool and gate once it does.
  useEffect(() => {
    if (base) form.setFieldsValue({ pool: base.pool.amount, gate: bpText(base.gateBp).replace('%', '') });
  }, [base?.id]); // eslint-disable-line react-hooks/exhaustive-deps -- fill the form once per run, not on every refetch (that would overwrite the user's edits)
  const quotaOptions = useMemo(
    () =>
      (quotas.data?.items ?? [])
        .filter((q) => q.staffId === null && q.outletNodeId === null)
        .map((q) => ({ value: `${q.departmentId}/${q.productId}`, label: `${q.departmentName} · ${q.productName}（${groupQty(q.quantity)} ${q.unit}）` })),
    [quotas.data],
  );

  const submit = async () => {
    // An invalid field is shown under it by the form; nothing else to do (and no unhandled rejection).
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const overrides = (v.overrides ?? [])
      .filter((o) => o.key)
      .map((o) => {
        const [departmentId, productId] = o.key!.split('/').map(Number);
        return { departmentId, productId, quantity: o.remove ? null : cleanQuantity(o.quantity)! };
      });
    whatIf.mutate({
      nodeId,
      year,
      runId,
      poolFen: v.pool ? fenOfYuanText(v.pool) : undefined,
      gateBp: v.gate ? percentToBp(v.gate) : undefined,
      quotas: overrides.length ? overrides : undefined,
    });
  };

  return (
    <Card
      size="small"
      style={{ marginBottom: 16, borderColor: '#faad14' }}
      title={
        <Space wrap>
          <ExperimentOutlined />
          {t('assessment.whatIf')}
          <Tag color="gold" data-testid="whatif-label">
            {t('assessment.whatIfTag')}
          </Tag>
        </Space>
      }
      data-testid="whatif-card"
    >
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('assessment.whatIfIntro')} />
      <Form form={form} layout="vertical" name="whatif" initialValues={{ pool: base ? base.pool.amount : '', gate: base ? bpText(base.gateBp).replace('%', '') : '50', overrides: [] }}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="pool"
              label={t('assessment.poolYuan')}
              rules={[
                { required: !runId, message: t('form.required') },
                { validator: (_, v: string) => (!v || fenOfYuanText(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('assessment.badPool')))) },
              ]}
            >
              <Input inputMode="decimal" addonAfter={t('assessment.yuan')} data-testid="whatif-pool" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name="gate"
              label={t('assessment.gatePercent')}
              rules={[{ validator: (_, v: string) => (!v || percentToBp(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('assessment.badGate')))) }]}
            >
              <InputNumber<string> stringMode min="0" max="100" precision={2} addonAfter="%" style={{ width: '100%' }} data-testid="whatif-gate" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('assessment.quotaOverrides')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('assessment.quotaOverridesHint')}
        </Typography.Paragraph>
        <Form.List name="overrides">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[f.name, 'key']} rules={[{ required: true, message: t('form.required') }]} style={{ marginBottom: 0 }}>
                    <Select showSearch optionFilterProp="label" options={quotaOptions} placeholder={t('assessment.chooseQuota')} style={{ width: 360 }} data-testid="whatif-quota" />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      form.getFieldValue(['overrides', f.name, 'remove']) ? null : (
                        <Form.Item
                          name={[f.name, 'quantity']}
                          style={{ marginBottom: 0 }}
                          rules={[
                            { required: true, message: t('form.required') },
                            { validator: (_, v: string) => (!v || cleanQuantity(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('quota.badQuantity')))) },
                          ]}
                        >
                          <Input placeholder={t('assessment.newQuota')} style={{ width: 160 }} data-testid="whatif-quantity" />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Form.Item name={[f.name, 'remove']} valuePropName="checked" style={{ marginBottom: 0 }}>
                    <Checkbox>{t('assessment.removeQuota')}</Checkbox>
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="whatif-add-override" disabled={!quotaOptions.length}>
                {t('assessment.addOverride')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 16 }}>
          <Button type="primary" icon={<ExperimentOutlined />} loading={whatIf.isPending} onClick={() => void submit()} data-testid="whatif-run">
            {t('assessment.runWhatIf')}
          </Button>
        </div>
      </Form>
      {whatIf.error ? <Alert type="error" showIcon style={{ marginTop: 12 }} message={(whatIf.error as ApiError).message} /> : null}
      {whatIf.data ? <WhatIfResult data={whatIf.data} /> : null}
    </Card>
  );
}

function Delta({ money }: { money: Money }) {
  if (money.amountFen === 0) return <span>0.00</span>;
  const up = money.amountFen > 0;
  return <b style={{ color: up ? '#389e0d' : '#cf1322' }}>{`${up ? '+' : ''}${yuanOf(money.amountFen)}`}</b>;
}

/** Side by side: the run (当前) and the what-if (试算), per department, differences highlighted. */
function WhatIfResult({ data: w }: { data: WhatIf }) {
  const { t, pick } = useI18n();
  const b = w.base.result;
  const x = w.whatIf;
  const flipped = x.gate.filter((g) => {
    const before = b.gate.find((o) => o.departmentId === g.departmentId && o.productId === g.productId);
    return !before || before.passed !== g.passed;
  });
  const baseLabel = w.base.source === 'run' ? t('assessment.baseRun', { id: w.base.runId ?? '' }) : t('assessment.baseComputed');
  const diff = (a: string | number, c: string | number) => (a !== c ? CHANGED : undefined);
  return (
    <div style={{ marginTop: 16 }} data-testid="whatif-result">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={
          <Space wrap>
            <Tag color="gold" data-testid="whatif-trial">
              {pick(w.label.zh, w.label.en)}
            </Tag>
            {t('assessment.whatIfNotSaved', { base: baseLabel })}
          </Space>
        }
        description={w.yearOpen ? pick(w.yearOpen.zh, w.yearOpen.en) : undefined}
      />
      <Table
        rowKey="k"
        size="small"
        pagination={false}
        style={{ marginBottom: 12, maxWidth: 640 }}
        data-testid="whatif-totals"
        dataSource={[
          { k: t('assessment.pool'), a: yuanOf(b.pool.amountFen), c: yuanOf(x.pool.amountFen), changed: b.pool.amountFen !== x.pool.amountFen },
          { k: t('assessment.gate'), a: bpText(b.gateBp), c: bpText(x.gateBp), changed: b.gateBp !== x.gateBp },
          {
            k: t('assessment.gatedCount'),
            a: `${gatedOf(b)} / ${b.gate.length}`,
            c: `${gatedOf(x)} / ${x.gate.length}`,
            changed: gatedOf(b) !== gatedOf(x) || b.gate.length !== x.gate.length,
          },
          { k: t('assessment.pointsCounted'), a: b.totals.counted.points, c: x.totals.counted.points, changed: b.totals.counted.pointsHundredths !== x.totals.counted.pointsHundredths },
          { k: t('assessment.rewardTotal'), a: yuanOf(b.totals.reward.amountFen), c: yuanOf(x.totals.reward.amountFen), changed: b.totals.reward.amountFen !== x.totals.reward.amountFen },
        ]}
        columns={[
          { title: t('assessment.item'), dataIndex: 'k', width: 180 },
          { title: <span data-testid="whatif-base-col">{t('assessment.current')}</span>, dataIndex: 'a', align: 'right' },
          {
            title: <span data-testid="whatif-col">{t('assessment.whatIfTag')}</span>,
            dataIndex: 'c',
            align: 'right',
            onCell: (r) => ({ style: r.changed ? CHANGED : undefined }),
            render: (v: string, r) => (r.changed ? <b>{v}</b> : v),
          },
        ]}
      />
      <Table
        rowKey="departmentId"
        size="small"
        pagination={false}
        dataSource={w.departments}
        data-testid="whatif-table"
        scroll={{ x: 900 }}
        columns={[
          { title: t('quota.department'), dataIndex: 'name', width: 140 },
          {
            title: t('assessment.current'),
            children: [
              { title: t('assessment.pointsCounted'), key: 'bc', align: 'right', width: 110, render: (_, d) => d.baseCounted.points },
              { title: `${t('assessment.reward')}（${t('assessment.yuan')}）`, key: 'br', align: 'right', width: 130, render: (_, d) => yuanOf(d.baseReward.amountFen) },
            ],
          },
          {
            title: t('assessment.whatIfTag'),
            children: [
              {
                title: t('assessment.pointsCounted'),
                key: 'wc',
                align: 'right',
                width: 110,
                onCell: (d) => ({ style: diff(d.baseCounted.pointsHundredths, d.whatIfCounted.pointsHundredths) }),
                render: (_, d) => d.whatIfCounted.points,
              },
              {
                title: `${t('assessment.reward')}（${t('assessment.yuan')}）`,
                key: 'wr',
                align: 'right',
                width: 130,
                onCell: (d) => ({ style: diff(d.baseReward.amountFen, d.whatIfReward.amountFen) }),
                render: (_, d) => yuanOf(d.whatIfReward.amountFen),
              },
            ],
          },
          { title: t('assessment.delta'), key: 'delta', align: 'right', width: 130, render: (_, d) => <Delta money={d.delta} /> },
        ]}
        summary={() => (
          <Table.Summary.Row style={{ fontWeight: 600 }}>
            <Table.Summary.Cell index={0}>{t('assessment.total')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {b.totals.counted.points}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {yuanOf(b.totals.reward.amountFen)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {x.totals.counted.points}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              <span data-testid="whatif-reward-total">{yuanOf(x.totals.reward.amountFen)}</span>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              <Delta money={{ amount: '', amountFen: x.totals.reward.amountFen - b.totals.reward.amountFen }} />
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      {flipped.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          message={t('assessment.gateChanged', { n: flipped.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {flipped.map((g) => (
                <li key={`${g.departmentId}-${g.productId}`}>
                  {g.departmentName}：{pick(g.reason.zh, g.reason.en)}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
    </div>
  );
}
