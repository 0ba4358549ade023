import { asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { importErrors } from '../../db/schema/index.js';
import { chunks, columnLabel, describeError, errorCode, type ImportColumn, type RowError, type Text2, type UploadedHeader } from './import-spec.js';

/**
 * An import's errors for machines (issue 18, part 2): each refused cell or row as one item, with
 * the row as the user sees it in the sheet, the column as the uploaded sheet names it, a stable
 * code and the error report's words. Kept in `import_errors`, so the API and the CLI can page
 * them; the error workbook (error-workbook.ts) says the same to people.
 */
export interface ImportErrorItem {
  /** The sheet's row number as Excel shows it; null for the file as a whole. */
  row: number | null;
  /** The column as the uploaded sheet names it (证件号码); null for the row or the file. */
  column: string | null;
  /** The template's name of the column (客户身份证号码), when it is one of the template's. */
  templateColumn: string | null;
  /** The spec's key of the column (idNumber), for programs that map columns themselves. */
  columnKey: string | null;
  /** IMPORT.REQUIRED, IMPORT.CHECK_DIGIT, SALE.UNKNOWN_CLIENT …; the file's own: IMPORT.NO_HEADER … */
  code: string;
  /** As the error report says it: `第5行 证件号码（模板列名：客户身份证号码）：…`. */
  message: string;
  messageEn: string;
}

/** Every error of the refused rows, in row order, as items. */
export function errorItems(columns: ImportColumn[], headers: readonly UploadedHeader[], rows: readonly { rowNumber: number; errors: RowError[] }[]): ImportErrorItem[] {
  const out: ImportErrorItem[] = [];
  for (const r of rows) {
    for (const e of r.errors) {
      const known = e.column !== null && columns.some((c) => c.key === e.column);
      const label = known ? columnLabel(columns, e.column!, headers) : null;
      out.push({
        row: r.rowNumber,
        column: label ? (label.uploaded ?? label.template) : null,
        templateColumn: label?.template ?? null,
        columnKey: e.column,
        code: errorCode(e),
        message: describeError(columns, r.rowNumber, e, 'zh', headers),
        messageEn: describeError(columns, r.rowNumber, e, 'en', headers),
      });
    }
  }
  return out;
}

/** A file refused as a whole (no header, unreadable): one item without a row. */
export function fileErrorItem(message: Text2 & { code?: string }): ImportErrorItem {
  return { row: null, column: null, templateColumn: null, columnKey: null, code: message.code ?? 'IMPORT.BAD_FILE', message: message.zh, messageEn: message.en };
}

/** Stores an import's errors (replacing any stored before), in slices a statement can hold. */
export async function storeErrors(db: DbOrTx, importId: string, items: readonly ImportErrorItem[]): Promise<void> {
  await db.delete(importErrors).where(eq(importErrors.importId, importId));
  let seq = 0;
  for (const slice of chunks([...items], 1000)) {
    await db.insert(importErrors).values(
      slice.map((i) => ({
        importId,
        seq: ++seq,
        rowNumber: i.row,
        columnKey: i.columnKey,
        columnHeader: i.column,
        templateHeader: i.templateColumn,
        code: i.code,
        messageZh: i.message,
        messageEn: i.messageEn,
      })),
    );
  }
}

/** One page of an import's errors (page 1-based), in report order, and how many there are. */
export async function pageErrors(db: DbOrTx, importId: string, page: number, pageSize: number): Promise<{ items: ImportErrorItem[]; total: number }> {
  const [{ n }] = await db.select({ n: count() }).from(importErrors).where(eq(importErrors.importId, importId));
  const list = await db
    .select()
    .from(importErrors)
    .where(eq(importErrors.importId, importId))
    .orderBy(asc(importErrors.seq))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    total: Number(n),
    items: list.map((r) => ({
      row: r.rowNumber,
      column: r.columnHeader,
      templateColumn: r.templateHeader,
      columnKey: r.columnKey,
      code: r.code,
      message: r.messageZh,
      messageEn: r.messageEn,
    })),
  };
}
