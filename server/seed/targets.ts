import type { Criterion, Rule } from '../modules/targets/criteria.rules.js';
import { BANK_WIDE, appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import type { DbOrTx } from '../db/client.js';
import { targetCriteria, type TARGET_DEPT_KINDS } from '../db/schema/index.js';

/** The default criteria take effect from this day. */
export const DEFAULT_CRITERIA_FROM = '2026-01-01';

/** 1 亿元 in 分: "超过亿元" is strictly greater than 100,000,000 元. */
const YI_FEN = 10_000_000_000;
const COUNTY_UP = ['county', 'city', 'province', 'national'];
const GOV_PLATFORM: Rule = {
  kind: 'all',
  rules: [
    { kind: 'truthy', fact: 'governmentPlatform' },
    { kind: 'in', fact: 'adminLevel', values: COUNTY_UP },
  ],
};

export interface DefaultCriterion extends Criterion {
  departmentKind: (typeof TARGET_DEPT_KINDS)[number];
  sort: number;
}

const c = (departmentKind: DefaultCriterion['departmentKind'], sort: number, code: string, nameZh: string, nameEn: string, rule: Rule): DefaultCriterion => ({
  departmentKind,
  sort,
  code,
  nameZh,
  nameEn,
  rule,
});

/**
 * Every Article 9 criterion (SPEC §3) of 公司业务部, 机构业务部 and 房地产信贷部 as a rule over the
 * facts of customers/facts.ts. Thresholds are integers: 分 for amounts, ranks, stars.
 */
export const DEFAULT_CRITERIA: readonly DefaultCriterion[] = [
  // 公司业务部 (Art. 9 公司业务部 (1)–(10))
  c('corporate', 10, 'CORP.TAX_TOP200', '省内利税排名前200名的企业', 'Top-200 provincial taxpayer', { kind: 'lte', fact: 'provincialTaxRank', value: 200 }),
  c('corporate', 20, 'CORP.CREDIT_LINE', '银行授信额度超过亿元的大型企业', 'Credit line above CNY 100 M', { kind: 'gt', fact: 'creditLineFen', value: YI_FEN }),
  c('corporate', 30, 'CORP.LISTED_QUALITY', '优质上市公司', 'Quality listed company', {
    kind: 'all',
    rules: [
      { kind: 'truthy', fact: 'listed' },
      { kind: 'truthy', fact: 'listedQuality' },
    ],
  }),
  c('corporate', 40, 'CORP.ANNUAL_SALES', '年销售额超过亿元的大型企业', 'Annual sales above CNY 100 M', { kind: 'gt', fact: 'annualSalesFen', value: YI_FEN }),
  c('corporate', 45, 'CORP.LARGE_MARKET', '非房地产开发企业开发建设的大型商业零售百货和专业市场优质客户', 'Large retail/wholesale market not built by a developer', {
    kind: 'truthy',
    fact: 'largeMarketNotByDeveloper',
  }),
  c('corporate', 50, 'CORP.HAS_LOAN', '银行有贷款的优质客户', 'Client with a loan at the bank', { kind: 'gt', fact: 'loanBalanceFen', value: 0 }),
  c('corporate', 60, 'CORP.GOV_PLATFORM', '县级以上优质政府投融资平台', 'County-level+ government financing platform', GOV_PLATFORM),
  c('corporate', 70, 'CORP.GLOBAL500', '全球500强独资或控股的外资企业', 'Owned or controlled by a Global-500 firm', { kind: 'truthy', fact: 'global500Controlled' }),
  c('corporate', 80, 'CORP.FOREIGN_TRADE_TOP20', '省内销售额前20名的外贸公司', 'Top-20 provincial foreign trader', { kind: 'lte', fact: 'foreignTradeRankProvince', value: 20 }),
  c('corporate', 90, 'CORP.COUNTY_QUALITY', '县域优质企业、农业产业化龙头企业', 'County-level quality firm or agricultural leader', {
    kind: 'any',
    rules: [
      { kind: 'truthy', fact: 'countyQualityFirm' },
      { kind: 'truthy', fact: 'agriculturalLeader' },
    ],
  }),
  c('corporate', 100, 'CORP.OTHER', '其他（须说明理由）', 'Other (with a stated reason)', { kind: 'other' }),

  // 机构业务部 (Art. 9 机构业务部 (1)–(5)); item (3) is one criterion per kind of institution.
  c('institutional', 10, 'INST.FIN_INSTITUTION', '签约并在省内设有营业机构的优质金融同业', 'Signed financial institution with a provincial office', {
    kind: 'all',
    rules: [
      { kind: 'typeIs', types: ['financial'] },
      { kind: 'truthy', fact: 'financialInstitutionSigned' },
      { kind: 'truthy', fact: 'provincialOffice' },
    ],
  }),
  c('institutional', 20, 'INST.GOV_BODY', '县级以上政府、部队、机关团体和事业单位', 'County-level+ government, army, public body', {
    kind: 'all',
    rules: [
      { kind: 'typeIs', types: ['government', 'institution'] },
      { kind: 'in', fact: 'adminLevel', values: COUNTY_UP },
    ],
  }),
  c('institutional', 30, 'INST.UNIVERSITY', '省内211大学、省属重点大学、全国示范型职业技术学院', '211 / key university, model vocational college', {
    kind: 'in',
    fact: 'universityTier',
    values: ['211', 'key', 'model_vocational'],
  }),
  c('institutional', 31, 'INST.SCHOOL', '四星级以上中学', '4-star+ school', { kind: 'gte', fact: 'schoolStars', value: 4 }),
  c('institutional', 32, 'INST.HOSPITAL', '省内三级医院', 'Tier-3 hospital', { kind: 'in', fact: 'hospitalGrade', values: ['3A', '3B', '3C'] }),
  c('institutional', 33, 'INST.SCENIC', '4A级及以上旅游风景区', '4A+ scenic area', { kind: 'in', fact: 'scenicRating', values: ['4A', '5A'] }),
  c('institutional', 34, 'INST.HOTEL', '非房地产企业开发建设的三星级以上宾馆酒店', '3-star+ hotel not built by a developer', { kind: 'gte', fact: 'hotelStars', value: 3 }),
  c('institutional', 40, 'INST.GOV_PLATFORM', '县级以上优质政府投融资平台', 'County-level+ government financing platform', GOV_PLATFORM),
  c('institutional', 50, 'INST.OTHER', '其他（须说明理由）', 'Other (with a stated reason)', { kind: 'other' }),

  // 房地产信贷部 (Art. 9 房地产信贷部 (1)–(5))
  c('real_estate', 10, 'RE.FINANCED_DEVELOPMENT', '我行牵头和参与用信的房地产开发楼盘', 'Development the bank finances (lead or participant)', {
    kind: 'in',
    fact: 'bankFinancesDevelopment',
    values: ['lead', 'participant'],
  }),
  c('real_estate', 20, 'RE.TOP200_DEVELOPER', '全国房地产企业200强', 'National top-200 developer', { kind: 'lte', fact: 'developerNationalRank', value: 200 }),
  c('real_estate', 30, 'RE.GOV_PLATFORM', '县级以上优质政府投融资平台', 'County-level+ government financing platform', GOV_PLATFORM),
  c('real_estate', 40, 'RE.LISTED_DEVELOPER_PROPERTY', '优质客户名录内房地产开发企业的经营性物业', 'Operating property of a listed quality developer', {
    kind: 'truthy',
    fact: 'listedQualityDeveloperProperty',
  }),
  c('real_estate', 50, 'RE.OTHER', '其他（须说明理由）', 'Other (with a stated reason)', { kind: 'other' }),
];

/**
 * Writes the default criteria for every code that has no row yet (idempotent: a bank's own
 * changes, deactivations included, are never overwritten). One audit entry when it writes.
 */
export async function seedTargetCriteria(db: DbOrTx): Promise<number> {
  return db.transaction(async (tx) => {
    const existing = new Set((await tx.select({ code: targetCriteria.code }).from(targetCriteria)).map((r) => r.code));
    const missing = DEFAULT_CRITERIA.filter((d) => !existing.has(d.code));
    if (missing.length === 0) return 0;
    await tx.insert(targetCriteria).values(
      missing.map((d) => ({
        code: d.code,
        departmentKind: d.departmentKind,
        nameZh: d.nameZh,
        nameEn: d.nameEn,
        rule: d.rule as unknown as Record<string, unknown>,
        sort: d.sort,
        active: true,
        effectiveFrom: DEFAULT_CRITERIA_FROM,
      })),
    );
    await appendAudit(tx, SYSTEM_ACTOR, {
      action: 'target.criteria.seed',
      entity: 'target_criteria',
      nodeId: BANK_WIDE,
      entityId: 'defaults',
      after: { codes: missing.map((d) => d.code), effectiveFrom: DEFAULT_CRITERIA_FROM },
    });
    return missing.length;
  });
}
