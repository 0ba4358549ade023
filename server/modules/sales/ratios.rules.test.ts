import { describe, expect, it } from 'vitest';
import { formatPeople, formatWeights, parsePeople, parseRatios, ratioProblem, withRatios } from './sales.rules.js';
import { SaleBody, toSaleInput } from './sales.schemas.js';

/** Ratios as a bank writes them (issue 18 part 4, decision 0026). */
describe('the 协商比例 cell', () => {
  it('reads weights 1:2, 1：2 (full width), 3:1:1, 3/1 and percentages 40%/60%', () => {
    expect(parseRatios('1:2')).toEqual({ kind: 'weight', values: [1, 2] });
    expect(parseRatios('1：2')).toEqual({ kind: 'weight', values: [1, 2] });
    expect(parseRatios(' 3 : 1 : 1 ')).toEqual({ kind: 'weight', values: [3, 1, 1] });
    expect(parseRatios('３/１')).toEqual({ kind: 'weight', values: [3, 1] });
    expect(parseRatios('40%/60%')).toEqual({ kind: 'percent', values: [4000, 6000] });
    expect(parseRatios('33.33%：66.67％')).toEqual({ kind: 'percent', values: [3333, 6667] });
  });

  it('refuses what it cannot read: decimals as weights, 0, a mix of % and weights, empty parts', () => {
    for (const bad of ['1.5:1', '0:1', '40%:60', '1::2', '', 'a:b', '33.333%/66.667%', '10001:1']) expect(parseRatios(bad)).toBeUndefined();
  });

  it('puts the ratios on the departments in their order, one each, never beside a percentage already written', () => {
    const depts = [
      { code: 'CORP', ratioBp: null },
      { code: 'INST', ratioBp: null },
    ];
    expect(withRatios(depts, { kind: 'weight', values: [1, 2] })).toEqual([
      { code: 'CORP', ratioBp: null, weight: 1 },
      { code: 'INST', ratioBp: null, weight: 2 },
    ]);
    expect(withRatios(depts, { kind: 'percent', values: [4000, 6000] })).toEqual([
      { code: 'CORP', ratioBp: 4000, weight: null },
      { code: 'INST', ratioBp: 6000, weight: null },
    ]);
    expect(withRatios(depts, { kind: 'weight', values: [3, 1, 1] })).toBeUndefined();
    expect(
      withRatios(
        [
          { code: 'CORP', ratioBp: 5000 },
          { code: 'INST', ratioBp: 5000 },
        ],
        { kind: 'weight', values: [1, 1] },
      ),
    ).toBeUndefined();
  });
});

describe('checking ratios', () => {
  it('percentages total exactly 100 %; weights are integers ≥ 1 of any total up to 10,000; all or none; one kind', () => {
    expect(ratioProblem([{ bp: null }, { bp: null }])).toBeNull();
    expect(ratioProblem([{ bp: 4000 }, { bp: 6000 }])).toBeNull();
    expect(ratioProblem([{ bp: 4000 }, { bp: 5000 }])).toBe('sum');
    expect(
      ratioProblem([
        { bp: null, weight: 1 },
        { bp: null, weight: 2 },
      ]),
    ).toBeNull();
    expect(
      ratioProblem([
        { bp: null, weight: 3 },
        { bp: null, weight: 1 },
        { bp: null, weight: 1 },
      ]),
    ).toBeNull();
    expect(ratioProblem([{ bp: null, weight: 1 }, { bp: null }])).toBe('partial');
    expect(ratioProblem([{ bp: 5000 }, { bp: null, weight: 1 }])).toBe('mixed');
    expect(
      ratioProblem([
        { bp: null, weight: 0 },
        { bp: null, weight: 1 },
      ]),
    ).toBe('weights');
    expect(
      ratioProblem([
        { bp: null, weight: 9000 },
        { bp: null, weight: 1001 },
      ]),
    ).toBe('weights');
  });
});

describe('people with weights', () => {
  it('reads w2 / 权重2 as a weight and writes it back the same way', () => {
    const people = parsePeople('44110023@PF:营销:w1,44110024@PF:权重2');
    expect(people).toEqual([
      { staffNo: '44110023', departmentCode: 'PF', role: '营销人员', contributionBp: null, weight: 1 },
      { staffNo: '44110024', departmentCode: 'PF', role: '营销人员', contributionBp: null, weight: 2 },
    ]);
    expect(parsePeople('44110023@PF:w1:50')).toBeUndefined();
    expect(formatPeople(people!.map((p) => ({ ...p, departmentCode: 'PF' })))).toBe('44110023@PF:营销人员:w1,44110024@PF:营销人员:w2');
    expect(formatWeights([{ weight: 1 }, { weight: 2 }])).toBe('1:2');
    expect(formatWeights([{ weight: null }, { weight: 2 }])).toBe('');
  });
});

describe('the API shape', () => {
  it('departments[].weight and people[].weight are integers 1–10,000, beside ratio / contribution in %', () => {
    const body = SaleBody.parse({
      sourceId: 'W1',
      productCode: 'CARD',
      idNumber: '440604199001011234',
      saleDate: '2026-11-02',
      quantity: 1,
      departments: [
        { code: 'corp', weight: 1 },
        { code: 'INST', weight: 2 },
      ],
      people: [{ staffNo: '1', weight: 3 }],
    });
    const input = toSaleInput(body);
    expect(input.departments).toEqual([
      { code: 'CORP', ratioBp: null, weight: 1 },
      { code: 'INST', ratioBp: null, weight: 2 },
    ]);
    expect(input.people[0]).toMatchObject({ contributionBp: null, weight: 3 });
    for (const weight of [0, 1.5, 10001, '2']) expect(SaleBody.safeParse({ ...body, quantity: 1, departments: [{ code: 'CORP', weight }] }).success).toBe(false);
  });
});
