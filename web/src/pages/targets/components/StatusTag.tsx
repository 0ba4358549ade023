import { Tag } from 'antd';
import type { NominationStatus } from '../../../api/targets';
import { useI18n } from '../../../locales';

const COLOR: Record<NominationStatus, string> = { nominated: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' };

export function StatusTag({ status }: { status: NominationStatus }) {
  const { t } = useI18n();
  return <Tag color={COLOR[status]}>{t(`target.status.${status}`)}</Tag>;
}
