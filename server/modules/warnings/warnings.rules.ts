import { addDays, daysBetween } from '../../calendar/dates.js';
import { minOf } from '../../../shared/numbers.js';

/**
 * Post-loan early warning (SPEC §12, seed 002): the pure rules. The daily evaluation is SQL
 * (warnings.evaluate.ts, one INSERT … SELECT per rule kind); these functions are its reference
 * semantics, and warnings.evaluate.db.test.ts checks the SQL against them on random feeds.
 */

export const RULE_KINDS = ['threshold', 'change', 'boolean'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const OPS = ['gt', 'gte', 'lt', 'lte'] as const;
export type Op = (typeof OPS)[number];
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const WARNING_STATUSES = ['open', 'acknowledged', 'visited', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const ACTIONS = ['acknowledge', 'visit', 'close', 'escalate'] as const;
export type Action = (typeof ACTIONS)[number];
export const RECIPIENT_REASONS = ['manager', 'related_company', 'owner', 'guarantor', 'escalation'] as const;
export type RecipientReason = (typeof RECIPIENT_REASONS)[number];

/** Units of a data item: 分, days, a count, a 1/0 flag. */
export type SourceUnit = 'fen' | 'days' | 'count' | 'flag';

/** The data items a feed may carry (数据项). Every value is an integer in its unit. */
export const SOURCES: Record<string, { zh: string; en: string; unit: SourceUnit }> = {
  loan_balance_fen: { zh: '贷款余额', en: 'Loan balance', unit: 'fen' },
  overdue_days: { zh: '逾期天数', en: 'Days overdue', unit: 'days' },
  interest_arrears_fen: { zh: '欠息金额', en: 'Interest in arrears', unit: 'fen' },
  inflow_fen: { zh: '账户资金流入（近30日）', en: 'Account inflow (30 days)', unit: 'fen' },
  avg_balance_fen: { zh: '结算账户日均余额', en: 'Average account balance', unit: 'fen' },
  tax_arrears_fen: { zh: '欠税金额', en: 'Tax arrears', unit: 'fen' },
  utility_arrears_fen: { zh: '欠缴水电费', en: 'Utility arrears', unit: 'fen' },
  wage_arrears_fen: { zh: '拖欠工资', en: 'Wage arrears', unit: 'fen' },
  litigation_new: { zh: '新增涉诉', en: 'New litigation', unit: 'flag' },
  enforcement: { zh: '被执行', en: 'Enforcement', unit: 'flag' },
  dishonest_debtor: { zh: '失信被执行人', en: 'Dishonest debtor', unit: 'flag' },
  shareholder_change: { zh: '股东变更', en: 'Shareholder change', unit: 'flag' },
  legal_rep_change: { zh: '法定代表人变更', en: 'Legal representative change', unit: 'flag' },
  guarantee_trouble: { zh: '关联担保出险', en: 'Related guarantee in trouble', unit: 'flag' },
  core_enterprise_warning: { zh: '核心企业预警', en: 'Core enterprise warning', unit: 'flag' },
  admin_penalty: { zh: '行政处罚', en: 'Administrative penalty', unit: 'flag' },
  abnormal_operation: { zh: '经营异常名录', en: 'Abnormal operation list', unit: 'flag' },
  credit_enquiries: { zh: '征信查询次数（近30日）', en: 'Credit enquiries (30 days)', unit: 'count' },
  other_bank_loans_fen: { zh: '他行贷款余额', en: 'Loans at other banks', unit: 'fen' },
};

/** An indicator version as the rules need it. Change thresholds are basis points of the base value (−5000 = down 50 %). */
export interface IndicatorRule {
  kind: RuleKind;
  op: Op | null;
  threshold: number | null;
  windowDays: number | null;
}

export function compare(op: Op, a: bigint, b: bigint): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/**
 * Whether one client's data hits the rule. `base` is the value `windowDays` days before (change
 * rules only). A change is judged without division — (value − base) × 10000 op threshold × base —
 * and needs a positive base: a change from nothing is not a percentage (result null, not evaluated).
 */
export function evaluate(rule: IndicatorRule, value: number | bigint, base?: number | bigint | null): boolean | null {
  const v = BigInt(value);
  switch (rule.kind) {
    case 'boolean':
      return v !== 0n;
    case 'threshold':
      return compare(rule.op!, v, BigInt(rule.threshold!));
    case 'change': {
      if (base === null || base === undefined) return null;
      const b = BigInt(base);
      if (b <= 0n) return null;
      return compare(rule.op!, (v - b) * 10000n, BigInt(rule.threshold!) * b);
    }
  }
}

/** A rule's configuration is complete for its kind (the same check as the table's CHECK). */
export function ruleProblems(rule: IndicatorRule & { source: string }): string[] {
  const out: string[] = [];
  if (!(rule.source in SOURCES)) out.push('source');
  if (rule.kind !== 'boolean') {
    if (!rule.op) out.push('op');
    if (rule.threshold === null || !Number.isSafeInteger(rule.threshold)) out.push('threshold');
  }
  if (rule.kind === 'change' && (rule.windowDays === null || rule.windowDays < 1 || rule.windowDays > 366)) out.push('windowDays');
  if (rule.kind === 'boolean' && SOURCES[rule.source] && SOURCES[rule.source].unit !== 'flag') out.push('source');
  return out;
}

const OP_ZH: Record<Op, string> = { gt: '大于', gte: '大于等于', lt: '小于', lte: '小于等于' };
const OP_EN: Record<Op, string> = { gt: 'above', gte: 'at least', lt: 'below', lte: 'at most' };

/** A value in its unit, as a bank writes it: 元 with two decimals for 分. */
export function formatValue(unit: SourceUnit, v: number | bigint, lang: 'zh' | 'en' = 'zh'): string {
  const n = BigInt(v);
  if (unit === 'fen') {
    const neg = n < 0n;
    const a = neg ? -n : n;
    const yuan = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${neg ? '-' : ''}${yuan}.${(a % 100n).toString().padStart(2, '0')}${lang === 'zh' ? '元' : ' yuan'}`;
  }
  if (unit === 'days') return lang === 'zh' ? `${n}天` : `${n} days`;
  if (unit === 'flag') return n !== 0n ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  return `${n}`;
}

/** Basis points as a percentage with up to two decimals: −5000 → "-50%". */
export function formatBp(bp: number | bigint): string {
  const n = BigInt(bp);
  const neg = n < 0n;
  const a = neg ? -n : n;
  const frac = a % 100n;
  return `${neg ? '-' : ''}${a / 100n}${frac ? `.${frac.toString().padStart(2, '0').replace(/0$/, '')}` : ''}%`;
}

/** The rule as a sentence (zh and en), e.g. 逾期天数 大于等于 1天. */
export function describeRule(rule: IndicatorRule & { source: string }): { zh: string; en: string } {
  const src = SOURCES[rule.source] ?? { zh: rule.source, en: rule.source, unit: 'count' as SourceUnit };
  if (rule.kind === 'boolean') return { zh: `${src.zh}为是`, en: `${src.en} reported` };
  if (rule.kind === 'threshold')
    return { zh: `${src.zh}${OP_ZH[rule.op!]}${formatValue(src.unit, rule.threshold!)}`, en: `${src.en} ${OP_EN[rule.op!]} ${formatValue(src.unit, rule.threshold!, 'en')}` };
  return {
    zh: `${src.zh}较${rule.windowDays}天前变动${OP_ZH[rule.op!]}${formatBp(rule.threshold!)}`,
    en: `${src.en} change over ${rule.windowDays} days ${OP_EN[rule.op!]} ${formatBp(rule.threshold!)}`,
  };
}

/** Why one hit fired, from its stored inputs. */
export function explainHit(rule: IndicatorRule & { source: string }, hit: { value: number; baseValue: number | null; baseDay: string | null }): { zh: string; en: string } {
  const src = SOURCES[rule.source] ?? { zh: rule.source, en: rule.source, unit: 'count' as SourceUnit };
  const r = describeRule(rule);
  if (rule.kind === 'change' && hit.baseValue !== null && hit.baseValue > 0) {
    const bp = (BigInt(hit.value - hit.baseValue) * 10000n) / BigInt(hit.baseValue);
    return {
      zh: `${src.zh}由${formatValue(src.unit, hit.baseValue)}（${hit.baseDay}）变为${formatValue(src.unit, hit.value)}，变动${formatBp(bp)}；规则：${r.zh}`,
      en: `${src.en} went from ${formatValue(src.unit, hit.baseValue, 'en')} (${hit.baseDay}) to ${formatValue(src.unit, hit.value, 'en')}, ${formatBp(bp)}; rule: ${r.en}`,
    };
  }
  return { zh: `${src.zh}：${formatValue(src.unit, hit.value)}；规则：${r.zh}`, en: `${src.en}: ${formatValue(src.unit, hit.value, 'en')}; rule: ${r.en}` };
}

/** Identical open warnings merge: one per client and indicator code (whatever its version). */
export const mergeKey = (clientId: number, indicatorCode: string): string => `${clientId}:${indicatorCode}`;

export interface EscalationStep {
  level: number;
  afterDays: number;
  target: 'subbranch' | 'branch';
}

/**
 * The escalation level a warning not yet closed has reached on `today`: the highest step whose
 * `afterDays` have passed since it first appeared (3 days → 1 sub-branch, 7 days → 2 branch).
 * A closed warning stays where it was.
 */
export function escalationLevel(firstDay: string, today: string, steps: readonly EscalationStep[]): number {
  const age = daysBetween(firstDay, today);
  let level = 0;
  for (const s of steps) if (age >= s.afterDays && s.level > level) level = s.level;
  return level;
}

/** The day a warning reaches the next level, or null when it is at the top. */
export function nextEscalationDay(firstDay: string, currentLevel: number, steps: readonly EscalationStep[]): string | null {
  const next = [...steps].filter((s) => s.level > currentLevel).sort((a, b) => a.afterDays - b.afterDays)[0];
  return next ? addDays(firstDay, next.afterDays) : null;
}

/** Steps must climb: level 2 later than level 1. */
export function stepsProblems(steps: readonly EscalationStep[]): string[] {
  const sorted = [...steps].sort((a, b) => a.level - b.level);
  const out: string[] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i].afterDays <= sorted[i - 1].afterDays) out.push(`level ${sorted[i].level}`);
  return out;
}

/** Overdue handling: not closed and at least the first step's days old. */
export function isOverdue(status: WarningStatus, firstDay: string, today: string, steps: readonly EscalationStep[]): boolean {
  if (status === 'closed' || steps.length === 0) return false;
  return daysBetween(firstDay, today) >= minOf(steps.map((s) => s.afterDays));
}

/**
 * The handling path: open → acknowledged → visited → closed. A visit can be recorded from open or
 * acknowledged (acknowledging on the way) and again after one; closing needs a visit's findings
 * (走访核实) — unless the warning was escalated, where the leader may close on the findings given.
 * Escalating is possible until closed, one level at a time, at most 2. Returns the new status or an error code.
 */
export function transition(
  status: WarningStatus,
  action: Action,
  ctx: { escalationLevel: number },
): { status: WarningStatus } | { error: 'WARNING.CLOSED' | 'WARNING.NEEDS_VISIT' | 'WARNING.TOP_LEVEL' | 'WARNING.ALREADY' } {
  if (status === 'closed') return { error: 'WARNING.CLOSED' };
  switch (action) {
    case 'acknowledge':
      return status === 'open' ? { status: 'acknowledged' } : { error: 'WARNING.ALREADY' };
    case 'visit':
      return { status: 'visited' };
    case 'close':
      return status === 'visited' || ctx.escalationLevel > 0 ? { status: 'closed' } : { error: 'WARNING.NEEDS_VISIT' };
    case 'escalate':
      return ctx.escalationLevel >= 2 ? { error: 'WARNING.TOP_LEVEL' } : { status };
  }
}

/** The digest line an AM receives once a day. */
export function digestTitle(n: { fresh: number; repeated: number; open: number }): { zh: string; en: string } {
  return {
    zh: `贷后预警日报：新增${n.fresh}条，重复触发${n.repeated}条，待处理共${n.open}条`,
    en: `Early-warning digest: ${n.fresh} new, ${n.repeated} repeated, ${n.open} awaiting handling`,
  };
}
