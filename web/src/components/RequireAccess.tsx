import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useMe } from '../api/auth';
import { type AccessKey, accessOf } from '../access';
import { useI18n } from '../locales';

/** A page the person lacks the permission for shows 403 instead of failing requests. */
export function RequireAccess({ need, children }: { need: AccessKey; children: ReactNode }) {
  const { data: me } = useMe();
  const { t } = useI18n();
  if (!accessOf(me)[need]) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}
