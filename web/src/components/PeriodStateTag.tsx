import { Tag } from 'antd';
import { type PeriodAction, type PeriodState, STATE_COLORS } from '../api/periods';
import { monthText } from './month';
import { type Translate, useI18n } from '../locales';

/** 草稿 / 公示中 / 已提交委员会 / 已审核 / 已审批锁定 — the bank's names of the month's states. */
export function PeriodStateTag({ state, testId = 'period-state' }: { state: PeriodState; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={testId} data-state={state}>
      {t(`period.state.${state}`)}
    </Tag>
  );
}

export { monthText };

export const actionLabel = (t: Translate, a: PeriodAction) => t(`period.action.${a}`);
