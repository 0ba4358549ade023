import { Tag } from 'antd';
import { SEVERITY_COLORS, STATUS_COLORS, type Warning } from '../../api/warnings';
import { useI18n } from '../../locales';

/** The small tags every warning page shows: severity, handling status, escalation and overdue. */
export function WarningTags({ w }: { w: Pick<Warning, 'severity' | 'status' | 'escalationLevel' | 'overdue'> }) {
  const { t } = useI18n();
  return (
    <>
      <Tag color={SEVERITY_COLORS[w.severity]}>{t(`warning.severity.${w.severity}`)}</Tag>
      <Tag color={STATUS_COLORS[w.status]} data-testid="warning-status">
        {t(`warning.status.${w.status}`)}
      </Tag>
      {w.escalationLevel > 0 && w.status !== 'closed' ? <Tag color="magenta">{t(`warning.escalation.${w.escalationLevel as 1 | 2}`)}</Tag> : null}
      {w.overdue ? <Tag color="volcano">{t('warning.overdue')}</Tag> : null}
    </>
  );
}
