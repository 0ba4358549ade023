/**
 * An issue's figures as a table (issue 16 part B): the columns of each snapshot kind with their
 * Chinese headers and units, shared by the console's table, the Excel export and the PDF. Values
 * stay the snapshot's integers (points in hundredths, 分, basis points, quantities × 10⁴); only the
 * display divides, by integer digits. Pure: no I/O.
 */
export type ColumnUnit = 'text' | 'count' | 'hundredths' | 'fen' | 'bp' | 'e4';

export interface TableColumn {
  key: string;
  zh: string;
  en: string;
  unit: ColumnUnit;
}

export interface IssueTable {
  view: string;
  columns: TableColumn[];
  /** One row per snapshot line; `nodeId` and `path` kept for drill-down links. */
  rows: Record<string, string | number | null>[];
}

const c = (key: string, zh: string, en: string, unit: ColumnUnit = 'count'): TableColumn => ({ key, zh, en, unit });
const NODE = [c('nodeCode', '机构号', 'Org code', 'text'), c('nodeName', '机构', 'Org unit', 'text')];
const DEPT = [c('departmentCode', '部门代码', 'Dept code', 'text'), c('departmentName', '部门', 'Department', 'text')];

/** The columns of each own-data view (a feed's come from its measures). */
export const VIEW_COLUMNS: Record<string, TableColumn[]> = {
  sales: [
    ...NODE,
    c('productCode', '产品代码', 'Product code', 'text'),
    c('productName', '产品', 'Product', 'text'),
    c('unit', '单位', 'Unit', 'text'),
    c('sales', '笔数', 'Sales'),
    c('quantity1e4', '数量', 'Quantity', 'e4'),
    c('pointsHundredths', '积分', 'Points', 'hundredths'),
  ],
  completion: [
    ...NODE,
    c('productCode', '产品代码', 'Product code', 'text'),
    c('productName', '产品', 'Product', 'text'),
    c('unit', '单位', 'Unit', 'text'),
    c('quota1e4', '年度任务', 'Year quota', 'e4'),
    c('done1e4', '累计完成', 'Done to date', 'e4'),
    c('completionBp', '完成率', 'Completion', 'bp'),
  ],
  points: [
    ...NODE,
    ...DEPT,
    c('pointsHundredths', '积分', 'Points', 'hundredths'),
    c('peoplePointsHundredths', '其中个人积分', 'Of which people', 'hundredths'),
    c('sales', '笔数', 'Sales'),
    c('people', '得分人数', 'People scored'),
  ],
  leads: [
    ...NODE,
    c('created', '新增商机', 'Created'),
    c('won', '成交', 'Won'),
    c('lost', '流失', 'Lost'),
    c('open', '期末跟进中', 'Open at end'),
    c('escalated', '其中逾期督办', 'Of which escalated'),
    c('winBp', '成交率', 'Win rate', 'bp'),
  ],
  projects: [
    ...NODE,
    c('started', '新立项', 'Started'),
    c('closed', '结项', 'Closed'),
    c('active', '期末进行中', 'Active at end'),
    c('activitiesHeld', '已举办活动', 'Activities held'),
    c('activitiesPlanned', '计划中活动', 'Activities planned'),
  ],
  vip: [
    ...NODE,
    c('tierCode', '贵宾等级', 'Tier', 'text'),
    c('registered', '新登记', 'Registered'),
    c('signed', '新签约', 'Signed'),
    c('ended', '退出', 'Ended'),
    c('active', '期末有效', 'In force at end'),
    c('withManager', '已配客户经理', 'With an account manager'),
    c('activeAumFen', '期末有效客户资产', 'AUM in force', 'fen'),
  ],
  assessment: [
    ...NODE,
    c('year', '年度', 'Year', 'text'),
    ...DEPT,
    c('pointsHundredths', '积分', 'Points', 'hundredths'),
    c('countedHundredths', '计奖积分', 'Counted points', 'hundredths'),
    c('rewardFen', '奖励', 'Reward', 'fen'),
    c('specialFen', '专项奖励', 'Special award', 'fen'),
  ],
};

interface FeedMeasureLike {
  key: string;
  zh: string;
  en: string;
  unit: 'fen' | 'count' | 'bp';
}

/** A snapshot (an issue's frozen `data`, already filtered to the reader) as a table; null for none. */
export function issueTable(data: unknown): IssueTable | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as { view?: string; lines?: Record<string, unknown>[]; measures?: FeedMeasureLike[] };
  if (!d.view || !Array.isArray(d.lines)) return null;
  if (d.view === 'feed') {
    const measures = d.measures ?? [];
    return {
      view: 'feed',
      columns: [...NODE, ...measures.map((m) => c(`m.${m.key}`, m.zh, m.en, m.unit))],
      rows: d.lines.map((l) => ({
        nodeId: l.nodeId as number,
        path: l.path as string,
        nodeCode: l.nodeCode as string,
        nodeName: l.nodeName as string,
        ...Object.fromEntries(measures.map((m) => [`m.${m.key}`, ((l.values as Record<string, number>) ?? {})[m.key] ?? null])),
      })),
    };
  }
  const columns = VIEW_COLUMNS[d.view];
  if (!columns) return null;
  return {
    view: d.view,
    columns,
    rows: d.lines.map((l) => ({ nodeId: l.nodeId as number, path: l.path as string, ...Object.fromEntries(columns.map((col) => [col.key, (l[col.key] as string | number | undefined) ?? null])) })),
  };
}

const group3 = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** An integer with `places` implied decimals as text, by digits: (123456, 2) → '1,234.56'. */
export function scaledText(v: number, places: number, trim = false): string {
  const neg = v < 0;
  const digits = String(Math.abs(Math.trunc(v))).padStart(places + 1, '0');
  const whole = group3(digits.slice(0, digits.length - places));
  let frac = places ? digits.slice(digits.length - places) : '';
  if (trim) frac = frac.replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A cell as printed (the PDF, the console): points and 元 with two decimals, % with two, quantities without trailing zeros. */
export function cellText(unit: ColumnUnit, v: string | number | null): string {
  if (v === null || v === undefined) return '—';
  if (unit === 'text' || typeof v === 'string') return String(v);
  switch (unit) {
    case 'count':
      return group3(String(v));
    case 'hundredths':
    case 'fen':
      return scaledText(v, 2);
    case 'bp':
      return `${scaledText(v, 2)}%`;
    case 'e4':
      return scaledText(v, 4, true);
  }
}

/** Columns summed in a total row: every numeric column but rates. */
export const summable = (col: TableColumn): boolean => col.unit === 'count' || col.unit === 'hundredths' || col.unit === 'fen';

/** The table's total row (integers summed exactly); rates and texts left empty. */
export function totalRow(t: IssueTable): Record<string, number | null> {
  return Object.fromEntries(t.columns.map((col) => [col.key, summable(col) ? t.rows.reduce((s, r) => s + (typeof r[col.key] === 'number' ? (r[col.key] as number) : 0), 0) : null]));
}
