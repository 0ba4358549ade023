import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Form, Input, Modal, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { apiUrl, download } from '../../api/client';
import { type ActivityDetail, type Invitee, useActivity, useInvite, useManualCheckIn, useRsvp, useUnitPeople, useUpdateActivity } from '../../api/projects';
import ExportButton from '../../components/ExportButton';
import { CreateLeadDrawer } from '../leads/components/CreateLeadDrawer';
import { SurveyPanel } from './components/SurveyPanel';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

const RSVP_COLORS = { pending: 'default', accepted: 'green', declined: 'orange' } as const;

/** 活动页 (SPEC §4): the event, each invitee's RSVP and attendance, invitations, check-in, the QR sheet and the attendee list. */
export default function ActivityPage() {
  const { t } = useI18n();
  const id = Number(useParams().id) || undefined;
  const a = useActivity(id);
  const [dialog, setDialog] = useState<'invite' | 'outcome' | { qr: Invitee } | { lead: Invitee } | null>(null);
  if (a.isLoading) return <Spin style={{ margin: 48 }} />;
  if (!a.data) return <Result status="404" title={t('activity.title')} subTitle={a.error instanceof Error ? a.error.message : undefined} extra={<Link to="/projects">{t('project.title')}</Link>} />;
  const d = a.data;
  return (
    <PageContainer
      title={d.title}
      subTitle={<Tag>{t(`activity.kind.${d.kind}`)}</Tag>}
      onBack={() => history.back()}
      extra={
        <Space wrap>
          <ExportButton onExport={() => download(`/projects/activities/${d.id}/attendees.xlsx`, undefined, `${d.title}-参会名单.xlsx`)} />
          {d.mayWork ? (
            <>
              <Button onClick={() => void download(`/projects/activities/${d.id}/qr-sheet.pdf`, undefined, `${d.title}-签到二维码.pdf`)} data-testid="activity-qr-sheet">
                {t('activity.qrSheet')}
              </Button>
              <Button onClick={() => setDialog('outcome')} data-testid="activity-outcome">
                {t('activity.recordOutcome')}
              </Button>
              <Link to="/imports?kind=activity-attendees" data-testid="activity-attendees-import">
                <Button disabled={d.status === 'cancelled'}>{t('activity.importAttendees')}</Button>
              </Link>
              <Button type="primary" onClick={() => setDialog('invite')} disabled={d.status === 'cancelled'} data-testid="activity-invite">
                {t('activity.invite')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <ProCard bordered style={{ marginBottom: 16 }}>
        <ProDescriptions column={3} data-testid="activity-info">
          <ProDescriptions.Item label={t('project.title')}>
            <Link to={`/projects/${d.projectId}`}>{d.projectName}</Link>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('project.company')}>{d.companyName}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('activity.startsAt')}>{fmtBeijing(d.startsAt)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('activity.place')}>{d.place ?? '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('activity.statusLabel')}>{t(`activity.status.${d.status}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('activity.countsLabel')}>
            <span data-testid="activity-counts">{t('activity.counts', { invited: d.invited, accepted: d.accepted, attended: d.attended })}</span>
          </ProDescriptions.Item>
          {d.outcome ? <ProDescriptions.Item label={t('activity.outcome')}>{d.outcome}</ProDescriptions.Item> : null}
        </ProDescriptions>
      </ProCard>
      <ProCard bordered title={t('activity.invitees')}>
        <Invitees d={d} onQr={(v) => setDialog({ qr: v })} onLead={(v) => setDialog({ lead: v })} />
      </ProCard>
      <SurveyPanel activityId={d.id} title={d.title} />
      {dialog === 'invite' ? <InviteModal d={d} onClose={() => setDialog(null)} /> : null}
      {dialog === 'outcome' ? <OutcomeModal d={d} onClose={() => setDialog(null)} /> : null}
      {dialog && typeof dialog === 'object' && 'lead' in dialog ? (
        <CreateLeadDrawer
          open
          onClose={() => setDialog(null)}
          preset={{ personId: dialog.lead.personId, contactName: dialog.lead.name, projectId: d.projectId, activityId: d.id, activityTitle: d.title }}
        />
      ) : null}
      {dialog && typeof dialog === 'object' && 'qr' in dialog ? (
        <Modal open footer={null} title={t('activity.qrOf', { name: dialog.qr.name })} onCancel={() => setDialog(null)} width={360}>
          <div style={{ textAlign: 'center' }}>
            <img src={apiUrl(`/projects/activities/${d.id}/invitees/${dialog.qr.id}/qr.svg`)} width={240} height={240} alt={dialog.qr.name} data-testid="invitee-qr" />
            <Typography.Paragraph type="secondary">{t('activity.qrHint')}</Typography.Paragraph>
          </div>
        </Modal>
      ) : null}
    </PageContainer>
  );
}

function Invitees({ d, onQr, onLead }: { d: ActivityDetail; onQr: (v: Invitee) => void; onLead: (v: Invitee) => void }) {
  const { t } = useI18n();
  const rsvp = useRsvp();
  const checkIn = useManualCheckIn();
  return (
    <Table<Invitee>
      rowKey="id"
      size="middle"
      data-testid="invitee-table"
      dataSource={d.invitees}
      pagination={{ pageSize: 50, showSizeChanger: false }}
      scroll={{ x: 900 }}
      columns={[
        { title: t('project.person'), dataIndex: 'name', width: 110 },
        { title: t('activity.personTitle'), dataIndex: 'title', width: 140, render: (v: string | null) => v ?? '-' },
        { title: t('activity.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '-' },
        {
          title: t('activity.rsvp'),
          dataIndex: 'rsvp',
          width: 130,
          render: (v: Invitee['rsvp'], r) =>
            d.mayWork && !r.checkedInAt ? (
              <Select
                size="small"
                value={v}
                style={{ width: 110 }}
                onChange={(next) => rsvp.mutate({ id: d.id, inviteeId: r.id, rsvp: next })}
                options={(['pending', 'accepted', 'declined'] as const).map((x) => ({ value: x, label: t(`activity.rsvp.${x}`) }))}
              />
            ) : (
              <Tag color={RSVP_COLORS[v]}>{t(`activity.rsvp.${v}`)}</Tag>
            ),
        },
        {
          title: t('activity.attendance'),
          width: 220,
          render: (_, r) =>
            r.checkedInAt ? (
              <Tag color="green" data-testid="invitee-checked">
                {t('activity.checkedIn', { at: fmtBeijing(r.checkedInAt), method: t(`activity.method.${r.checkInMethod ?? 'manual'}`) })}
              </Tag>
            ) : (
              <Tag>{t('activity.notYet')}</Tag>
            ),
        },
        ...(d.mayWork
          ? [
              {
                title: '',
                width: 260,
                render: (_: unknown, r: Invitee) => (
                  <Space>
                    <Button size="small" onClick={() => onLead(r)} data-testid="invitee-lead">
                      {t('activity.lead')}
                    </Button>
                    <Button size="small" onClick={() => onQr(r)}>
                      {t('activity.qr')}
                    </Button>
                    {!r.checkedInAt && d.status !== 'cancelled' ? (
                      <Button size="small" type="primary" loading={checkIn.isPending} onClick={() => checkIn.mutate({ id: d.id, inviteeId: r.id })} data-testid="invitee-checkin">
                        {t('activity.checkIn')}
                      </Button>
                    ) : null}
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

function InviteModal({ d, onClose }: { d: ActivityDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const people = useUnitPeople(d.projectId, d.id);
  const invite = useInvite();
  const [picked, setPicked] = useState<number[]>([]);
  const ok = async () => {
    const r = await invite.mutateAsync({ id: d.id, personIds: picked });
    void message.success(t('activity.invited', { invited: r.invited, already: r.already }));
    onClose();
  };
  return (
    <Modal
      open
      width={640}
      title={t('activity.invite')}
      onOk={() => void ok().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={invite.isPending}
      okButtonProps={{ disabled: !picked.length, id: 'invite-ok' }}
    >
      <Typography.Paragraph type="secondary">{t('activity.inviteHint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="personId"
        loading={people.isLoading}
        dataSource={people.data ?? []}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        data-testid="invite-people"
        rowSelection={{ selectedRowKeys: picked, onChange: (k) => setPicked(k as number[]), getCheckboxProps: (p) => ({ disabled: p.invited }) }}
        columns={[
          { title: t('project.person'), dataIndex: 'name' },
          { title: t('activity.personTitle'), dataIndex: 'title', render: (v: string | null) => v ?? '-' },
          { title: '', dataIndex: 'invited', render: (v: boolean) => (v ? <Tag>{t('activity.alreadyInvited')}</Tag> : null) },
        ]}
      />
    </Modal>
  );
}

function OutcomeModal({ d, onClose }: { d: ActivityDetail; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ status: ActivityDetail['status']; outcome?: string }>();
  const update = useUpdateActivity();
  const ok = async () => {
    const v = await form.validateFields();
    await update.mutateAsync({ id: d.id, body: { status: v.status, outcome: v.outcome?.trim() || null } });
    onClose();
  };
  return (
    <Modal open title={t('activity.recordOutcome')} onOk={() => void ok().catch(() => undefined)} onCancel={onClose} confirmLoading={update.isPending} okButtonProps={{ id: 'outcome-ok' }}>
      <Form form={form} layout="vertical" initialValues={{ status: d.status === 'planned' ? 'held' : d.status, outcome: d.outcome ?? '' }}>
        <Form.Item name="status" label={t('activity.statusLabel')}>
          <Select options={(['planned', 'held', 'cancelled'] as const).map((s) => ({ value: s, label: t(`activity.status.${s}`) }))} />
        </Form.Item>
        <Form.Item name="outcome" label={t('activity.outcome')}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="activity-outcome-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
