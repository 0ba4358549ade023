import { CheckOutlined, CloseOutlined, ExperimentOutlined, PaperClipOutlined, SyncOutlined, UploadOutlined } from '@ant-design/icons';
import { ProCard, StatisticCard } from '@ant-design/pro-components';
import { Alert, App, Button, Collapse, Empty, Form, Input, InputNumber, Modal, Popconfirm, Radio, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import type { PeriodView } from '../../../api/periods';
import {
  downloadEvidence,
  type DrawBody,
  SPOT_RESULT_COLORS,
  type SpotCheck,
  type SpotItem,
  useDrawSpotCheck,
  useMarkSample,
  useSpotCheck,
  useUploadEvidence,
  verifySpotCheck,
  type VerifyResult,
} from '../../../api/spotchecks';
import { percentOfBp } from '../../../api/statements';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';

/**
 * 真实性抽查 (SPEC §9.4): internal control & compliance draws a sample of the month's sales with a
 * recorded seed (anyone may re-draw it and get the same sample), checks each sampled sale and marks
 * it verified or false with a note and evidence. A false sale is reversed (its points become 0.00).
 */
export function SpotCheckCard({ period: p }: { period: PeriodView }) {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const check = useSpotCheck(p.nodeId, p.month, p.state !== 'draft' && p.state !== 'published');
  const auditing = access.canAuditPeriod && p.state === 'submitted';
  const c = check.data;

  return (
    <ProCard
      title={
        <span>
          <ExperimentOutlined /> {t('spot.title')}
        </span>
      }
      bordered
      headerBordered
      data-testid="spot-check"
    >
      {p.state === 'draft' || p.state === 'published' ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('spot.notYet')} />
      ) : check.isLoading ? (
        <Spin />
      ) : !c ? (
        auditing ? (
          <DrawForm period={p} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('spot.notDrawn')} />
        )
      ) : (
        <>
          <SpotHeader period={p} check={c} />
          {auditing && c.summary.pending === c.summary.sampled && c.items.every((i) => i.evidence.length === 0) ? (
            <Collapse size="small" style={{ marginBottom: 16 }} items={[{ key: 'redraw', label: t('spot.redraw'), children: <DrawForm period={p} redraw /> }]} />
          ) : null}
          <SampleTable period={p} check={c} editable={auditing} />
        </>
      )}
    </ProCard>
  );
}

/** The draw: a count, or a percentage with a minimum; the seed optional (the server makes one and records it). */
function DrawForm({ period: p, redraw = false }: { period: PeriodView; redraw?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const draw = useDrawSpotCheck();
  const [form] = Form.useForm<{ mode: 'count' | 'percent'; count?: number; percent?: string; minimum?: number; seed?: string }>();
  const mode = Form.useWatch('mode', form) ?? 'count';
  const submit = quietly(async () => {
    const v = await form.validateFields();
    const body: DrawBody = v.mode === 'count' ? { count: v.count } : { percent: v.percent?.trim(), minimum: v.minimum ?? 1 };
    if (v.seed?.trim()) body.seed = v.seed.trim();
    const r = await draw.mutateAsync({ nodeId: p.nodeId, month: p.month, body });
    message.success(t('spot.drawn', { n: r.sampleSize, seed: r.seed }));
  });
  return (
    <Form form={form} layout="inline" initialValues={{ mode: 'count', count: 10, minimum: 5 }} data-testid="spot-draw-form" style={{ rowGap: 12 }}>
      <Form.Item name="mode" label={t('spot.size')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'count', label: t('spot.byCount') },
            { value: 'percent', label: t('spot.byPercent') },
          ]}
        />
      </Form.Item>
      {mode === 'count' ? (
        <Form.Item name="count" label={t('spot.count')} rules={[{ required: true, message: t('form.required') }]}>
          <InputNumber min={1} max={100000} precision={0} style={{ width: 110 }} data-testid="spot-count" />
        </Form.Item>
      ) : (
        <>
          <Form.Item
            name="percent"
            label={t('spot.percent')}
            rules={[
              { required: true, message: t('form.required') },
              { pattern: /^\d{1,3}(\.\d{1,2})?$/, message: t('spot.percentPattern') },
            ]}
          >
            <Input suffix="%" style={{ width: 110 }} data-testid="spot-percent" />
          </Form.Item>
          <Form.Item name="minimum" label={t('spot.minimum')}>
            <InputNumber min={0} max={100000} precision={0} style={{ width: 100 }} />
          </Form.Item>
        </>
      )}
      <Form.Item name="seed" label={t('spot.seed')} tooltip={t('spot.seedHint')}>
        <Input placeholder={t('spot.seedPlaceholder')} maxLength={64} style={{ width: 220 }} data-testid="spot-seed-input" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" icon={<ExperimentOutlined />} loading={draw.isPending} onClick={submit} data-testid="spot-draw">
          {redraw ? t('spot.redrawButton') : t('spot.drawButton')}
        </Button>
      </Form.Item>
    </Form>
  );
}

/** The seed, prominently, with the rule, the population and the re-draw check; then the counts. */
function SpotHeader({ period: p, check: c }: { period: PeriodView; check: SpotCheck }) {
  const { t } = useI18n();
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [verifying, setVerifying] = useState(false);
  const rule = 'count' in c.sizeRule ? t('spot.ruleCount', { n: c.sizeRule.count }) : t('spot.rulePercent', { p: percentOfBp(c.sizeRule.percentBp), n: c.sizeRule.minimum });
  return (
    <>
      <Alert
        type="warning"
        style={{ marginBottom: 16 }}
        message={
          <Space wrap size={16} align="center">
            <span>
              {t('spot.seedLabel')}
              <Typography.Text code copyable strong style={{ fontSize: 18 }} data-testid="spot-seed">
                {c.seed}
              </Typography.Text>
            </span>
            <Button
              icon={<SyncOutlined />}
              loading={verifying}
              data-testid="spot-verify"
              onClick={async () => {
                setVerifying(true);
                try {
                  setVerify(await verifySpotCheck(p.nodeId, p.month));
                } catch {
                  // shown by the fetch wrapper
                } finally {
                  setVerifying(false);
                }
              }}
            >
              {t('spot.verify')}
            </Button>
            {verify ? (
              verify.reproduced ? (
                <Tag color="green" icon={<CheckOutlined />} data-testid="spot-verify-result">
                  {t('spot.reproduced', { n: verify.redrawn.length })}
                </Tag>
              ) : (
                <Tag color="red" icon={<CloseOutlined />} data-testid="spot-verify-result">
                  {t('spot.notReproduced')}
                </Tag>
              )
            ) : null}
          </Space>
        }
        description={t('spot.drawFacts', { rule, population: c.populationCount, size: c.sampleSize, who: c.drawnBy.name, at: fmtBeijing(c.drawnAt) })}
      />
      <StatisticCard.Group direction="row" style={{ marginBottom: 16 }} data-testid="spot-summary">
        <StatisticCard statistic={{ title: t('spot.sampled'), value: c.summary.sampled }} />
        <StatisticCard statistic={{ title: t('spot.verified'), value: c.summary.verified, valueStyle: { color: '#389e0d' } }} />
        <StatisticCard statistic={{ title: t('spot.false'), value: c.summary.false, valueStyle: c.summary.false ? { color: '#cf1322' } : undefined }} />
        <StatisticCard statistic={{ title: t('spot.pending'), value: c.summary.pending, valueStyle: c.summary.pending ? { color: '#d48806' } : undefined }} />
      </StatisticCard.Group>
    </>
  );
}

/** Every sampled sale with its result, note, evidence and (while auditing) the result buttons. */
function SampleTable({ period: p, check: c, editable }: { period: PeriodView; check: SpotCheck; editable: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const mark = useMarkSample();
  const uploadEvidence = useUploadEvidence();
  const [falseOf, setFalseOf] = useState<SpotItem | null>(null);
  const [noteForm] = Form.useForm<{ note: string }>();

  const markFalse = quietly(async () => {
    const { note } = await noteForm.validateFields();
    await mark.mutateAsync({ nodeId: p.nodeId, month: p.month, saleId: falseOf!.saleId, result: 'false', note: note.trim() });
    message.success(t('spot.markedFalse', { sale: falseOf!.sourceId }));
    setFalseOf(null);
    noteForm.resetFields();
  });

  return (
    <>
      <Table<SpotItem>
        rowKey="saleId"
        size="small"
        dataSource={c.items}
        data-testid="spot-items"
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.totalN', { n }) }}
        onRow={(i) => ({ 'data-sale': i.saleId, 'data-result': i.result, style: i.result === 'false' ? { background: '#fff1f0' } : undefined }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('sale.sourceId'),
            dataIndex: 'sourceId',
            width: 170,
            render: (v: string, i) => (
              <span>
                <Link to={`/sales/${i.saleId}`}>{v}</Link>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {i.saleDate}
                </Typography.Text>
              </span>
            ),
          },
          { title: t('sale.product'), dataIndex: 'productName', width: 110 },
          { title: t('sale.quantity'), dataIndex: 'quantity', width: 90, align: 'right', render: (v: string, i) => `${v} ${i.unit}` },
          {
            title: t('statement.salePoints'),
            key: 'points',
            width: 130,
            align: 'right',
            render: (_, i) => (
              <Space size={4}>
                <span data-testid={`spot-points-${i.saleId}`}>{i.points.points}</span>
                {i.struck ? (
                  <Tag color="red" style={{ marginInlineEnd: 0 }}>
                    {t('spot.reversed')}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('spot.result'),
            dataIndex: 'result',
            width: 150,
            render: (r: SpotItem['result'], i) => (
              <span>
                <Tag color={SPOT_RESULT_COLORS[r]} data-testid="spot-result">
                  {t(`spot.result.${r}`)}
                </Tag>
                {i.checkedBy ? (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {i.checkedBy.name} {fmtBeijing(i.checkedAt).slice(0, 16)}
                  </Typography.Text>
                ) : null}
              </span>
            ),
          },
          {
            title: t('spot.note'),
            dataIndex: 'note',
            render: (v: string | null) =>
              v ? (
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ marginBottom: 0 }}>
                  {v}
                </Typography.Paragraph>
              ) : (
                '-'
              ),
          },
          {
            title: t('spot.evidence'),
            key: 'evidence',
            width: 170,
            render: (_, i) => (
              <Space direction="vertical" size={0}>
                {i.evidence.map((e) => (
                  <a key={e.id} onClick={() => void downloadEvidence(p.nodeId, p.month, i.saleId, e)} data-testid="spot-evidence-link">
                    <PaperClipOutlined /> {e.fileName}
                  </a>
                ))}
                {i.evidence.length === 0 && !editable ? '-' : null}
                {editable ? (
                  <Upload
                    showUploadList={false}
                    multiple={false}
                    customRequest={async ({ file, onSuccess, onError }) => {
                      try {
                        const r = await uploadEvidence.mutateAsync({ nodeId: p.nodeId, month: p.month, saleId: i.saleId, file: file as File });
                        message.success(t('spot.uploaded', { name: (file as File).name }));
                        onSuccess?.(r);
                      } catch (e) {
                        onError?.(e as Error);
                      }
                    }}
                  >
                    <Button size="small" type="link" icon={<UploadOutlined />} style={{ paddingInline: 0 }} data-testid={`spot-upload-${i.saleId}`}>
                      {t('spot.upload')}
                    </Button>
                  </Upload>
                ) : null}
              </Space>
            ),
          },
          ...(editable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, i: SpotItem) =>
                    i.result === 'false' ? (
                      <Typography.Text type="secondary">{t('spot.finalFalse')}</Typography.Text>
                    ) : (
                      <Space size={4}>
                        <Popconfirm
                          title={t('spot.confirmVerified', { sale: i.sourceId })}
                          okText={t('period.confirmOk')}
                          okButtonProps={{ 'data-testid': `spot-verified-ok-${i.saleId}` }}
                          cancelText={t('common.cancel')}
                          onConfirm={async () => {
                            try {
                              await mark.mutateAsync({ nodeId: p.nodeId, month: p.month, saleId: i.saleId, result: 'verified' });
                            } catch {
                              // shown by the fetch wrapper
                            }
                          }}
                        >
                          <Button size="small" icon={<CheckOutlined />} disabled={i.result === 'verified'} data-testid={`spot-verified-${i.saleId}`}>
                            {t('spot.markVerified')}
                          </Button>
                        </Popconfirm>
                        <Button size="small" danger icon={<CloseOutlined />} onClick={() => setFalseOf(i)} data-testid={`spot-false-${i.saleId}`}>
                          {t('spot.markFalse')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={falseOf !== null}
        title={falseOf ? t('spot.falseTitle', { sale: falseOf.sourceId }) : ''}
        onCancel={() => setFalseOf(null)}
        onOk={markFalse}
        okText={t('spot.markFalse')}
        okButtonProps={{ danger: true, loading: mark.isPending, 'data-testid': 'spot-false-ok' }}
        destroyOnHidden
      >
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('spot.falseHint')} />
        <Form form={noteForm} layout="vertical" preserve={false}>
          <Form.Item name="note" label={t('spot.note')} rules={[{ required: true, whitespace: true, message: t('spot.noteRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="spot-false-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
