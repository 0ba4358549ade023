import { Tag } from 'antd';
import type { ReportCatalogueItem, ReportIssueSummary } from '../../../api/reports';
import type { MessageKey, Translate } from '../../../locales';

/** Shared words of the reports pages: cadence, due rule, data source and the status of an issue. */
export const CADENCE_COLOR: Record<string, string> = { daily: 'red', weekly: 'orange', ten_day: 'gold', monthly: 'blue', quarterly: 'purple', twice_quarterly: 'geekblue', ad_hoc: 'default' };
const CADENCE_ZH: Record<string, [string, string]> = {
  daily: ['日', 'Daily'],
  weekly: ['周', 'Weekly'],
  ten_day: ['旬', 'Ten-day'],
  monthly: ['月', 'Monthly'],
  quarterly: ['季', 'Quarterly'],
  twice_quarterly: ['两次/季', 'Twice a quarter'],
  ad_hoc: ['不定期', 'Ad hoc'],
};

export function CadenceTag({ cadence, lang }: { cadence: string; lang: string }) {
  const [zh, en] = CADENCE_ZH[cadence] ?? [cadence, cadence];
  return <Tag color={CADENCE_COLOR[cadence]}>{lang === 'en' ? en : zh}</Tag>;
}

export function dueText(t: Translate, due: ReportCatalogueItem['due']): string {
  if (!due) return t('reports.due.adHoc');
  return due.afterWorkingDays === 0 ? t('reports.due.sameDay', { time: due.time }) : t('reports.due', { n: due.afterWorkingDays, time: due.time });
}

export function sourceText(t: Translate, has: (k: string) => k is MessageKey, r: Pick<ReportCatalogueItem, 'sourceKind' | 'source' | 'feedZh'>): string {
  if (r.sourceKind === 'feed') return t('reports.source.feed', { feed: r.feedZh ?? r.source });
  const key = `reports.view.${r.source}`;
  return t('reports.source.own', { view: has(key) ? t(key) : r.source });
}

const TIMELINESS_COLOR = { on_time: 'success', late: 'warning', missing: 'error', pending: 'default' } as const;

/** On time / late / missing / not yet due, or waiting on a feed / failed (an issue not produced). */
export function IssueStatusTag({ t, issue }: { t: Translate; issue: { status: ReportIssueSummary['status'] | null; timeliness: ReportIssueSummary['timeliness']; waitingOn: string | null } }) {
  if (issue.status === 'waiting_feed') {
    return (
      <span>
        <Tag color="processing">{t('reports.status.waiting', { feed: issue.waitingOn ?? '' })}</Tag>
        {issue.timeliness === 'missing' ? <Tag color="error">{t('reports.status.missing')}</Tag> : null}
      </span>
    );
  }
  if (issue.status === 'failed') return <Tag color="error">{t('reports.status.failed')}</Tag>;
  return <Tag color={TIMELINESS_COLOR[issue.timeliness]}>{t(`reports.status.${issue.timeliness}`)}</Tag>;
}

/** Integer ×10⁴ → "12.5", integer digits only (no float arithmetic). */
export function e4Text(v: number): string {
  const a = Math.abs(v);
  const frac = String(a % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${v < 0 ? '-' : ''}${Math.floor(a / 10_000).toLocaleString('en-US')}${frac ? `.${frac}` : ''}`;
}

/** 分 → 万元 with two decimals ("1,234,567.89"), by integer division. */
export function fenToWanText(fen: number): string {
  const a = Math.abs(fen);
  const hundredthsOfWan = Math.floor(a / 10_000);
  return `${fen < 0 ? '-' : ''}${Math.floor(hundredthsOfWan / 100).toLocaleString('en-US')}.${String(hundredthsOfWan % 100).padStart(2, '0')}`;
}

/** Basis points → "40.00%". */
export const bpText = (bp: number): string => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
