import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Tag } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../api/auth';
import type { ApiError } from '../../../api/client';
import { type QuotaPlan, useApprovePlan } from '../../../api/quotas';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

/** 草稿 / 已审批 (第 n 版). */
export function PlanStateTag({ plan }: { plan: Pick<QuotaPlan, 'state' | 'approvedVersion'> }) {
  const { t } = useI18n();
  return plan.state === 'approved' ? (
    <Tag color="green" data-testid="quota-plan-state" data-state="approved">
      {t('quota.state.approved', { n: plan.approvedVersion })}
    </Tag>
  ) : (
    <Tag color="orange" data-testid="quota-plan-state" data-state="draft">
      {plan.approvedVersion ? t('quota.state.draftAfter', { n: plan.approvedVersion }) : t('quota.state.draft')}
    </Tag>
  );
}

/**
 * The year's plan: state, version, who edited last and who approved, and — for the committee chair —
 * 审批. Four-eyes: the server refuses the plan's last editor; the refusal is shown here in words.
 */
export function PlanCard({ nodeId, year, plan }: { nodeId: number; year: number; plan: QuotaPlan }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const access = accessOf(me);
  const approve = useApprovePlan();
  const [error, setError] = useState<string | null>(null);
  const waiting = plan.state === 'draft' && plan.lastEditedBy !== null;
  const own = waiting && plan.lastEditedBy?.id === me?.staffId;

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space>
          {t('quota.plan', { year })}
          <PlanStateTag plan={plan} />
        </Space>
      }
      extra={
        access.canApproveQuotas ? (
          <Popconfirm
            title={t('quota.approveConfirm', { year, n: plan.quotas })}
            okButtonProps={{ 'data-testid': 'quota-approve-confirm' }}
            onConfirm={async () => {
              setError(null);
              try {
                const p = await approve.mutateAsync({ nodeId, year });
                message.success(t('quota.approved', { n: p.approvedVersion }));
              } catch (e) {
                setError((e as ApiError).message);
              }
            }}
            disabled={!waiting}
          >
            <Button type="primary" icon={<CheckCircleOutlined />} disabled={!waiting} loading={approve.isPending} data-testid="quota-approve">
              {t('quota.approve')}
            </Button>
          </Popconfirm>
        ) : null
      }
      data-testid="quota-plan"
    >
      <Descriptions size="small" column={{ xs: 1, md: 2, xxl: 4 }}>
        <Descriptions.Item label={t('quota.planQuotas')}>{plan.quotas}</Descriptions.Item>
        <Descriptions.Item label={t('quota.version')}>{plan.approvedVersion ? t('quota.versionN', { n: plan.approvedVersion }) : t('quota.neverApproved')}</Descriptions.Item>
        <Descriptions.Item label={t('quota.lastEditedBy')}>
          <span data-testid="quota-last-editor">{plan.lastEditedBy ? `${plan.lastEditedBy.name} · ${fmtBeijing(plan.lastEditedAt)}` : '-'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('quota.approvedBy')}>{plan.approvedBy ? `${plan.approvedBy.name} · ${fmtBeijing(plan.approvedAt)}` : '-'}</Descriptions.Item>
      </Descriptions>
      {waiting ? <Alert type="warning" showIcon style={{ marginTop: 8 }} message={own && access.canApproveQuotas ? t('quota.fourEyesHint') : t('quota.waitingApproval')} /> : null}
      {error ? <Alert type="error" showIcon closable style={{ marginTop: 8 }} message={error} data-testid="quota-approve-error" onClose={() => setError(null)} /> : null}
    </Card>
  );
}
