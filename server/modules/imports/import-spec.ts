import type { z } from 'zod';
import type { Permission } from '../../../shared/access.js';
import type { Tx, DbOrTx } from '../../db/client.js';
import type { AuthContext } from '../access/context.js';
import type { Actor } from '../audit/audit.service.js';
import { type CellRaw, cellText, normHeader } from './normalize.js';
import { CELL_INVALID, type CheckedCell } from './cells.js';

/** Bilingual text: the UI shows zh-CN by default, English one click away. */
export interface Text2 {
  zh: string;
  en: string;
}

/** One column of an import template and of the sheet a user uploads. */
export interface ImportColumn {
  key: string;
  /** The Chinese header as it appears in the template. */
  header: string;
  headerEn: string;
  /** Other headers banks use for the same column (e.g. 手机号码 for 手机号). */
  aliases?: string[];
  required: boolean;
  /** The template's example row. */
  example: string | number;
  width?: number;
  /** What goes in the cell, for the template's 填写说明 sheet. */
  note?: Text2;
  /** Validates one non-empty cell: a preprocess step normalises, the schema checks. */
  schema: z.ZodType;
  /** What the error report says when the schema refuses the cell. */
  invalid: Text2;
  /** Keep the template column as text in Excel (codes with leading zeros, phone numbers). */
  text?: boolean;
  /**
   * Says exactly what is wrong with a cell the schema refused, from the cell as typed (a check
   * digit, say), in place of `invalid`; null falls back to `invalid`.
   */
  explain?: (raw: CellRaw) => (Text2 & { code?: string }) | null;
}

/** A problem with one row; `column` names the cell, null for the row as a whole. */
export interface RowError {
  column: string | null;
  zh: string;
  en: string;
  /**
   * A stable code for programs (IMPORT.REQUIRED, IMPORT.CHECK_DIGIT, SALE.UNKNOWN_CLIENT …);
   * without one a look-up's refusal (`prepare`: unknown code, outside the scope) is
   * IMPORT.REFERENCE, a cell's error IMPORT.INVALID and a row's IMPORT.ROW_INVALID (`errorCode`).
   */
  code?: string;
}

/** The code of a row error as the JSON errors carry it. */
export function errorCode(e: RowError): string {
  return e.code ?? (e.column === null ? 'IMPORT.ROW_INVALID' : 'IMPORT.INVALID');
}

/** What a spec sees of the caller and the run. */
export interface ImportContext {
  auth: AuthContext;
  actor: Actor;
  /** The import run (imports.id), for rows that keep where they came from. */
  importId?: string;
}

/** A parsed row with the sheet row it came from (1-based, as Excel numbers it). */
export interface ImportRow<V> {
  rowNumber: number;
  value: V;
}

export type ParseResult<V> = { value: V } | { errors: RowError[] };

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * What a list implements to become importable (SPEC §14): template columns, per-cell parsing,
 * the natural key an upsert matches on, database look-ups that can refuse rows, and the write.
 */
export interface ImportSpec<V> {
  kind: string;
  labelZh: string;
  labelEn: string;
  /** Needed to import this kind; each row's node must also be inside its scope. */
  permission: Permission;
  columns: ImportColumn[];
  /** Turns raw cells into a value, or names every bad cell. */
  parseRow(cells: Record<string, CellRaw>, ctx: ImportContext): ParseResult<V>;
  /** The upsert key; two rows of one file with the same key are an error. */
  naturalKey(value: V): string;
  /** Look-ups (codes → ids, scope): row errors by row number; may enrich the values in place. */
  prepare(db: DbOrTx, rows: ImportRow<V>[], ctx: ImportContext): Promise<Map<number, RowError[]>>;
  /**
   * Upserts by natural key inside the caller's transaction, writing nothing for unchanged rows
   * and one audit entry per inserted or updated record. `onRows` reports progress.
   */
  write(tx: Tx, rows: ImportRow<V>[], ctx: ImportContext, onRows?: (done: number) => void): Promise<WriteCounts>;
}

/** Any spec, whatever its value type: the registry and the service hold these. */
export type AnyImportSpec = ImportSpec<unknown>;

export const REQUIRED_TEXT: Text2 = { zh: '不能为空', en: 'is required' };

/**
 * The per-cell half of parseRow: empty optional cells become null, empty required cells and
 * cells the column's zod schema refuses become errors naming the column.
 */
export function parseCells(columns: ImportColumn[], cells: Record<string, CellRaw>): { values: Record<string, unknown>; errors: RowError[] } {
  const values: Record<string, unknown> = {};
  const errors: RowError[] = [];
  for (const col of columns) {
    const raw = cells[col.key] ?? null;
    if (cellText(raw) === null) {
      if (col.required) errors.push({ column: col.key, code: 'IMPORT.REQUIRED', ...REQUIRED_TEXT });
      values[col.key] = null;
      continue;
    }
    // The schema's plain-JS twin where it has one (cells.ts): the same value, without zod per cell.
    const check = (col.schema as CheckedCell).cellCheck;
    let ok: boolean;
    if (check) {
      const v = check(raw);
      ok = v !== CELL_INVALID;
      if (ok) values[col.key] = v;
    } else {
      const res = col.schema.safeParse(raw);
      ok = res.success;
      if (res.success) values[col.key] = res.data;
    }
    if (!ok) errors.push({ column: col.key, code: 'IMPORT.INVALID', ...col.invalid, ...(col.explain?.(raw) ?? {}) });
  }
  return { values, errors };
}

/** A column of the uploaded sheet: its header as typed and the spec column it maps to. */
export interface UploadedHeader {
  key: string | null;
  header: string;
}

/** Headers compared as the reader matches them: `客户身份证号码*` is the template's own. */
const sameHeader = (a: string, b: string) => normHeader(a) === normHeader(b);

/**
 * A column named as the uploaded sheet names it, with the template's name in brackets where they
 * differ (an alias such as 证件号码 for 客户身份证号码): `证件号码（模板列名：客户身份证号码）`.
 * Without the sheet's headers (or a column the sheet lacks), the template's name.
 */
export function columnLabel(columns: ImportColumn[], key: string, headers?: readonly UploadedHeader[], lang: 'zh' | 'en' = 'zh'): { label: string; uploaded: string | null; template: string } {
  const col = columns.find((c) => c.key === key);
  const template = col ? (lang === 'en' ? col.headerEn : col.header) : key;
  const uploaded = headers?.find((h) => h.key === key)?.header ?? null;
  if (!uploaded || !col || sameHeader(uploaded, col.header) || sameHeader(uploaded, col.headerEn)) return { label: template, uploaded, template: col?.header ?? key };
  return { label: lang === 'en' ? `${uploaded} (template column: ${template})` : `${uploaded}（模板列名：${template}）`, uploaded, template: col.header };
}

/**
 * A row error in the error report's words: `第5行 手机号：应为11位手机号码`, the column as the
 * uploaded sheet names it when `headers` are given (`第5行 证件号码（模板列名：客户身份证号码）：…`).
 */
export function describeError(columns: ImportColumn[], rowNumber: number, e: RowError, lang: 'zh' | 'en' = 'zh', headers?: readonly UploadedHeader[]): string {
  const label = e.column && columns.some((c) => c.key === e.column) ? columnLabel(columns, e.column, headers, lang).label : null;
  if (lang === 'en') return `Row ${rowNumber}${label ? ` ${label}` : ''}: ${e.en}`;
  return `第${rowNumber}行${label ? ` ${label}` : ''}：${e.zh}`;
}

/** Splits work into slices: one statement's parameters are limited. */
export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
