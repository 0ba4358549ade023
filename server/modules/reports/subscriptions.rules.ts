/**
 * Pure rules of subscriptions (issue 16, decision 0040): which lines of a frozen issue a subscriber
 * may receive, the measures an issue offers, a measure's value over some lines, and whether a
 * conditional subscription's threshold is crossed. Integers only (分, counts, quantities × 10⁴,
 * points in hundredths, basis points); a ratio is recomputed from its summed parts, floored.
 */

export type MeasureUnit = 'count' | 'qty1e4' | 'points' | 'bp' | 'fen';

export interface MeasureDef {
  key: string;
  zh: string;
  en: string;
  unit: MeasureUnit;
}

/** A line of any snapshot: it names its org node; the figures are integers. */
export interface AnyLine {
  nodeId: number;
  nodeName: string;
  nodeCode?: string;
  path: string;
  values?: Record<string, number>;
  [k: string]: unknown;
}

export interface AnyData {
  view: string;
  lines: AnyLine[];
  measures?: { key: string; zh: string; en: string; unit: string }[];
}

const SALES: MeasureDef[] = [
  { key: 'sales', zh: '笔数', en: 'Sales', unit: 'count' },
  { key: 'quantity1e4', zh: '数量', en: 'Quantity', unit: 'qty1e4' },
  { key: 'pointsHundredths', zh: '积分', en: 'Points', unit: 'points' },
];
const COMPLETION: MeasureDef[] = [
  { key: 'completionBp', zh: '完成率', en: 'Completion rate', unit: 'bp' },
  { key: 'done1e4', zh: '完成量', en: 'Done', unit: 'qty1e4' },
  { key: 'quota1e4', zh: '目标量', en: 'Quota', unit: 'qty1e4' },
];

/** Whether a value is a snapshot with lines (an issue not yet produced has none). */
export function isData(d: unknown): d is AnyData {
  return !!d && typeof d === 'object' && typeof (d as { view?: unknown }).view === 'string' && Array.isArray((d as { lines?: unknown }).lines);
}

/** The measures an issue's view offers (a feed's come with the snapshot). */
export function measuresOf(view: string, feedMeasures: AnyData['measures'] = []): MeasureDef[] {
  if (view === 'sales') return SALES;
  if (view === 'completion') return COMPLETION;
  if (view === 'feed') return feedMeasures.map((m) => ({ key: m.key, zh: m.zh, en: m.en, unit: (['count', 'bp', 'fen'].includes(m.unit) ? m.unit : 'count') as MeasureUnit }));
  return [];
}

/** The lines whose node lies inside one of the scope paths (a subscriber's report.read subtrees). */
export function linesWithin<L extends { path: string }>(lines: readonly L[], scopePaths: readonly string[]): L[] {
  return lines.filter((l) => typeof l.path === 'string' && scopePaths.some((p) => l.path.startsWith(p)));
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const fieldOf = (view: string, l: AnyLine, key: string): number => (view === 'feed' ? num(l.values?.[key]) : num(l[key]));

/**
 * A measure over some lines: the sum, except the completion rate, which is Σdone × 10⁴ / Σquota
 * floored (null when no quota: no rate to compare). Null for a measure the view does not have.
 */
export function measureValue(view: string, lines: readonly AnyLine[], key: string, feedMeasures?: AnyData['measures']): number | null {
  if (!measuresOf(view, feedMeasures).some((m) => m.key === key)) return null;
  if (view === 'completion' && key === 'completionBp') {
    const quota = lines.reduce((s, l) => s + fieldOf(view, l, 'quota1e4'), 0);
    const done = lines.reduce((s, l) => s + fieldOf(view, l, 'done1e4'), 0);
    return quota > 0 ? Math.floor((done * 10_000) / quota) : null;
  }
  return lines.reduce((s, l) => s + fieldOf(view, l, key), 0);
}

export interface Condition {
  measure: string;
  comparator: 'lt' | 'gt';
  threshold: number;
}

/**
 * Whether a conditional subscription is sent: the measured value strictly below (`lt`) or above
 * (`gt`) the threshold. No measured value (no lines, no quota) sends nothing.
 */
export function crosses(c: Condition, measured: number | null): boolean {
  if (measured === null) return false;
  return c.comparator === 'lt' ? measured < c.threshold : measured > c.threshold;
}

/** The text of a condition for people: 完成率 < 80.00%. */
export function describeCondition(c: Condition, m: MeasureDef | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const name = m ? (lang === 'zh' ? m.zh : m.en) : c.measure;
  return `${name} ${c.comparator === 'lt' ? '<' : '>'} ${formatMeasure(c.threshold, m?.unit ?? 'count')}`;
}

/** An integer measure as people read it: basis points as a percentage, fen as yuan, ×10⁴ and hundredths as decimals. */
export function formatMeasure(v: number, unit: MeasureUnit): string {
  const dec = (n: number, d: number, digits: number) => {
    const sign = n < 0 ? '-' : '';
    const a = Math.abs(n);
    const frac = String(a % d).padStart(digits, '0');
    return `${sign}${Math.floor(a / d)}.${frac}`;
  };
  switch (unit) {
    case 'bp':
      return `${dec(v, 100, 2)}%`;
    case 'fen':
    case 'points':
      return dec(v, 100, 2);
    case 'qty1e4':
      return dec(v, 10_000, 4);
    default:
      return String(v);
  }
}
