import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { safeCell, safeValue } from './safe-cell.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel refuses sheet names over 31 characters or containing []:*?/\ . */
export function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
}

/**
 * Streams rows into an .xlsx held in memory: bold, frozen header row with an autofilter.
 * Rows are committed one by one, so a 100 k-row export never holds its cell objects at once.
 */
export async function writeXlsx(
  sheetName: string,
  columns: { header: string; key: string; width?: number }[],
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(safeSheetName(sheetName), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } };
  ws.columns = columns.map((c) => ({ header: safeCell(c.header), key: c.key, width: c.width ?? 14 }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.commit();
  for await (const r of rows as AsyncIterable<Record<string, unknown>>) {
    const values: Record<string, unknown> = {};
    for (const c of columns) values[c.key] = excelValue(r[c.key]);
    ws.addRow(values).commit();
  }
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** What a cell can hold: bigints and objects become text, undefined an empty cell. */
function excelValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object' && !(v instanceof Date)) return safeCell(JSON.stringify(v));
  return safeValue(v);
}

/**
 * Sends an .xlsx as a download. The RFC 5987 `filename*` carries the Chinese name (员工.xlsx);
 * the plain `filename` is an ASCII fallback for old clients.
 */
export function sendXlsx(reply: FastifyReply, fileName: string, buffer: Buffer) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRFC5987(fileName)}`)
    .header('cache-control', 'no-store')
    .send(buffer);
}

function encodeRFC5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
