import { Select, Tag } from 'antd';
import { useFiBranches, useInstitutions } from '../../api/interbank';
import type { MessageKey, Translate } from '../../locales';
import { useI18n } from '../../locales';

/** Labels and pickers shared by the inter-bank pages (registry half). */

export const KINDS = ['association', 'rural_commercial', 'rural_cooperative', 'rural_credit_coop', 'village_bank', 'city_bank', 'joint_stock_branch', 'policy_bank', 'other'] as const;
export const PROSPECT_STAGES = ['contacted', 'negotiating', 'approving', 'ready', 'signed', 'dropped'] as const;
export const LANDING_STAGES = ['intent', 'testing', 'contracting', 'landed', 'dropped'] as const;

export const kindLabel = (t: Translate, k: string) => t(`fi.kind.${k}` as MessageKey);

const STATUS_COLOR: Record<string, string> = { active: 'green', superseded: 'default', void: 'red' };
export function SigningStatus({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`fi.signingStatus.${status}` as MessageKey)}</Tag>;
}

/** The tier-2 branches in the caller's scope. */
export function BranchSelect(props: { value?: number; onChange?: (v: number | undefined) => void; allowClear?: boolean; style?: React.CSSProperties; testId?: string }) {
  const { t } = useI18n();
  const branches = useFiBranches();
  return (
    <Select<number>
      allowClear={props.allowClear}
      placeholder={t('fi.branch')}
      style={props.style ?? { width: 160 }}
      value={props.value}
      onChange={props.onChange}
      data-testid={props.testId}
      options={(branches.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
    />
  );
}

/** An institution of the registry (searched by name or code). */
export function InstitutionSelect(props: { value?: number; onChange?: (v: number) => void; signedOnly?: boolean; testId?: string }) {
  const { t } = useI18n();
  const list = useInstitutions({ page: 1, pageSize: 200, ...(props.signedOnly ? { signed: 'true' } : {}) });
  return (
    <Select<number>
      showSearch
      optionFilterProp="label"
      placeholder={t('fi.institution')}
      value={props.value}
      onChange={props.onChange}
      data-testid={props.testId}
      options={(list.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.name}（${i.code}）· ${i.nodeName}` }))}
    />
  );
}
