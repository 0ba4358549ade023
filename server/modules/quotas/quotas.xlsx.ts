import ExcelJS from 'exceljs';
import { QUOTA_COLUMNS } from './quotas.import.js';
import type { OrgNode } from '../org/org.queries.js';
import type { QuotaOutT } from './quotas.schemas.js';
import { workbookBuffer } from '../../xlsx/safe-cell.js';

const SOURCE = { manual: '手工录入', proposal: '建议目标', import: '导入' } as const;

/**
 * A branch's quotas as a workbook: the first sheet has exactly the import template's columns
 * (so an export can be edited and imported back: the importer reads the first sheet only), the
 * second the same rows with names, units and where each figure came from.
 */
export async function quotasWorkbook(node: OrgNode, items: QuotaOutT[], plan: { state: string; approvedVersion: number }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  const data = wb.addWorksheet('营销任务', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = QUOTA_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 12 }));
  data.getRow(1).font = { bold: true };
  QUOTA_COLUMNS.forEach((c, i) => {
    if (c.text) data.getColumn(i + 1).numFmt = '@';
  });
  for (const q of items) {
    data.addRow({
      branchCode: node.code,
      year: q.year,
      departmentCode: q.departmentCode,
      productCode: q.productCode,
      staffNo: q.staffNo,
      outletCode: q.outletCode,
      quantity: q.quantity,
      note: q.note,
    });
  }
  const detail = wb.addWorksheet('任务明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = [
    { header: '部门', key: 'departmentName', width: 14 },
    { header: '产品', key: 'productName', width: 16 },
    { header: '产品条线', key: 'lineCode', width: 10 },
    { header: '计量单位', key: 'unit', width: 8 },
    { header: '员工号', key: 'staffNo', width: 12 },
    { header: '姓名', key: 'staffName', width: 10 },
    { header: '网点', key: 'outletName', width: 16 },
    { header: '任务数量', key: 'quantity', width: 12 },
    { header: '来源', key: 'source', width: 10 },
    { header: '最后修改人', key: 'editor', width: 12 },
    { header: '最后修改时间', key: 'updatedAt', width: 22 },
  ];
  detail.getRow(1).font = { bold: true };
  for (const q of items) detail.addRow({ ...q, source: SOURCE[q.source], editor: q.updatedBy?.name ?? '', updatedAt: q.updatedAt });
  detail.addRow({});
  detail.addRow({ departmentName: `状态：${plan.state === 'approved' ? `已审批（第${plan.approvedVersion}版）` : '草稿（待委员会审批）'}` });
  return workbookBuffer(wb);
}
