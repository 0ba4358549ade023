import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { type PerfResultLine, usePerfGroups, usePerfMeasures, usePerfResult, usePerfResults, useSetGroup, useSetMeasure, useTakeQuarter, bpText } from '../../api/performance';
import { yuanOf } from '../../components/money';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { accessOf } from '../../access';
import { useMe } from '../../api/auth';
import { beijingToday, fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

const GROUP_COLOR = { priority: 'blue', follow: 'gold', featured: 'purple' } as const;
const OUTCOME_COLOR = { cut: 'red', tied_cut: 'volcano', kept: 'green', single: 'default' } as const;

/** The measure's value as the people who read it write it: 元 for amounts, % for rates, 户 for counts. */
function valueText(measure: string, v: number): string {
  if (measure === 'drawn_amount') return `${yuanOf(v)} 元`;
  if (measure === 'conversion_bp') return bpText(v);
  return String(v);
}
const tiebreakText = (measure: string, v: number) => (measure === 'drawn_amount' ? bpText(v) : `${yuanOf(v)} 元`);

/** 支行分组考核 (seed 002): groups, the measure, and each quarter's frozen result shown with its inputs. */
export default function GroupsPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const { message } = App.useApp();
  const groups = usePerfGroups();
  const measures = usePerfMeasures();
  const results = usePerfResults();
  const [picked, setPicked] = useState<number | undefined>();
  const resultId = picked ?? results.data?.items[0]?.id;
  const result = usePerfResult(resultId);
  const setGroup = useSetGroup();
  const setMeasure = useSetMeasure();
  const take = useTakeQuarter();
  const [groupOpen, setGroupOpen] = useState(false);
  const [measureOpen, setMeasureOpen] = useState(false);
  const [takeOpen, setTakeOpen] = useState(false);
  const [groupForm] = Form.useForm();
  const [measureForm] = Form.useForm();
  const [takeForm] = Form.useForm();
  const today = beijingToday();
  const current = measures.data?.find((m) => m.validFrom <= today && (!m.validTo || m.validTo >= today));
  const r = result.data;
  const taken = new Set(results.data?.items.map((h) => h.quarter));

  return (
    <PageContainer title={t('perf.groups.title')} subTitle={t('perf.groups.subtitle')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card
          size="small"
          title={t('perf.quarters')}
          extra={
            access.canRunPerformance && (
              <Button type="primary" onClick={() => (takeForm.setFieldsValue({ quarter: results.data?.lastEndedQuarter, reason: '' }), setTakeOpen(true))} data-testid="perf-take">
                {t('perf.take')}
              </Button>
            )
          }
        >
          <Space style={{ marginBottom: 12 }}>
            <span>{t('perf.quarter')}</span>
            <Select
              style={{ width: 260 }}
              value={resultId}
              onChange={setPicked}
              data-testid="perf-result-pick"
              options={results.data?.items.map((h) => ({ value: h.id, label: `${h.quarter} v${h.version}（${t('perf.flaggedCount')} ${h.flagged}）` }))}
            />
          </Space>
          {r && (
            <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="perf-result">
              <Descriptions size="small" column={3}>
                <Descriptions.Item label={t('perf.quarter')}>
                  {r.quarter}（{r.periodFrom} ~ {r.periodTo}）v{r.version}
                </Descriptions.Item>
                <Descriptions.Item label={t('perf.measure')}>{t(`perf.measure.${r.measure}`)}</Descriptions.Item>
                <Descriptions.Item label={t('perf.takenBy')}>
                  {r.takenBy} · {fmtBeijing(r.takenAt)}
                </Descriptions.Item>
                {r.reason && <Descriptions.Item label={t('perf.reason')}>{r.reason}</Descriptions.Item>}
              </Descriptions>
              {r.version < r.latestVersion && <Alert type="warning" showIcon message={t('perf.notLatest')} />}
              <Table<PerfResultLine>
                rowKey="nodeId"
                size="small"
                pagination={false}
                dataSource={r.items}
                scroll={{ x: 900 }}
                columns={[
                  { title: t('perf.branch'), dataIndex: 'branchName', width: 90 },
                  { title: t('perf.group'), dataIndex: 'group', width: 100, render: (g: PerfResultLine['group']) => <Tag color={GROUP_COLOR[g]}>{t(`perf.group.${g}`)}</Tag> },
                  { title: t('perf.subbranch'), dataIndex: 'nodeName', width: 110 },
                  { title: t('perf.entries'), align: 'right', render: (_: unknown, l: PerfResultLine) => l.inputs.entries },
                  { title: t('perf.drawn'), align: 'right', render: (_: unknown, l: PerfResultLine) => l.inputs.drawnCount },
                  { title: t('perf.drawnFen'), align: 'right', render: (_: unknown, l: PerfResultLine) => yuanOf(l.inputs.drawnAmountFen) },
                  { title: t('perf.value'), align: 'right', render: (_: unknown, l: PerfResultLine) => valueText(r.measure, l.value) },
                  { title: t('perf.tiebreak'), align: 'right', render: (_: unknown, l: PerfResultLine) => tiebreakText(r.measure, l.tiebreak) },
                  { title: t('perf.rank'), align: 'right', render: (_: unknown, l: PerfResultLine) => `${l.rank} / ${l.members}` },
                  { title: t('perf.outcome'), dataIndex: 'outcome', render: (o: PerfResultLine['outcome']) => <Tag color={OUTCOME_COLOR[o]}>{t(`perf.outcome.${o}`)}</Tag> },
                ]}
              />
              <Typography.Text type="secondary">{t('perf.frozen')}</Typography.Text>
            </Space>
          )}
        </Card>

        <Card
          size="small"
          title={t('perf.currentGroups')}
          extra={
            <Space>
              <span>
                {t('perf.measure')}：{current ? t(`perf.measure.${current.measure}`) : '—'}
              </span>
              {access.canRunPerformance && <Button onClick={() => (measureForm.resetFields(), setMeasureOpen(true))}>{t('perf.setMeasure')}</Button>}
              {access.canConfigurePerformance && (
                <Button type="primary" onClick={() => (groupForm.setFieldsValue({ validFrom: dayjs(today), reason: '' }), setGroupOpen(true))}>
                  {t('perf.setGroup')}
                </Button>
              )}
            </Space>
          }
        >
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={groups.data?.members}
            columns={[
              { title: t('perf.branch'), dataIndex: 'branchName' },
              { title: t('perf.group'), dataIndex: 'group', render: (g: keyof typeof GROUP_COLOR) => <Tag color={GROUP_COLOR[g]}>{t(`perf.group.${g}`)}</Tag> },
              { title: t('perf.subbranch'), dataIndex: 'nodeName' },
              { title: t('perf.validFrom'), dataIndex: 'validFrom' },
              { title: t('perf.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? '—' },
              { title: t('perf.reason'), dataIndex: 'reason' },
            ]}
          />
          {!!groups.data?.ungrouped.length && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('perf.ungrouped')}：{groups.data.ungrouped.map((u) => u.nodeName).join('、')}
            </Typography.Paragraph>
          )}
        </Card>

        <Card size="small" title={t('perf.history')}>
          <Table
            rowKey="id"
            size="small"
            pagination={{ pageSize: 10 }}
            dataSource={groups.data?.history}
            columns={[
              { title: t('perf.subbranch'), dataIndex: 'nodeName' },
              { title: t('perf.group'), dataIndex: 'group', render: (g: string) => t(`perf.group.${g}` as 'perf.group.priority') },
              { title: t('perf.validFrom'), dataIndex: 'validFrom' },
              { title: t('perf.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? '—' },
              { title: t('perf.reason'), dataIndex: 'reason' },
              { title: t('perf.setBy'), dataIndex: 'setBy' },
            ]}
          />
        </Card>
      </Space>

      <Modal
        title={t('perf.setGroup')}
        open={groupOpen}
        onCancel={() => setGroupOpen(false)}
        confirmLoading={setGroup.isPending}
        onOk={async () => {
          const v = await groupForm.validateFields();
          await setGroup.mutateAsync({ nodeId: v.nodeId, group: v.group === 'none' ? null : v.group, validFrom: v.validFrom.format('YYYY-MM-DD'), reason: v.reason });
          message.success(t('common.saved'));
          setGroupOpen(false);
        }}
      >
        <Form form={groupForm} layout="vertical">
          <Form.Item name="nodeId" label={t('perf.subbranch')} rules={[{ required: true }]}>
            <OrgTreeSelect selectable={['subbranch']} />
          </Form.Item>
          <Form.Item name="group" label={t('perf.group')} rules={[{ required: true }]}>
            <Select options={(['priority', 'follow', 'featured', 'none'] as const).map((g) => ({ value: g, label: t(g === 'none' ? 'perf.group.none' : `perf.group.${g}`) }))} />
          </Form.Item>
          <Form.Item name="validFrom" label={t('perf.validFrom')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < today} />
          </Form.Item>
          <Form.Item name="reason" label={t('perf.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('perf.setMeasure')}
        open={measureOpen}
        onCancel={() => setMeasureOpen(false)}
        confirmLoading={setMeasure.isPending}
        onOk={async () => {
          const v = await measureForm.validateFields();
          await setMeasure.mutateAsync({ measure: v.measure, validFrom: v.validFrom.format('YYYY-MM-DD'), reason: v.reason });
          message.success(t('common.saved'));
          setMeasureOpen(false);
        }}
      >
        <Form form={measureForm} layout="vertical">
          <Form.Item name="measure" label={t('perf.measure')} rules={[{ required: true }]}>
            <Select options={(['drawn_amount', 'conversion_bp', 'drawn_count'] as const).map((m) => ({ value: m, label: t(`perf.measure.${m}`) }))} />
          </Form.Item>
          <Form.Item name="validFrom" label={t('perf.validFrom')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < today} />
          </Form.Item>
          <Form.Item name="reason" label={t('perf.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('perf.take')}
        open={takeOpen}
        onCancel={() => setTakeOpen(false)}
        confirmLoading={take.isPending}
        onOk={async () => {
          const v = await takeForm.validateFields();
          const res = await take.mutateAsync({ quarter: v.quarter, reason: v.reason || undefined });
          setPicked(res.id);
          setTakeOpen(false);
        }}
      >
        <Form form={takeForm} layout="vertical">
          <Form.Item name="quarter" label={t('perf.quarter')} rules={[{ required: true, pattern: /^\d{4}-Q[1-4]$/ }]}>
            <Input placeholder="2026-Q3" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              taken.has(takeForm.getFieldValue('quarter')) && (
                <Form.Item name="reason" label={t('perf.rerunReason')} extra={t('perf.frozen')} rules={[{ required: true, whitespace: true }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              )
            }
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
