import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, DatePicker, Descriptions, Form, Grid, Input, List, Modal, Result, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { useWarning, useWarningAction, type WarningDetail } from '../../api/warnings';
import { accessOf } from '../../access';
import { fmtMoney } from '../../components/money';
import { beijingToday, fmtBeijing } from '../../format';
import { showSaveError } from '../../forms/serverErrors';
import { useI18n } from '../../locales';
import { WarningTags } from './labels';

type Dialog = null | 'visits' | 'close' | 'escalate';

/**
 * One warning (SPEC §12), for the AM on a PC or a phone: why it fired (each hit with its inputs),
 * who received it, the handling so far, and the client's product holdings; acknowledge, record a
 * visit with findings, close, or escalate.
 */
export default function WarningPage() {
  const { t, lang } = useI18n();
  const narrow = !Grid.useBreakpoint().md;
  const id = Number(useParams().id) || undefined;
  const access = accessOf(useMe().data);
  const w = useWarning(id);
  const act = useWarningAction();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  if (w.isLoading) return <Spin style={{ margin: 48 }} />;
  if (!w.data) return <Result status="404" title={t('warning.title')} subTitle={w.error instanceof Error ? w.error.message : undefined} extra={<Link to="/warnings">{t('warning.title')}</Link>} />;
  const d: WarningDetail = w.data;
  const open = d.status !== 'closed';
  const may = open && access.canHandleWarnings;
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  const run = (action: 'acknowledge' | 'visits' | 'close' | 'escalate', body: { note?: string | null; visitedOn?: string }) =>
    act.mutate(
      { id: d.id, action, body },
      {
        onSuccess: () => {
          message.success(t('warning.done'));
          setDialog(null);
          form.resetFields();
        },
        onError: (e) => showSaveError(form, e, t, (text) => void message.error(text)),
      },
    );
  const submit = async () => {
    const v = (await form.validateFields()) as { visitedOn?: dayjs.Dayjs; note?: string };
    if (dialog === 'visits') run('visits', { visitedOn: v.visitedOn!.format('YYYY-MM-DD'), note: v.note });
    else if (dialog) run(dialog, { note: v.note ?? null });
  };
  const actions = may ? (
    <Space wrap data-testid="warning-actions">
      {d.status === 'open' ? (
        <Button type="primary" loading={act.isPending} onClick={() => run('acknowledge', { note: null })} data-testid="warning-ack">
          {t('warning.action.acknowledge')}
        </Button>
      ) : null}
      <Button type={d.status === 'acknowledged' ? 'primary' : 'default'} onClick={() => setDialog('visits')} data-testid="warning-visit">
        {t('warning.action.visit')}
      </Button>
      {d.status === 'visited' || d.escalationLevel > 0 ? (
        <Button type={d.status === 'visited' ? 'primary' : 'default'} onClick={() => setDialog('close')} data-testid="warning-close">
          {t('warning.action.close')}
        </Button>
      ) : null}
      {d.escalationLevel < 2 ? (
        <Button danger onClick={() => setDialog('escalate')} data-testid="warning-escalate">
          {t('warning.action.escalate')}
        </Button>
      ) : null}
    </Space>
  ) : null;
  return (
    <PageContainer title={d.clientName} subTitle={narrow ? undefined : `${d.indicatorCode} ${lang === 'en' ? d.indicatorEn : d.indicatorZh}`} onBack={() => history.back()}>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" data-testid="warning-info">
          {narrow ? <Typography.Title level={5}>{lang === 'en' ? d.indicatorEn : d.indicatorZh}</Typography.Title> : null}
          <div style={{ marginBottom: 8 }}>
            <WarningTags w={d} />
            {d.nextEscalationOn && open ? <Typography.Text type="secondary">{t('warning.nextEscalation', { day: d.nextEscalationOn })}</Typography.Text> : null}
          </div>
          <Descriptions size="small" column={narrow ? 1 : 3}>
            <Descriptions.Item label={t('warning.firstDay')}>{d.firstDay}</Descriptions.Item>
            <Descriptions.Item label={t('warning.lastDay')}>{d.lastDay}</Descriptions.Item>
            <Descriptions.Item label={t('warning.occurrences')}>{d.occurrences}</Descriptions.Item>
            <Descriptions.Item label={t('warning.node')}>{d.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('warning.am')}>{d.amName ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('warning.loanBalance')}>{fmtMoney(d.loanBalanceFen, unit)}</Descriptions.Item>
          </Descriptions>
          {actions ? <div style={{ marginTop: 8 }}>{actions}</div> : null}
        </Card>
        <Card size="small" title={t('warning.why')}>
          <List
            size="small"
            data-testid="warning-hits"
            dataSource={d.hits}
            renderItem={(h) => (
              <List.Item key={h.day}>
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{h.day}</Typography.Text>
                  <Typography.Text>{lang === 'en' ? h.explanation.en : h.explanation.zh}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <Card size="small" title={t('warning.actions')}>
          {d.actions.length === 0 ? (
            <Typography.Text type="secondary">{t('warning.noActions')}</Typography.Text>
          ) : (
            <Timeline
              data-testid="warning-timeline"
              items={d.actions.map((a) => ({
                key: a.id,
                children: (
                  <>
                    <Typography.Text strong>{t(`warning.action.${a.kind}`)}</Typography.Text> <Typography.Text type="secondary">{`${a.staffName ?? ''} ${fmtBeijing(a.at)}`}</Typography.Text>
                    {a.visitedOn ? <div>{`${t('warning.visitedOn')}：${a.visitedOn}`}</div> : null}
                    {a.note ? <div>{a.note}</div> : null}
                  </>
                ),
              }))}
            />
          )}
        </Card>
        <Card size="small" title={t('warning.recipients')}>
          <Space wrap data-testid="warning-recipients">
            {d.recipients.map((r) => (
              <Tag key={`${r.staffId}-${r.reason}`} style={{ whiteSpace: 'normal' }} color={r.reason === 'manager' ? 'blue' : r.reason === 'escalation' ? 'magenta' : 'default'}>
                {`${r.name}（${t(`warning.reason.${r.reason}`)}${r.via ? `：${r.via}` : ''}）`}
              </Tag>
            ))}
          </Space>
        </Card>
        <Card size="small" title={t('warning.holdings')}>
          {d.holdings.length === 0 ? (
            <Typography.Text type="secondary">{t('warning.holdingsEmpty')}</Typography.Text>
          ) : (
            <Table
              size="small"
              rowKey={(h) => `${h.personName}-${h.productCode}`}
              pagination={false}
              dataSource={d.holdings}
              columns={[
                { title: t('warning.person'), dataIndex: 'personName' },
                { title: t('warning.product'), dataIndex: 'productName' },
                { title: t('warning.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number | null) => fmtMoney(v, unit) },
              ]}
            />
          )}
        </Card>
      </Space>
      <Modal
        open={dialog !== null}
        title={dialog ? t(`warning.action.${dialog === 'visits' ? 'visit' : dialog}`) : ''}
        onCancel={() => setDialog(null)}
        onOk={() => void submit()}
        confirmLoading={act.isPending}
        okButtonProps={{ id: 'warning-dialog-ok' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ visitedOn: dayjs(beijingToday()) }}>
          {dialog === 'visits' ? (
            <Form.Item name="visitedOn" label={t('warning.visitedOn')} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="note"
            label={t(dialog === 'visits' ? 'warning.findings' : dialog === 'close' ? 'warning.closeNote' : 'warning.escalateNote')}
            rules={dialog === 'escalate' ? [] : [{ required: true }]}
            extra={dialog === 'visits' ? t('warning.findingsHint') : undefined}
          >
            <Input.TextArea rows={4} maxLength={dialog === 'visits' ? 2000 : 1000} data-testid="warning-note" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
