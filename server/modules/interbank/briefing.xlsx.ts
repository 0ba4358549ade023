import ExcelJS from 'exceljs';
import { safeSheetName } from '../../xlsx/xlsx.js';
import { workbookBuffer } from '../../xlsx/safe-cell.js';
import { type Briefing, briefingLayout } from './briefing.service.js';

/**
 * 周通报 workbook: a 通报 sheet with the prose and the requirements, then one sheet per table of the
 * layout (the same content as the page and the PDF). Percentages are the integer basis points
 * formatted as text, never floats.
 */
export async function briefingWorkbook(b: Briefing, bankName: string): Promise<Buffer> {
  const layout = briefingLayout(b, bankName);
  const wb = new ExcelJS.Workbook();
  const head = wb.addWorksheet('通报');
  head.getColumn(1).width = 120;
  head.addRow([layout.title]).font = { bold: true, size: 14 };
  for (const l of [...layout.lines, '', ...layout.footer]) head.addRow([l]).alignment = { wrapText: true };
  for (const t of layout.tables) {
    const ws = wb.addWorksheet(safeSheetName(t.title.replace(/[（(][^（(]*[）)]$/, '')), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.headers.map((h, i) => ({ header: h, key: `c${i}`, width: Math.max(10, Math.round(t.widths[i] * 9)) }));
    ws.getRow(1).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((c, i) => (t.numeric.includes(i) && /^-?\d+$/.test(c) ? Number(c) : c)));
  }
  return workbookBuffer(wb);
}
