import { Tag, Tooltip } from 'antd';
import { type Lead, slaLeft } from '../../../api/leads';
import { useI18n } from '../../../locales';

/**
 * The follow-up countdown: time left before the next escalation step; red under one day or
 * overdue; a lead the ladder returned to the pool says so.
 */
export function SlaTag({ lead, now }: { lead: Pick<Lead, 'nextEscalationAt' | 'escalationLevel' | 'ownerStaffId' | 'stage'>; now?: number }) {
  const { t } = useI18n();
  if (lead.ownerStaffId === null && lead.escalationLevel === 3 && (lead.stage === 'new' || lead.stage === 'contacted' || lead.stage === 'proposal')) {
    return <Tag color="red">{t('lead.slaReturned')}</Tag>;
  }
  const left = slaLeft(lead.nextEscalationAt, now);
  if (!left) return <span>{t('lead.slaNone')}</span>;
  const text = left.ms >= 0 ? t('lead.slaLeft', { days: left.days, hours: left.hours }) : t('lead.slaOver', { days: left.days, hours: left.hours });
  const tag = (
    <Tag color={left.ms < 86_400_000 ? 'red' : left.ms < 2 * 86_400_000 ? 'orange' : 'green'} data-testid="lead-sla">
      {text}
    </Tag>
  );
  return lead.escalationLevel > 0 ? <Tooltip title={t(`lead.escalation.${lead.escalationLevel}` as 'lead.escalation.1')}>{tag}</Tooltip> : tag;
}
