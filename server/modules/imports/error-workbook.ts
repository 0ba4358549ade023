import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describeError, type ImportColumn, type RowError } from './import-spec.js';
import type { CellRaw } from './normalize.js';
import type { SheetHeader } from './sheet-reader.js';
import { safeCell, safeValue } from '../../xlsx/safe-cell.js';
import { safeSheetName } from '../../xlsx/xlsx.js';

/** A row that failed, as the user wrote it. */
export interface FailedRow {
  rowNumber: number;
  original: CellRaw[];
  errors: RowError[];
}

const LIGHT_RED = 'FFFFC7CE';
const DARK_RED = 'FF9C0006';

/**
 * The error report of an import (SPEC §14): the rows that failed with their original columns and
 * values, the bad cells filled light red, and a 错误说明 column saying what is wrong cell by cell
 * (`第5行 手机号：应为11位手机号码`). The user fixes it and imports it again — 原行号 and 错误说明
 * are ignored on re-import.
 */
export async function errorWorkbook(opts: { sheetName: string; columns: ImportColumn[]; headers: SheetHeader[]; rows: FailedRow[] }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(safeSheetName(`${opts.sheetName}-错误报告`), { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  // Keep the user's own headers; columns never mapped (ignored ones such as 序号) stay as they were.
  const headers = opts.headers.filter((h) => h.header !== '原行号' && h.header !== '错误说明');
  ws.columns = [
    { header: '原行号', key: '__row', width: 8 },
    ...headers.map((h, i) => ({ header: safeCell(h.header), key: `c${i}`, width: widthOf(opts.columns, h) })),
    { header: '错误说明', key: '__errors', width: 60 },
  ];
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.commit();
  const position = new Map(headers.map((h, i) => [h.key, i]));
  const keep = headers.map((h) => opts.headers.indexOf(h));
  for (const r of opts.rows) {
    const values: Record<string, unknown> = { __row: r.rowNumber };
    keep.forEach((src, i) => {
      // The user's own cells, neutralised and never longer than Excel holds (decision 0021).
      values[`c${i}`] = safeValue(r.original[src] ?? null);
    });
    values.__errors = safeCell(r.errors.map((e) => describeError(opts.columns, r.rowNumber, e, 'zh', opts.headers)).join('\n'));
    const row = ws.addRow(values);
    for (const e of r.errors) {
      const i = e.column === null ? undefined : position.get(e.column);
      if (i === undefined) continue;
      const cell = row.getCell(i + 2);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LIGHT_RED } };
      cell.font = { color: { argb: DARK_RED } };
    }
    row.getCell(headers.length + 2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(headers.length + 2).font = { color: { argb: DARK_RED } };
    row.commit();
  }
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

function widthOf(columns: ImportColumn[], h: SheetHeader): number {
  return columns.find((c) => c.key === h.key)?.width ?? Math.max(10, h.header.length * 2 + 2);
}
