import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { ImportColumn } from './import-spec.js';
import { safeCell, safeValue, workbookBuffer } from './safe-cell.js';

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

const RED = 'FFC00000';

/**
 * The import template of a list (SPEC §14): Chinese headers (required ones in red), one example
 * row, code and phone columns formatted as text so Excel keeps leading zeros, and a 填写说明 sheet
 * explaining every column.
 */
export async function templateWorkbook(spec: { labelZh: string; columns: ImportColumn[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  const ws = wb.addWorksheet(safeSheetName(spec.labelZh), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(12, c.header.length * 3) }));
  spec.columns.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.font = { bold: true, color: { argb: c.required ? RED : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    if (c.note) cell.note = c.note.zh;
    if (c.text) ws.getColumn(i + 1).numFmt = '@';
  });
  ws.addRow(Object.fromEntries(spec.columns.map((c) => [c.key, c.text ? String(c.example) : c.example])));

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 14 },
    { header: 'Column', key: 'headerEn', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写说明', key: 'note', width: 60 },
    { header: '示例', key: 'example', width: 20 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of spec.columns) {
    help.addRow({ header: c.header, headerEn: c.headerEn, required: c.required ? '必填' : '选填', note: c.note?.zh ?? c.invalid.zh, example: String(c.example) });
  }
  help.addRow({});
  for (const line of [
    '1. 请在第一个工作表中填写数据，表头须与模板一致（红色为必填列）；表头上方可保留标题行。',
    '2. 以“工号”“机构号”等代码为唯一标识：已存在的记录将被更新，不存在的将新增；内容未变化的行不做任何修改。',
    '3. 文件中任一行有误时默认不导入任何数据，可下载错误报告修改后重新导入；也可选择“仅导入正确的行”。',
    '4. 支持 .xlsx 与 .csv（UTF-8 或 GBK 编码）。',
  ]) {
    help.addRow({ header: line });
  }
  return workbookBuffer(wb);
}
