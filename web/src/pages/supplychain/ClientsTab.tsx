import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { type ScClient, type ScMonthCheck, type ScProgrammeDetail, useAdmitClient, useRejectClient, useScClient, useScClients, useScDraw } from '../../api/supplychain';
import { yuanOf } from '../../components/money';
import type { MessageKey } from '../../locales';
import { useI18n } from '../../locales';

const STATUS_COLOR = { recommended: 'blue', admitted: 'green', rejected: 'default' } as const;

/** 推荐客户与交叉验证: each client's 12 months checked, admission with the limit and the rule that bound it, draws. */
export function ClientsTab({ programme, canManage }: { programme: ScProgrammeDetail; canManage: boolean }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const clients = useScClients(programme.id);
  const admit = useAdmitClient();
  const reject = useRejectClient();
  const [drawFor, setDrawFor] = useState<ScClient | null>(null);
  const suspended = programme.status === 'suspended';
  return (
    <>
      <Table<ScClient>
        rowKey="id"
        size="small"
        data-testid="sc-clients"
        loading={clients.isLoading}
        dataSource={clients.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        expandable={{ expandedRowRender: (c) => <CrossCheck id={c.id} />, rowExpandable: (c) => c.hasOrders }}
        columns={[
          { title: t('sc.client'), key: 'c', width: 190, render: (_, c) => `${c.clientName}（${c.clientCode}）` },
          { title: t('sc.household'), dataIndex: 'householdNo', width: 80 },
          { title: t('sc.score'), dataIndex: 'score', width: 70, align: 'right' },
          { title: t('sc.recommended'), dataIndex: 'recommendedFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.orders12m'), dataIndex: 'providerOrdersFen', align: 'right', render: (v: number) => yuanOf(v) },
          {
            title: t('sc.crossCheck'),
            key: 'x',
            width: 150,
            render: (_, c) =>
              !c.hasOrders ? <Tag>{t('sc.noOrders')}</Tag> : c.beyondMonths ? <Tag color="red">{t('sc.crossBeyond', { n: c.beyondMonths })}</Tag> : <Tag color="green">{t('sc.crossOk')}</Tag>,
          },
          { title: t('sc.limit'), dataIndex: 'limitFen', align: 'right', render: (v: number | null) => (v === null ? '—' : yuanOf(v)) },
          {
            title: t('sc.rule'),
            key: 'rule',
            width: 130,
            render: (_, c) =>
              c.limitRule && c.limitInputs ? (
                <Typography.Text
                  title={t('sc.inputs', {
                    rec: yuanOf(c.limitInputs.recommendedFen),
                    orders: yuanOf(c.limitInputs.orders12mFen),
                    ratio: `${c.limitInputs.orderRatioBp / 100}%`,
                    share: yuanOf(c.limitInputs.candidates.orders),
                    hh: yuanOf(c.limitInputs.candidates.household_cap),
                    rem: yuanOf(c.limitInputs.candidates.programme_remaining),
                  })}
                >
                  <Tag color="purple">{t(`sc.rule.${c.limitRule}` as MessageKey)}</Tag>
                </Typography.Text>
              ) : null,
          },
          { title: t('sc.status'), dataIndex: 'status', width: 90, render: (v: ScClient['status']) => <Tag color={STATUS_COLOR[v]}>{t(`sc.clientStatus.${v}` as MessageKey)}</Tag> },
          {
            title: '',
            key: 'act',
            width: 150,
            render: (_, c) =>
              !canManage ? null : c.status === 'recommended' ? (
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    disabled={suspended}
                    loading={admit.isPending && admit.variables?.id === c.id}
                    onClick={() =>
                      // A refusal (cross-check, programme full, suspended) is shown by the API client's error notice.
                      admit.mutate(
                        { id: c.id, note: null },
                        { onSuccess: (r) => void message.success(t('sc.admitted', { limit: yuanOf(r.limitFen), rule: t(`sc.rule.${r.limitRule}` as MessageKey) })) },
                      )
                    }
                  >
                    {t('sc.admit')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() =>
                      modal.confirm({
                        title: t('sc.rejectClient'),
                        content: <Input id="sc-reject-note" placeholder={t('sc.decisionNote')} />,
                        onOk: async () => {
                          const note = (document.getElementById('sc-reject-note') as HTMLInputElement | null)?.value?.trim() || t('sc.rejectClient');
                          await reject.mutateAsync({ id: c.id, note });
                        },
                      })
                    }
                  >
                    {t('sc.rejectClient')}
                  </Button>
                </Space>
              ) : c.status === 'admitted' ? (
                <Button size="small" disabled={suspended} onClick={() => setDrawFor(c)}>
                  {t('sc.draw')}
                </Button>
              ) : null,
          },
        ]}
      />
      {drawFor ? <DrawModal client={drawFor} programme={programme} onClose={() => setDrawFor(null)} /> : null}
    </>
  );
}

function CrossCheck({ id }: { id: number }) {
  const { t } = useI18n();
  const detail = useScClient(id);
  const x = detail.data?.crossCheck;
  return (
    <div>
      {x ? <Typography.Text type="secondary">{t('sc.window', { from: x.window.from.slice(0, 7), to: x.window.to.slice(0, 7) })}</Typography.Text> : null}
      <Table<ScMonthCheck>
        rowKey="month"
        size="small"
        pagination={false}
        loading={detail.isLoading}
        dataSource={x?.months ?? []}
        rowClassName={(m) => (m.beyond ? 'ant-table-row-danger' : '')}
        columns={[
          { title: t('sc.month'), dataIndex: 'month', width: 90, render: (v: string) => v.slice(0, 7) },
          { title: t('sc.enterpriseOrders'), dataIndex: 'enterpriseFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.providerOrders'), dataIndex: 'providerFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.diff'), dataIndex: 'diffFen', align: 'right', render: (v: number) => yuanOf(v) },
          { title: t('sc.beyond'), dataIndex: 'beyond', width: 100, render: (v: boolean) => (v ? <Tag color="red">{t('sc.beyond')}</Tag> : null) },
        ]}
      />
    </div>
  );
}

function DrawModal({ client, programme, onClose }: { client: ScClient; programme: ScProgrammeDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const draw = useScDraw();
  const today = dayjs();
  return (
    <Modal
      open
      title={`${t('sc.draw')} · ${client.clientName}`}
      onCancel={onClose}
      okButtonProps={{ loading: draw.isPending } as never}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await draw.mutateAsync({
          id: client.id,
          loanNo: v.loanNo,
          amountFen: Math.round(v.amountYuan * 100),
          drawnOn: v.drawnOn.format('YYYY-MM-DD'),
          maturityOn: v.maturityOn.format('YYYY-MM-DD'),
        });
        message.success(`${t('sc.margin')} ${yuanOf(r.marginFen)}`);
        onClose();
      }}
    >
      <Typography.Paragraph type="secondary">{t('sc.drawHint', { limit: yuanOf(client.limitFen), used: yuanOf(client.drawnBalanceFen), margin: `${programme.marginBp / 100}%` })}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ drawnOn: today, maturityOn: today.add(programme.maxTermMonths, 'month') }}>
        <Form.Item name="loanNo" label={t('sc.loanNo')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="amountYuan" label={t('sc.amount')} rules={[{ required: true }]}>
          <InputNumber min={0.01} precision={2} style={{ width: 220 }} />
        </Form.Item>
        <Space>
          <Form.Item name="drawnOn" label={t('sc.drawnOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="maturityOn" label={t('sc.maturityOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
