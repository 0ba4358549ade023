import ExcelJS from 'exceljs';
import { workbookBuffer } from '../../xlsx/safe-cell.js';
import { safeSheetName } from '../../xlsx/xlsx.js';
import type { ImportColumn } from './import-spec.js';

const RED = 'FFC00000';

/**
 * The import template of a list (SPEC §14): Chinese headers (required ones in red), one example
 * row, code and phone columns formatted as text so Excel keeps leading zeros, and a 填写说明 sheet
 * explaining every column.
 */
export async function templateWorkbook(spec: { labelZh: string; columns: ImportColumn[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  const ws = wb.addWorksheet(safeSheetName(spec.labelZh), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(12, c.header.length * 3) }));
  spec.columns.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.font = { bold: true, color: { argb: c.required ? RED : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    if (c.note) cell.note = c.note.zh;
    if (c.text) ws.getColumn(i + 1).numFmt = '@';
  });
  ws.addRow(Object.fromEntries(spec.columns.map((c) => [c.key, c.text ? String(c.example) : c.example])));

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 14 },
    { header: 'Column', key: 'headerEn', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写说明', key: 'note', width: 60 },
    { header: '示例', key: 'example', width: 20 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of spec.columns) {
    help.addRow({ header: c.header, headerEn: c.headerEn, required: c.required ? '必填' : '选填', note: c.note?.zh ?? c.invalid.zh, example: String(c.example) });
  }
  help.addRow({});
  for (const line of [
    '1. 请在第一个工作表中填写数据，表头须与模板一致（红色为必填列）；表头上方可保留标题行。',
    '2. 以“工号”“机构号”等代码为唯一标识：已存在的记录将被更新，不存在的将新增；内容未变化的行不做任何修改。',
    '3. 文件中任一行有误时默认不导入任何数据，可下载错误报告修改后重新导入；也可选择“仅导入正确的行”。',
    '4. 支持 .xlsx 与 .csv（UTF-8 或 GBK 编码）。',
  ]) {
    help.addRow({ header: line });
  }
  return workbookBuffer(wb);
}
