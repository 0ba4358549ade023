import { Tag } from 'antd';
import type { RunState } from '../../../api/assessment';
import { useI18n } from '../../../locales';

const COLOR: Record<RunState, string> = { draft: 'orange', approved: 'green', locked: 'purple', superseded: 'default' };

/** 草稿（待审批） / 已审批 / 已兑现锁定. */
export function RunStateTag({ state, testId }: { state: RunState; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={COLOR[state]} data-testid={testId} data-state={state}>
      {t(`assessment.state.${state}`)}
    </Tag>
  );
}
