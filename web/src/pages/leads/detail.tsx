import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Result, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type LeadDetail, LEAD_STAGE_COLORS, type LeadStage, OPEN_LEAD_STAGES, useAssignLead, useClaimLead, useLead, useLeadAssignees, useMoveLead, useWinLead } from '../../api/leads';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { showSaveError } from '../../forms/serverErrors';
import { useI18n } from '../../locales';
import { SlaTag } from './components/SlaTag';

const NEXT: Record<LeadStage, LeadStage[]> = { new: ['contacted', 'proposal'], contacted: ['proposal'], proposal: [], won: [], lost: [] };

/** One lead: what it is, who holds it, its countdown and history, and the next steps its holder or a manager may take. */
export default function LeadPage() {
  const { t } = useI18n();
  const id = Number(useParams().id) || undefined;
  const me = useMe().data;
  const access = accessOf(me);
  const lead = useLead(id);
  if (lead.isLoading) return <Spin style={{ margin: 48 }} />;
  if (!lead.data) return <Result status="404" title={t('lead.detail')} subTitle={lead.error instanceof Error ? lead.error.message : undefined} extra={<Link to="/leads">{t('lead.title')}</Link>} />;
  const l = lead.data;
  const open = OPEN_LEAD_STAGES.includes(l.stage);
  const holder = l.ownerStaffId !== null && l.ownerStaffId === me?.staffId;
  const mayWork = open && ((holder && access.canWorkLeads) || access.canManageLeads);
  return (
    <PageContainer
      title={l.contactName}
      subTitle={<Tag color={LEAD_STAGE_COLORS[l.stage]}>{t(`lead.stage.${l.stage}`)}</Tag>}
      onBack={() => history.back()}
      extra={<Actions l={l} mayWork={mayWork} />}
    >
      <ProCard bordered style={{ marginBottom: 16 }}>
        <ProDescriptions column={3} data-testid="lead-info">
          <ProDescriptions.Item label={t('lead.product')}>{l.productName ? `${l.productName}（${l.productCode}）` : '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.department')}>{`${l.nodeName} · ${l.departmentName}`}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.owner')}>{l.ownerName ? `${l.ownerName}（${l.ownerStaffNo}）` : <Tag>{t('lead.pool')}</Tag>}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.source')}>{t(`lead.source.${l.source}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.createdAt')}>{fmtBeijing(l.createdAt)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.touchedAt')}>{fmtBeijing(l.touchedAt)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.sla')}>{open ? <SlaTag lead={l} /> : '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('lead.note')}>{l.note ?? '-'}</ProDescriptions.Item>
          {l.projectId ? (
            <ProDescriptions.Item label={t('project.title')}>
              <Link to={`/projects/${l.projectId}`} data-testid="lead-project-link">
                {l.projectName}
              </Link>
            </ProDescriptions.Item>
          ) : null}
          {l.lostReason ? <ProDescriptions.Item label={t('lead.lostReason')}>{l.lostReason}</ProDescriptions.Item> : null}
          {l.saleId ? (
            <ProDescriptions.Item label={t('lead.stage.won')}>
              <Link to={`/sales/${l.saleId}`} data-testid="lead-sale-link">
                {t('lead.viewSale')}
              </Link>
            </ProDescriptions.Item>
          ) : null}
        </ProDescriptions>
      </ProCard>
      <ProCard bordered title={t('lead.history')}>
        <Timeline
          data-testid="lead-history"
          items={l.events.map((e) => ({ color: e.kind === 'returned' || e.kind === 'escalated' ? 'red' : e.kind === 'won' ? 'green' : 'blue', children: <EventText e={e} /> }))}
        />
      </ProCard>
    </PageContainer>
  );
}

function EventText({ e }: { e: LeadDetail['events'][number] }) {
  const { t } = useI18n();
  const d = e.detail as { to?: LeadStage; from?: LeadStage; lostReason?: string; note?: string; why?: string; days?: number; level?: number };
  const what =
    e.kind === 'stage' && d.to
      ? `${t('lead.event.stage')}：${t(`lead.stage.${d.from ?? 'new'}`)} → ${t(`lead.stage.${d.to}`)}${d.lostReason ? `（${d.lostReason}）` : ''}${d.note ? ` · ${d.note}` : ''}`
      : e.kind === 'assigned' && d.why && ['rule', 'self', 'claim', 'pool'].includes(d.why)
        ? `${t('lead.event.assigned')}（${t(`lead.why.${d.why}` as 'lead.why.rule')}）`
        : e.kind === 'assigned'
          ? `${t('lead.event.assigned')}（${t('lead.why.manager')}${d.why && d.why !== 'manager' ? `：${d.why}` : ''}）`
          : e.kind === 'escalated' && d.days
            ? t('lead.event.escalatedDays', { days: d.days, managers: d.level === 2 ? t('lead.event.managersToo') : '' })
            : t(`lead.event.${e.kind}` as 'lead.event.created');
  return (
    <span>
      <Typography.Text type="secondary">{fmtBeijing(e.at)}</Typography.Text> {what} · {e.actorName ?? t('lead.by.system')}
    </span>
  );
}

function Actions({ l, mayWork }: { l: LeadDetail; mayWork: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const move = useMoveLead();
  const claim = useClaimLead();
  const [dialog, setDialog] = useState<'lost' | 'assign' | 'win' | null>(null);
  const open = OPEN_LEAD_STAGES.includes(l.stage);
  if (!open) return null;
  return (
    <Space wrap>
      {l.ownerStaffId === null && access.canWorkLeads ? (
        <Button type="primary" loading={claim.isPending} onClick={() => claim.mutateAsync(l.id).then(() => message.success(t('lead.claimed')))} data-testid="lead-claim">
          {t('lead.claim')}
        </Button>
      ) : null}
      {mayWork
        ? NEXT[l.stage].map((s) => (
            <Button key={s} loading={move.isPending} onClick={() => move.mutateAsync({ id: l.id, stage: s }).then(() => message.success(t('lead.moved')))} data-testid={`lead-move-${s}`}>
              {t('lead.moveTo', { stage: t(`lead.stage.${s}`) })}
            </Button>
          ))
        : null}
      {mayWork ? (
        <Button type="primary" onClick={() => setDialog('win')} data-testid="lead-win">
          {t('lead.win')}
        </Button>
      ) : null}
      {mayWork ? (
        <Button danger onClick={() => setDialog('lost')} data-testid="lead-lose">
          {t('lead.lose')}
        </Button>
      ) : null}
      {access.canManageLeads ? (
        <Button onClick={() => setDialog('assign')} data-testid="lead-reassign">
          {t('lead.reassign')}
        </Button>
      ) : null}
      {dialog === 'lost' ? <LostDialog id={l.id} onClose={() => setDialog(null)} /> : null}
      {dialog === 'assign' ? <AssignDialog l={l} onClose={() => setDialog(null)} /> : null}
      {dialog === 'win' ? <WinDialog l={l} onClose={() => setDialog(null)} /> : null}
    </Space>
  );
}

function LostDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ lostReason: string }>();
  const move = useMoveLead();
  const ok = async () => {
    const v = await form.validateFields();
    await move.mutateAsync({ id, stage: 'lost', lostReason: v.lostReason });
    message.success(t('lead.moved'));
    onClose();
  };
  return (
    <Modal open title={t('lead.lose')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={move.isPending}>
      <Form form={form} layout="vertical">
        <Form.Item name="lostReason" label={t('lead.lostReason')} rules={[{ required: true, whitespace: true, message: t('lead.lostReasonRequired') }, { max: 200 }]}>
          <Input.TextArea rows={3} data-testid="lead-lost-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AssignDialog({ l, onClose }: { l: LeadDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ staffId: number; reason?: string }>();
  const people = useLeadAssignees(l.id, true);
  const assign = useAssignLead();
  const ok = async () => {
    const v = await form.validateFields();
    try {
      await assign.mutateAsync({ id: l.id, staffId: v.staffId, reason: v.reason });
      message.success(t('lead.reassigned'));
      onClose();
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  return (
    <Modal open title={t('lead.reassign')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={assign.isPending}>
      <Form form={form} layout="vertical">
        <Form.Item name="staffId" label={t('lead.reassignTo')} rules={[{ required: true, message: t('forms.required') }]}>
          <Select
            loading={people.isLoading}
            data-testid="lead-assign-staff"
            options={(people.data ?? []).map((p) => ({ value: p.staffId, label: `${p.name} ${p.staffNo} · ${p.open}/${p.capacity}`, disabled: p.staffId === l.ownerStaffId }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('lead.reassignReason')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WinDialog({ l, onClose }: { l: LeadDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ sourceId: string; saleDate: dayjs.Dayjs; quantity: string }>();
  const win = useWinLead();
  const ok = async () => {
    const v = await form.validateFields();
    try {
      const r = await win.mutateAsync({ id: l.id, body: { sourceId: v.sourceId, saleDate: v.saleDate.format('YYYY-MM-DD'), quantity: v.quantity.normalize('NFKC').trim() } });
      message.success(t('lead.won', { id: r.sale.sourceId }));
      onClose();
      navigate(`/sales/${r.sale.saleId}`);
    } catch (e) {
      showSaveError(form, e, t, (text) => void message.error(text));
    }
  };
  return (
    <Modal open width={560} title={t('lead.winTitle')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={win.isPending} okButtonProps={{ id: 'lead-win-ok' }}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('lead.winHint')} />
      <ProDescriptions column={2} size="small" style={{ marginBottom: 8 }}>
        <ProDescriptions.Item label={t('lead.product')}>{l.productName ?? '-'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('lead.owner')}>{l.ownerName ?? '-'}</ProDescriptions.Item>
      </ProDescriptions>
      <Form form={form} layout="vertical" initialValues={{ sourceId: `LEAD-${l.id}-${beijingToday().replaceAll('-', '')}`, saleDate: dayjs(beijingToday()) }}>
        <Form.Item name="sourceId" label={t('sale.sourceId')} rules={[{ required: true, message: t('forms.required') }, { max: 64 }]}>
          <Input data-testid="lead-win-source" />
        </Form.Item>
        <Form.Item name="saleDate" label={t('saleForm.saleDate')} rules={[{ required: true, message: t('forms.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > beijingToday()} />
        </Form.Item>
        <Form.Item name="quantity" label={t('sale.quantity')} rules={[{ required: true, message: t('forms.required') }]}>
          <Input inputMode="decimal" data-testid="lead-win-quantity" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
