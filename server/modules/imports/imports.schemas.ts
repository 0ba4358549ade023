import { z } from 'zod';

/** Response schemas of /api/imports, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const ImportOut = z.object({
  id: z.string(),
  kind: z.string(),
  fileName: z.string(),
  mode: z.enum(['all', 'valid_only']),
  /** validating → writing → done, or failed (nothing written when mode is 'all'). */
  status: z.enum(['validating', 'writing', 'done', 'failed']),
  totalRows: z.number(),
  processedRows: z.number(),
  errorRows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** A sentence for people, in the caller's language. */
  message: z.string().nullable(),
  /** A stable code for programs (IMPORT.ROW_ERRORS, IMPORT.NO_HEADER …) when it failed. */
  messageCode: z.string().nullable(),
  hasErrorReport: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A kind of list the caller may import. */
export const ImportKindOut = z.object({ kind: z.string(), labelZh: z.string(), labelEn: z.string(), permission: z.string() });

/** One refused cell (or row, or the file) of an import, for programs (issue 18). */
export const ImportErrorOut = z.object({
  /** The sheet's row number as the user sees it in Excel; null for the file as a whole. */
  row: z.number().nullable(),
  /** The column as the uploaded sheet names it (证件号码); null for the row as a whole. */
  column: z.string().nullable(),
  /** The template's name of that column (客户身份证号码). */
  templateColumn: z.string().nullable(),
  /** The template column's key (idNumber). */
  columnKey: z.string().nullable(),
  /** A stable code: IMPORT.REQUIRED, IMPORT.INVALID, IMPORT.CHECK_DIGIT, IMPORT.MERGED_CELL, IMPORT.DUPLICATE_ROW, IMPORT.REFERENCE (a look-up refused: unknown code, outside the caller's scope), SALE.… */
  code: z.string(),
  /** As the error report says it, in Chinese: `第5行 证件号码（模板列名：客户身份证号码）：…`. */
  message: z.string(),
  messageEn: z.string(),
});
