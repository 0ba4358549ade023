import { describe, expect, it } from 'vitest';
import { branchPathOf, pointsByProduct, rankAmong } from './workbench.rules.js';

describe('pointsByProduct', () => {
  it('sums the month and the year per product in hundredths, drops products netting to zero, highest year first', () => {
    const r = pointsByProduct(
      [
        { productId: 7, period: '2026-12-01', pointsHundredths: 1234 },
        { productId: 7, period: '2026-11-01', pointsHundredths: 1 },
        { productId: 3, period: '2026-10-01', pointsHundredths: 5000 },
        { productId: 9, period: '2026-12-01', pointsHundredths: 300 },
        { productId: 9, period: '2026-12-01', pointsHundredths: -300 },
        { productId: 4, period: '2026-12-01', pointsHundredths: -50 },
      ],
      '2026-12-01',
    );
    expect(r.products).toEqual([
      { productId: 3, monthHundredths: 0, yearHundredths: 5000 },
      { productId: 7, monthHundredths: 1234, yearHundredths: 1235 },
      { productId: 4, monthHundredths: -50, yearHundredths: -50 },
    ]);
    expect(r.monthHundredths).toBe(1184);
    expect(r.yearHundredths).toBe(6185);
  });

  it('is empty for a person without points', () => {
    expect(pointsByProduct([], '2026-12-01')).toEqual({ products: [], monthHundredths: 0, yearHundredths: 0 });
  });
});

describe('rankAmong', () => {
  const people = [
    { staffId: 1, staffNo: '44110020', pointsHundredths: 500 },
    { staffId: 2, staffNo: '44110010', pointsHundredths: 500 },
    { staffId: 3, staffNo: '44110005', pointsHundredths: 900 },
    { staffId: 4, staffNo: '44110001', pointsHundredths: 0 },
  ];
  it('ranks by points, equal points to the staff number that sorts first', () => {
    expect(rankAmong(people, 3)).toEqual({ rank: 1, of: 4 });
    expect(rankAmong(people, 2)).toEqual({ rank: 2, of: 4 });
    expect(rankAmong(people, 1)).toEqual({ rank: 3, of: 4 });
    expect(rankAmong(people, 4)).toEqual({ rank: 4, of: 4 });
  });
  it('does not depend on the order given', () => {
    expect(rankAmong([...people].reverse(), 1)).toEqual({ rank: 3, of: 4 });
  });
  it('is null for someone not ranked', () => {
    expect(rankAmong(people, 99)).toBeNull();
    expect(rankAmong([], 1)).toBeNull();
  });
});

describe('branchPathOf', () => {
  it('cuts a path to its branch, null above', () => {
    expect(branchPathOf('/1/2/11/40/')).toBe('/1/2/11/');
    expect(branchPathOf('/1/2/11/')).toBe('/1/2/11/');
    expect(branchPathOf('/1/2/')).toBeNull();
  });
});
