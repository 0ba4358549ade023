import { Alert, Space, Tag } from 'antd';
import { useReminders } from '../../../api/targets';
import { useI18n } from '../../../locales';

/** 定期复审提醒 (Art. 8): lists whose review is due within the window or overdue. */
export function RemindersAlert({ onPick }: { onPick?(nodeId: number, departmentId: number): void }) {
  const { t } = useI18n();
  const reminders = useReminders();
  const items = reminders.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Alert
      type={items.some((i) => i.overdue) ? 'error' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="target-reminders"
      message={t('target.remindersTitle', { n: items.length, days: reminders.data?.windowDays ?? 30 })}
      description={
        <Space direction="vertical" size={2}>
          {items.map((l) => (
            <span key={`${l.nodeId}-${l.departmentId}`}>
              <a onClick={() => onPick?.(l.nodeId, l.departmentId)}>
                {l.nodeName} · {l.departmentName}
              </a>{' '}
              {t('target.versionNo', { n: l.versionNo ?? 0 })} · {t('target.reviewDueOn')} {l.reviewDueOn ?? '-'}{' '}
              {l.overdue ? <Tag color="red">{t('target.overdue', { n: Math.abs(l.daysLeft ?? 0) })}</Tag> : <Tag color="orange">{t('target.daysLeft', { n: l.daysLeft ?? 0 })}</Tag>}
            </span>
          ))}
        </Space>
      }
    />
  );
}
