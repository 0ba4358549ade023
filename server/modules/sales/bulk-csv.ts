import type { Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { type CellRaw, cellText } from '../imports/normalize.js';
import { csvDelimiter, openSheet, type SheetHeader } from '../imports/sheet-reader.js';
import { checkCsvRecord, csvLimitError, csvLimitOptions, type UploadLimits } from '../imports/upload-guard.js';
import { salesSpec } from './sales.import.js';

/**
 * Reading a sales CSV for the bulk path (sales.bulk.ts): the encoding and header row decided as the
 * framework's reader decides them, then the data rows streamed in batches, never the whole file.
 */

export const HEAD_BYTES = 256 * 1024;
// Small blocks: each read is a turn of the event loop, which keeps the previous chunk's COPY flowing.
const READ_CHUNK = 64 * 1024;

/** The file turned out not to be UTF-8 after all: read it again as GB18030. */
export class NotUtf8 extends Error {}

export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface FileHead {
  encoding: Encoding;
  delimiter: string;
  headerRow: number;
  headers: SheetHeader[];
  size: number;
  limits: UploadLimits;
}

/**
 * The encoding as the framework decides it (sheet-reader decodeText): a UTF-16 BOM, else UTF-8
 * when valid, else GB18030 (Chinese Excel's "CSV"). Here only the head is checked; a file that
 * proves invalid UTF-8 further down is read again as GB18030 (NotUtf8).
 */
function sniffEncoding(head: Buffer): Encoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Reads the head of the file and finds the header row with the framework's own rules (openSheet:
 * title rows skipped, missing or unknown columns refused by name), so a CSV the console accepts is
 * accepted here and refused in the same words.
 */
export function readHead(file: string, headBytes: number, limits: UploadLimits, encoding?: Encoding): Promise<FileHead> {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(Math.min(size, headBytes));
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const enc = encoding ?? sniffEncoding(buf);
  const text = new TextDecoder(enc).decode(buf, { stream: true });
  // Cut at the last line end so the header scan never sees half a record.
  const whole = buf.length === size;
  const cut = whole ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return openSheet({ bytes: Buffer.from(cut, 'utf8'), fileName: 'head.csv' }, salesSpec.columns, limits).then((sheet) => ({
    encoding: enc,
    delimiter: csvDelimiter(text),
    headerRow: sheet.headerRow,
    headers: sheet.headers,
    size,
    limits,
  }));
}

/** The file as text, in order, hashing the raw bytes as they pass. */
async function* decodedText(file: string, encoding: Encoding, hash: Hash, onBytes: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new NotUtf8();
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    onBytes(bytes.length);
    const text = decode(bytes);
    if (text) yield text;
  }
  const tail = decode();
  if (tail) yield tail;
}

/** A data row of the file: its number as the framework counts it, its cells by column key, the record. */
export interface FileRow {
  rowNumber: number;
  cells: Record<string, CellRaw>;
  record: string[];
}

/** Whether the row's cell under this header starts with a visible ASCII character (`this`: the record). */
function startsVisible(this: string[], h: SheetHeader): boolean {
  const c = this[h.index]?.charCodeAt(0) ?? 0;
  return c > 0x20 && c < 0x7f;
}

/** A row's cells in the order of the header, as the user typed them (the error workbook's columns). */
export function originalOf(head: FileHead, record: string[]): CellRaw[] {
  return head.headers.map((h) => record[h.index] || null);
}

/**
 * The data rows after the header, as openSheet yields them (same parser options, same numbering),
 * in batches as the parser hands them over: one await per block of the file, none per row.
 */
export async function* rowBatches(file: string, head: FileHead, hash: Hash, onBytes: (n: number) => void): AsyncGenerator<FileRow[]> {
  // The same line and cell caps as the framework's reader (decision 0021): a record over the cap
  // is refused as IMPORT.LINE_TOO_LONG before csv-parse buffers more of it.
  const parser = parseCsv({ delimiter: head.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, ...csvLimitOptions(head.limits) });
  const keyed = head.headers.flatMap((h) => (h.key ? [{ key: h.key, index: h.index }] : []));
  let batch: FileRow[] = [];
  let failure: unknown = null;
  let n = 0;
  parser.on('error', (e) => (failure ??= csvLimitError(e, head.limits)));
  parser.on('data', (record: string[]) => {
    n += 1;
    if (failure) return;
    try {
      checkCsvRecord(record, n, head.limits);
    } catch (e) {
      failure = e;
      return;
    }
    if (n <= head.headerRow) return;
    // A row is skipped when every cell is blank; a cell starting with a visible ASCII character is
    // never blank (cellText only trims blanks), so most rows are decided by their first cell.
    if (!head.headers.some(startsVisible, record) && head.headers.every((h) => cellText(record[h.index] || null) === null)) return;
    const cells: Record<string, CellRaw> = {};
    for (const k of keyed) cells[k.key] = record[k.index] || null;
    batch.push({ rowNumber: n, cells, record });
  });
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('error', () => resolve()));
  const take = () => {
    if (failure) throw failure;
    const out = batch;
    batch = [];
    return out;
  };
  for await (const text of decodedText(file, head.encoding, hash, onBytes)) {
    parser.write(text);
    const rows = take();
    if (rows.length) yield rows;
  }
  parser.end();
  await ended;
  const rows = take();
  if (rows.length) yield rows;
}
