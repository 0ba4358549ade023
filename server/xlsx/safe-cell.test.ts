import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { errorWorkbook } from '../modules/imports/error-workbook.js';
import { neutraliseWorkbook, safeCell, safeValue } from './safe-cell.js';
import { writeXlsx } from './xlsx.js';

describe('safeCell: export cells a spreadsheet would take for a formula (issue 10, finding 3c)', () => {
  it('prefixes = + - @ tab and CR with an apostrophe; leaves numbers-as-text and plain text', () => {
    for (const s of ['=1+1', '=HYPERLINK("http://evil","x")', '+cmd', "-2+3+cmd|' /C calc'!A0", '@SUM(A1)', '\t=1', '\r=1', '-', '+']) {
      expect(safeCell(s)).toBe(`'${s}`);
    }
    for (const s of ['张三', 'a=b', '-12.5', '+8613800138000', '12', '', ' =1']) expect(safeCell(s)).toBe(s);
    expect(safeValue(-5)).toBe(-5);
    expect(safeValue(null)).toBe(null);
    expect(safeCell('x'.repeat(40_000))).toHaveLength(32_767);
  });

  it('applies in writeXlsx, in the error workbook and to a whole in-memory workbook', async () => {
    const read = async (buf: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
      return wb.worksheets[0];
    };
    const out = await read(
      await writeXlsx(
        't',
        [
          { header: '姓名', key: 'name' },
          { header: 'n', key: 'n' },
        ],
        [{ name: '=1+2', n: -3 }],
      ),
    );
    expect(out.getRow(2).values).toEqual([undefined, "'=1+2", -3]);

    const report = await read(
      await errorWorkbook({
        sheetName: 's',
        columns: [],
        headers: [
          { index: 0, header: '@head', key: null },
          { index: 1, header: 'b', key: null },
        ],
        rows: [{ rowNumber: 2, original: ['=cmd()', 'y'.repeat(40_000)], errors: [{ column: null, zh: 'x', en: 'x' }] }],
      }),
    );
    expect(report.getRow(1).getCell(2).value).toBe("'@head");
    expect(report.getRow(2).getCell(2).value).toBe("'=cmd()");
    expect(String(report.getRow(2).getCell(3).value)).toHaveLength(32_767);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('a');
    ws.addRow(['+x', 1, { richText: [{ text: '=y' }] }]);
    neutraliseWorkbook(wb);
    expect(ws.getRow(1).getCell(1).value).toBe("'+x");
    expect(ws.getRow(1).getCell(2).value).toBe(1);
    expect(ws.getRow(1).getCell(3).value).toEqual({ richText: [{ text: "'=y" }] });
  });
});
