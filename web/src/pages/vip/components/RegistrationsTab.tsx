import { App, Button, Card, Empty, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type VipRegistration, useAmCandidates, useAssignVipAm, useEndVip, useSignVip, useVipRegistrations, gradeKey } from '../../../api/vip';
import { fmtBeijing } from '../../../format';
import { fmtMoney } from '../../../components/money';
import { useI18n } from '../../../locales';

/** 已登记贵宾: sign the one-to-one service, then give the client an AM whose grade matches the tier. */
export function RegistrationsTab({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [status, setStatus] = useState<'active' | 'ended'>('active');
  const list = useVipRegistrations({ status, ...page });
  const sign = useSignVip();
  const [assigning, setAssigning] = useState<VipRegistration | null>(null);
  const [ending, setEnding] = useState<VipRegistration | null>(null);
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  return (
    <Card
      size="small"
      extra={
        <Radio.Group
          size="small"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as 'active' | 'ended');
            setPage((p) => ({ ...p, page: 1 }));
          }}
          data-testid="vip-registrations-status"
          options={[
            { value: 'active', label: t('vip.statusActive') },
            { value: 'ended', label: t('vip.statusEnded') },
          ]}
          optionType="button"
        />
      }
    >
      <Table<VipRegistration>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="vip-registrations-table"
        locale={{ emptyText: t('vip.noneRegistrations') }}
        scroll={{ x: 1050 }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.totalN', { n }),
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
        columns={[
          { title: t('vip.person'), dataIndex: 'name', width: 90, fixed: 'left' },
          {
            title: t('vip.tier'),
            key: 'tier',
            width: 120,
            render: (_, r) => (
              <Tag color="gold" title={`${t('vip.requiredGrade')}：${t(gradeKey(r.requiredGrade))}`}>
                {r.tierName}
              </Tag>
            ),
          },
          { title: t('vip.aum'), dataIndex: 'aumFen', width: 120, align: 'right', render: (v: number) => fmtMoney(v, unit) },
          { title: t('vip.project'), dataIndex: 'projectName', width: 150, ellipsis: true },
          { title: t('vip.registeredAt'), dataIndex: 'registeredAt', width: 150, render: (v: string) => fmtBeijing(v) },
          { title: t('vip.registeredBy'), dataIndex: 'registeredBy', width: 80 },
          {
            title: t('vip.signed'),
            key: 'signed',
            width: 150,
            render: (_, r) =>
              r.signedAt ? (
                <Tag color="green">{fmtBeijing(r.signedAt)}</Tag>
              ) : canManage ? (
                <Button size="small" loading={sign.isPending} onClick={() => sign.mutateAsync(r.id).then(() => message.success(t('vip.signedOk')))} data-testid={`vip-sign-${r.id}`}>
                  {t('vip.sign')}
                </Button>
              ) : (
                <Tag>{t('vip.notSigned')}</Tag>
              ),
          },
          {
            title: t('vip.am'),
            key: 'am',
            width: 170,
            render: (_, r) =>
              r.amName ? (
                <span data-testid={`vip-am-${r.id}`}>
                  {r.amName} <Typography.Text type="secondary">{r.amStaffNo}</Typography.Text>
                </span>
              ) : canManage && r.signedAt ? (
                <Button size="small" type="primary" onClick={() => setAssigning(r)} data-testid={`vip-assign-${r.id}`}>
                  {t('vip.assignAm')}
                </Button>
              ) : (
                '-'
              ),
          },
          status === 'ended'
            ? {
                title: t('vip.ended'),
                key: 'ended',
                width: 260,
                render: (_, r) => (
                  <span data-testid={`vip-ended-${r.id}`}>
                    {fmtBeijing(r.endedAt!)} {r.endedBy} <Typography.Text type="secondary">{r.endReason}</Typography.Text>
                  </span>
                ),
              }
            : {
                title: t('common.actions'),
                key: 'actions',
                width: 90,
                render: (_, r) =>
                  canManage ? (
                    <Button size="small" danger type="link" onClick={() => setEnding(r)} data-testid={`vip-end-${r.id}`}>
                      {t('vip.end')}
                    </Button>
                  ) : null,
              },
        ]}
      />
      {assigning ? <AssignModal registration={assigning} onClose={() => setAssigning(null)} /> : null}
      {ending ? <EndModal registration={ending} onClose={() => setEnding(null)} /> : null}
    </Card>
  );
}

function AssignModal({ registration: r, onClose }: { registration: VipRegistration; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const candidates = useAmCandidates(r.id);
  const assign = useAssignVipAm();
  const [staffId, setStaffId] = useState<number | undefined>();
  return (
    <Modal
      open
      title={t('vip.assignTitle', { name: r.name })}
      onCancel={onClose}
      okButtonProps={{ disabled: !staffId, loading: assign.isPending, 'data-testid': 'vip-assign-ok' } as never}
      onOk={async () => {
        await assign.mutateAsync({ id: r.id, staffId: staffId! });
        message.success(t('vip.assigned'));
        onClose();
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('vip.assignHint', { grade: t(gradeKey(r.requiredGrade)) })}</Typography.Text>
        {candidates.data && candidates.data.length === 0 ? (
          <Empty description={t('vip.noCandidates')} />
        ) : (
          <Select<number>
            showSearch
            optionFilterProp="label"
            style={{ width: '100%' }}
            loading={candidates.isLoading}
            value={staffId}
            onChange={setStaffId}
            data-testid="vip-assign-select"
            options={(candidates.data ?? []).map((c) => ({ value: c.staffId, label: `${c.name} ${c.staffNo} · ${c.nodeName} · ${t(gradeKey(c.grade))}` }))}
          />
        )}
      </Space>
    </Modal>
  );
}

/** 终止贵宾维护: the reason is required and kept on the registration (and in the audit log). */
function EndModal({ registration: r, onClose }: { registration: VipRegistration; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const end = useEndVip();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open
      title={t('vip.endTitle', { name: r.name })}
      onCancel={onClose}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: end.isPending, 'data-testid': 'vip-end-ok' } as never}
      onOk={async () => {
        await end.mutateAsync({ id: r.id, reason: reason.trim() });
        message.success(t('vip.endedOk'));
        onClose();
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('vip.endHint')}</Typography.Text>
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('vip.endReason')} data-testid="vip-end-reason" />
      </Space>
    </Modal>
  );
}
