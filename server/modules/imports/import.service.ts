import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { liftStatementTimeout, overloadCode } from '../../db/limits.js';
import { imports, settings } from '../../db/schema/index.js';
import { AppError, messageOf } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { recordAnchor } from '../audit/audit.anchors.js';
import { errorWorkbook, type FailedRow } from './error-workbook.js';
import { trackImport } from './import.liveness.js';
import type { AnyImportSpec, ImportContext, ImportRow, RowError, Text2, WriteCounts } from './import-spec.js';
import type { CellRaw } from './normalize.js';
import { errorItems, fileErrorItem, type ImportErrorItem, storeErrors } from './import-errors.js';
import { type AppliedMerge, estimateRows, openSheet } from './sheet-reader.js';
import { specOf } from './registry.js';
import { clock } from '../../calendar/index.js';
import type { UploadLimits } from './upload-guard.js';

export type ImportMode = 'all' | 'valid_only';
export type ImportPhase = 'validating' | 'writing' | 'done' | 'failed';

/** Progress as a caller (the CLI's bar, a log) sees it; the same numbers go to the imports row. */
export interface ImportProgress {
  id: string;
  phase: ImportPhase;
  processedRows: number;
  totalRows: number;
}

export interface ImportSummary extends WriteCounts {
  id: string;
  status: 'done' | 'failed';
  totalRows: number;
  errorRows: number;
  message: Text2 & { code?: string };
  /** The error workbook, when rows were refused. */
  errorReport: Buffer | null;
  /** The same errors for programs (also stored in import_errors, paged by the API). */
  errors: ImportErrorItem[];
}

export const DEFAULT_MAX_ROWS = 200_000;
// Progress is written to the imports row at most every 250 ms, so a 200 k-row file costs a few
// hundred small updates, and any server process can answer "how far is it".
const PROGRESS_MS = 250;

/** The message column holds `{code?, zh, en}` as JSON so the API can answer in either language. */
function encodeMessage(m: Text2 & { code?: string }): string {
  return JSON.stringify(m);
}

/** The stored message in the caller's language (older rows may hold plain text). */
export function decodeMessage(raw: string | null, lang: 'zh-CN' | 'en'): { text: string | null; code: string | null } {
  if (!raw) return { text: null, code: null };
  try {
    const m = JSON.parse(raw) as Text2 & { code?: string };
    return { text: lang === 'en' ? m.en : m.zh, code: m.code ?? null };
  } catch {
    return { text: raw, code: null };
  }
}

async function maxRowsSetting(db: Db): Promise<number> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, 'import.maxRows')).limit(1);
  const n = Number(row?.value);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_ROWS;
}

/** Records a new import (phase validating) and returns its id. */
export async function createImport(db: Db, auth: AuthContext, kind: string, fileName: string, mode: ImportMode): Promise<string> {
  const id = randomUUID();
  await db.insert(imports).values({ id, kind, fileName: fileName.slice(0, 255), mode, status: 'validating', createdBy: auth.staffId });
  return id;
}

/** Thrown inside the write transaction to roll it back when the data changed since validation. */
class ChangedSinceValidation extends Error {}

/**
 * Validates every row of the file, then — unless mode 'all' found errors — writes in ONE
 * transaction: all or nothing, so a crash or a kill mid-way leaves the database as it was
 * (SPEC §14). Never throws: failures end in status 'failed' with a message.
 */
export async function processImport(
  db: Db,
  id: string,
  input: {
    auth: AuthContext;
    spec: AnyImportSpec;
    fileName: string;
    bytes: Buffer;
    mode: ImportMode;
    onProgress?: (p: ImportProgress) => void;
    /** What the upload may expand to (decision 0021); default: this process's environment. */
    limits?: UploadLimits;
  },
): Promise<ImportSummary> {
  const { auth, spec, mode } = input;
  const ctx: ImportContext = { auth, actor: { id: auth.staffId, name: auth.name }, importId: id };
  const summary: ImportSummary = { id, status: 'failed', totalRows: 0, errorRows: 0, inserted: 0, updated: 0, unchanged: 0, message: { zh: '', en: '' }, errorReport: null, errors: [] };
  const report = (phase: ImportPhase, processedRows: number, totalRows: number) => input.onProgress?.({ id, phase, processedRows, totalRows });
  // Heartbeats the row until it ends, so a process dying mid-way leaves a recognisable orphan.
  const untrack = trackImport(db, id);
  try {
    const maxRows = await maxRowsSetting(db);
    let estimate = Math.max(0, estimateRows(input.fileName, input.bytes) - 1);
    await db.update(imports).set({ totalRows: estimate }).where(eq(imports.id, id));
    report('validating', 0, estimate);

    // 1. Read and parse every row; every bad cell is named, nothing is written yet.
    const sheet = await openSheet({ bytes: input.bytes, fileName: input.fileName }, spec.columns, input.limits);
    const failed: FailedRow[] = [];
    const valid: (ImportRow<unknown> & { original: CellRaw[] })[] = [];
    const firstRowOfKey = new Map<string, number>();
    const keyColumn = spec.columns[0].key;
    let processed = 0;
    let lastAt = performance.now();
    for await (const row of sheet.rows) {
      processed++;
      if (processed > maxRows) {
        throw new AppError(
          'IMPORT.BAD_FILE',
          { maxRows },
          {
            zh: `文件超过单次导入上限 ${maxRows} 行，请拆分后分批导入`,
            en: `The file has more than ${maxRows} rows, the limit of one import; split it`,
          },
        );
      }
      const parsed = spec.parseRow(row.cells, ctx);
      if ('errors' in parsed || row.problems.length > 0) {
        failed.push({ rowNumber: row.rowNumber, original: row.original, errors: [...row.problems, ...('errors' in parsed ? parsed.errors : [])] });
      } else {
        const key = spec.naturalKey(parsed.value);
        const first = firstRowOfKey.get(key);
        if (first !== undefined) {
          failed.push({ rowNumber: row.rowNumber, original: row.original, errors: [duplicateError(spec, keyColumn, key, first, row.rowNumber)] });
        } else {
          firstRowOfKey.set(key, row.rowNumber);
          valid.push({ rowNumber: row.rowNumber, value: parsed.value, original: row.original });
        }
      }
      const now = performance.now();
      if (now - lastAt >= PROGRESS_MS) {
        // 0 stays "unknown"; an estimate that proved too small grows with the count.
        if (estimate > 0) estimate = Math.max(estimate, processed);
        lastAt = now;
        await db.update(imports).set({ processedRows: processed, totalRows: estimate, errorRows: failed.length, heartbeatAt: clock.now() }).where(eq(imports.id, id));
        report('validating', processed, estimate);
      }
    }
    summary.totalRows = processed;
    const notes = shapeNotes(sheet.skippedTotals, sheet.appliedMerges);
    if (processed === 0) {
      throw new AppError('IMPORT.BAD_FILE', { rows: 0 }, { zh: '文件中没有数据行', en: 'The file has no data rows' });
    }

    // 2. Look-ups against the database (codes, scope) may refuse more rows.
    const lookups = await spec.prepare(db, valid, ctx);
    let writable = valid;
    if (lookups.size > 0) {
      writable = [];
      for (const r of valid) {
        // A look-up's refusal without a code of its own: the row names what the database refuses.
        const errs = lookups.get(r.rowNumber)?.map((e) => ({ ...e, code: e.code ?? 'IMPORT.REFERENCE' }));
        if (errs) failed.push({ rowNumber: r.rowNumber, original: r.original, errors: errs });
        else writable.push(r);
      }
    }
    failed.sort((a, b) => a.rowNumber - b.rowNumber);
    summary.errorRows = failed.length;
    if (failed.length > 0) {
      summary.errorReport = await errorWorkbook({ sheetName: spec.labelZh, columns: spec.columns, headers: sheet.headers, rows: failed });
      summary.errors = errorItems(spec.columns, sheet.headers, failed);
      await storeErrors(db, id, summary.errors);
    }
    await db.update(imports).set({ processedRows: processed, totalRows: processed, errorRows: failed.length }).where(eq(imports.id, id));
    report('validating', processed, processed);

    if (failed.length > 0 && mode === 'all') {
      summary.message = {
        code: 'IMPORT.ROW_ERRORS',
        zh: `共 ${processed} 行，其中 ${failed.length} 行有误，未导入任何数据；请下载错误报告修改后重新导入`,
        en: `${failed.length} of ${processed} rows have errors; nothing was imported. Download the error report, fix it and import again`,
      };
      summary.message = withNotes(summary.message, notes);
      await finish(db, summary);
      report('failed', processed, processed);
      return summary;
    }

    // 3. One transaction: all or nothing.
    await db.update(imports).set({ status: 'writing', processedRows: 0, totalRows: writable.length }).where(eq(imports.id, id));
    report('writing', 0, writable.length);
    const counts = await db.transaction(async (tx) => {
      // Writing a whole file is a job, not a request: no statement timeout here (decision 0018).
      await liftStatementTimeout(tx);
      const again = await spec.prepare(tx, writable, ctx);
      if (again.size > 0) throw new ChangedSinceValidation();
      return spec.write(tx, writable, ctx, (done) => report('writing', done, writable.length));
    });
    Object.assign(summary, counts, { status: 'done' as const });
    summary.message =
      failed.length > 0
        ? {
            zh: `已导入正确的 ${writable.length} 行（新增 ${counts.inserted}，更新 ${counts.updated}，无变化 ${counts.unchanged}），${failed.length} 行有误已跳过`,
            en: `${writable.length} valid rows imported (${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged); ${failed.length} rows with errors skipped`,
          }
        : {
            zh: `导入完成：新增 ${counts.inserted}，更新 ${counts.updated}，无变化 ${counts.unchanged}`,
            en: `Imported: ${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged`,
          };
    summary.message = withNotes(summary.message, notes);
    await finish(db, summary, writable.length);
    report('done', writable.length, writable.length);
    return summary;
  } catch (e) {
    summary.status = 'failed';
    if (e instanceof ChangedSinceValidation) {
      summary.message = { code: 'IMPORT.CHANGED', zh: '校验后数据已被他人修改，未导入任何数据，请重新导入', en: 'The data changed during the import; nothing was imported, please import again' };
    } else if (e instanceof AppError) {
      summary.message = { code: e.code, zh: messageOf(e.code, 'zh-CN', e.text), en: messageOf(e.code, 'en', e.text) };
    } else if (overloadCode(e)) {
      const code = overloadCode(e)!;
      summary.message = { code, zh: messageOf(code, 'zh-CN'), en: messageOf(code, 'en') };
    } else {
      summary.message = { code: 'INTERNAL', zh: `导入失败：${(e as Error)?.message ?? e}`, en: `Import failed: ${(e as Error)?.message ?? e}` };
    }
    // A file refused as a whole (no header, unreadable, too many rows) is one error without a row.
    if (e instanceof AppError && summary.errors.length === 0) {
      summary.errors = [fileErrorItem(summary.message)];
      await storeErrors(db, id, summary.errors).catch(() => undefined);
    }
    await finish(db, summary).catch(() => undefined);
    report('failed', summary.totalRows, summary.totalRows);
    return summary;
  } finally {
    untrack();
  }
}

/**
 * Records how an import ended on its `imports` row (the bulk sales path ends its rows here too),
 * with the audit head it saw as an anchor (decision 0016) — in one transaction.
 */
export async function finish(db: Db, s: Omit<ImportSummary, 'errors'>, processedRows?: number) {
  await db.transaction(async (tx) => {
    const head = await recordAnchor(tx, { kind: 'import', ref: s.id, nodeId: null });
    await tx
      .update(imports)
      .set({
        status: s.status,
        totalRows: s.totalRows,
        processedRows: processedRows ?? s.totalRows,
        errorRows: s.errorRows,
        inserted: s.inserted,
        updated: s.updated,
        unchanged: s.unchanged,
        message: encodeMessage(s.message),
        errorReport: s.errorReport,
        finishedAt: clock.now(),
        auditSeq: head?.seq ?? null,
        auditHash: head?.hash ?? null,
      })
      .where(eq(imports.id, s.id));
  });
}

/**
 * What the summary adds about the sheet's shape (issue 18): totals rows skipped, vertical merges
 * applied — `已跳过合计行 1 行（第 12 行）`.
 */
function shapeNotes(totals: readonly number[], merges: readonly AppliedMerge[]): Text2 {
  const zh: string[] = [];
  const en: string[] = [];
  if (totals.length > 0) {
    const shown = totals.slice(0, 10);
    const more = totals.length > shown.length ? ' 等' : '';
    zh.push(`已跳过合计行 ${totals.length} 行（第 ${shown.join('、')}${more} 行）`);
    en.push(`${totals.length} totals row(s) skipped (row ${shown.join(', ')}${more ? ' …' : ''})`);
  }
  if (merges.length > 0) {
    const shown = merges.slice(0, 5);
    zh.push(
      `已按合并单元格将首行的值填入其下各行：${shown.map((m) => `${m.header} 第 ${m.top}–${m.bottom} 行（取自第 ${m.top} 行）`).join('；')}${merges.length > shown.length ? ` 等 ${merges.length} 处` : ''}`,
    );
    en.push(
      `merged cells applied to the rows below them: ${shown.map((m) => `${m.header} rows ${m.top}–${m.bottom} (from row ${m.top})`).join('; ')}${merges.length > shown.length ? ` and more (${merges.length})` : ''}`,
    );
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

function withNotes<T extends Text2>(m: T, notes: Text2): T {
  if (!notes.zh) return m;
  return { ...m, zh: `${m.zh}；${notes.zh}`, en: `${m.en}; ${notes.en}` };
}

/** Two rows of one file with the same natural key (the bulk sales path reuses the words). */
export function duplicateError(spec: AnyImportSpec, column: string, key: string, first: number, again: number): RowError {
  const header = spec.columns.find((c) => c.key === column)?.header ?? column;
  return {
    column,
    code: 'IMPORT.DUPLICATE_ROW',
    zh: `与第${first}行重复（${header} ${key}），第${first}行与第${again}行只能保留一行`,
    en: `duplicates row ${first} (${key}); keep only one of rows ${first} and ${again}`,
  };
}

/** Creates and runs an import to the end (the CLI; tests). */
export async function runImport(input: {
  db: Db;
  auth: AuthContext;
  kind: string;
  fileName: string;
  bytes: Buffer;
  mode?: ImportMode;
  onProgress?: (p: ImportProgress) => void;
  limits?: UploadLimits;
}): Promise<ImportSummary> {
  const spec = specOf(input.kind);
  const mode = input.mode ?? 'all';
  const id = await createImport(input.db, input.auth, spec.kind, input.fileName, mode);
  return processImport(input.db, id, { auth: input.auth, spec, fileName: input.fileName, bytes: input.bytes, mode, onProgress: input.onProgress, limits: input.limits });
}

/** What the API shows of an import: everything but the report bytes. */
const summaryColumns = {
  id: imports.id,
  kind: imports.kind,
  fileName: imports.fileName,
  mode: imports.mode,
  status: imports.status,
  totalRows: imports.totalRows,
  processedRows: imports.processedRows,
  errorRows: imports.errorRows,
  inserted: imports.inserted,
  updated: imports.updated,
  unchanged: imports.unchanged,
  message: imports.message,
  hasErrorReport: sql<boolean>`(${imports.errorReport} IS NOT NULL)`,
  createdBy: imports.createdBy,
  createdAt: imports.createdAt,
  finishedAt: imports.finishedAt,
};

/** One import without its report bytes, or null. */
export async function getImport(db: Db, id: string) {
  const [row] = await db.select(summaryColumns).from(imports).where(eq(imports.id, id)).limit(1);
  return row ?? null;
}

/** The error workbook of an import, or null. */
export async function getErrorReport(db: Db, id: string): Promise<Buffer | null> {
  const [row] = await db.select({ report: imports.errorReport }).from(imports).where(eq(imports.id, id)).limit(1);
  return row?.report ?? null;
}

/** The caller's own recent imports, newest first. */
export async function recentImports(db: Db, staffId: number, limit = 50) {
  return db.select(summaryColumns).from(imports).where(eq(imports.createdBy, staffId)).orderBy(desc(imports.createdAt)).limit(limit);
}

/** Polls until an import has finished (tests; a client would poll GET /jobs/:id). */
export async function waitForImport(db: Db, id: string, timeoutMs = 60_000) {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const row = await getImport(db, id);
    if (!row) throw new AppError('IMPORT.NOT_FOUND', { id });
    if (row.status === 'done' || row.status === 'failed') return row;
    if (performance.now() > until) throw new Error(`import ${id} still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
