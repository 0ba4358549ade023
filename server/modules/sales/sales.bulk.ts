import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { type Database, type Db, type DbOrTx, rows } from '../../db/client.js';
import { overloadCode } from '../../db/limits.js';
import { imports } from '../../db/schema/index.js';
import { AppError, messageOf } from '../../errors.js';
import { type AuthContext, can } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { errorWorkbook, type FailedRow } from '../imports/error-workbook.js';
import type { ImportContext, Text2 } from '../imports/import-spec.js';
import { createImport, finish, type ImportMode } from '../imports/import.service.js';
import { trackImport } from '../imports/import.liveness.js';
import { errorItems, storeErrors } from '../imports/import-errors.js';
import { defaultUploadLimits, type UploadLimits } from '../imports/upload-guard.js';
import { columnOf, salesSpec } from './sales.import.js';
import { scoreSalesWhere } from '../scoring/ledger.service.js';
import { type ChunkContext, loadChunkContext, loadStaticContext, type ResolvedSale, resolveSale, type StaticContext } from './sales.resolve.js';
import { clock } from '../../calendar/index.js';
import { minMax } from '../../../shared/numbers.js';
import { type FileHead, HEAD_BYTES, NotUtf8, originalOf, readHead } from './bulk-csv.js';
import { inlineSource, type ParsedRow } from './bulk-parse.js';
import { workerSource } from './bulk-worker.js';
import { type BulkRowError, type CodedError, ErrorLog } from './bulk-errors.js';
import { heapBudget } from './bulk-memory.js';
import { bulkStages } from './bulk-stages.js';
import { orderedQueue } from './bulk-queue.js';
import { SeenIds } from './bulk-seen.js';
import { setImmediate as tick } from 'node:timers/promises';
import { inTransaction, NEW_IDS, RowErrorsRollback, type SalesWriter } from './bulk-writers.js';

export type { BulkRowError } from './bulk-errors.js';

/**
 * The bulk path for cross-sales from CSV (SPEC §7, §14; issue 4 at province scale): the file is
 * streamed, never held in memory; each chunk of ~20 k rows is parsed with the import template's own
 * cell rules (salesSpec.parseRow), checked with the same rules and codes as every other way in
 * (resolveSale) against a context loaded once plus three look-ups per chunk, and written — by COPY
 * on PostgreSQL, pipelined with the parsing of the next chunk — inside ONE transaction with the
 * scoring of the new sales and one audit entry. A kill leaves the database as it was.
 *
 * This file is the load itself; its parts live beside it, one concern each: bulk-csv.ts reads the
 * file, bulk-parse.ts parses it into chunks (bulk-worker.ts: optionally in a worker thread), bulk-writers.ts writes the rows (COPY / unnest), bulk-errors.ts keeps the refused rows,
 * bulk-queue.ts hands chunks from reading to writing, bulk-memory.ts keeps the heap in bounds.
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
  /**
   * Parse in a worker thread (bulk-worker.ts); the rows and errors are the same. Off by default:
   * on a busy 2-core machine it measured slower and ~290 MB heavier (decision 0044).
   */
  parseInWorker?: boolean;
  /**
   * PostgreSQL: run each chunk's look-ups ahead on a second connection while the previous chunk's
   * COPY runs (decision 0049); the rows and errors are the same. Off by default until measured on
   * a quiet machine: on the busy 2-core one it showed no gain within the noise.
   */
  lookupsAhead?: boolean;
}

export const BULK_CHUNK = 20_000;
const MAX_KEPT_ERRORS = 10_000;
const PROGRESS_MS = 1000;

// ---- the load -----------------------------------------------------------------------------------

interface LoadState {
  totalRows: number;
  inserted: number;
  unchanged: number;
  ids: { first: number | null; last: number | null };
  /** The first and last sale date written (YYYY-MM-DD): the months the scoring reads. */
  dates: { first: string | null; last: string | null };
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
  const state: LoadState = {
    totalRows: 0,
    inserted: 0,
    unchanged: 0,
    ids: { first: null, last: null },
    dates: { first: null, last: null },
    ledgerEntries: 0,
    writeSeconds: 0,
    scoreSeconds: 0,
    sha256: null,
  };
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
      Object.assign(state, { totalRows: 0, inserted: 0, unchanged: 0, ids: { first: null, last: null }, dates: { first: null, last: null } });
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
    // The kept rows' errors for programs too (GET /api/imports/jobs/:id/errors); every one is in the CSV.
    await storeErrors(db, id, errorItems(salesSpec.columns, headers, log.failed)).catch(() => undefined);
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

  await inTransaction(
    input.database,
    async (tx, writer) => {
      const flush = chunkWriter(env, tx, writer, await loadStaticContext(tx, input.auth));
      const queue = orderedQueue(flush);
      // PostgreSQL: each chunk's look-ups start as it is handed over, on the writer's reader (a
      // connection of its own), while earlier chunks are still being checked and copied. PGlite: the
      // reader is the transaction, so they wait for the earlier chunks' rows (chunkWriter).
      const submit = (chunk: ParsedRow[], failed: FailedRow[]) => {
        if (writer.readerSeesLoad) return queue.submit(chunk, failed, null);
        const values = chunk.map((r) => r.value);
        const ahead = writer.lookUp((reader) => loadChunkContext(reader, values));
        ahead.catch(() => undefined); // awaited in order by flush; a load that fails first never asks
        return queue.submit(chunk, failed, ahead);
      };
      const phase = () => (writing(env) ? 'writing' : 'validating');
      await progress(phase(), true);
      const sha256 = await bulkStages.time('read_parse', () =>
        parseChunks(
          env,
          (n) => (bytes += n),
          submit,
          () => progress(phase()),
        ),
      );
      await bulkStages.time('drain', () => queue.drain());
      await writer.settle();
      heapBudget.check();
      state.sha256 = sha256;
      state.writeSeconds = (performance.now() - t0) / 1000;
      if (state.totalRows === 0) throw new AppError('IMPORT.BAD_FILE', { rows: 0 }, { zh: '文件中没有数据行', en: 'The file has no data rows' });
      if (!writing(env)) throw new RowErrorsRollback();
      if (state.inserted === 0) return;
      await progress('scoring', true);
      await scoreAndAudit(env, tx, id);
    },
    { lookupsAhead: input.lookupsAhead ?? false },
  );
}

/** 'all' stops writing at the first refused row but reads on, so the report lists every error. */
const writing = (env: LoadEnv) => env.mode === 'valid_only' || env.log.errorRows === 0;

/**
 * Hands the file's chunks to `submit` in order (bulk-parse.ts: parsed on this thread for a small
 * file, in a worker for a large one) and returns the file's sha256.
 */
async function parseChunks(env: LoadEnv, onBytes: (n: number) => void, submit: (chunk: ParsedRow[], failed: FailedRow[]) => Promise<void>, onBatch: () => Promise<void>): Promise<string> {
  const { head, state, input } = env;
  const chunkSize = input.chunkSize ?? BULK_CHUNK;
  const inWorker = input.parseInWorker ?? false;
  const source = (inWorker ? workerSource : inlineSource)(input.file, head, env.ctx, chunkSize);
  let bytes = 0;
  for await (const chunk of source.chunks) {
    state.totalRows += chunk.count;
    onBytes(chunk.bytes - bytes);
    bytes = chunk.bytes;
    await bulkStages.time('queue_wait', () => submit(chunk.rows, chunk.failed));
    heapBudget.check();
    await onBatch();
  }
  return source.sha256();
}

/** Rows checked between two turns of the event loop (which feeds the COPY in flight). */
const RESOLVE_TURN = 512;

/**
 * Checks one chunk and starts its write: its look-ups (started ahead on the writer's reader), ids
 * for the rows not on file, resolveSale per row, then the COPY. With lookupsAhead (decision 0049)
 * nothing waits for the previous chunk's COPY but this chunk's own; without, the look-ups run on
 * the transaction after it (so they see its rows), as before. The reader sees committed rows only: a source
 * id an earlier chunk of this load wrote (`written`) is looked up again on the load's transaction
 * once that COPY is done, so a repeat across chunks is unchanged or a conflict exactly as before.
 */
function chunkWriter(env: LoadEnv, tx: DbOrTx, writer: SalesWriter, statics: StaticContext) {
  const { state, head } = env;
  const written = new SeenIds();
  return async (chunk: ParsedRow[], failed: FailedRow[], ahead: Promise<ChunkContext> | null) => {
    let chunkCtx: ChunkContext = await bulkStages.time('lookups', async () => {
      if (ahead) return ahead;
      // In order on the transaction: after the previous chunk's COPY, so they see its rows.
      await bulkStages.time('copy_wait', () => writer.settle());
      return loadChunkContext(
        tx,
        chunk.map((r) => r.value),
      );
    });
    const again = writer.readerSeesLoad || written.size === 0 ? [] : chunk.filter((r) => written.has(r.value.sourceId)).map((r) => r.value);
    if (again.length) {
      await bulkStages.time('copy_wait', () => writer.settle());
      const own = await bulkStages.time('lookups_own', () => loadChunkContext(tx, again));
      chunkCtx = {
        ...chunkCtx,
        existing: new Map([...chunkCtx.existing, ...own.existing]),
        recordedAt: new Map([...chunkCtx.recordedAt, ...own.recordedAt]),
        stored: new Map([...chunkCtx.stored, ...own.stored]),
      };
    }
    const all: StaticContext & ChunkContext = { ...statics, ...chunkCtx };
    // Ids for the rows not on file yet, before checking them: then the checked rows go straight
    // into the COPY text. A refused row leaves a gap in the sequence, as a rolled-back insert would.
    const ids = writing(env) ? await bulkStages.time('reserve', () => writer.reserve(chunk.reduce((n, r) => (chunkCtx.existing.has(r.value.sourceId) ? n : n + 1), 0))) : [];
    const r0 = performance.now();
    const fresh: ResolvedSale[] = [];
    let n = 0;
    for (const r of chunk) {
      if (ahead && ++n % RESOLVE_TURN === 0) await tick();
      const res = resolveSale(all, env.ctx.auth, r.value, { today: env.today, fingerprint: r.fingerprint });
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
    bulkStages.add('resolve', performance.now() - r0);
    if (!writing(env) || fresh.length === 0) return;
    const used = ids.slice(0, fresh.length);
    for (const f of fresh) written.add(f.input.sourceId);
    state.inserted += fresh.length;
    const [lo, hi] = minMax(used);
    state.ids.first = Math.min(state.ids.first ?? lo, lo);
    state.ids.last = Math.max(state.ids.last ?? hi, hi);
    for (const f of fresh) {
      const d = f.input.saleDate;
      if (state.dates.first === null || d < state.dates.first) state.dates.first = d;
      if (state.dates.last === null || d > state.dates.last) state.dates.last = d;
    }
    await bulkStages.time('copy_text', () => writer.write(fresh, used, env.ctx.actor.id));
    heapBudget.check();
  };
}

/** The partitions of `sales` holding the dates `first`..`last` (each month's, or DEFAULT's for a month not made). */
async function loadMonths(tx: DbOrTx, first: string, last: string): Promise<string[]> {
  const list = await rows<{ name: string }>(
    tx,
    sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'sales'::regclass
           AND (c.relname = 'sales_default' OR c.relname BETWEEN 'sales_' || to_char(${first}::date, 'YYYY_MM') AND 'sales_' || to_char(${last}::date, 'YYYY_MM'))
         ORDER BY 1`,
  );
  return list.map((r) => r.name);
}

/** Scores the new sales set-based and records the load in the audit log, in the load's transaction. */
async function scoreAndAudit(env: LoadEnv, tx: DbOrTx, importId: string): Promise<void> {
  const { state } = env;
  const s0 = performance.now();
  // Statistics that know the new rows (ANALYZE counts this transaction's own), for the scoring plan:
  // the months the load wrote to only (sales is partitioned by month, 0049; the others hold no news).
  const { first, last } = state.dates;
  const months = await loadMonths(tx, first!, last!);
  await tx.execute(sql`ANALYZE ${sql.join([...months.map((m) => sql.identifier(m)), sql`sale_departments`, sql`sale_people`, sql.raw(NEW_IDS)], sql`, `)}`);
  // The dates bound the sales read to the load's months (partition pruning); the ids pick its sales.
  const scored = await scoreSalesWhere(tx, sql`s.sale_date BETWEEN ${first}::date AND ${last}::date AND s.id IN (SELECT id FROM ${sql.raw(NEW_IDS)})`);
  state.ledgerEntries = scored.entries;
  state.scoreSeconds = (performance.now() - s0) / 1000;
  // One entry per branch the load wrote to: each names the node it affects (its auditors see it).
  const perNode = await rows<{ nodeId: number; n: number; first: number; last: number }>(
    tx,
    sql`SELECT node_id AS "nodeId", count(*)::int AS n, min(id)::int AS first, max(id)::int AS last
        FROM sales WHERE sale_date BETWEEN ${first}::date AND ${last}::date AND id IN (SELECT id FROM ${sql.raw(NEW_IDS)}) GROUP BY node_id ORDER BY node_id`,
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
