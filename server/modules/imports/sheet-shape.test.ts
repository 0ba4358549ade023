import { describe, expect, it } from 'vitest';
import { activeWindow, isTotalsRow, isTotalWord, mergedBlockError, parseRange, planMerges } from './sheet-shape.js';

describe('totals rows (合计/小计/总计)', () => {
  const required = [{ index: 1 }, { index: 2 }];
  it('knows the words, with blanks and a colon', () => {
    for (const w of ['合计', '小计', '总计', '合　计', ' 总 计 ', '合计：']) expect(isTotalWord(w), w).toBe(true);
    for (const w of ['合计金额', '合', 12, null, '小计A']) expect(isTotalWord(w as string), String(w)).toBe(false);
  });
  it('is a row saying 合计 that lacks a key field, wherever the word stands', () => {
    expect(isTotalsRow(['合计', null, null, 1234], required)).toBe(true);
    expect(isTotalsRow([null, '小计', null, 1234], required)).toBe(true);
    // The word in a required column does not fill it.
    expect(isTotalsRow([null, '总计', 'X', 1234], required)).toBe(true);
    // Every key field filled: a record, even one whose remark says 合计.
    expect(isTotalsRow(['合计', 'A1', 'B1', 1234], required)).toBe(false);
    expect(isTotalsRow([null, null, null, 1234], required)).toBe(false);
  });
});

describe('merged cells', () => {
  const headers = [
    { index: 0, header: '序号', key: null },
    { index: 1, header: '机构号', key: 'branchCode' },
    { index: 2, header: '参与部门', key: 'departments' },
    { index: 3, header: '营销人员', key: 'people' },
  ];
  it('reads ranges', () => {
    expect(parseRange('B5:B7')).toEqual({ ref: 'B5:B7', top: 5, left: 1, bottom: 7, right: 1 });
    expect(parseRange('AA10:AB12')).toMatchObject({ left: 26, right: 27 });
    expect(parseRange('B5')).toBeNull();
  });
  it('applies a vertical merge of one column, refuses one across columns, ignores the title and the header', () => {
    const plan = planMerges(['A1:D1', 'B2:B3', 'B5:B7', 'C9:D9', 'A4:A6'], 2, headers);
    expect(plan.fills).toEqual([{ index: 1, header: '机构号', top: 5, bottom: 7 }]);
    expect(plan.blocks).toHaveLength(1);
    expect(mergedBlockError(plan.blocks[0])).toEqual({
      column: 'departments',
      code: 'IMPORT.MERGED_CELL',
      zh: 'C9:D9 是跨列合并的单元格（合并自第9行，涉及 参与部门、营销人员），请取消合并后每列分别填写',
      en: 'C9:D9 is merged across columns (from row 9: 参与部门, 营销人员); unmerge it and fill each column',
    });
  });
  it('walks the ranges covering each row as rows go by', () => {
    const at = activeWindow(
      [
        { top: 3, bottom: 4 },
        { top: 4, bottom: 6 },
      ],
      (r) => r,
    );
    expect([2, 3, 4, 5, 7].map((row) => at(row).length)).toEqual([0, 1, 2, 1, 0]);
  });
});
