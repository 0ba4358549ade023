import { z } from 'zod';
import { type ClientFacts, FACTS_CATALOGUE } from '../customers/facts.js';
import { maxOf } from '../../../shared/numbers.js';

/**
 * The Article 9 criteria engine (SPEC §3, Art. 9): each criterion is a rule over a client's facts
 * (`ClientFacts`), with editable parameters stored as configuration (target_criteria.rule).
 * Pure: no database, no HTTP, no clock. Numbers are integers (分, ranks, stars) — never floats.
 */

/** The fact keys a rule may read: the client's columns plus the facts catalogue. */
const COLUMN_FACTS = {
  typeCode: { zh: '客户类型', en: 'Client type' },
  industryCode: { zh: '行业', en: 'Industry' },
  creditLineFen: { zh: '授信额度', en: 'Credit line' },
  loanBalanceFen: { zh: '贷款余额', en: 'Loan balance' },
  annualSalesFen: { zh: '年销售额', en: 'Annual sales' },
  provincialTaxRank: { zh: '全省纳税排名', en: 'Provincial tax ranking' },
  listed: { zh: '上市公司', en: 'Listed company' },
} as const satisfies Partial<Record<keyof ClientFacts, { zh: string; en: string }>>;

export type FactName = keyof typeof COLUMN_FACTS | (typeof FACTS_CATALOGUE)[number]['key'];

/** zh/en label of every fact a rule may read. */
export const FACT_LABELS: Readonly<Record<FactName, { zh: string; en: string }>> = {
  ...COLUMN_FACTS,
  ...Object.fromEntries(FACTS_CATALOGUE.map((f) => [f.key, { zh: f.zh, en: f.en }])),
} as Record<FactName, { zh: string; en: string }>;

const FACT_NAMES = Object.keys(FACT_LABELS) as [FactName, ...FactName[]];
const factName = z.enum(FACT_NAMES);
const int = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const scalar = z.union([z.string().min(1).max(100), int, z.boolean()]);

/** A rule as stored in target_criteria.rule. */
export type Rule =
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; fact: FactName; value: number }
  | { kind: 'eq'; fact: FactName; value: string | number | boolean }
  | { kind: 'in'; fact: FactName; values: (string | number)[] }
  | { kind: 'truthy'; fact: FactName }
  | { kind: 'typeIs'; types: string[] }
  | { kind: 'all' | 'any'; rules: Rule[] }
  | { kind: 'other' };

export const RULE_KINDS = ['gt', 'gte', 'lt', 'lte', 'eq', 'in', 'truthy', 'typeIs', 'all', 'any', 'other'] as const;

/** Validates a rule (unknown facts, floats and extra keys are refused); combinations nest at most 4 deep. */
export const RuleSchema: z.ZodType<Rule> = z
  .lazy(() =>
    z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.enum(['gt', 'gte', 'lt', 'lte']), fact: factName, value: int }),
      z.strictObject({ kind: z.literal('eq'), fact: factName, value: scalar }),
      z.strictObject({
        kind: z.literal('in'),
        fact: factName,
        values: z
          .array(z.union([z.string().min(1).max(100), int]))
          .min(1)
          .max(50),
      }),
      z.strictObject({ kind: z.literal('truthy'), fact: factName }),
      z.strictObject({ kind: z.literal('typeIs'), types: z.array(z.string().min(1).max(40)).min(1).max(30) }),
      z.strictObject({ kind: z.enum(['all', 'any']), rules: z.array(RuleSchema).min(1).max(20) }),
      z.strictObject({ kind: z.literal('other') }),
    ]),
  )
  .refine((r) => depth(r) <= 4, { message: '规则嵌套不能超过4层 / rules nest at most 4 deep' });

function depth(r: Rule): number {
  return r.kind === 'all' || r.kind === 'any' ? 1 + maxOf(r.rules.map(depth)) : 1;
}

/** True when the rule is (or contains) the written-reason criterion. */
export function isOtherRule(r: Rule): boolean {
  return r.kind === 'other' || ((r.kind === 'all' || r.kind === 'any') && r.rules.some(isOtherRule));
}

/** A criterion as the engine sees it. */
export interface Criterion {
  code: string;
  nameZh: string;
  nameEn: string;
  rule: Rule;
  sort?: number;
}

export interface FactUsed {
  key: string;
  labelZh: string;
  labelEn: string;
  value: string | number | boolean | null;
}

/** The outcome of one criterion for one client: met or not, from which facts, and why. */
export interface CriterionResult {
  code: string;
  nameZh: string;
  nameEn: string;
  met: boolean;
  facts: FactUsed[];
  explanation: { zh: string; en: string };
}

export interface EvaluateOptions {
  /** The written reason that makes the "other" criterion met (SPEC §3: other, with a stated reason). */
  otherReason?: string | null;
}

/**
 * Evaluates every criterion against a client's facts. Deterministic, and independent of the order
 * the criteria come in: results are sorted by (sort, code).
 */
export function evaluate(criteria: readonly Criterion[], facts: ClientFacts, opts: EvaluateOptions = {}): CriterionResult[] {
  const bag = facts as unknown as Readonly<Record<string, unknown>>;
  const reason = opts.otherReason?.trim() || null;
  return [...criteria]
    .sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((c) => {
      const out = check(c.rule, bag, reason);
      const used = new Map<string, FactUsed>();
      for (const k of out.facts) if (!used.has(k)) used.set(k, factUsed(k, bag));
      return { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, met: out.met, facts: [...used.values()], explanation: { zh: out.zh, en: out.en } };
    });
}

/** The codes of the met criteria, in result order. */
export const metCodes = (results: readonly CriterionResult[]): string[] => results.filter((r) => r.met).map((r) => r.code);

interface Outcome {
  met: boolean;
  facts: string[];
  zh: string;
  en: string;
}

const OPS = {
  gt: { zh: '大于', en: 'greater than', test: (a: number, b: number) => a > b },
  gte: { zh: '不低于', en: 'at least', test: (a: number, b: number) => a >= b },
  lt: { zh: '小于', en: 'less than', test: (a: number, b: number) => a < b },
  lte: { zh: '不超过', en: 'at most', test: (a: number, b: number) => a <= b },
} as const;

function check(rule: Rule, bag: Readonly<Record<string, unknown>>, reason: string | null): Outcome {
  switch (rule.kind) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const v = bag[rule.fact];
      const op = OPS[rule.kind];
      const l = label(rule.fact);
      const want = { zh: `要求${op.zh} ${fmt(rule.fact, rule.value, 'zh')}`, en: `${op.en} ${fmt(rule.fact, rule.value, 'en')} required` };
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return unknown(rule.fact, want);
      const met = op.test(v, rule.value);
      return {
        met,
        facts: [rule.fact],
        zh: `${l.zh} ${fmt(rule.fact, v, 'zh')}，${want.zh}：${met ? '满足' : '不满足'}`,
        en: `${l.en} ${fmt(rule.fact, v, 'en')}, ${want.en}: ${met ? 'met' : 'not met'}`,
      };
    }
    case 'eq': {
      const v = bag[rule.fact];
      const want = { zh: `要求为 ${show(rule.value, 'zh')}`, en: `must be ${show(rule.value, 'en')}` };
      if (v === null || v === undefined) return unknown(rule.fact, want);
      const met = v === rule.value;
      const l = label(rule.fact);
      return { met, facts: [rule.fact], zh: `${l.zh} ${show(v, 'zh')}，${want.zh}：${met ? '满足' : '不满足'}`, en: `${l.en} ${show(v, 'en')}, ${want.en}: ${met ? 'met' : 'not met'}` };
    }
    case 'in': {
      const v = bag[rule.fact];
      const want = { zh: `要求为 ${rule.values.join('/')} 之一`, en: `must be one of ${rule.values.join('/')}` };
      if (v === null || v === undefined) return unknown(rule.fact, want);
      const met = (rule.values as unknown[]).includes(v);
      const l = label(rule.fact);
      return { met, facts: [rule.fact], zh: `${l.zh} ${show(v, 'zh')}，${want.zh}：${met ? '满足' : '不满足'}`, en: `${l.en} ${show(v, 'en')}, ${want.en}: ${met ? 'met' : 'not met'}` };
    }
    case 'truthy': {
      const v = bag[rule.fact];
      const l = label(rule.fact);
      if (v === null || v === undefined) return unknown(rule.fact, { zh: '要求为是', en: 'must be yes' });
      const met = v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && v.length > 0);
      return { met, facts: [rule.fact], zh: `${l.zh}：${show(v, 'zh')}，${met ? '满足' : '不满足'}`, en: `${l.en}: ${show(v, 'en')}, ${met ? 'met' : 'not met'}` };
    }
    case 'typeIs': {
      const v = bag.typeCode;
      const met = typeof v === 'string' && rule.types.includes(v);
      return {
        met,
        facts: ['typeCode'],
        zh: `客户类型 ${String(v ?? '无数据')}，要求为 ${rule.types.join('/')} 之一：${met ? '满足' : '不满足'}`,
        en: `client type ${String(v ?? 'unknown')}, must be one of ${rule.types.join('/')}: ${met ? 'met' : 'not met'}`,
      };
    }
    case 'all':
    case 'any': {
      const parts = rule.rules.map((r) => check(r, bag, reason));
      const met = rule.kind === 'all' ? parts.every((p) => p.met) : parts.some((p) => p.met);
      return {
        met,
        facts: parts.flatMap((p) => p.facts),
        zh: `${rule.kind === 'all' ? '须同时满足' : '满足其一即可'}（${parts.map((p) => p.zh).join('；')}）`,
        en: `${rule.kind === 'all' ? 'all of' : 'any of'} (${parts.map((p) => p.en).join('; ')})`,
      };
    }
    case 'other':
      return reason
        ? { met: true, facts: [], zh: `其他：${reason}`, en: `Other, stated reason: ${reason}` }
        : { met: false, facts: [], zh: '其他：须书面说明理由，未填写', en: 'Other: needs a written reason; none given' };
  }
}

function unknown(fact: FactName, want: { zh: string; en: string }): Outcome {
  const l = label(fact);
  return { met: false, facts: [fact], zh: `${l.zh} 无数据，${want.zh}：不满足`, en: `${l.en} unknown, ${want.en}: not met` };
}

function label(fact: string): { zh: string; en: string } {
  return FACT_LABELS[fact as FactName] ?? { zh: fact, en: fact };
}

function factUsed(key: string, bag: Readonly<Record<string, unknown>>): FactUsed {
  const v = bag[key];
  const l = label(key);
  const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  return { key, labelZh: l.zh, labelEn: l.en, value };
}

function show(v: unknown, lang: 'zh' | 'en'): string {
  if (v === true) return lang === 'zh' ? '是' : 'yes';
  if (v === false) return lang === 'zh' ? '否' : 'no';
  return String(v);
}

/** Amounts (facts in 分) as 元 with thousands separators, by integer arithmetic. */
export function formatFen(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${neg ? '-' : ''}${yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents.toString().padStart(2, '0')}`;
}

function fmt(fact: string, v: number, lang: 'zh' | 'en'): string {
  if (fact.endsWith('Fen')) return lang === 'zh' ? `${formatFen(v)} 元` : `CNY ${formatFen(v)}`;
  if (/Rank/.test(fact)) return lang === 'zh' ? `第${v}名` : `#${v}`;
  return String(v);
}
