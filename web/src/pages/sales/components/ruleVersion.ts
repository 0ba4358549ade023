import type { Translate as T } from '../../../locales';

/**
 * The ledger's rule trace ("score:3|split:2026-01-01|mortgage:void:12/100", written by
 * scoring/ledger.sql.ts so an auditor can replay a line) in words a bank clerk reads: internal keys
 * are never shown. Unknown parts pass through unchanged rather than disappear.
 */
export function ruleVersionText(raw: string | null | undefined, t: T): string {
  if (!raw) return '-';
  const parts = raw.split('|').map((p) => {
    const [kind, ...rest] = p.split(':');
    const v = rest.join(':');
    if (kind === 'score') return v === 'none' ? t('split.rv.scoreNone') : t('split.rv.score', { id: v });
    if (kind === 'split') return v === 'default' ? t('split.rv.splitDefault') : t('split.rv.split', { date: v });
    if (kind === 'mortgage') {
      if (v === 'n/a') return null;
      if (v === 'pass') return t('split.rv.mortgagePass');
      if (v === 'void:no_figures') return t('split.rv.mortgageNoFigures');
      const m = /^void:(\d+)\/(\d+)$/.exec(v);
      if (m) return t('split.rv.mortgageVoid', { bank: m[1], total: m[2] });
    }
    return p;
  });
  return parts.filter((p): p is string => p !== null).join(' · ');
}
