import { addDays, isoWeekOf } from '../../calendar/index.js';
import { type Cadence, periodOf, type ReportPeriod } from './cadence.rules.js';

/**
 * The typed feeds of the reports whose data the system does not own (issue 16 part B; seed 004
 * section 三): one definition per feed — its name as the catalogue writes it, the cadences of the
 * reports that read it, and its measures (integer values: 分 entered in 元, counts, or basis points
 * entered as a percentage with at most two decimals). Each becomes an import kind of the same name
 * through one generic, per-feed typed template (`views-feeds.import.ts`). Pure: no I/O.
 */
export type FeedUnit = 'fen' | 'count' | 'bp';

export interface TypedFeedMeasure {
  key: string;
  zh: string;
  en: string;
  unit: FeedUnit;
  /** May be negative (a loss, a fall in share); otherwise at least 0. */
  signed?: boolean;
}

export interface TypedFeed {
  name: string;
  zh: string;
  en: string;
  importKind: string;
  /** The cadences of the catalogue reports on this feed: a row's period must be one of them. */
  cadences: Exclude<Cadence, 'ad_hoc'>[];
  measures: TypedFeedMeasure[];
}

const m = (key: string, zh: string, en: string, unit: FeedUnit, signed = false): TypedFeedMeasure => ({ key, zh, en, unit, ...(signed ? { signed } : {}) });
const f = (name: string, zh: string, en: string, cadences: TypedFeed['cadences'], measures: TypedFeedMeasure[]): TypedFeed => ({ name, zh, en, importKind: name, cadences, measures });

/** Every feed of the catalogue but the four-bank deposits (which has its own import): 20 feeds. */
export const TYPED_FEEDS: readonly TypedFeed[] = [
  f(
    'vip-window-monitor',
    '理财中心VIP窗口柜员监控（日）',
    'VIP window tellers (daily)',
    ['daily'],
    [m('windows', 'VIP窗口数', 'VIP windows', 'count'), m('staffed', '在岗窗口数', 'Staffed windows', 'count'), m('served', '接待贵宾客户数', 'VIP clients served', 'count')],
  ),
  f(
    'wealth-centre-acceptance',
    '理财中心非现场验收（月）',
    'Wealth centres’ acceptance (monthly)',
    ['monthly'],
    [m('centres', '理财中心数', 'Wealth centres', 'count'), m('accepted', '验收达标数', 'Accepted', 'count'), m('scoreBp', '平均得分率', 'Average score', 'bp')],
  ),
  f(
    'acrm-clients',
    'ACRM全量客户数据（季）',
    'ACRM client data (quarterly)',
    ['quarterly'],
    [m('clients', '个人客户数', 'Personal clients', 'count'), m('vipClients', '贵宾客户数', 'VIP clients', 'count'), m('aum', '客户金融资产', 'Client financial assets', 'fen')],
  ),
  f('fund-sales', '主代销基金销售（日）', 'Fund sales (daily)', ['daily'], [m('amount', '基金销售额', 'Fund sales', 'fen'), m('trades', '销售笔数', 'Trades', 'count')]),
  f(
    'debit-card-activity',
    '存折转借记卡及动户率（周）',
    'Passbook migration and card activity (weekly)',
    ['weekly'],
    [m('migrated', '存折转卡户数', 'Passbooks migrated', 'count'), m('cards', '借记卡数', 'Debit cards', 'count'), m('activeBp', '借记卡动户率', 'Card activity rate', 'bp')],
  ),
  f(
    'personal-fx',
    '个人外汇业务（周）',
    'Personal FX (weekly)',
    ['weekly'],
    [m('settlement', '个人结售汇金额', 'FX settlement', 'fen'), m('deposits', '外币储蓄存款余额', 'FX deposits', 'fen'), m('clients', '外汇客户数', 'FX clients', 'count')],
  ),
  f(
    'personal-deposits',
    '个人储蓄存款新增（旬）',
    'New personal deposits (ten-day)',
    ['ten_day'],
    [m('balance', '储蓄存款余额', 'Deposit balance', 'fen'), m('added', '较年初新增', 'Added since 1 January', 'fen', true)],
  ),
  f(
    'sales-portal-usage',
    '零售网点销售门户推广（月）',
    'Sales portal adoption (monthly)',
    ['monthly'],
    [m('outlets', '网点数', 'Outlets', 'count'), m('using', '使用网点数', 'Outlets using it', 'count'), m('logins', '登录次数', 'Logins', 'count')],
  ),
  f(
    'market-share',
    '个人金融业务市场份额（季）',
    'Market share (quarterly)',
    ['quarterly'],
    [m('depositShareBp', '个人存款市场份额', 'Deposit share', 'bp'), m('shareChangeBp', '份额较年初变动', 'Share change since 1 January', 'bp', true), m('rank', '四行排名', 'Rank of four', 'count')],
  ),
  f(
    'profitability',
    '个人金融业务盈亏（季）',
    'Profitability (quarterly)',
    ['quarterly'],
    [m('income', '营业收入', 'Income', 'fen'), m('cost', '营业成本', 'Cost', 'fen'), m('profit', '利润', 'Profit', 'fen', true)],
  ),
  f(
    'outlet-transformation',
    '服务暨网点转型效能（月）',
    'Outlet transformation (monthly)',
    ['monthly'],
    [m('outlets', '网点数', 'Outlets', 'count'), m('transformed', '已转型网点数', 'Transformed', 'count'), m('scoreBp', '效能得分率', 'Effectiveness score', 'bp')],
  ),
  f(
    'star-outlets',
    '星级服务网点（月）',
    'Star-rated outlets (monthly)',
    ['monthly'],
    [
      m('five', '五星级网点数', 'Five-star', 'count'),
      m('four', '四星级网点数', 'Four-star', 'count'),
      m('three', '三星级网点数', 'Three-star', 'count'),
      m('two', '二星级网点数', 'Two-star', 'count'),
    ],
  ),
  f(
    'reception-day',
    '客户接待日（月）',
    'Client reception day (monthly)',
    ['monthly'],
    [m('sessions', '接待日场次', 'Sessions', 'count'), m('clients', '接待客户数', 'Clients received', 'count'), m('resolved', '当场解决问题数', 'Resolved on the day', 'count')],
  ),
  f('basic-measures', '基础管理系列措施（月）', 'Basic management measures (monthly)', ['monthly'], [m('measures', '措施项数', 'Measures', 'count'), m('done', '已落实项数', 'Implemented', 'count')]),
  f('basic-assessment', '基础管理考核（月）', 'Basic management assessment (monthly)', ['monthly'], [m('scoreBp', '考核得分率', 'Score', 'bp'), m('deductions', '扣分项数', 'Deductions', 'count')]),
  f(
    'service-survey',
    '服务质量调查（两次/季）',
    'Service quality survey (twice a quarter)',
    ['twice_quarterly'],
    [m('samples', '调查样本数', 'Samples', 'count'), m('satisfactionBp', '客户满意率', 'Satisfaction', 'bp')],
  ),
  f(
    'teller-supervisors',
    '柜员主管考核（季）',
    'Teller supervisors’ assessment (quarterly)',
    ['quarterly'],
    [m('supervisors', '柜员主管人数', 'Supervisors', 'count'), m('passed', '考核合格人数', 'Passed', 'count'), m('scoreBp', '平均得分率', 'Average score', 'bp')],
  ),
  f(
    'device-uptime',
    '自助设备开机率和交易量（日）',
    'Device uptime and transactions (daily)',
    ['daily'],
    [m('devices', '自助设备台数', 'Devices', 'count'), m('uptimeBp', '开机率', 'Uptime', 'bp'), m('transactions', '账务性交易笔数', 'Account transactions', 'count')],
  ),
  f(
    'outlet-construction',
    '网点建设（周）',
    'Outlet construction (weekly)',
    ['weekly'],
    [m('building', '在建网点数', 'Outlets being built', 'count'), m('opened', '本期开业网点数', 'Opened', 'count'), m('investment', '累计投资金额', 'Investment to date', 'fen')],
  ),
  f(
    'self-service',
    '自助业务经营管理（月、季）',
    'Self-service business (monthly, quarterly)',
    ['monthly', 'quarterly'],
    [m('devices', '自助设备台数', 'Devices', 'count'), m('amount', '自助交易金额', 'Self-service transactions', 'fen'), m('substitutionBp', '柜面替代率', 'Counter substitution', 'bp')],
  ),
];

/** How a period of each cadence is written in a template's example. */
export const PERIOD_EXAMPLE: Record<Exclude<Cadence, 'ad_hoc'>, string> = {
  daily: '2026年11月30日',
  weekly: '2026年第48周',
  ten_day: '2026年11月上旬',
  monthly: '2026年11月',
  quarterly: '2026年3季度',
  twice_quarterly: '2026年3季度下半季',
};

const pad2 = (n: number) => String(n).padStart(2, '0');
const realDay = (y: number, mo: number, d: number) => {
  if (mo < 1 || mo > 12 || d < 1) return null;
  const day = `${y}-${pad2(mo)}-${pad2(d)}`;
  return addDays(day, 0) === day ? day : null;
};

/**
 * A period as a bank writes it (the label: 2026年11月30日, 2026年第48周, 2026年11月上旬, 2026年11月,
 * 2026年3季度, 2026年3季度下半季) or as the system keys it (2026-11-30, 2026-W48, 2026-11-T1, 2026-11,
 * 2026-Q3, 2026-Q3-H2) → the period, if it is one of `cadences`; undefined otherwise.
 */
export function parseFeedPeriod(text: string | null, cadences: readonly Exclude<Cadence, 'ad_hoc'>[]): ReportPeriod | undefined {
  const t = text?.replace(/\s+/g, '');
  if (!t) return undefined;
  const found = ((): { cadence: Exclude<Cadence, 'ad_hoc'>; day: string | null } | undefined => {
    let x: RegExpExecArray | null;
    if ((x = /^(\d{4})(?:年|-|\/)(\d{1,2})(?:月|-|\/)(\d{1,2})日?$/.exec(t))) return { cadence: 'daily', day: realDay(+x[1], +x[2], +x[3]) };
    if ((x = /^(\d{4})(?:年第|-W)(\d{1,2})周?$/.exec(t))) {
      const w = +x[2];
      const day = addDays(isoWeekOf(`${x[1]}-01-04`).from, (w - 1) * 7);
      return { cadence: 'weekly', day: w >= 1 && isoWeekOf(day).year === +x[1] ? day : null };
    }
    if ((x = /^(\d{4})(?:年|-)(\d{1,2})(?:月(上|中|下)旬|-T([123]))$/.exec(t))) {
      const i = x[3] ? { 上: 1, 中: 11, 下: 21 }[x[3] as '上' | '中' | '下'] : (+x[4] - 1) * 10 + 1;
      return { cadence: 'ten_day', day: realDay(+x[1], +x[2], i) };
    }
    if ((x = /^(\d{4})(?:年|-)(\d{1,2})月?$/.exec(t))) return { cadence: 'monthly', day: realDay(+x[1], +x[2], 1) };
    if ((x = /^(\d{4})(?:年第?|-Q)([1-4])(?:季度)?(?:(上|下)半季|-H([12]))?$/.exec(t))) {
      const q = +x[2];
      const half = x[3] ? (x[3] === '上' ? 1 : 2) : x[4] ? +x[4] : 0;
      // The first half: the quarter's first month and the first 15 days of its second; the second: the rest.
      const day = realDay(+x[1], (q - 1) * 3 + (half === 2 ? 3 : 1), 1);
      return { cadence: half ? 'twice_quarterly' : 'quarterly', day };
    }
    return undefined;
  })();
  if (!found?.day || !cadences.includes(found.cadence)) return undefined;
  return periodOf(found.cadence, found.day);
}

/** A measure's cell → its integer value (unit rules above), or undefined when it is not one. */
export function parseMeasure(raw: string | number | null, unit: FeedUnit, signed = false): number | undefined {
  const t = typeof raw === 'number' ? String(raw) : raw?.replace(/[,\s]/g, '');
  if (t === undefined || t === null || t === '') return undefined;
  const re = unit === 'count' ? /^-?\d+$/ : unit === 'bp' ? /^-?\d+(\.\d{1,2})?%?$/ : /^-?\d+(\.\d{1,2})?(元)?$/;
  if (!re.test(t)) return undefined;
  const body = t.replace(/[%元]$/, '');
  const negative = body.startsWith('-');
  if (negative && !signed) return undefined;
  const [whole, frac = ''] = body.replace('-', '').split('.');
  const v = unit === 'count' ? Number(whole) : Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(v) || v > 1e15) return undefined;
  return negative ? -v : v;
}

/** The template header of a measure: its unit in brackets (元 for 分, % for basis points). */
export const measureHeader = (x: TypedFeedMeasure): string => (x.unit === 'fen' ? `${x.zh}（元）` : x.unit === 'bp' ? `${x.zh}（%）` : x.zh);
