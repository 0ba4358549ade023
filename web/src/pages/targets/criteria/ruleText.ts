import type { FactDefinition, RefItem } from '../../../api/customers';
import type { Rule } from '../../../api/targets';
import { wanOf } from '../../../components/money';
import type { MessageKey, Translate } from '../../../locales';

/** Labels of the client columns a rule may read (the catalogued facts bring their own). */
const COLUMN_LABEL: Record<string, MessageKey> = {
  typeCode: 'customer.type',
  industryCode: 'customer.industry',
  creditLineFen: 'customer.creditLine',
  loanBalanceFen: 'customer.loanBalance',
  annualSalesFen: 'customer.annualSales',
  provincialTaxRank: 'customer.taxRank',
  listed: 'customer.listed',
};

export interface RuleContext {
  t: Translate;
  pick(zh: string | null | undefined, en: string | null | undefined): string;
  catalogue: FactDefinition[];
  types: RefItem[];
  lang: string;
}

export function factLabel(fact: string, ctx: RuleContext): string {
  const col = COLUMN_LABEL[fact];
  if (col) return ctx.t(col);
  const f = ctx.catalogue.find((x) => x.key === fact);
  return f ? ctx.pick(f.zh, f.en) : fact;
}

/** A threshold as a bank user reads it: 10,000.00 万元, 第200名, 是/否, an enum label. */
export function valueText(fact: string, v: string | number | boolean, ctx: RuleContext): string {
  if (typeof v === 'boolean') return v ? ctx.t('common.yes') : ctx.t('common.no');
  if (typeof v === 'number' && fact.endsWith('Fen')) return `${wanOf(v)} ${ctx.t('unit.wan')}`;
  if (typeof v === 'number' && /Rank/.test(fact)) return ctx.t('customer.rankNo', { n: v });
  const o = ctx.catalogue.find((x) => x.key === fact)?.options?.find((x) => x.value === v);
  if (o) return ctx.pick(o.zh, o.en);
  return String(v);
}

/** The rule in words, e.g. 授信额度 大于 10,000.00 万元. */
export function ruleText(rule: Rule, ctx: RuleContext): string {
  const { t } = ctx;
  switch (rule.kind) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `${factLabel(rule.fact, ctx)} ${t(`rule.${rule.kind}`)} ${valueText(rule.fact, rule.value, ctx)}`;
    case 'eq':
      return `${factLabel(rule.fact, ctx)} ${t('rule.eq')} ${valueText(rule.fact, rule.value, ctx)}`;
    case 'in':
      return `${factLabel(rule.fact, ctx)} ${t('rule.in')} ${rule.values.map((v) => valueText(rule.fact, v, ctx)).join(' / ')}`;
    case 'truthy':
      return `${factLabel(rule.fact, ctx)} ${t('rule.truthy')}`;
    case 'typeIs':
      return `${t('customer.type')} ${t('rule.in')} ${rule.types.map((c) => ctx.pick(ctx.types.find((x) => x.code === c)?.nameZh ?? c, ctx.types.find((x) => x.code === c)?.nameEn)).join(' / ')}`;
    case 'all':
    case 'any':
      return `${t(`rule.${rule.kind}`)}（${rule.rules.map((r) => ruleText(r, ctx)).join(ctx.lang === 'en' ? '; ' : '；')}）`;
    case 'other':
      return t('rule.other');
  }
}
