import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse as parseCsv } from 'csv-parse';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Database, type Db, type DbOrTx, rows } from '../../db/client.js';
import { liftStatementTimeout, overloadCode } from '../../db/limits.js';
import * as schema from '../../db/schema/index.js';
import { imports } from '../../db/schema/index.js';
import { AppError, messageOf } from '../../errors.js';
import { type AuthContext, can } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { errorWorkbook, type FailedRow } from '../imports/error-workbook.js';
import { type AnyImportSpec, describeError, type ImportContext, type RowError, type Text2 } from '../imports/import-spec.js';
import { createImport, duplicateError as frameworkDuplicate, finish, type ImportMode } from '../imports/import.service.js';
import { trackImport } from '../imports/import.liveness.js';
import { type CellRaw, cellText } from '../imports/normalize.js';
import { csvDelimiter, openSheet, type SheetHeader } from '../imports/sheet-reader.js';
import { safeCell } from '../../xlsx/safe-cell.js';
import { checkCsvRecord, csvLimitError, csvLimitOptions, defaultUploadLimits, type UploadLimits } from '../imports/upload-guard.js';
import { columnOf, salesSpec, type SaleValue } from './sales.import.js';
import { scoreSalesWhere } from '../scoring/ledger.service.js';
import { type ChunkContext, loadChunkContext, loadStaticContext, type ResolvedSale, resolveSale, type StaticContext, textArray } from './sales.resolve.js';
import { clock } from '../../calendar/index.js';
import { minMax } from '../../../shared/numbers.js';

/**
 * The bulk path for cross-sales from CSV (SPEC §7, §14; issue 4 at province scale): the file is
 * streamed, never held in memory; each chunk of ~20 k rows is parsed with the import template's own
 * cell rules (salesSpec.parseRow), checked with the same rules and codes as every other way in
 * (resolveSale) against a context loaded once plus three look-ups per chunk, and written — by COPY
 * on PostgreSQL, pipelined with the parsing of the next chunk — inside ONE transaction with the
 * scoring of the new sales and one audit entry. A kill leaves the database as it was.
 */

export type BulkPhase = 'validating' | 'writing' | 'scoring' | 'done' | 'failed';

export interface BulkProgress {
  id: string;
  phase: BulkPhase;
  processedRows: number;
  /** An estimate from the bytes read so far until the end; 0 when unknown. */
  totalRows: number;
  errorRows: number;
  inserted: number;
  /** Seconds since the load started. */
  seconds: number;
}

/** One refused cell (or row): the row number as in the file (header = 1), the column, the words. */
export interface BulkRowError {
  rowNumber: number;
  /** The template column key (sourceId, departments …); null for the row as a whole. */
  column: string | null;
  /** The column's Chinese header, as the error report names it. */
  header: string | null;
  code: string | null;
  /** The error report's sentence: `第5行 参与部门：…（SALE.RATIOS_NOT_100）`. */
  zh: string;
  en: string;
}

export interface BulkSalesResult {
  id: string;
  status: 'done' | 'failed';
  totalRows: number;
  errorRows: number;
  inserted: number;
  unchanged: number;
  /** The first `maxErrors` errors in row order; `errorRows` counts every refused row. */
  errors: BulkRowError[];
  /** Reading, checking and writing the rows (the recording of the sales). */
  writeSeconds: number;
  /** Scoring the new sales into the ledger, in the same transaction. */
  scoreSeconds: number;
  totalSeconds: number;
  ledgerEntries: number;
  firstId: number | null;
  lastId: number | null;
  sha256: string | null;
  message: Text2 & { code?: string };
  /** The error workbook of the kept rows (the same as the console's), when rows were refused. */
  errorReport: Buffer | null;
}

export interface BulkSalesInput {
  database: Database;
  auth: AuthContext;
  file: string;
  /** The name shown in the imports list (default: the file's base name). */
  fileName?: string;
  mode?: ImportMode;
  /** Rows per chunk (default 20,000): the unit of look-ups and of one COPY. */
  chunkSize?: number;
  /** Refused rows kept for the result and the workbook (default 10,000); all are counted. */
  maxErrors?: number;
  /** Beijing date the FUTURE_DATE check uses (default: today). */
  today?: string;
  /** Every error, uncapped, streamed to this CSV (UTF-8 BOM; 行号, 列, 错误说明). */
  errorCsvPath?: string;
  /** How much of the file's start decides its encoding and must hold the header (default 256 KiB). */
  headBytes?: number;
  onProgress?: (p: BulkProgress) => void;
  /** Line and cell caps (decision 0021); default: this process's environment. */
  limits?: UploadLimits;
}

export const BULK_CHUNK = 20_000;
const MAX_KEPT_ERRORS = 10_000;
const HEAD_BYTES = 256 * 1024;
// Small blocks: each read is a turn of the event loop, which keeps the previous chunk's COPY flowing.
const READ_CHUNK = 64 * 1024;
const PROGRESS_MS = 1000;
const YIELD_ROWS = 256;
const QUEUED = 2;
const NEW_IDS = 'linkage_bulk_new_sales';

/** Thrown inside the transaction to roll it back: 'all' mode met a refused row. */
class RowErrorsRollback extends Error {}
/** The file turned out not to be UTF-8 after all: read it again as GB18030. */
class NotUtf8 extends Error {}

type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

// ---- reading the file -------------------------------------------------------------------------

interface FileHead {
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
function readHead(file: string, headBytes: number, limits: UploadLimits, encoding?: Encoding): Promise<FileHead> {
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
interface FileRow {
  rowNumber: number;
  cells: Record<string, CellRaw>;
  record: string[];
}

/** A row's cells in the order of the header, as the user typed them (the error workbook's columns). */
function originalOf(head: FileHead, record: string[]): CellRaw[] {
  return head.headers.map((h) => record[h.index] || null);
}

/**
 * The data rows after the header, as openSheet yields them (same parser options, same numbering),
 * in batches as the parser hands them over: one await per block of the file, none per row.
 */
async function* rowBatches(file: string, head: FileHead, hash: Hash, onBytes: (n: number) => void): AsyncGenerator<FileRow[]> {
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
    if (head.headers.every((h) => cellText(record[h.index] || null) === null)) return;
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

// ---- writing ------------------------------------------------------------------------------------

/** Where the rows go: ids reserved from the sales sequence, then the three tables. */
interface SalesWriter {
  /** Waits for the previous chunk's write; its failure surfaces here. */
  settle(): Promise<void>;
  reserve(n: number): Promise<number[]>;
  /** Starts writing a chunk; may return before PostgreSQL has it (see settle). */
  write(list: ResolvedSale[], ids: number[], createdBy: number | null): Promise<void>;
}

const N = '\\N';
/** COPY text format: backslash, tab and line ends escaped. */
const copyText = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);
const orNull = (v: number | null) => (v === null ? N : String(v));

function copyPayload(list: ResolvedSale[], ids: number[], createdBy: number | null) {
  const sales: string[] = [];
  const depts: string[] = [];
  const people: string[] = [];
  const by = orNull(createdBy);
  list.forEach((r, i) => {
    const id = ids[i];
    const s = r.input;
    sales.push(
      `${id}\t${copyText(s.sourceId)}\t${r.productId}\t${orNull(r.personId)}\t${orNull(r.companyId)}\t${orNull(s.projectId)}\t${orNull(r.developmentId)}\t${s.saleDate}\t${s.quantity1e4}\t${r.hostDepartmentId}\t${r.nodeId}\t${by}\n`,
    );
    for (const d of r.departments) depts.push(`${id}\t${d.departmentId}\t${orNull(d.ratioBp)}\n`);
    for (const p of r.people) people.push(`${id}\t${p.staffId}\t${p.departmentId}\t${copyText(p.role)}\t${orNull(p.contributionBp)}\n`);
  });
  return { sales: sales.join(''), depts: depts.join(''), people: people.join('') };
}

const SALES_COLUMNS = 'id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id, created_by';

/** The sales id sequence, named once per load (looking it up per id costs 9× the nextval). */
async function salesSequence(tx: DbOrTx): Promise<string> {
  const [r] = await rows<{ seq: string }>(tx, sql`SELECT pg_get_serial_sequence('sales', 'id') AS seq`);
  return r.seq;
}

async function reserveIds(tx: DbOrTx, seq: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  // The ids are drawn from the sales sequence (so later single inserts never collide) and noted in
  // the load's temporary table, which scoring reads at the end.
  const [r] = await rows<{ ids: string }>(
    tx,
    sql`WITH ins AS (INSERT INTO ${sql.raw(NEW_IDS)} SELECT nextval(${seq}::regclass) FROM generate_series(1, ${n}::int) RETURNING id)
        SELECT string_agg(id::text, ',') AS ids FROM ins`,
  );
  return r.ids.split(',').map(Number);
}

/**
 * PostgreSQL: three COPY streams per chunk on the transaction's own connection. The COPY of a
 * chunk runs while Node parses the next one (2 cores: one for each); the next chunk's look-ups
 * wait for it, so they see its rows (a source id repeated in a later chunk is then unchanged).
 */
function pgWriter(client: pg.PoolClient, tx: DbOrTx, seq: string): SalesWriter {
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const copy = (statement: string, text: string) => (text ? pipeline(Readable.from([text]), client.query(copyFrom(statement))) : Promise.resolve());
  return {
    async settle() {
      await pending;
      if (failure) throw failure;
    },
    reserve: (n) => reserveIds(tx, seq, n),
    async write(list, ids, createdBy) {
      await this.settle();
      const p = copyPayload(list, ids, createdBy);
      pending = (async () => {
        await copy(`COPY sales (${SALES_COLUMNS}) FROM STDIN`, p.sales);
        await copy('COPY sale_departments (sale_id, department_id, ratio_bp) FROM STDIN', p.depts);
        await copy('COPY sale_people (sale_id, staff_id, department_id, role, contribution_bp) FROM STDIN', p.people);
      })().catch((e: unknown) => {
        failure = e;
      });
    },
  };
}

/** A PostgreSQL int[] literal for one parameter (unnest on PGlite; text[] is textArray). */
const intArray = (l: (number | null)[]) => `{${l.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/** PGlite (one branch, embedded): INSERT … SELECT FROM unnest per chunk, in the same transaction. */
function pgliteWriter(tx: DbOrTx, seq: string): SalesWriter {
  return {
    settle: async () => undefined,
    reserve: (n) => reserveIds(tx, seq, n),
    async write(list, ids, createdBy) {
      if (list.length === 0) return;
      const col = <T>(f: (r: ResolvedSale) => T) => list.map(f);
      await tx.execute(sql`INSERT INTO sales (${sql.raw(SALES_COLUMNS)})
        SELECT id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id, ${createdBy}::int
        FROM unnest(${intArray(ids)}::int[], ${textArray(col((r) => r.input.sourceId))}::text[], ${intArray(col((r) => r.productId))}::int[],
                    ${intArray(col((r) => r.personId))}::int[], ${intArray(col((r) => r.companyId))}::int[], ${intArray(col((r) => r.input.projectId))}::int[],
                    ${intArray(col((r) => r.developmentId))}::int[], ${textArray(col((r) => r.input.saleDate))}::date[], ${intArray(col((r) => r.input.quantity1e4))}::bigint[],
                    ${intArray(col((r) => r.hostDepartmentId))}::int[], ${intArray(col((r) => r.nodeId))}::int[])
             AS t(id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id)`);
      const d = list.flatMap((r, i) => r.departments.map((x) => ({ id: ids[i], ...x })));
      if (d.length) {
        await tx.execute(sql`INSERT INTO sale_departments (sale_id, department_id, ratio_bp)
          SELECT * FROM unnest(${intArray(d.map((x) => x.id))}::int[], ${intArray(d.map((x) => x.departmentId))}::int[], ${intArray(d.map((x) => x.ratioBp))}::int[])`);
      }
      const p = list.flatMap((r, i) => r.people.map((x) => ({ id: ids[i], ...x })));
      if (p.length) {
        await tx.execute(sql`INSERT INTO sale_people (sale_id, staff_id, department_id, role, contribution_bp)
          SELECT * FROM unnest(${intArray(p.map((x) => x.id))}::int[], ${intArray(p.map((x) => x.staffId))}::int[], ${intArray(p.map((x) => x.departmentId))}::int[],
                               ${textArray(p.map((x) => x.role))}::text[], ${intArray(p.map((x) => x.contributionBp))}::int[])`);
      }
    },
  };
}

/**
 * Runs `work` in ONE transaction: on PostgreSQL on a connection of its own (COPY needs the raw
 * client), on PGlite in db.transaction.
 */
async function inTransaction<T>(database: Database, work: (tx: DbOrTx, writer: SalesWriter) => Promise<T>): Promise<T> {
  if (database.pool) {
    const client = await database.pool.connect();
    let broken = false;
    try {
      const db = drizzleNodePg(client, { schema }) as unknown as Db;
      return await db.transaction(async (tx) => {
        await liftStatementTimeout(tx); // a bulk load is a job, not a request (decision 0018)
        await tx.execute(sql`CREATE TEMP TABLE ${sql.raw(NEW_IDS)} (id int NOT NULL) ON COMMIT DROP`);
        return work(tx, pgWriter(client, tx, await salesSequence(tx)));
      });
    } catch (e) {
      // A COPY cut off mid-stream can leave the connection in no state to be reused.
      broken = !(e instanceof RowErrorsRollback || e instanceof NotUtf8);
      throw e;
    } finally {
      client.release(broken);
    }
  }
  return database.db.transaction(async (tx) => {
    await liftStatementTimeout(tx);
    await tx.execute(sql`CREATE TEMP TABLE ${sql.raw(NEW_IDS)} (id int NOT NULL) ON COMMIT DROP`);
    return work(tx, pgliteWriter(tx, await salesSequence(tx)));
  });
}

// ---- the load -----------------------------------------------------------------------------------

interface ParsedRow {
  rowNumber: number;
  value: SaleValue;
  record: string[];
}

const HEADER_OF = new Map(salesSpec.columns.map((c) => [c.key, c.header]));

/** The framework's duplicate-row words. */
const duplicateError = (key: string, first: number, again: number): RowError => frameworkDuplicate(salesSpec as AnyImportSpec, 'sourceId', key, first, again);

/** A row error that knows its code (SALE.…), so the result can carry it apart from the words. */
type CodedError = RowError & { code?: string };

/** Counts and the kept part of the refused rows; every error goes to the CSV when one is asked for. */
class ErrorLog {
  errorRows = 0;
  errors: BulkRowError[] = [];
  failed: FailedRow[] = [];
  private csv: WriteStream | null = null;

  constructor(
    private readonly max: number,
    private readonly csvPath?: string,
  ) {}

  /** The CSV is started at the first error: a clean load leaves no file behind. */
  private out(): WriteStream | null {
    if (!this.csv && this.csvPath) {
      this.csv = createWriteStream(this.csvPath);
      this.csv.write('\ufeff行号,列,错误说明\n');
    }
    return this.csv;
  }

  /** Rows of one chunk, in row order. */
  add(list: FailedRow[]) {
    list.sort((a, b) => a.rowNumber - b.rowNumber);
    for (const r of list) {
      this.errorRows++;
      if (this.failed.length < this.max) this.failed.push(r);
      for (const e of r.errors as CodedError[]) {
        const header = e.column ? (HEADER_OF.get(e.column) ?? null) : null;
        const zh = describeError(salesSpec.columns, r.rowNumber, e, 'zh');
        if (this.errors.length < this.max) {
          this.errors.push({ rowNumber: r.rowNumber, column: e.column, header, code: e.code ?? null, zh, en: describeError(salesSpec.columns, r.rowNumber, e, 'en') });
        }
        this.out()?.write(`${r.rowNumber},${csvCell(header ?? '')},${csvCell(zh)}\n`);
      }
    }
  }

  /** Starts over (the file is read again in another encoding). */
  async reset() {
    await this.close();
    this.errorRows = 0;
    this.errors = [];
    this.failed = [];
  }

  async close() {
    const csv = this.csv;
    if (!csv) return;
    this.csv = null;
    await new Promise<void>((resolve, reject) => csv.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

const csvCell = (text: string) => {
  const s = safeCell(text);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

interface LoadState {
  totalRows: number;
  inserted: number;
  unchanged: number;
  ids: { first: number | null; last: number | null };
  ledgerEntries: number;
  writeSeconds: number;
  scoreSeconds: number;
  sha256: string | null;
}

/**
 * Streams a CSV of cross-sales into the database (see the top of this file). Never throws: a
 * failure ends in status 'failed' with a message, and the imports row says the same.
 */
export async function bulkImportSales(input: BulkSalesInput): Promise<BulkSalesResult> {
  const { database, auth } = input;
  const db = database.db;
  const mode = input.mode ?? 'all';
  const fileName = input.fileName ?? path.basename(input.file);
  const t0 = performance.now();
  const id = await createImport(db, auth, 'sales', fileName, mode);
  const log = new ErrorLog(input.maxErrors ?? MAX_KEPT_ERRORS, input.errorCsvPath);
  const state: LoadState = { totalRows: 0, inserted: 0, unchanged: 0, ids: { first: null, last: null }, ledgerEntries: 0, writeSeconds: 0, scoreSeconds: 0, sha256: null };
  const result = (status: 'done' | 'failed', message: BulkSalesResult['message']): BulkSalesResult => ({
    id,
    status,
    totalRows: state.totalRows,
    errorRows: log.errorRows,
    inserted: status === 'done' ? state.inserted : 0,
    unchanged: status === 'done' ? state.unchanged : 0,
    errors: log.errors,
    writeSeconds: round(state.writeSeconds),
    scoreSeconds: round(state.scoreSeconds),
    totalSeconds: round((performance.now() - t0) / 1000),
    ledgerEntries: status === 'done' ? state.ledgerEntries : 0,
    firstId: status === 'done' ? state.ids.first : null,
    lastId: status === 'done' ? state.ids.last : null,
    sha256: state.sha256,
    message,
    errorReport: null,
  });
  let out: BulkSalesResult;
  let head: FileHead | null = null;
  // Heartbeats the row while it runs: a process dying mid-way leaves a recognisable orphan.
  const untrack = trackImport(db, id);
  try {
    if (!can(auth, 'sale.write')) throw new AppError('AUTH.FORBIDDEN', { permission: 'sale.write' });
    try {
      head = await readHead(input.file, input.headBytes ?? HEAD_BYTES, input.limits ?? defaultUploadLimits());
      await loadFile(input, id, head, mode, log, state, t0);
    } catch (e) {
      // Not UTF-8 after all (the head was): as the framework does, read the whole file as GB18030.
      if (!(e instanceof NotUtf8)) throw e;
      await log.reset();
      Object.assign(state, { totalRows: 0, inserted: 0, unchanged: 0, ids: { first: null, last: null } });
      head = await readHead(input.file, input.headBytes ?? HEAD_BYTES, input.limits ?? defaultUploadLimits(), 'gb18030');
      await loadFile(input, id, head, mode, log, state, t0);
    }
    out = result('done', doneMessage(state, log.errorRows));
  } catch (e) {
    out = result('failed', failureMessage(e, state.totalRows, log.errorRows));
  }
  await log.close().catch(() => undefined);
  if (head && log.failed.length) {
    const headers = head.headers;
    out.errorReport = await errorWorkbook({ sheetName: salesSpec.labelZh, columns: salesSpec.columns, headers, rows: log.failed }).catch(() => null);
  }
  await finishImport(db, out).catch(() => undefined);
  untrack();
  input.onProgress?.({ id, phase: out.status, processedRows: out.totalRows, totalRows: out.totalRows, errorRows: out.errorRows, inserted: out.inserted, seconds: out.totalSeconds });
  return out;
}

/** What the steps of one load share. */
interface LoadEnv {
  input: BulkSalesInput;
  head: FileHead;
  mode: ImportMode;
  log: ErrorLog;
  state: LoadState;
  ctx: ImportContext;
  today: string;
}

/** The load proper, in one transaction; throws RowErrorsRollback when 'all' met a refused row. */
async function loadFile(input: BulkSalesInput, id: string, head: FileHead, mode: ImportMode, log: ErrorLog, state: LoadState, t0: number): Promise<void> {
  const env: LoadEnv = { input, head, mode, log, state, ctx: { auth: input.auth, actor: { id: input.auth.staffId, name: input.auth.name } }, today: input.today ?? clock.today() };
  const hash = createHash('sha256');
  let bytes = 0;
  let lastAt = 0;
  const progress = async (phase: BulkPhase, force = false) => {
    const now = performance.now();
    if (!force && now - lastAt < PROGRESS_MS) return;
    lastAt = now;
    const totalRows = bytes > 0 && bytes < head.size ? Math.max(state.totalRows, Math.round((state.totalRows * head.size) / bytes)) : state.totalRows;
    input.onProgress?.({ id, phase, processedRows: state.totalRows, totalRows, errorRows: log.errorRows, inserted: state.inserted, seconds: (now - t0) / 1000 });
    // On PGlite the one connection is the transaction's: its imports row is updated at the end.
    if (input.database.kind === 'pg') {
      const status = phase === 'validating' ? 'validating' : 'writing';
      await input.database.db.update(imports).set({ status, processedRows: state.totalRows, totalRows, errorRows: log.errorRows, heartbeatAt: clock.now() }).where(eq(imports.id, id));
    }
  };

  await inTransaction(input.database, async (tx, writer) => {
    const flush = chunkWriter(env, tx, writer, await loadStaticContext(tx, input.auth));
    const queue = orderedQueue(flush);
    const phase = () => (writing(env) ? 'writing' : 'validating');
    await progress(phase(), true);
    await parseChunks(env, hash, (n) => (bytes += n), queue.submit, () => progress(phase()));
    await queue.drain();
    await writer.settle();
    heapBudget.check();
    state.sha256 = hash.digest('hex');
    state.writeSeconds = (performance.now() - t0) / 1000;
    if (state.totalRows === 0) throw new AppError('IMPORT.BAD_FILE', { rows: 0 }, { zh: '文件中没有数据行', en: 'The file has no data rows' });
    if (!writing(env)) throw new RowErrorsRollback();
    if (state.inserted === 0) return;
    await progress('scoring', true);
    await scoreAndAudit(env, tx, id);
  });
}

/** 'all' stops writing at the first refused row but reads on, so the report lists every error. */
const writing = (env: LoadEnv) => env.mode === 'valid_only' || env.log.errorRows === 0;

/**
 * Reads the file and cuts it into chunks of parsed rows (salesSpec.parseRow, the template's own
 * rules); refused rows travel with their chunk so the report stays in row order.
 */
async function parseChunks(
  env: LoadEnv,
  hash: Hash,
  onBytes: (n: number) => void,
  submit: (chunk: ParsedRow[], failed: FailedRow[]) => Promise<void>,
  onBatch: () => Promise<void>,
): Promise<void> {
  const { head, state } = env;
  const chunkSize = env.input.chunkSize ?? BULK_CHUNK;
  let chunk: ParsedRow[] = [];
  let failed: FailedRow[] = [];
  let firstOfKey = new Map<string, number>();
  for await (const batch of rowBatches(env.input.file, head, hash, onBytes)) {
    for (const row of batch) {
      state.totalRows++;
      // Turn the event loop now and then: it is what feeds the COPY in flight to PostgreSQL.
      if (state.totalRows % YIELD_ROWS === 0) await tick();
      const parsed = salesSpec.parseRow(row.cells, env.ctx);
      if ('errors' in parsed) {
        failed.push({ rowNumber: row.rowNumber, original: originalOf(head, row.record), errors: parsed.errors });
      } else {
        // Within a chunk a repeated source id is an error naming the first row; across chunks the
        // earlier row is already written, so the later one resolves as unchanged.
        const first = firstOfKey.get(parsed.value.sourceId);
        if (first !== undefined) {
          failed.push({ rowNumber: row.rowNumber, original: originalOf(head, row.record), errors: [duplicateError(parsed.value.sourceId, first, row.rowNumber)] });
        } else {
          firstOfKey.set(parsed.value.sourceId, row.rowNumber);
          chunk.push({ rowNumber: row.rowNumber, value: parsed.value, record: row.record });
        }
      }
      if (chunk.length + failed.length >= chunkSize) {
        await submit(chunk, failed);
        chunk = [];
        failed = [];
        firstOfKey = new Map();
      }
    }
    heapBudget.check();
    await onBatch();
  }
  await submit(chunk, failed);
}

/**
 * Runs chunks through `run` one after the other, in order, while the caller reads on: up to
 * QUEUED chunks wait, so a slow COPY does not stall the parsing at once. A failure stops the rest
 * and surfaces at the next submit or at drain.
 */
function orderedQueue<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  let tail: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let queued = 0;
  return {
    async submit(...args: A) {
      while (queued >= QUEUED) await tail;
      if (failure) throw failure;
      queued++;
      tail = tail
        .then(() => (failure ? undefined : run(...args)))
        .catch((e: unknown) => {
          failure = e;
        })
        .finally(() => queued--);
    },
    async drain() {
      await tail;
      if (failure) throw failure;
    },
  };
}

/**
 * Checks one chunk and starts its write: the per-chunk look-ups (after the previous chunk's COPY,
 * so they see it), ids for the rows not on file, resolveSale per row, then the COPY.
 */
function chunkWriter(env: LoadEnv, tx: DbOrTx, writer: SalesWriter, statics: StaticContext) {
  const { state, head } = env;
  return async (chunk: ParsedRow[], failed: FailedRow[]) => {
    await writer.settle();
    const chunkCtx: ChunkContext = await loadChunkContext(tx, chunk.map((r) => r.value));
    const all: StaticContext & ChunkContext = { ...statics, ...chunkCtx };
    // Ids for the rows not on file yet, before checking them: then the checked rows go straight
    // into the COPY text. A refused row leaves a gap in the sequence, as a rolled-back insert would.
    const ids = writing(env) ? await writer.reserve(chunk.reduce((n, r) => (chunkCtx.existing.has(r.value.sourceId) ? n : n + 1), 0)) : [];
    const fresh: ResolvedSale[] = [];
    for (const r of chunk) {
      const res = resolveSale(all, env.ctx.auth, r.value, { today: env.today });
      if (res.issues) {
        failed.push({
          rowNumber: r.rowNumber,
          original: originalOf(head, r.record),
          errors: res.issues.map((e): CodedError => ({ column: columnOf(e.field, r.value), zh: `${e.zh}（${e.code}）`, en: `${e.en} (${e.code})`, code: e.code })),
        });
      } else if (res.sale.duplicateOf !== undefined) state.unchanged++;
      else fresh.push(res.sale);
    }
    env.log.add(failed);
    if (!writing(env) || fresh.length === 0) return;
    const used = ids.slice(0, fresh.length);
    state.inserted += fresh.length;
    const [lo, hi] = minMax(used);
    state.ids.first = Math.min(state.ids.first ?? lo, lo);
    state.ids.last = Math.max(state.ids.last ?? hi, hi);
    await writer.write(fresh, used, env.ctx.actor.id);
    heapBudget.check();
  };
}

/** Scores the new sales set-based and records the load in the audit log, in the load's transaction. */
async function scoreAndAudit(env: LoadEnv, tx: DbOrTx, importId: string): Promise<void> {
  const { state } = env;
  const s0 = performance.now();
  // Statistics that know the new rows (ANALYZE counts this transaction's own), for the scoring plan.
  await tx.execute(sql`ANALYZE sales, sale_departments, sale_people, ${sql.raw(NEW_IDS)}`);
  const scored = await scoreSalesWhere(tx, sql`s.id IN (SELECT id FROM ${sql.raw(NEW_IDS)})`);
  state.ledgerEntries = scored.entries;
  state.scoreSeconds = (performance.now() - s0) / 1000;
  // One entry per branch the load wrote to: each names the node it affects (its auditors see it).
  const perNode = await rows<{ nodeId: number; n: number; first: number; last: number }>(
    tx,
    sql`SELECT node_id AS "nodeId", count(*)::int AS n, min(id)::int AS first, max(id)::int AS last
        FROM sales WHERE id IN (SELECT id FROM ${sql.raw(NEW_IDS)}) GROUP BY node_id ORDER BY node_id`,
  );
  const fileName = env.input.fileName ?? path.basename(env.input.file);
  await appendAudit(
    tx,
    env.ctx.actor,
    perNode.map((p) => ({
      action: 'sale.import',
      entity: 'sale',
      entityId: `${p.first}..${p.last}`,
      nodeId: p.nodeId,
      after: { count: p.n, fileName, sha256: state.sha256, firstId: p.first, lastId: p.last, importId },
    })),
  );
}

/**
 * Keeps the heap of a long load near its live size (≤ 512 MB RSS at 5 M rows). Each chunk's rows
 * live long enough to be promoted, and V8, far from its limit, lets that garbage pile up to several
 * times the live set before collecting it (RSS 600–740 MB at 300 k rows, measured; ~100 MB live).
 * Checked after each block of the file and each chunk: past the budget a full collection is asked
 * for, reaching gc() the way jest's leak detector does when the process was started without
 * --expose-gc. Measured: one every ~40 k rows, ~60 ms each.
 */
const heapBudget = (() => {
  const BUDGET = 192 * 2 ** 20;
  let gc: (() => void) | null | undefined;
  const collector = (): (() => void) | null => {
    if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
    try {
      v8.setFlagsFromString('--expose-gc');
      const found = runInNewContext('gc') as () => void;
      v8.setFlagsFromString('--no-expose-gc');
      return found;
    } catch {
      return null;
    }
  };
  return {
    check() {
      if (v8.getHeapStatistics().used_heap_size < BUDGET) return;
      if (gc === undefined) gc = collector();
      gc?.();
    },
  };
})();

const round = (x: number) => Math.round(x * 1000) / 1000;

function doneMessage(s: LoadState, errorRows: number): Text2 {
  const valid = s.inserted + s.unchanged;
  return errorRows > 0
    ? {
        zh: `已导入正确的 ${valid} 行（新增 ${s.inserted}，更新 0，无变化 ${s.unchanged}），${errorRows} 行有误已跳过`,
        en: `${valid} valid rows imported (${s.inserted} new, 0 updated, ${s.unchanged} unchanged); ${errorRows} rows with errors skipped`,
      }
    : { zh: `导入完成：新增 ${s.inserted}，更新 0，无变化 ${s.unchanged}`, en: `Imported: ${s.inserted} new, 0 updated, ${s.unchanged} unchanged` };
}

function failureMessage(e: unknown, rows: number, errorRows: number): Text2 & { code?: string } {
  if (e instanceof RowErrorsRollback) {
    return {
      code: 'IMPORT.ROW_ERRORS',
      zh: `共 ${rows} 行，其中 ${errorRows} 行有误，未导入任何数据；请下载错误报告修改后重新导入`,
      en: `${errorRows} of ${rows} rows have errors; nothing was imported. Download the error report, fix it and import again`,
    };
  }
  if (e instanceof AppError) return { code: e.code, zh: messageOf(e.code, 'zh-CN', e.text), en: messageOf(e.code, 'en', e.text) };
  // No connection in time (the load starts on a connection of its own): say so, not pg's words.
  const overload = overloadCode(e);
  if (overload) return { code: overload, zh: messageOf(overload, 'zh-CN'), en: messageOf(overload, 'en') };
  const text = (e as Error)?.message ?? String(e);
  return { code: 'INTERNAL', zh: `导入失败：${text}`, en: `Import failed: ${text}` };
}

function finishImport(db: Db, r: BulkSalesResult) {
  return finish(db, { ...r, updated: 0 });
}
