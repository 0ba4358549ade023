import { Select, Space } from 'antd';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../../api/auth';
import { useOrgNodes } from '../../../api/org';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { useI18n } from '../../../locales';
import { beijingToday } from '../../../format';

/** Quotas, dashboards and the assessment are per branch: a province or tier-2 branch (SPEC §10). */
export const BRANCH_LEVELS = ['province', 'branch'] as const;

const THIS_YEAR = Number(beijingToday().slice(0, 4));

/** The years offered: a few back, this one and the next (December sets next year's quotas). */
export function yearOptions(around = THIS_YEAR) {
  const out: number[] = [];
  for (let y = around + 1; y >= around - 4; y--) out.push(y);
  return out;
}

/**
 * The page's branch and year, kept in the URL (`?node=11&year=2026`), so a link or a reload shows
 * the same thing. The default branch is the person's own when it is a branch, else the first
 * tier-2 branch in scope; the default year is `defaultYear`.
 */
export function useBranchYear(defaultYear = THIS_YEAR) {
  const { data: me } = useMe();
  const nodes = useOrgNodes();
  const [search, setSearch] = useSearchParams();
  const nodeId = Number(search.get('node')) || undefined;
  const year = Number(search.get('year')) || defaultYear;

  useEffect(() => {
    if (nodeId || !nodes.data?.length) return;
    const branches = nodes.data.filter((n) => (BRANCH_LEVELS as readonly string[]).includes(n.level));
    // A person at a sub-branch or outlet works for the branch above it (the API widens scope alike).
    const own = branches.find((n) => n.id === me?.nodeId) ?? branches.find((n) => me && nodes.data!.find((x) => x.id === me.nodeId)?.path.startsWith(n.path) && n.level === 'branch');
    const pick = own ?? branches.find((n) => n.level === 'branch') ?? branches[0];
    if (pick) {
      const next = new URLSearchParams(search);
      next.set('node', String(pick.id));
      if (!next.get('year')) next.set('year', String(year));
      setSearch(next, { replace: true });
    }
  }, [nodeId, nodes.data, me, year, search, setSearch]);

  const choose = (patch: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!next.get('node') && nodeId) next.set('node', String(nodeId));
    if (!next.get('year')) next.set('year', String(year));
    setSearch(next);
  };

  return { nodeId, year, choose, search, loadingNodes: nodes.isLoading, nodes: nodes.data ?? [] };
}

/** 分行 + 年度 pickers for the filter bar. */
export function BranchYearPicker({
  nodeId,
  year,
  onChange,
  testId,
  hideYear,
}: {
  nodeId?: number;
  year: number;
  onChange(patch: { node?: number; year?: number }): void;
  testId: string;
  hideYear?: boolean;
}) {
  const { t } = useI18n();
  const years = yearOptions();
  if (!years.includes(year)) years.unshift(year);
  return (
    <Space wrap>
      <span>{t('quota.branch')}</span>
      <OrgTreeSelect value={nodeId} onChange={(v) => v && onChange({ node: v })} selectable={[...BRANCH_LEVELS]} allowClear={false} style={{ width: 220 }} id={`${testId}-node`} />
      {hideYear ? null : (
        <>
          <span>{t('quota.year')}</span>
          <Select<number>
            value={year}
            onChange={(v) => onChange({ year: v })}
            style={{ width: 110 }}
            data-testid={`${testId}-year`}
            options={years.sort((a, b) => b - a).map((y) => ({ value: y, label: t('quota.yearN', { year: y }) }))}
          />
        </>
      )}
    </Space>
  );
}
