import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { type Config, loadConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { EXCEL_MAX_CELL_CHARS } from '../../xlsx/safe-cell.js';

/**
 * What an upload may expand to (issue 10 finding 4, decision 0021). A 415 KB .xlsx whose one
 * shared string inflates to 400 MB took the server to 3.2 GB inside exceljs; every upload path
 * (the import framework, the bulk sales CSV path, the CLI) now goes through this guard first:
 * nothing reaches exceljs or csv-parse that could expand past these limits.
 */
export interface UploadLimits {
  /** Uncompressed bytes of any one part of an .xlsx: declared in the zip directory and counted. */
  maxPartBytes: number;
  /** Entries of xl/sharedStrings.xml. */
  maxSharedStrings: number;
  /** Characters of one CSV record (line, or lines inside quotes). */
  maxLineChars: number;
  /** Characters of one cell: Excel's own limit. */
  maxCellChars: number;
}

export { EXCEL_MAX_CELL_CHARS };
/** No tag of a spreadsheet's XML is anywhere near this long; a longer one is an attack. */
const MAX_TAG_BYTES = 64 * 1024;
/** More entries than any workbook has. */
const MAX_ENTRIES = 10_000;
/** Merged ranges kept of one worksheet (the reader reports them; more are not kept). */
const MAX_MERGES = 10_000;

export function uploadLimitsOf(config: Pick<Config, 'IMPORT_MAX_PART_MB' | 'IMPORT_MAX_SHARED_STRINGS' | 'IMPORT_MAX_LINE_KB'>): UploadLimits {
  return {
    maxPartBytes: Math.round(config.IMPORT_MAX_PART_MB * 1024 * 1024),
    maxSharedStrings: config.IMPORT_MAX_SHARED_STRINGS,
    maxLineChars: Math.round(config.IMPORT_MAX_LINE_KB * 1024),
    maxCellChars: EXCEL_MAX_CELL_CHARS,
  };
}

let fromEnv: UploadLimits | undefined;
/** The limits of this process's environment (the CLI, tests): the server passes its own config's. */
export function defaultUploadLimits(): UploadLimits {
  if (!fromEnv) {
    let config: Config;
    try {
      config = loadConfig();
    } catch {
      config = loadConfig({});
    }
    fromEnv = uploadLimitsOf(config);
  }
  return fromEnv;
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

function partTooLarge(part: string, limits: UploadLimits, how: 'declared' | 'inflated'): AppError {
  const maxMb = mb(limits.maxPartBytes);
  return new AppError(
    'IMPORT.PART_TOO_LARGE',
    { part, maxMb, how },
    {
      zh: `文件中的 ${part} 解压后超过 ${maxMb} MB 上限，已拒绝（疑似压缩炸弹）`,
      en: `The part ${part} of the file expands to more than ${maxMb} MB; refused (a suspected decompression bomb)`,
    },
  );
}

/** Where an oversize text sits: a worksheet cell, a shared string, or a part. */
function cellTooLong(part: string, where: { cell?: string; string?: number }, limits: UploadLimits): AppError {
  const max = limits.maxCellChars;
  const zhWhere = where.cell ? `${part} 的单元格 ${where.cell}` : where.string ? `${part} 的第 ${where.string} 个共享字符串` : part;
  const enWhere = where.cell ? `cell ${where.cell} of ${part}` : where.string ? `shared string ${where.string} of ${part}` : `a text of ${part}`;
  return new AppError(
    'IMPORT.CELL_TOO_LONG',
    { part, ...where, maxChars: max },
    {
      zh: `${zhWhere}超过 Excel 单元格上限 ${max} 个字符，已拒绝`,
      en: `${enWhere} holds more than Excel’s limit of ${max} characters; refused`,
    },
  );
}

function tooManyStrings(part: string, limits: UploadLimits): AppError {
  const max = limits.maxSharedStrings;
  return new AppError(
    'IMPORT.TOO_MANY_STRINGS',
    { part, max },
    {
      zh: `${part} 的共享字符串超过 ${max} 个上限，已拒绝`,
      en: `${part} holds more than ${max} shared strings; refused`,
    },
  );
}

const badZip = (reason: string) => new AppError('IMPORT.BAD_FILE', { reason }, { zh: `文件不是有效的 .xlsx（${reason}）`, en: `The file is not a valid .xlsx (${reason})` });

export function lineTooLong(line: number | undefined, limits: UploadLimits): AppError {
  const kb = Math.round(limits.maxLineChars / 1024);
  return new AppError(
    'IMPORT.LINE_TOO_LONG',
    { line, maxKb: kb },
    {
      zh: `${line ? `第${line}行` : '文件中有一行'}超过 ${kb} KB 的长度上限（可能缺少配对的引号），已拒绝`,
      en: `${line ? `Line ${line}` : 'A line'} is longer than ${kb} KB (perhaps an unclosed quote); refused`,
    },
  );
}

/** Spreadsheet-style column letters of a 0-based index (0 → A, 26 → AA). */
function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A parsed CSV record: refused when a cell is longer than Excel would hold (row 1-based). */
export function checkCsvRecord(record: readonly string[], row: number, limits: UploadLimits): void {
  for (let i = 0; i < record.length; i++) {
    if (record[i].length > limits.maxCellChars) throw cellTooLong('CSV', { cell: `${columnLetters(i)}${row}` }, limits);
  }
}

/** csv-parse's options that enforce the line cap (its max_record_size counts characters). */
export function csvLimitOptions(limits: UploadLimits) {
  return { max_record_size: limits.maxLineChars };
}

/** csv-parse's own error for a record over the cap, as IMPORT.LINE_TOO_LONG; anything else unchanged. */
export function csvLimitError(e: unknown, limits: UploadLimits): unknown {
  const err = e as { code?: string; lines?: number };
  if (err?.code === 'CSV_MAX_RECORD_SIZE') return lineTooLong(err.lines, limits);
  return e;
}

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

/** The entries of the zip's central directory; structural nonsense is IMPORT.BAD_FILE. */
function centralDirectory(bytes: Buffer): { entries: ZipEntry[]; cdOffset: number } {
  const min = Math.max(0, bytes.length - 22 - 65_535);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw badZip('no zip directory');
  const count = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  // Zip64 is for archives over 4 GB or 65,535 entries: never an upload we accept.
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) throw badZip('zip64');
  if (count > MAX_ENTRIES) throw badZip('too many entries');
  if (cdOffset + cdSize > eocd) throw badZip('zip directory out of range');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || bytes.readUInt32LE(p) !== 0x02014b50) throw badZip('zip directory entry');
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    entries.push({
      flags: bytes.readUInt16LE(p + 8),
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      declaredSize: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42),
      name: bytes.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, cdOffset };
}

/**
 * Scans an XML part as it inflates, byte by byte: counts the characters of each text (a cell's,
 * a shared string's — rich-text runs added up; an entity counts as one), names the cell it
 * belongs to, counts the shared strings, and bounds the length of a tag.
 */
class XmlScanner {
  private inTag = false;
  private inEntity = false;
  private tag = Buffer.alloc(MAX_TAG_BYTES);
  private tagLen = 0;
  private chars = 0;
  /** Inside <si> or <is>: the texts of the runs add up to one string. */
  private inString = false;
  /** The attributes of the last <c> tag, copied: its `r` is named only when a text is too long. */
  private cellTag = Buffer.alloc(256);
  private cellTagLen = -1;
  private strings = 0;
  /**
   * A control character XML does not allow, or a DOCTYPE/ENTITY declaration: the lean reader
   * leaves such a part to exceljs (decision 0052).
   */
  oddXml = false;
  /** A worksheet's merged ranges (`A5:A7`), which exceljs's streaming reader does not report. */
  readonly merges: string[] = [];

  constructor(
    private readonly part: string,
    private readonly limits: UploadLimits,
    private readonly isSharedStrings: boolean,
  ) {}

  push(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inTag) {
        if (b === 0x3e /* > */) {
          this.inTag = false;
          this.endTag();
        } else {
          if (this.tagLen >= MAX_TAG_BYTES) throw badZip(`a tag of ${this.part} over ${MAX_TAG_BYTES / 1024} KB`);
          if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) this.oddXml = true;
          this.tag[this.tagLen++] = b;
        }
      } else if (b === 0x3c /* < */) {
        this.inTag = true;
        this.inEntity = false;
        this.tagLen = 0;
      } else if (this.inEntity) {
        if (b === 0x3b /* ; */) this.inEntity = false;
      } else if ((b & 0xc0) !== 0x80) {
        // A character starts here (not a UTF-8 continuation byte); 4-byte ones are two UTF-16 units.
        this.chars += b >= 0xf0 ? 2 : 1;
        if (b === 0x26 /* & */) this.inEntity = true;
        else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) this.oddXml = true;
        if (this.chars > this.limits.maxCellChars) {
          throw cellTooLong(this.part, this.isSharedStrings ? { string: this.strings || undefined } : { cell: this.cellRef() }, this.limits);
        }
      }
    }
  }

  /** The `r` of the last <c> tag (`B5`), as the old per-tag regex found it. */
  private cellRef(): string | undefined {
    if (this.cellTagLen < 0) return undefined;
    const m = /\br="([A-Z]{1,3}\d{1,7})"/.exec(this.cellTag.toString('latin1', 0, this.cellTagLen));
    return m?.[1];
  }

  /**
   * The tag just read: its name compared byte by byte (no string per tag, decision 0052); only
   * si/is, c, mergeCell and sst matter.
   */
  private endTag(): void {
    const t = this.tag;
    const len = this.tagLen;
    const closing = t[0] === 0x2f; /* / */
    if (t[0] === 0x21 /* ! */ && (t[1] === 0x44 /* D */ || t[1] === 0x45) /* E */) this.oddXml = true;
    let s = closing ? 1 : 0;
    let e = s;
    while (e < len && t[e] !== 0x20 && t[e] !== 0x2f && t[e] !== 0x09 && t[e] !== 0x0a && t[e] !== 0x0d) e++;
    for (let i = s; i < e; i++) {
      if (t[i] === 0x3a /* : */) {
        s = i + 1;
        break;
      }
    }
    const n = e - s;
    const selfClosing = len > 0 && t[len - 1] === 0x2f;
    const c0 = t[s];
    if (n === 2 && ((c0 === 0x73 /* s */ && t[s + 1] === 0x69) /* i */ || (c0 === 0x69 /* i */ && t[s + 1] === 0x73)) /* s */) {
      const name = c0 === 0x73 ? 'si' : 'is';
      if (!closing) {
        if (name === 'si' && this.isSharedStrings && ++this.strings > this.limits.maxSharedStrings) throw tooManyStrings(this.part, this.limits);
        this.inString = !selfClosing;
      } else this.inString = false;
      this.chars = 0;
      return;
    }
    if (n === 1 && c0 === 0x63 /* c */ && !closing) {
      const attrs = len - e;
      if (attrs > this.cellTag.length) this.cellTag = Buffer.alloc(attrs);
      for (let i = 0; i < attrs; i++) this.cellTag[i] = t[e + i];
      this.cellTagLen = attrs;
    } else if (n === 9 && !closing && this.merges.length < MAX_MERGES && t.toString('latin1', s, e) === 'mergeCell') {
      const m = /\bref="([A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7})"/.exec(t.toString('latin1', e, this.tagLen));
      if (m) this.merges.push(m[1]);
    } else if (n === 3 && !closing && this.isSharedStrings && t.toString('latin1', s, e) === 'sst') {
      const m = /\buniqueCount="(\d+)"/.exec(t.toString('latin1', e, this.tagLen));
      if (m && Number(m[1]) > this.limits.maxSharedStrings) throw tooManyStrings(this.part, this.limits);
    }
    if (!this.inString) this.chars = 0;
  }
}

/**
 * Inflates one entry, counting: more than the cap is refused however small the declared size.
 * Returns a worksheet's merged ranges, and the inflated bytes when `keep` (the lean reader's parts).
 */
async function inflateCounted(bytes: Buffer, entry: ZipEntry, dataStart: number, limits: UploadLimits, keep: boolean): Promise<{ merges: string[]; inflated?: Buffer; oddXml: boolean }> {
  const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  const scanner = /\.(xml|rels)$/i.test(entry.name) ? new XmlScanner(entry.name, limits, /(^|\/)sharedStrings\.xml$/i.test(entry.name)) : null;
  if (entry.method === 0) {
    if (data.length > limits.maxPartBytes) throw partTooLarge(entry.name, limits, 'inflated');
    scanner?.push(data);
    return { merges: scanner?.merges ?? [], inflated: keep ? data : undefined, oddXml: scanner?.oddXml ?? false };
  }
  if (entry.method !== 8) throw badZip(`compression method ${entry.method}`);
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  const source = Readable.from([data]);
  source.pipe(inflate);
  let total = 0;
  const kept: Buffer[] = [];
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxPartBytes) throw partTooLarge(entry.name, limits, 'inflated');
      scanner?.push(chunk);
      if (keep) kept.push(chunk);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw badZip(`${entry.name}: ${(e as Error).message}`.slice(0, 200));
  } finally {
    source.unpipe(inflate);
    inflate.destroy();
    source.destroy();
  }
  return { merges: scanner?.merges ?? [], inflated: keep ? Buffer.concat(kept, total) : undefined, oddXml: scanner?.oddXml ?? false };
}

/**
 * Checks an .xlsx before any spreadsheet library sees it: its zip directory (declared sizes over
 * the cap refused at once), that the local entries a streaming reader walks are exactly the
 * directory's (no entry hidden between them), then every part inflated with its bytes counted and
 * its XML scanned for a cell over 32,767 characters and too many shared strings. Stops at the
 * first excess, so a 400 MB cell costs 32 K characters of inflating, not 400 MB.
 */
export async function guardXlsx(bytes: Buffer, limits: UploadLimits, keep?: (name: string) => boolean): Promise<GuardedUpload> {
  let merges: string[] | undefined;
  const parts = new Map<string, Buffer>();
  const order: string[] = [];
  const oddXml = new Set<string>();
  const { entries, cdOffset } = centralDirectory(bytes);
  for (const e of entries) {
    if (e.declaredSize > limits.maxPartBytes) throw partTooLarge(e.name, limits, 'declared');
  }
  const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let end = 0;
  for (const e of ordered) {
    // A gap of 30 bytes or more could hold a local entry the directory does not list.
    if (e.localOffset < end || e.localOffset - end >= 30) throw badZip('zip entries out of order');
    const p = e.localOffset;
    if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== 0x04034b50) throw badZip('zip entry header');
    const nameLen = bytes.readUInt16LE(p + 26);
    const extraLen = bytes.readUInt16LE(p + 28);
    if (bytes.toString('utf8', p + 30, p + 30 + nameLen) !== e.name) throw badZip('zip entry name');
    const dataStart = p + 30 + nameLen + extraLen;
    end = dataStart + e.compressedSize;
    if (end > cdOffset) throw badZip('zip entry out of range');
    // Without a data descriptor (flag bit 3), a streaming reader trusts the local header's size.
    if (!(e.flags & 0x08) && bytes.readUInt32LE(p + 18) !== e.compressedSize) throw badZip('zip entry size');
    const found = await inflateCounted(bytes, e, dataStart, limits, keep?.(e.name) ?? false);
    order.push(e.name);
    if (found.inflated) parts.set(e.name, found.inflated);
    if (found.oddXml) oddXml.add(e.name);
    // The first worksheet in the file's order is the one the streaming reader reads.
    if (merges === undefined && /^xl\/worksheets\/sheet\d*\.xml$/.test(e.name)) merges = found.merges;
  }
  if (cdOffset - end >= 30) throw badZip('zip entries out of order');
  return { merges: merges ?? [], parts, order, oddXml };
}

/** What the guard learnt on its way through the file: the first worksheet's merged ranges. */
export interface GuardedUpload {
  merges: string[];
  /** The inflated bytes of the parts `keep` asked for (the lean reader's, decision 0052). */
  parts?: Map<string, Buffer>;
  /** The entries' names in the order they sit in the file (a streaming reader's order). */
  order?: string[];
  /** Parts holding a control character XML refuses or a DOCTYPE/ENTITY declaration. */
  oddXml?: Set<string>;
}

/** The guard of every upload: an .xlsx is checked part by part (CSV lines and cells as they are parsed). */
export async function guardUpload(type: 'xlsx' | 'csv', bytes: Buffer, limits: UploadLimits, keep?: (name: string) => boolean): Promise<GuardedUpload> {
  return type === 'xlsx' ? guardXlsx(bytes, limits, keep) : { merges: [] };
}

/**
 * Counts the inflated bytes of a part as exceljs reads it (a second line behind guardXlsx, on
 * the bytes exceljs actually inflates).
 */
export async function* countedPart<T extends Buffer | string>(part: string, source: AsyncIterable<T>, limits: UploadLimits): AsyncGenerator<T> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limits.maxPartBytes) throw partTooLarge(part, limits, 'inflated');
    yield chunk;
  }
}
