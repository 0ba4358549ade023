import { createWriteStream, type WriteStream } from 'node:fs';
import type { FailedRow } from '../imports/error-workbook.js';
import { type AnyImportSpec, describeError, type RowError } from '../imports/import-spec.js';
import { duplicateError as frameworkDuplicate } from '../imports/import.service.js';
import { safeCell } from '../../xlsx/safe-cell.js';
import { salesSpec } from './sales.import.js';

/**
 * The refused rows of a bulk load (sales.bulk.ts), in the framework's words: counted, the first
 * ones kept for the result and the error workbook, every one streamed to a CSV when asked for.
 */

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

const HEADER_OF = new Map(salesSpec.columns.map((c) => [c.key, c.header]));

/** The framework's duplicate-row words. */
export const duplicateError = (key: string, first: number, again: number): RowError => frameworkDuplicate(salesSpec as AnyImportSpec, 'sourceId', key, first, again);

/** A row error that knows its code (SALE.…), so the result can carry it apart from the words. */
export type CodedError = RowError & { code?: string };

export /** Counts and the kept part of the refused rows; every error goes to the CSV when one is asked for. */
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
