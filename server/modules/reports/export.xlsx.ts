import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { safeSheetName } from '../../xlsx/xlsx.js';
import { safeValue } from '../../xlsx/safe-cell.js';
import type { ColumnUnit } from './export.columns.js';

/**
 * The report export's workbook (issue 16 part B), streamed: exceljs' streaming WorkbookWriter
 * writes each row to the output as it is committed, with no shared-strings table, so a
 * 1,000,000-row detail sheet never holds its rows in memory (bench/reports.ts measures the RSS).
 * Integers become numbers only for display, with the unit's number format: points and 元 with two
 * decimals, rates as percentages, quantities with up to four decimals.
 */
export interface XlsxColumn {
  key: string;
  header: string;
  unit: ColumnUnit;
  width?: number;
}

export interface XlsxSheet {
  name: string;
  /** Lines above the header (title, period, scope). */
  caption?: string[];
  columns: XlsxColumn[];
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
}

const FORMAT: Partial<Record<ColumnUnit, string>> = { hundredths: '#,##0.00', fen: '#,##0.00', bp: '0.00%', e4: '#,##0.####', count: '#,##0' };
const SCALE: Partial<Record<ColumnUnit, number>> = { hundredths: 100, fen: 100, bp: 10_000, e4: 10_000 };

/** A snapshot integer as the number a spreadsheet shows (display only: the figure itself stays an integer in the database and the issue). */
function cell(unit: ColumnUnit, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && SCALE[unit]) return v / SCALE[unit];
  if (typeof v === 'bigint') return v.toString();
  return safeValue(v);
}

/** Bytes a sheet may have queued ahead of the zip's compressor before the writer waits for it. */
const ZIP_BACKLOG = 4 * 2 ** 20;

/**
 * Waits until the zip and the output have caught up. exceljs' sheet stream hands its 64 KB
 * buffers to the zip entry without waiting (StreamBuf in batch mode ignores back-pressure), so
 * rows made faster than deflate compresses them pile up outside the JS heap — 646 MB for the
 * 1,000,000-row bench with a wait on the output alone. The entry's own queue is the measure.
 */
async function drained(ws: unknown, out: Writable): Promise<void> {
  // The entry is archiver's PassThrough from readable-stream 2, which has no writableLength.
  const entry = (ws as { stream?: { pipes?: (Writable & { _writableState?: { length: number } })[] } }).stream?.pipes?.[0];
  while (entry && (entry._writableState?.length ?? 0) > ZIP_BACKLOG) await once(entry, 'drain');
  if (out.writableNeedDrain) await once(out, 'drain');
  else await tick();
}

/** Writes the sheets to `out` as an .xlsx, row by row; resolves when the workbook is complete. Returns the rows written per sheet. */
export async function streamWorkbook(out: Writable, sheets: XlsxSheet[]): Promise<number[]> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const counts: number[] = [];
  for (const s of sheets) {
    const skip = s.caption?.length ?? 0;
    const ws = wb.addWorksheet(safeSheetName(s.name), { views: [{ state: 'frozen', ySplit: skip + 1 }] });
    ws.columns = s.columns.map((c) => ({ key: c.key, width: c.width ?? (c.unit === 'text' ? 18 : 14), style: FORMAT[c.unit] ? { numFmt: FORMAT[c.unit] } : {} }));
    for (const line of s.caption ?? []) {
      const r = ws.addRow([safeValue(line)]);
      r.font = { bold: true };
      r.commit();
    }
    const header = ws.addRow(s.columns.map((c) => safeValue(c.header)));
    header.font = { bold: true };
    header.commit();
    let n = 0;
    for await (const r of s.rows as AsyncIterable<Record<string, unknown>>) {
      ws.addRow(s.columns.map((c) => cell(c.unit, r[c.key]))).commit();
      // Let the zip and the output drain: a committed row is only queued, and rows made faster
      // than they are written would pile up in memory (the 1,000,000-row bench measured 720 MB
      // without this). Wait for the output when it asks to, else yield to the event loop.
      if (++n % 500 === 0) await drained(ws, out);
    }
    ws.commit();
    counts.push(n);
  }
  await wb.commit();
  return counts;
}
