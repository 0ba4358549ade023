import { describe, expect, it } from 'vitest';
import { formatParticipants, formatPeople, monthRange, parseParticipants, parsePeople, percentBp, quantity1e4, ratiosOk, salePoints } from './sales.rules.js';
import { formatHundredths, formatScaled, parseScore, versionInForce } from '../products/products.rules.js';

describe('sale cells (SPEC §7 import forms)', () => {
  it('reads participants with and without ratios, in the separators sheets use', () => {
    expect(parseParticipants('CORP:60,INST:40')).toEqual([
      { code: 'CORP', ratioBp: 6000 },
      { code: 'INST', ratioBp: 4000 },
    ]);
    expect(parseParticipants('corp、INST')).toEqual([
      { code: 'CORP', ratioBp: null },
      { code: 'INST', ratioBp: null },
    ]);
    expect(parseParticipants('ＣＯＲＰ：33.34；INST：33.33，RE:33.33%')).toEqual([
      { code: 'CORP', ratioBp: 3334 },
      { code: 'INST', ratioBp: 3333 },
      { code: 'RE', ratioBp: 3333 },
    ]);
    expect(parseParticipants('CORP:abc')).toBeUndefined();
    expect(parseParticipants('CORP:33.333')).toBeUndefined();
    expect(parseParticipants('公司部')).toBeUndefined();
  });

  it('reads people: 工号@部门:角色:贡献, parts optional, role and number in either order', () => {
    expect(parsePeople('44110023@PF:营销:50,44110031@CORP:介绍')).toEqual([
      { staffNo: '44110023', departmentCode: 'PF', role: '营销人员', contributionBp: 5000 },
      { staffNo: '44110031', departmentCode: 'CORP', role: '介绍人', contributionBp: null },
    ]);
    expect(parsePeople('44110023:60%:产品经理')).toEqual([{ staffNo: '44110023', departmentCode: null, role: '产品经理', contributionBp: 6000 }]);
    expect(parsePeople('44110023')).toEqual([{ staffNo: '44110023', departmentCode: null, role: '营销人员', contributionBp: null }]);
    expect(parsePeople('44110023@PF@CORP')).toBeUndefined();
    expect(parsePeople('44110023:50:60')).toBeUndefined();
  });

  it('writes the same forms back (exports re-import)', () => {
    expect(
      formatParticipants([
        { code: 'CORP', ratioBp: 6000 },
        { code: 'INST', ratioBp: 4000 },
      ]),
    ).toBe('CORP:60,INST:40');
    expect(formatPeople([{ staffNo: '1', departmentCode: 'PF', role: '营销人员', contributionBp: 3350 }])).toBe('1@PF:营销人员:33.5');
    expect(parsePeople(formatPeople([{ staffNo: '1', departmentCode: 'PF', role: '营销人员', contributionBp: 3350 }]))![0].contributionBp).toBe(3350);
  });

  it('checks ratios: all or none, exactly 100 %', () => {
    expect(ratiosOk([{ bp: null }, { bp: null }])).toBe(true);
    expect(ratiosOk([{ bp: 3334 }, { bp: 3333 }, { bp: 3333 }])).toBe(true);
    expect(ratiosOk([{ bp: 6000 }, { bp: 3000 }])).toBe(false);
    expect(ratiosOk([{ bp: 6000 }, { bp: null }])).toBe(false);
    expect(ratiosOk([{ bp: 10000 }, { bp: 0 }])).toBe(false);
  });

  it('scales decimals exactly, never through binary floats', () => {
    expect(percentBp('62.5')).toBe(6250);
    expect(percentBp(100.01)).toBeUndefined();
    expect(quantity1e4('1,234.5678')).toBe(12_345_678);
    expect(quantity1e4(0)).toBeUndefined();
    expect(quantity1e4('0.00001')).toBeUndefined();
    // At most MAX_QUANTITY (1 亿 units): a typo of extra zeros is refused, not scored.
    expect(quantity1e4('100,000,000')).toBe(1_000_000_000_000);
    expect(quantity1e4('100000000.0001')).toBeUndefined();
    expect(parseScore('12.50')).toBe(1250);
    expect(parseScore(0.1 + 0.2)).toBeUndefined();
    expect(parseScore('-1')).toBeUndefined();
    expect(formatHundredths(1250)).toBe('12.50');
    expect(formatScaled(15000, 4)).toBe('1.5');
    expect(salePoints(12_345, 1234)).toBe('15.23'); // 1.2345 × 12.34 = 15.23373 → 15.23
    expect(salePoints(10_000, 800)).toBe('8.00');
    expect(salePoints(5, 1000)).toBe('0.01'); // 0.0005 × 10.00 = 0.005 → half-up 0.01
    expect(monthRange('2026-12')).toEqual(['2026-12-01', '2027-01-01']);
  });

  it('picks the score version in force on a day (SPEC §6)', () => {
    const v = [
      { effectiveFrom: '2026-01-01', s: 1 },
      { effectiveFrom: '2026-11-01', s: 2 },
    ];
    expect(versionInForce(v, '2025-12-31')).toBeUndefined();
    expect(versionInForce(v, '2026-10-31')?.s).toBe(1);
    expect(versionInForce(v, '2026-11-01')?.s).toBe(2);
  });
});
