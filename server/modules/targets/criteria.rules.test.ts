import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITERIA } from '../../seed/targets.js';
import { type ClientFacts, type ClientFactsRow, clientFacts } from '../customers/facts.js';
import { type Criterion, evaluate, formatFen, metCodes, RuleSchema } from './criteria.rules.js';

/** A client's facts with overrides: columns by name, catalogue facts under `facts`. */
function client(over: Partial<ClientFactsRow> = {}): ClientFacts {
  return clientFacts({
    id: 1,
    uscc: '91440600MA4UJ8KX2P',
    name: '佛山市示例制造有限公司',
    typeCode: 'enterprise',
    industryCode: 'C',
    nodeId: 11,
    departmentId: 1101,
    creditLineFen: null,
    loanBalanceFen: null,
    annualSalesFen: null,
    provincialTaxRank: null,
    listed: false,
    facts: {},
    ...over,
  });
}

const CORP = DEFAULT_CRITERIA.filter((c) => c.departmentKind === 'corporate');
const INST = DEFAULT_CRITERIA.filter((c) => c.departmentKind === 'institutional');
const RE = DEFAULT_CRITERIA.filter((c) => c.departmentKind === 'real_estate');
const one = (code: string) => DEFAULT_CRITERIA.filter((c) => c.code === code);
const met = (code: string, f: ClientFacts, reason?: string) => evaluate(one(code), f, { otherReason: reason })[0].met;

describe('Article 9 criteria on boundary values (SPEC §3)', () => {
  it('credit line "超过亿元": exactly 100,000,000 元 is not met, one 分 more is', () => {
    expect(met('CORP.CREDIT_LINE', client({ creditLineFen: 10_000_000_000 }))).toBe(false);
    expect(met('CORP.CREDIT_LINE', client({ creditLineFen: 10_000_000_001 }))).toBe(true);
    expect(met('CORP.CREDIT_LINE', client({ creditLineFen: 9_999_999_999 }))).toBe(false);
    expect(met('CORP.CREDIT_LINE', client({ creditLineFen: null }))).toBe(false);
    const [r] = evaluate(one('CORP.CREDIT_LINE'), client({ creditLineFen: 10_000_000_000 }));
    expect(r.facts).toEqual([{ key: 'creditLineFen', labelZh: '授信额度', labelEn: 'Credit line', value: 10_000_000_000 }]);
    expect(r.explanation.zh).toBe('授信额度 100,000,000.00 元，要求大于 100,000,000.00 元：不满足');
  });

  it('annual sales: strictly above 100 M as well', () => {
    expect(met('CORP.ANNUAL_SALES', client({ annualSalesFen: 10_000_000_000 }))).toBe(false);
    expect(met('CORP.ANNUAL_SALES', client({ annualSalesFen: 10_000_000_100 }))).toBe(true);
  });

  it('top-200 taxpayer: rank 200 is in, 201 is out; top-20 foreign trader likewise', () => {
    expect(met('CORP.TAX_TOP200', client({ provincialTaxRank: 1 }))).toBe(true);
    expect(met('CORP.TAX_TOP200', client({ provincialTaxRank: 200 }))).toBe(true);
    expect(met('CORP.TAX_TOP200', client({ provincialTaxRank: 201 }))).toBe(false);
    expect(met('CORP.TAX_TOP200', client())).toBe(false);
    expect(met('CORP.FOREIGN_TRADE_TOP20', client({ facts: { foreignTradeRankProvince: 20 } }))).toBe(true);
    expect(met('CORP.FOREIGN_TRADE_TOP20', client({ facts: { foreignTradeRankProvince: 21 } }))).toBe(false);
    expect(met('RE.TOP200_DEVELOPER', client({ facts: { developerNationalRank: 200 } }))).toBe(true);
    expect(met('RE.TOP200_DEVELOPER', client({ facts: { developerNationalRank: 201 } }))).toBe(false);
  });

  it('a loan means a balance above zero', () => {
    expect(met('CORP.HAS_LOAN', client({ loanBalanceFen: 0 }))).toBe(false);
    expect(met('CORP.HAS_LOAN', client({ loanBalanceFen: 1 }))).toBe(true);
  });

  it('"other" is met only with a written reason (blank is no reason)', () => {
    expect(met('CORP.OTHER', client())).toBe(false);
    expect(met('CORP.OTHER', client(), '   ')).toBe(false);
    expect(met('CORP.OTHER', client(), '省重点项目配套企业')).toBe(true);
    const [r] = evaluate(one('CORP.OTHER'), client(), { otherReason: '省重点项目配套企业' });
    expect(r.explanation.zh).toBe('其他：省重点项目配套企业');
  });

  it('combinations: platform must be county level or higher; listed quality needs both facts', () => {
    expect(met('CORP.GOV_PLATFORM', client({ facts: { governmentPlatform: true, adminLevel: 'county' } }))).toBe(true);
    expect(met('CORP.GOV_PLATFORM', client({ facts: { governmentPlatform: true } }))).toBe(false);
    expect(met('CORP.GOV_PLATFORM', client({ facts: { governmentPlatform: false, adminLevel: 'province' } }))).toBe(false);
    expect(met('CORP.LISTED_QUALITY', client({ listed: true, facts: { listedQuality: true } }))).toBe(true);
    expect(met('CORP.LISTED_QUALITY', client({ listed: false, facts: { listedQuality: true } }))).toBe(false);
    expect(met('CORP.COUNTY_QUALITY', client({ facts: { agriculturalLeader: true } }))).toBe(true);
    const [r] = evaluate(one('CORP.GOV_PLATFORM'), client({ facts: { governmentPlatform: true, adminLevel: 'city' } }));
    expect(r.facts.map((f) => [f.key, f.value])).toEqual([
      ['governmentPlatform', true],
      ['adminLevel', 'city'],
    ]);
  });

  it('institutional and real-estate criteria read their facts', () => {
    expect(met('INST.FIN_INSTITUTION', client({ typeCode: 'financial', facts: { financialInstitutionSigned: true, provincialOffice: true } }))).toBe(true);
    expect(met('INST.FIN_INSTITUTION', client({ typeCode: 'enterprise', facts: { financialInstitutionSigned: true, provincialOffice: true } }))).toBe(false);
    expect(met('INST.GOV_BODY', client({ typeCode: 'government', facts: { adminLevel: 'county' } }))).toBe(true);
    expect(met('INST.SCHOOL', client({ typeCode: 'school', facts: { schoolStars: 4 } }))).toBe(true);
    expect(met('INST.SCHOOL', client({ typeCode: 'school', facts: { schoolStars: 3 } }))).toBe(false);
    expect(met('INST.HOSPITAL', client({ typeCode: 'hospital', facts: { hospitalGrade: '3B' } }))).toBe(true);
    expect(met('INST.HOSPITAL', client({ typeCode: 'hospital', facts: { hospitalGrade: '2A' } }))).toBe(false);
    expect(met('INST.SCENIC', client({ facts: { scenicRating: '4A' } }))).toBe(true);
    expect(met('INST.SCENIC', client({ facts: { scenicRating: '3A' } }))).toBe(false);
    expect(met('INST.HOTEL', client({ facts: { hotelStars: 3 } }))).toBe(true);
    expect(met('RE.FINANCED_DEVELOPMENT', client({ facts: { bankFinancesDevelopment: 'participant' } }))).toBe(true);
    expect(met('RE.FINANCED_DEVELOPMENT', client({ facts: { bankFinancesDevelopment: null } }))).toBe(false);
  });

  it('every default criterion is a valid rule and codes are unique per department', () => {
    for (const c of DEFAULT_CRITERIA) expect(RuleSchema.safeParse(c.rule).success, c.code).toBe(true);
    expect(new Set(DEFAULT_CRITERIA.map((c) => c.code)).size).toBe(DEFAULT_CRITERIA.length);
    expect(CORP.map((c) => c.code)).toEqual([
      'CORP.TAX_TOP200',
      'CORP.CREDIT_LINE',
      'CORP.LISTED_QUALITY',
      'CORP.ANNUAL_SALES',
      'CORP.LARGE_MARKET',
      'CORP.HAS_LOAN',
      'CORP.GOV_PLATFORM',
      'CORP.GLOBAL500',
      'CORP.FOREIGN_TRADE_TOP20',
      'CORP.COUNTY_QUALITY',
      'CORP.OTHER',
    ]);
    expect(INST.at(-1)!.code).toBe('INST.OTHER');
    expect(RE.at(-1)!.code).toBe('RE.OTHER');
  });
});

describe('rule validation', () => {
  it('refuses floats, unknown facts, extra keys and deep nesting', () => {
    expect(RuleSchema.safeParse({ kind: 'gt', fact: 'creditLineFen', value: 100.5 }).success).toBe(false);
    expect(RuleSchema.safeParse({ kind: 'gt', fact: 'noSuchFact', value: 1 }).success).toBe(false);
    expect(RuleSchema.safeParse({ kind: 'truthy', fact: 'listed', extra: 1 }).success).toBe(false);
    expect(RuleSchema.safeParse({ kind: 'maybe' }).success).toBe(false);
    const leaf = { kind: 'truthy', fact: 'listed' };
    const nest = (r: object, n: number): object => (n === 0 ? r : nest({ kind: 'all', rules: [r] }, n - 1));
    expect(RuleSchema.safeParse(nest(leaf, 3)).success).toBe(true);
    expect(RuleSchema.safeParse(nest(leaf, 4)).success).toBe(false);
  });

  it('formats 分 as 元 with integer arithmetic', () => {
    expect(formatFen(10_000_000_000)).toBe('100,000,000.00');
    expect(formatFen(1)).toBe('0.01');
    expect(formatFen(-123_456)).toBe('-1,234.56');
  });
});

describe('properties', () => {
  const facts = fc.record({
    creditLineFen: fc.option(fc.integer({ min: 0, max: 2 * 10 ** 12 }), { nil: null }),
    loanBalanceFen: fc.option(fc.integer({ min: 0, max: 10 ** 12 }), { nil: null }),
    annualSalesFen: fc.option(fc.integer({ min: 0, max: 10 ** 13 }), { nil: null }),
    provincialTaxRank: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
    listed: fc.boolean(),
    typeCode: fc.constantFrom('enterprise', 'financial', 'government', 'institution', 'school', 'hospital', 'developer', 'platform'),
    facts: fc.record(
      {
        listedQuality: fc.boolean(),
        governmentPlatform: fc.boolean(),
        adminLevel: fc.constantFrom('county', 'city', 'province', 'national'),
        foreignTradeRankProvince: fc.integer({ min: 1, max: 100 }),
        schoolStars: fc.integer({ min: 1, max: 5 }),
        hospitalGrade: fc.constantFrom('3A', '3B', '2A', '1C'),
        developerNationalRank: fc.integer({ min: 1, max: 500 }),
        bankFinancesDevelopment: fc.constantFrom('lead', 'participant', null),
      },
      { requiredKeys: [] },
    ),
  });
  const reason = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });
  const criteriaOrder = fc.shuffledSubarray([...DEFAULT_CRITERIA] as Criterion[], { minLength: 0 });

  it('evaluation is deterministic and independent of the order of the criteria', () => {
    fc.assert(
      fc.property(facts, reason, criteriaOrder, (f, r, subset) => {
        const c = client(f as Partial<ClientFactsRow>);
        const a = evaluate(subset, c, { otherReason: r });
        expect(evaluate(subset, c, { otherReason: r })).toEqual(a);
        expect(evaluate([...subset].reverse(), c, { otherReason: r })).toEqual(a);
        expect(a.map((x) => x.code).sort()).toEqual(subset.map((x) => x.code).sort());
      }),
    );
  });

  it('a criterion’s result does not depend on the other criteria evaluated with it', () => {
    fc.assert(
      fc.property(facts, reason, criteriaOrder, (f, r, subset) => {
        const c = client(f as Partial<ClientFactsRow>);
        const all = new Map(evaluate(DEFAULT_CRITERIA, c, { otherReason: r }).map((x) => [x.code, x]));
        for (const x of evaluate(subset, c, { otherReason: r })) expect(x).toEqual(all.get(x.code));
      }),
    );
  });

  it('"other" is met exactly when a non-blank reason is given', () => {
    fc.assert(
      fc.property(facts, reason, (f, r) => {
        const codes = metCodes(evaluate(DEFAULT_CRITERIA, client(f as Partial<ClientFactsRow>), { otherReason: r }));
        expect(codes.includes('CORP.OTHER')).toBe(Boolean(r?.trim()));
      }),
    );
  });
});
