import { Tag } from 'antd';
import type { OrgLevel } from '../api/types';
import { useI18n } from '../locales';

const COLORS: Record<OrgLevel, string> = {
  head: 'magenta',
  province: 'red',
  branch: 'volcano',
  subbranch: 'blue',
  outlet: 'green',
};

/** 总行 / 省分行 / 二级分行 / 支行 / 网点 */
export function LevelTag({ level }: { level: OrgLevel }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[level]} style={{ marginInlineEnd: 0 }}>
      {t(`level.${level}`)}
    </Tag>
  );
}
