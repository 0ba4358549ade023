import { Readable } from 'node:stream';
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../../errors.js';
import { type CellRaw, cellText, normHeader } from './normalize.js';
import type { RowError } from './import-spec.js';
import { activeWindow, isTotalsRow, type MergeFill, mergedBlockError, planMerges } from './sheet-shape.js';
import { checkCsvRecord, countedPart, csvLimitError, csvLimitOptions, defaultUploadLimits, type GuardedUpload, guardUpload, type UploadLimits } from './upload-guard.js';
import { keepForLean, leanXlsxRows } from './xlsx-lean.js';

/** What the reader needs to know of a spec's columns. */
export interface SheetColumn {
  key: string;
  header: string;
  headerEn: string;
  aliases?: string[];
  required: boolean;
}

/** A column of the uploaded sheet: its original header, and the spec column it maps to. */
export interface SheetHeader {
  /** 0-based position in the sheet row. */
  index: number;
  header: string;
  key: string | null;
}

/** One data row: the sheet row number (1-based), cells by column key, and the original cells. */
export interface SheetRow {
  rowNumber: number;
  cells: Record<string, CellRaw>;
  /** The row's cells in the order of `headers`, as the user typed them (for the error report). */
  original: CellRaw[];
  /** What the sheet's shape says is wrong with the row (a merge across columns), before any parsing. */
  problems: RowError[];
}

/** A vertical merge whose top value was applied to the rows below it (named in the summary). */
export interface AppliedMerge {
  header: string;
  top: number;
  bottom: number;
}

export interface OpenedSheet {
  headerRow: number;
  headers: SheetHeader[];
  /** Headers we could not map but tolerate (序号, 备注 …). */
  ignored: string[];
  rows: AsyncGenerator<SheetRow>;
  /** Filled while `rows` is read: the row numbers of the 合计/小计/总计 rows skipped. */
  skippedTotals: number[];
  /** Filled while `rows` is read: the vertical merges applied. */
  appliedMerges: AppliedMerge[];
}

export type FileType = 'xlsx' | 'csv';

// Columns a bank's sheet often carries that no spec needs; our own error report adds the last two.
const IGNORABLE_HEADERS = new Set(['序号', 'no', 'no.', '编号', '备注', 'remark', '原行号', '错误说明', 'errors'].map((h) => normHeader(h)));
const HEADER_SCAN_ROWS = 30;

/** .xlsx or .csv by name, then by content; anything else (including old .xls) is refused. */
export function fileTypeOf(fileName: string, bytes: Buffer): FileType {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  if (isZip) return 'xlsx';
  const isOle = bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0;
  if (isOle)
    throw new AppError(
      'IMPORT.BAD_FILE',
      { reason: 'xls' },
      {
        zh: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入',
        en: 'Old .xls files are not supported; save the file as .xlsx in Excel first',
      },
    );
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  throw new AppError('IMPORT.BAD_FILE', { reason: 'type' });
}

/** Text of a CSV file: BOM stripped; UTF-8 when valid, otherwise GB18030 (Chinese Excel's "CSV"). */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

/** Flattens an exceljs cell value (rich text, formula, hyperlink, error) to a plain cell. */
export function flattenCell(v: unknown): CellRaw {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('result' in o) return flattenCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if ('text' in o) return flattenCell(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

interface RawRow {
  rowNumber: number;
  values: CellRaw[];
}

/** Decodes a byte stream to text without splitting a multi-byte character across chunks. */
async function* utf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

type ReaderInternals = {
  _parseWorksheet(iterable: AsyncIterable<Buffer | string>, sheetNo: string): AsyncGenerator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
};
const BaseReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable, options: object) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk on its own (TextDecoder without
 * `stream: true`), so a Chinese character falling on a chunk boundary becomes U+FFFD — about one
 * cell in ten thousand ("在职" read as "��职"). This subclass hands its XML parser text that was
 * decoded across chunk boundaries instead.
 */
class Utf8SafeWorkbookReader extends BaseReader {
  /** Set after construction: the inflated bytes of each part are counted against it (decision 0021). */
  limits: UploadLimits = defaultUploadLimits();
  override _parseWorksheet(iterable: AsyncIterable<Buffer | string>, sheetNo: string) {
    return super._parseWorksheet(utf8Chunks(countedPart(`xl/worksheets/sheet${sheetNo}.xml`, iterable, this.limits)), sheetNo);
  }
  override _parseSharedStrings(entry: NodeJS.ReadableStream) {
    const counted = countedPart('xl/sharedStrings.xml', entry as AsyncIterable<Buffer>, this.limits);
    const decoded = Readable.from(utf8Chunks(counted), { objectMode: true });
    return super._parseSharedStrings(decoded);
  }
}

/**
 * exceljs's streaming reader now and then loses the race between parsing xl/workbook.xml and
 * meeting the first worksheet ("Cannot read properties of undefined (reading 'sheets')"), more
 * often under load. The file is in memory, so a read that fails before its first row is simply
 * started again; a failure after rows were read is a real error.
 */
async function* xlsxRows(bytes: Buffer, limits: UploadLimits): AsyncGenerator<RawRow> {
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const row of xlsxRowsOnce(bytes, limits)) {
        yielded = true;
        yield row;
      }
      return;
    } catch (e) {
      if (yielded || attempt >= 5 || e instanceof AppError) throw e;
    }
  }
}

async function* xlsxRowsOnce(bytes: Buffer, limits: UploadLimits): AsyncGenerator<RawRow> {
  const reader = new Utf8SafeWorkbookReader(Readable.from(bytes), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // so date-formatted numbers arrive as Dates
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  reader.limits = limits;
  // Only the first worksheet holds data; a 填写说明 sheet after it is ignored.
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const r = row as unknown as { number: number; values: unknown[] };
      const values: CellRaw[] = [];
      // exceljs's row.values is 1-based and sparse.
      const src = Array.isArray(r.values) ? r.values : [];
      for (let i = 1; i < src.length; i++) values[i - 1] = flattenCell(src[i]);
      yield { rowNumber: r.number, values };
    }
    return;
  }
}

/** Which .xlsx reader: the lean one (falling back to exceljs for what it does not know), or exceljs only. */
export type XlsxReader = 'lean' | 'exceljs';

/**
 * The rows of an .xlsx: the lean reader over the parts the guard kept (decision 0052), or exceljs
 * when the lean reader does not know how exceljs would read the file (it says so by null).
 */
async function* xlsxRowsOf(bytes: Buffer, guarded: GuardedUpload, limits: UploadLimits, reader: XlsxReader): AsyncGenerator<RawRow> {
  const lean = reader === 'lean' && guarded.parts && guarded.order ? await leanXlsxRows(guarded.parts, guarded.order, guarded.oddXml ?? new Set()) : null;
  if (guarded.parts) guarded.parts.clear();
  if (lean) {
    yield* lean;
    return;
  }
  yield* xlsxRows(bytes, limits);
}

/** The most frequent of tab, semicolon and comma in the first 64 KB (the bulk sales path reuses it). */
export function csvDelimiter(text: string): string {
  const head = text.slice(0, 65536);
  const count = (c: string) => head.split(c).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  const semis = count(';');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

/** Rows of a CSV; a record over the line cap or a cell over 32,767 characters is refused (decision 0021). */
async function* csvRows(bytes: Buffer, limits: UploadLimits): AsyncGenerator<RawRow> {
  const text = decodeText(bytes);
  const parser = Readable.from([text]).pipe(parseCsv({ delimiter: csvDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, ...csvLimitOptions(limits) }));
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n += 1;
      checkCsvRecord(record, n, limits);
      yield { rowNumber: n, values: record.map((v) => (v === '' ? null : v)) };
    }
  } catch (e) {
    throw csvLimitError(e, limits);
  } finally {
    parser.destroy();
  }
}

function headerIndex(columns: SheetColumn[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of columns) {
    for (const h of [c.header, c.headerEn, ...(c.aliases ?? [])]) map.set(normHeader(h), c.key);
  }
  return map;
}

/** How many of a row's cells name a spec column. */
function headerMatches(values: CellRaw[], index: Map<string, string>): Set<string> {
  const keys = new Set<string>();
  for (const v of values) {
    const key = index.get(normHeader(v));
    if (key) keys.add(key);
  }
  return keys;
}

/**
 * Opens the first sheet of an .xlsx or the rows of a .csv and finds the header row: the first row
 * naming at least half of the spec's columns (or all required ones), so merged title rows such as
 * "佛山分行员工花名册（2026年10月）" above it are skipped. Missing required columns and columns we
 * do not know are a file-level IMPORT.NO_HEADER naming them.
 */
export async function openSheet(input: { bytes: Buffer; fileName: string; reader?: XlsxReader }, columns: SheetColumn[], limits: UploadLimits = defaultUploadLimits()): Promise<OpenedSheet> {
  const type = fileTypeOf(input.fileName, input.bytes);
  const reader = input.reader ?? 'lean';
  // Before anything parses it: what the file expands to (decision 0021); the guard keeps the
  // inflated parts the lean reader reads.
  const guarded = await guardUpload(type, input.bytes, limits, reader === 'lean' ? keepForLean : undefined).catch((e: unknown) => {
    throw asBadFile(e);
  });
  const source = type === 'xlsx' ? xlsxRowsOf(input.bytes, guarded, limits, reader) : csvRows(input.bytes, limits);
  const index = headerIndex(columns);
  const required = columns.filter((c) => c.required).map((c) => c.key);
  const half = Math.ceil(columns.length / 2);

  let header: RawRow | undefined;
  // The row that came closest, so a sheet with too few known headers still hears which are missing.
  let best: { row: RawRow; matches: number } | undefined;
  let scanned = 0;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      const keys = headerMatches(next.value.values, index);
      if (keys.size >= half || (keys.size >= 2 && required.every((k) => keys.has(k)))) {
        header = next.value;
        break;
      }
      if (keys.size > (best?.matches ?? 0)) best = { row: next.value, matches: keys.size };
      if (++scanned >= HEADER_SCAN_ROWS) break;
    }
  } catch (e) {
    throw asBadFile(e);
  }
  if (!header && !best) {
    const missing = columns.filter((c) => c.required).map((c) => c.header);
    throw new AppError(
      'IMPORT.NO_HEADER',
      { missing, unknown: [] },
      {
        zh: `未找到表头行，请使用下载的模板（必填列：${missing.join('、')}）`,
        en: `No header row found; use the downloaded template (required columns: ${missing.join(', ')})`,
      },
    );
  }
  header ??= best!.row;

  const headers: SheetHeader[] = [];
  const ignored: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  header.values.forEach((v, i) => {
    const text = cellText(v);
    if (text === null) return;
    const norm = normHeader(v);
    const key = index.get(norm) ?? null;
    if (key && !seen.has(key)) {
      seen.add(key);
      headers.push({ index: i, header: text, key });
    } else if (key || IGNORABLE_HEADERS.has(norm)) {
      headers.push({ index: i, header: text, key: null });
      ignored.push(text);
    } else {
      unknown.push(text);
    }
  });
  const missing = columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
  if (missing.length > 0 || unknown.length > 0) {
    const parts: { zh: string[]; en: string[] } = { zh: [], en: [] };
    if (missing.length) {
      parts.zh.push(`缺少必填列：${missing.join('、')}`);
      parts.en.push(`missing required columns: ${missing.join(', ')}`);
    }
    if (unknown.length) {
      parts.zh.push(`无法识别的列：${unknown.join('、')}`);
      parts.en.push(`unknown columns: ${unknown.join(', ')}`);
    }
    throw new AppError(
      'IMPORT.NO_HEADER',
      { headerRow: header.rowNumber, missing, unknown },
      {
        zh: `表头不符合模板（第${header.rowNumber}行）：${parts.zh.join('；')}`,
        en: `The header row (row ${header.rowNumber}) does not match the template: ${parts.en.join('; ')}`,
      },
    );
  }

  const requiredAt = headers.filter((h) => h.key !== null && required.includes(h.key));
  const plan = planMerges(guarded.merges, header.rowNumber, headers);
  const fillsAt = activeWindow(plan.fills, (f) => f);
  const blocksAt = activeWindow(plan.blocks, (b) => b.range);
  const topValues = new Map<MergeFill, CellRaw>();
  const applied = new Map<MergeFill, AppliedMerge>();
  const skippedTotals: number[] = [];
  const appliedMerges: AppliedMerge[] = [];

  async function* rows(): AsyncGenerator<SheetRow> {
    try {
      for await (const raw of source) {
        // A 合计/小计/总计 row sums the rows above it: skipped and counted (sheet-shape.ts).
        if (isTotalsRow(raw.values, requiredAt)) {
          skippedTotals.push(raw.rowNumber);
          continue;
        }
        // A blank row stays blank: a merge running down over empty rows does not make them records.
        const blank = headers.every((h) => cellText(raw.values[h.index] ?? null) === null);
        for (const f of fillsAt(raw.rowNumber)) {
          if (raw.rowNumber === f.top) topValues.set(f, raw.values[f.index] ?? null);
          else if (!blank && cellText(raw.values[f.index] ?? null) === null && cellText(topValues.get(f) ?? null) !== null) {
            raw.values[f.index] = topValues.get(f)!;
            const a = applied.get(f) ?? { header: f.header, top: f.top, bottom: raw.rowNumber };
            if (!applied.has(f)) {
              applied.set(f, a);
              appliedMerges.push(a);
            }
            a.bottom = raw.rowNumber;
          }
        }
        const original = headers.map((h) => raw.values[h.index] ?? null);
        if (original.every((v) => cellText(v) === null)) continue;
        const cells: Record<string, CellRaw> = {};
        headers.forEach((h, i) => {
          if (h.key) cells[h.key] = original[i];
        });
        yield { rowNumber: raw.rowNumber, cells, original, problems: blocksAt(raw.rowNumber).map(mergedBlockError) };
      }
    } catch (e) {
      throw asBadFile(e);
    }
  }
  return { headerRow: header.rowNumber, headers, ignored, rows: rows(), skippedTotals, appliedMerges };
}

function asBadFile(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('IMPORT.BAD_FILE', { reason: (e as Error)?.message?.slice(0, 200) });
}

/**
 * A cheap estimate of the data rows, for a progress bar before the file has been read: the
 * `<dimension>` of the first worksheet (Excel writes it near the top), or the line count of a CSV.
 * 0 when unknown.
 */
export function estimateRows(fileName: string, bytes: Buffer): number {
  try {
    const type = fileTypeOf(fileName, bytes);
    if (type === 'csv') {
      let n = 0;
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
      return n;
    }
    const sig = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    for (let pos = bytes.indexOf(sig); pos !== -1 && pos + 30 <= bytes.length; pos = bytes.indexOf(sig, pos + 4)) {
      const method = bytes.readUInt16LE(pos + 8);
      const nameLen = bytes.readUInt16LE(pos + 26);
      const extraLen = bytes.readUInt16LE(pos + 28);
      const name = bytes.toString('utf8', pos + 30, pos + 30 + nameLen);
      if (!/^xl\/worksheets\/sheet\d*\.xml$/.test(name)) continue;
      const start = pos + 30 + nameLen + extraLen;
      const slice = bytes.subarray(start, start + 16 * 1024);
      // Bounded: 16 KB of a bomb could otherwise inflate to 16 MB here, before the guard has run.
      const xml = (method === 0 ? slice : inflateRawSync(slice, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 })).toString('utf8', 0, 4096);
      const m = /<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(xml);
      return m ? Number(m[1]) : 0;
    }
  } catch {
    // an estimate only
  }
  return 0;
}

/** Every raw row of an .xlsx's first sheet with the reader named (tests compare the two readers). */
export async function xlsxRawRows(bytes: Buffer, reader: XlsxReader, limits: UploadLimits = defaultUploadLimits()): Promise<{ rowNumber: number; values: CellRaw[] }[]> {
  const guarded = await guardUpload('xlsx', bytes, limits, reader === 'lean' ? keepForLean : undefined);
  const out: RawRow[] = [];
  for await (const r of xlsxRowsOf(bytes, guarded, limits, reader)) out.push(r);
  return out;
}

/** Whether the lean reader reads this .xlsx itself (true) or leaves it to exceljs (false). */
export async function leanReads(bytes: Buffer, limits: UploadLimits = defaultUploadLimits()): Promise<boolean> {
  const guarded = await guardUpload('xlsx', bytes, limits, keepForLean);
  return (await leanXlsxRows(guarded.parts!, guarded.order!, guarded.oddXml!)) !== null;
}
