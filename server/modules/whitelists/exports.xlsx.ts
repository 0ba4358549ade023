import { writeXlsx } from '../../xlsx/xlsx.js';
import type { ExportColumn } from './exports.service.js';

/** A remote-campaign list as a workbook (one sheet, bold frozen header). */
export function campaignWorkbook(sheet: string, columns: ExportColumn[], data: Record<string, unknown>[]): Promise<Buffer> {
  return writeXlsx(
    sheet,
    columns.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    data,
  );
}
