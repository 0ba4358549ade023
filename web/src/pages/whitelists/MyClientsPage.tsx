import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Form, Input, List, Modal, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { letterUrl, useRecordContact, useWlMine, wan, type WlContactBody, type WlEntry, type WlStatus } from '../../api/whitelists';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

const STATUSES: WlStatus[] = ['not_contacted', 'contacted', 'interested', 'applied', 'drawn', 'refused'];
const COLORS: Record<WlStatus, string> = { not_contacted: 'default', contacted: 'blue', interested: 'gold', applied: 'cyan', drawn: 'green', refused: 'red' };
const CHANNELS = ['phone', 'visit', 'counter', 'sms', 'wechat', 'other'] as const;
const OUTCOMES = ['no_answer', 'suspected_fraud', 'not_interested', 'interested', 'applied', 'drawn', 'refused', 'callback', 'other'] as const;

/** 我的白名单客户 (SPEC §12): a staff member's clients, by status, with a contact form; laid out for a phone first. */
export default function MyClientsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<WlStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const mine = useWlMine({ status: status === 'all' ? undefined : status, page, pageSize: 20 });
  const [contact, setContact] = useState<WlEntry | null>(null);
  const counts = mine.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return (
    <PageContainer title={t('wl.mine.title')}>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('wl.mine.subtitle')}
      </Typography.Paragraph>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented<WlStatus | 'all'>
          value={status}
          onChange={(v) => (setStatus(v), setPage(1))}
          options={[{ value: 'all', label: `${t('wl.all')} ${total}` }, ...STATUSES.map((s) => ({ value: s, label: `${t(`wl.status.${s}`)} ${counts[s] ?? 0}` }))]}
        />
      </div>
      <List<WlEntry>
        loading={mine.isLoading}
        dataSource={mine.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('wl.mine.empty')} /> }}
        pagination={mine.data && mine.data.total > 20 ? { current: page, pageSize: 20, total: mine.data.total, onChange: setPage, size: 'small', simple: true } : false}
        renderItem={(e) => (
          <List.Item style={{ padding: 0, border: 'none', marginBottom: 10 }}>
            <Card size="small" style={{ width: '100%' }} data-testid="wl-client">
              <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                <Typography.Text strong style={{ fontSize: 15 }}>
                  {e.clientName}
                </Typography.Text>
                <Tag color={COLORS[e.status]} style={{ marginInlineEnd: 0 }}>
                  {t(`wl.status.${e.status}`)}
                </Tag>
              </Space>
              <div style={{ marginTop: 4, color: 'rgba(0,0,0,0.65)' }}>
                {e.product} · {wan(e.amountFen)} 万元 · {t('wl.expiresOn')} {e.expiresOn}
              </div>
              <div style={{ marginTop: 2, color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>
                {e.idNo}
                {e.lastContactAt ? ` · ${t('wl.lastContact')} ${fmtBeijing(e.lastContactAt)}（${t('wl.contactsN', { n: e.contacts })}）` : ''}
                {e.refusalReason ? ` · ${e.refusalReason}` : ''}
              </div>
              <Space style={{ marginTop: 8 }} wrap>
                {e.phone ? (
                  <Button size="small" href={`tel:${e.phone}`}>
                    {e.phone}
                  </Button>
                ) : null}
                {e.status !== 'drawn' ? (
                  <Button size="small" type="primary" onClick={() => setContact(e)}>
                    {t('wl.recordContact')}
                  </Button>
                ) : null}
                <Button size="small" href={letterUrl(e.id)} target="_blank">
                  {t('wl.letter')}
                </Button>
              </Space>
            </Card>
          </List.Item>
        )}
      />
      {contact ? <ContactModal entry={contact} onClose={() => setContact(null)} /> : null}
    </PageContainer>
  );
}

function ContactModal({ entry, onClose }: { entry: WlEntry; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<WlContactBody>();
  const record = useRecordContact();
  const outcome = Form.useWatch('outcome', form);
  const refusing = outcome === 'refused' || outcome === 'not_interested';
  return (
    <Modal
      open
      title={`${t('wl.recordContact')} · ${entry.clientName}`}
      onCancel={onClose}
      confirmLoading={record.isPending}
      onOk={() =>
        void form.validateFields().then((v) =>
          record
            .mutateAsync({ id: entry.id, ...v })
            .then(() => (void message.success(t('wl.saved')), onClose()))
            .catch((e: Error) => message.error(e.message)),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ channel: 'phone' }}>
        <Form.Item name="channel" label={t('wl.channel')} rules={[{ required: true }]}>
          <Select options={CHANNELS.map((c) => ({ value: c, label: t(`wl.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="outcome" label={t('wl.outcome')} rules={[{ required: true }]}>
          <Select options={OUTCOMES.map((c) => ({ value: c, label: t(`wl.outcome.${c}`) }))} />
        </Form.Item>
        {refusing ? (
          <Form.Item name="refusalReason" label={t('wl.refusalReason')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t('wl.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
