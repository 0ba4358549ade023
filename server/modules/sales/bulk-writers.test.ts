import { describe, expect, it } from 'vitest';
import { CopyText, copyText } from './bulk-copy-text.js';
import { copyPayload } from './bulk-writers.js';
import type { ResolvedSale } from './sales.resolve.js';

/** PostgreSQL's COPY text format read back (backslash escapes; `\N` alone is NULL). */
function copyField(f: string): string | null {
  if (f === '\\N') return null;
  return f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
}

describe('COPY text of the bulk path', () => {
  it('sends a value without backslash, tab or line end as it is (the fast path), non-ASCII included', () => {
    for (const s of ['', 'FS202611010001', '营销人员', 'é😀ＦＳ', 'N', 'a b', '"quoted"']) expect(copyText(s)).toBe(s);
  });

  it('escapes backslash, tab, newline and carriage return, so each reads back as written', () => {
    expect(copyText('a\tb')).toBe('a\\tb');
    expect(copyText('a\nb\r')).toBe('a\\nb\\r');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('C:\\dir')).toBe('C:\\\\dir');
    expect(copyText('营销\t人员\\')).toBe('营销\\t人员\\\\');
    for (const s of ['\\N', '\\', 'x\\ty', '\t\n\r\\', '营销\\人员\n😀', '\\\\N']) {
      const sent = copyText(s);
      expect(sent).not.toMatch(/[\t\n\r]/);
      expect(copyField(sent)).toBe(s);
    }
  });

  it('writes integers as String() does, NULL as \\N, text as UTF-8, and grows past its first buffer', () => {
    const ints = [0, 1, -1, 9, 10, 99, 100, 2_147_483_647, -2_147_483_648, 1e12, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1.5, -0];
    const t = new CopyText(8);
    for (const n of ints) t.int(n).tab();
    t.intOrNull(null).tab().text('营销\\人员😀').tab().raw('2026-11-02').end();
    expect(t.bytes().toString('utf8')).toBe(`${ints.map(String).join('\t')}\t\\N\t营销\\\\人员😀\t2026-11-02\n`);
    const big = new CopyText(64);
    for (let i = 0; i < 10_000; i++) big.int(i).tab().text(`名${i}`).end();
    expect(big.bytes().toString('utf8')).toBe(Array.from({ length: 10_000 }, (_, i) => `${i}\t名${i}\n`).join(''));
  });

  it('writes one line per sale, department and person, fields read back as given', () => {
    const sale = (sourceId: string, role: string, personId: number | null): ResolvedSale => ({
      input: {
        sourceId,
        productCode: 'P',
        idNumber: null,
        uscc: null,
        projectId: null,
        developmentCode: null,
        saleDate: '2026-11-02',
        quantity1e4: 15000,
        branchCode: null,
        hostDepartmentCode: null,
        departments: [],
        people: [],
      },
      fingerprint: 'ab'.repeat(32),
      productId: 3,
      personId,
      companyId: null,
      developmentId: null,
      hostDepartmentId: 11,
      nodeId: 5,
      departments: [
        { departmentId: 12, ratioBp: 6000, weight: null },
        { departmentId: 13, ratioBp: null, weight: 2 },
      ],
      people: [{ staffId: 21, departmentId: 12, role, contributionBp: null, weight: null }],
    });
    const p = copyPayload([sale('FS1', '营销\\人员', 9), sale('FS2', 'a\tb', null)], [101, 102], 7, new Map([[5, 2]]));
    const table = (bytes: Buffer) =>
      bytes
        .toString('utf8')
        .split('\n')
        .slice(0, -1)
        .map((l) => l.split('\t').map(copyField));
    expect(table(p.sales)).toEqual([
      ['101', 'FS1', '3', '9', null, null, null, '2026-11-02', '15000', '11', '5', 'ab'.repeat(32), '7', '2'],
      ['102', 'FS2', '3', null, null, null, null, '2026-11-02', '15000', '11', '5', 'ab'.repeat(32), '7', '2'],
    ]);
    expect(table(p.depts)).toEqual([
      ['101', '12', '6000', null, '2'],
      ['101', '13', null, '2', '2'],
      ['102', '12', '6000', null, '2'],
      ['102', '13', null, '2', '2'],
    ]);
    expect(table(p.people)).toEqual([
      ['101', '21', '12', '营销\\人员', null, null, '2'],
      ['102', '21', '12', 'a\tb', null, null, '2'],
    ]);
  });
});
