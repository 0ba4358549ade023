import { describe, expect, it } from 'vitest';
import { canonicalArrayOf, canonicalOf, contentOf, fingerprintOf, jsonItem } from './sales.content.js';
import type { SaleInput } from './sales.rules.js';

const sale: SaleInput = {
  sourceId: 'FS1',
  productCode: 'credit',
  idNumber: '440604199001011234',
  uscc: null,
  projectId: 7,
  developmentCode: ' BD1 ',
  saleDate: '2026-11-02',
  quantity1e4: 15000,
  branchCode: '44100',
  hostDepartmentCode: 'pf',
  departments: [
    { code: 'inst', ratioBp: 4000 },
    { code: 'CORP', ratioBp: 6000 },
  ],
  people: [
    { staffNo: '44110031', departmentCode: 'corp', role: '介绍', contributionBp: null },
    { staffNo: '44110023', departmentCode: 'PF', role: '营销', contributionBp: 5000, weight: 2 },
  ],
};
// Text JSON must escape, and text it must not touch: quotes, backslash, tab, newline, U+2028, a lone surrogate, an emoji, full width.
const odd: SaleInput = {
  ...sale,
  productCode: 'a"b\\c\td\ne\u2028f\ud800g😀ＦＳ',
  idNumber: null,
  uscc: '9135 0100',
  projectId: null,
  quantity1e4: Number.NaN,
  departments: [{ code: 'x"', ratioBp: null, weight: 1 }],
  people: [],
};

describe('sale fingerprint written straight out', () => {
  it('keeps the digests recorded before (sales on file are compared by them)', () => {
    // Computed with the fingerprint as first written (createHash over JSON.stringify of the array).
    expect(fingerprintOf(sale)).toBe('a3b006a26e21d84ddbd587913c3b8cef588f62ae200915c06bb4738e60ced310');
    expect(fingerprintOf(odd)).toBe('4e5266cf40558bedbc68e186ff48a8f30282f1d7ca9597282c9d11fd6e41a637');
  });

  it('writes each item as JSON.stringify does inside an array', () => {
    const items = [
      '',
      'plain',
      '"',
      '\\',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u001f',
      ' ',
      '\u007f',
      '\u2028',
      '\ud800',
      '\udfff',
      '😀',
      '中文',
      'ＦＳ',
      0,
      -0,
      1.5,
      1e21,
      Number.NaN,
      Infinity,
      null,
      undefined,
      true,
    ];
    for (const v of items) expect({ v, text: jsonItem(v) }).toEqual({ v, text: JSON.stringify([v]).slice(1, -1) });
  });

  it('gives the same text as JSON.stringify of the canonical array, for many shapes of sale', () => {
    const words = ['A', 'b"', 'c\\d', 'e\tf', 'g\nh', '营销', '\ud83d', 'ＦＳ０１', ' x ', ''];
    let seed = 7;
    const pick = <T>(l: T[]) => l[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % l.length];
    for (let i = 0; i < 500; i++) {
      const s: SaleInput = {
        ...sale,
        productCode: pick(words) || 'P',
        idNumber: pick([null, pick(words)]),
        uscc: pick([null, pick(words)]),
        projectId: pick([null, 1, 42]),
        developmentCode: pick([null, pick(words)]),
        branchCode: pick([null, pick(words)]),
        hostDepartmentCode: pick([null, pick(words)]),
        quantity1e4: pick([1, 15000, 1e12, Number.NaN]),
        departments: Array.from({ length: i % 4 }, () => ({ code: pick(words) || 'D', ratioBp: pick([null, 5000]), weight: pick([undefined, null, 3]) })),
        people: Array.from({ length: i % 3 }, () => ({
          staffNo: pick(words) || 'S',
          departmentCode: pick([null, pick(words)]),
          role: pick(words),
          contributionBp: pick([null, 10000]),
          weight: pick([undefined, 2]),
        })),
      };
      const c = contentOf(s);
      expect(canonicalOf(c)).toBe(canonicalArrayOf(c));
    }
  });
});
