import type ExcelJS from 'exceljs';

/** Excel's limit on the characters of one cell (exports cut there; the upload guard refuses past it). */
export const EXCEL_MAX_CELL_CHARS = 32_767;

/**
 * Text bound for a spreadsheet cell of an export (issue 10, finding 3c). A value starting with
 * = + - @ (or a tab or carriage return) is one a spreadsheet may take for a formula ("CSV/formula
 * injection": `=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|'/c calc'!A0`), so it gets a leading
 * apostrophe and is shown as the text it is. A plain number written as text ("-12.5", "+86…")
 * cannot be a formula and is left alone. A value longer than Excel's 32,767 characters is cut
 * there (an oversize cell never reaches an export or an error report). Every export writer —
 * writeXlsx, the error workbooks, the workbooks of statements, quotas, dashboards, assessment,
 * templates, and the bulk path's error CSV — goes through here.
 */
export function safeCell(text: string): string {
  let s = text.length > EXCEL_MAX_CELL_CHARS ? text.slice(0, EXCEL_MAX_CELL_CHARS) : text;
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`.slice(0, EXCEL_MAX_CELL_CHARS);
  return s;
}

/** safeCell for strings; other values (numbers, dates, booleans, null) unchanged. */
export function safeValue<T>(v: T): T | string {
  return typeof v === 'string' ? safeCell(v) : v;
}

/** Every text cell of a workbook (all sheets) through safeCell. */
export function neutraliseWorkbook(wb: ExcelJS.Workbook): void {
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (typeof cell.value === 'string') cell.value = safeCell(cell.value);
        else if (cell.value && typeof cell.value === 'object' && 'richText' in cell.value) {
          const rich = cell.value.richText;
          if (rich.length > 0) rich[0] = { ...rich[0], text: safeCell(rich[0].text) };
        }
      });
    });
  });
}

/** The bytes of a workbook, its text cells neutralised first: how every in-memory workbook is written. */
export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  neutraliseWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
