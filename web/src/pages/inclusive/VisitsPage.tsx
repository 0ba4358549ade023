import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { accessOf } from '../../access';
import { useMe } from '../../api/auth';
import { type PerfVisit, useCancelVisit, useCloseAction, usePerfStaff, usePerfSuggestions, usePerfTally, usePerfVisits, usePlanVisit, useRecordVisit, bpText } from '../../api/performance';
import { beijingMonth, beijingToday } from '../../format';
import { useI18n } from '../../locales';

const CATEGORY_COLOR = { good: 'green', average: 'blue', poor: 'red' } as const;
const STATE_COLOR = { open: 'processing', overdue: 'error', closed: 'success' } as const;
type Action = PerfVisit['actions'][number];

/** 网点蹲点调研 (seed 002): plan a month's visits from the ranking, record them, follow actions to closure. */
export default function VisitsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const canManage = access.canManagePerformance;
  const [params] = useSearchParams();
  const [month, setMonth] = useState(/^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : beijingMonth());
  const visits = usePerfVisits(month);
  const tally = usePerfTally();
  const suggestions = usePerfSuggestions(month);
  const staff = usePerfStaff(canManage);
  const plan = usePlanVisit();
  const record = useRecordVisit();
  const cancel = useCancelVisit();
  const close = useCloseAction();
  const [planFor, setPlanFor] = useState<{ nodeId: number; name: string; category: 'good' | 'average' | 'poor' } | null>(null);
  const [recording, setRecording] = useState<PerfVisit | null>(null);
  const [closing, setClosing] = useState<Action | null>(null);
  const [planForm] = Form.useForm();
  const [recordForm] = Form.useForm();
  const [closeForm] = Form.useForm();
  const today = beijingToday();
  const staffOptions = (staff.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.staffNo}）· ${s.nodeName}` }));

  return (
    <PageContainer
      title={t('perf.visits.title')}
      subTitle={t('perf.visits.subtitle')}
      extra={
        <Space>
          <span>{t('perf.month')}</span>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
        </Space>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('perf.suggestions')} extra={suggestions.data && `${t('perf.basedOn')}：${suggestions.data.basedOn.from} ~ ${suggestions.data.basedOn.to}`}>
              <Table
                rowKey={(s) => s.outlet.nodeId}
                size="small"
                pagination={false}
                dataSource={suggestions.data?.items}
                data-testid="perf-suggestions"
                columns={[
                  { title: t('perf.category'), dataIndex: 'category', render: (c: keyof typeof CATEGORY_COLOR) => <Tag color={CATEGORY_COLOR[c]}>{t(`perf.category.${c}`)}</Tag> },
                  { title: t('perf.outlet'), render: (_: unknown, s) => `${s.outlet.name}（${s.outlet.parentName ?? ''}）` },
                  { title: t('perf.entries'), align: 'right', render: (_: unknown, s) => s.outlet.entries },
                  { title: t('perf.drawnBp'), align: 'right', render: (_: unknown, s) => bpText(s.outlet.drawnBp) },
                  {
                    title: '',
                    render: (_: unknown, s) =>
                      s.planned ? (
                        <Tag>{t('perf.alreadyPlanned')}</Tag>
                      ) : (
                        canManage && (
                          <Button
                            size="small"
                            data-testid={`perf-plan-${s.category}`}
                            onClick={() => {
                              planForm.resetFields();
                              setPlanFor({ nodeId: s.outlet.nodeId, name: s.outlet.name, category: s.category });
                            }}
                          >
                            {t('perf.plan')}
                          </Button>
                        )
                      ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('perf.tally')}>
              <Table
                rowKey="month"
                size="small"
                pagination={{ pageSize: 6 }}
                dataSource={tally.data}
                columns={[
                  { title: t('perf.month'), dataIndex: 'month' },
                  { title: t('perf.planned'), dataIndex: 'planned', align: 'right' },
                  { title: t('perf.done'), dataIndex: 'done', align: 'right' },
                  { title: t('perf.doneBp'), dataIndex: 'doneBp', align: 'right', render: (v: number | null) => bpText(v) },
                  { title: t('perf.openActions'), dataIndex: 'openActions', align: 'right' },
                  { title: t('perf.overdueActions'), dataIndex: 'overdueActions', align: 'right', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
                ]}
              />
            </Card>
          </Col>
        </Row>

        <Card size="small" title={t('perf.visitList')}>
          <Table<PerfVisit>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={visits.data}
            data-testid="perf-visits"
            expandable={{
              rowExpandable: (v) => v.status === 'done',
              expandedRowRender: (v) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Text>
                    <b>{t('perf.participants')}：</b>
                    {v.participants}
                  </Typography.Text>
                  <Typography.Text>
                    <b>{t('perf.findings')}：</b>
                    {v.findings}
                  </Typography.Text>
                  {v.problems && (
                    <Typography.Text>
                      <b>{t('perf.problems')}：</b>
                      {v.problems}
                    </Typography.Text>
                  )}
                  <Table<Action>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={v.actions}
                    columns={[
                      { title: t('perf.action'), dataIndex: 'action' },
                      { title: t('perf.owner'), dataIndex: 'ownerName', width: 100 },
                      { title: t('perf.dueOn'), dataIndex: 'dueOn', width: 110 },
                      { title: t('perf.status'), dataIndex: 'state', width: 90, render: (s: Action['state']) => <Tag color={STATE_COLOR[s]}>{t(`perf.state.${s}`)}</Tag> },
                      { title: t('perf.closingNote'), render: (_: unknown, a) => (a.closedOn ? `${a.closedOn} ${a.closingNote ?? ''}` : '') },
                      {
                        title: '',
                        width: 80,
                        render: (_: unknown, a) =>
                          canManage &&
                          a.status === 'open' && (
                            <Button size="small" onClick={() => (closeForm.resetFields(), setClosing(a))}>
                              {t('perf.closeAction')}
                            </Button>
                          ),
                      },
                    ]}
                  />
                </Space>
              ),
            }}
            columns={[
              { title: t('perf.category'), dataIndex: 'category', width: 100, render: (c: keyof typeof CATEGORY_COLOR) => <Tag color={CATEGORY_COLOR[c]}>{t(`perf.category.${c}`)}</Tag> },
              { title: t('perf.outlet'), render: (_: unknown, v) => `${v.nodeName}（${v.parentName ?? ''}）` },
              { title: t('perf.leader'), dataIndex: 'leaderName', width: 100 },
              { title: t('perf.plannedOn'), dataIndex: 'plannedOn', width: 110, render: (d: string | null) => d ?? '—' },
              { title: t('perf.visitedOn'), dataIndex: 'visitedOn', width: 110, render: (d: string | null) => d ?? '—' },
              { title: t('perf.status'), dataIndex: 'status', width: 90, render: (s: PerfVisit['status']) => t(`perf.status.${s}`) },
              { title: t('perf.actions'), width: 90, render: (_: unknown, v) => (v.actions.length ? `${v.actions.filter((a) => a.status === 'closed').length} / ${v.actions.length}` : '—') },
              {
                title: '',
                width: 200,
                render: (_: unknown, v) =>
                  canManage &&
                  v.status === 'planned' && (
                    <Space>
                      <Button
                        size="small"
                        type="primary"
                        data-testid={`perf-record-${v.id}`}
                        onClick={() => {
                          recordForm.setFieldsValue({ visitedOn: dayjs(v.plannedOn && v.plannedOn < today ? v.plannedOn : today), participants: '', findings: '', problems: '', actions: [{}] });
                          setRecording(v);
                        }}
                      >
                        {t('perf.record')}
                      </Button>
                      <Button size="small" danger onClick={() => cancel.mutate({ id: v.id, reason: t('perf.cancel') })}>
                        {t('perf.cancel')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
      </Space>

      <Modal
        title={planFor ? `${t('perf.plan')} · ${planFor.name}` : ''}
        open={!!planFor}
        onCancel={() => setPlanFor(null)}
        confirmLoading={plan.isPending}
        onOk={async () => {
          const v = await planForm.validateFields();
          await plan.mutateAsync({ month, nodeId: planFor!.nodeId, category: planFor!.category, leaderStaffId: v.leaderStaffId, plannedOn: v.plannedOn?.format('YYYY-MM-DD') });
          message.success(t('common.saved'));
          setPlanFor(null);
        }}
      >
        <Form form={planForm} layout="vertical">
          <Form.Item name="leaderStaffId" label={t('perf.leader')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={staffOptions} data-testid="perf-leader" />
          </Form.Item>
          <Form.Item name="plannedOn" label={t('perf.plannedOn')}>
            <DatePicker />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={recording ? `${t('perf.record')} · ${recording.nodeName}` : ''}
        open={!!recording}
        width={760}
        onCancel={() => setRecording(null)}
        confirmLoading={record.isPending}
        onOk={async () => {
          const v = await recordForm.validateFields();
          await record.mutateAsync({
            id: recording!.id,
            visitedOn: v.visitedOn.format('YYYY-MM-DD'),
            participants: v.participants,
            findings: v.findings,
            problems: v.problems || undefined,
            actions: (v.actions ?? []).map((a: { action: string; ownerStaffId: number; dueOn: dayjs.Dayjs }) => ({
              action: a.action,
              ownerStaffId: a.ownerStaffId,
              dueOn: a.dueOn.format('YYYY-MM-DD'),
            })),
          });
          message.success(t('common.saved'));
          setRecording(null);
        }}
      >
        <Form form={recordForm} layout="vertical">
          <Form.Item name="visitedOn" label={t('perf.visitedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
          </Form.Item>
          <Form.Item name="participants" label={t('perf.participants')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="findings" label={t('perf.findings')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="problems" label={t('perf.problems')}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Typography.Text strong>{t('perf.actions')}</Typography.Text>
          <Form.List name="actions">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'action']} rules={[{ required: true, whitespace: true }]} style={{ width: 300 }}>
                      <Input placeholder={t('perf.action')} maxLength={1000} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'ownerStaffId']} rules={[{ required: true }]} style={{ width: 220 }}>
                      <Select showSearch optionFilterProp="label" placeholder={t('perf.owner')} options={staffOptions} data-testid="perf-owner" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true }]}>
                      <DatePicker placeholder={t('perf.dueOn')} data-testid="perf-due" />
                    </Form.Item>
                    <Button type="link" onClick={() => remove(f.name)}>
                      ✕
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add()} block>
                  {t('perf.addAction')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>

      <Modal
        title={closing ? `${t('perf.closeAction')} · ${closing.action}` : ''}
        open={!!closing}
        onCancel={() => setClosing(null)}
        confirmLoading={close.isPending}
        onOk={async () => {
          const v = await closeForm.validateFields();
          await close.mutateAsync({ id: closing!.id, closingNote: v.closingNote });
          message.success(t('common.saved'));
          setClosing(null);
        }}
      >
        <Form form={closeForm} layout="vertical">
          <Form.Item name="closingNote" label={t('perf.closingNote')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
