import ExcelJS from 'exceljs';
import { safeSheetName } from '../../xlsx/xlsx.js';
import type { CompletionOutT, DrillOutT, RankingsOutT, TrendOutT } from './dashboards.schemas.js';
import { workbookBuffer } from '../../xlsx/safe-cell.js';

interface Col {
  header: string;
  key: string;
  width?: number;
  /** Integer hundredths (points, basis points) written as a number with two decimals. */
  hundredths?: boolean;
}

/**
 * A workbook of simple sheets with Chinese headers; hundredths are written as numbers with two
 * decimals (exact at that precision in Excel's display) and totals rows are summed in integers.
 */
async function workbook(sheets: { name: string; cols: Col[]; rows: Record<string, unknown>[]; totals?: Record<string, unknown> }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  for (const s of sheets) {
    const ws = wb.addWorksheet(safeSheetName(s.name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const c of s.cols) if (c.hundredths) ws.getColumn(c.key).numFmt = '0.00';
    const cell = (v: unknown, c: Col) => (c.hundredths && typeof v === 'number' ? v / 100 : (v ?? null));
    for (const r of [...s.rows, ...(s.totals ? [s.totals] : [])]) ws.addRow(Object.fromEntries(s.cols.map((c) => [c.key, cell(r[c.key], c)])));
    if (s.totals) ws.getRow(ws.rowCount).font = { bold: true };
  }
  return workbookBuffer(wb);
}

const periodLabel = (p: { from: string; to: string }) => (p.from === p.to ? p.from : `${p.from}至${p.to}`);
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

export function completionWorkbook(c: CompletionOutT): Promise<Buffer> {
  const yes = (b: boolean | null) => (b === null ? '' : b ? '是' : '否');
  return workbook([
    {
      name: '任务完成情况',
      cols: [
        { header: '部门代码', key: 'departmentCode', width: 10 },
        { header: '部门', key: 'departmentName', width: 14 },
        { header: '产品代码', key: 'productCode', width: 10 },
        { header: '产品', key: 'productName', width: 16 },
        { header: '计量单位', key: 'unit', width: 8 },
        { header: '员工号', key: 'staffNo', width: 10 },
        { header: '姓名', key: 'staffName', width: 10 },
        { header: '网点', key: 'outletName', width: 14 },
        { header: '年度任务', key: 'quota', width: 12 },
        { header: '完成量', key: 'completion', width: 12 },
        { header: '完成率(%)', key: 'completionBp', width: 10, hundredths: true },
        { header: '达到50%', key: 'reached50', width: 8 },
        { header: '达到100%', key: 'reached100', width: 9 },
        { header: '销售笔数', key: 'sales', width: 9 },
      ],
      rows: c.rows.map((r) => ({ ...r, quota: r.quota ?? '未设任务', reached50: yes(r.reached50), reached100: yes(r.reached100) })),
    },
    {
      name: '部门汇总',
      cols: [
        { header: '部门代码', key: 'departmentCode', width: 10 },
        { header: '部门', key: 'departmentName', width: 14 },
        { header: '任务项数', key: 'quotas', width: 10 },
        { header: '达到50%项数', key: 'reached50', width: 12 },
        { header: '达到100%项数', key: 'reached100', width: 12 },
      ],
      rows: c.departments,
    },
    {
      name: '说明',
      cols: [
        { header: '项目', key: 'k', width: 16 },
        { header: '内容', key: 'v', width: 60 },
      ],
      rows: [
        { k: '机构', v: `${c.node.name}（${c.node.code}）` },
        { k: '年度', v: c.year },
        { k: '统计期间', v: periodLabel(c.period) },
        { k: '产品条线', v: c.lineCode ?? '全部' },
        { k: '任务状态', v: c.plan.state === 'approved' ? `已审批（第${c.plan.approvedVersion}版）` : '草稿（待委员会审批）' },
        { k: '口径', v: '完成量 = 部门作为主办或参与部门的该产品销售数量之和；按揭规则作废、抽查认定虚假（冲销）的销售不计入；实时计算' },
      ],
    },
  ]);
}

export function rankingsWorkbook(r: RankingsOutT): Promise<Buffer> {
  return workbook([
    {
      name: '部门积分排名',
      cols: [
        { header: '排名', key: 'rank', width: 6 },
        { header: '部门代码', key: 'code', width: 10 },
        { header: '部门', key: 'name', width: 16 },
        { header: '积分', key: 'pointsHundredths', width: 12, hundredths: true },
      ],
      rows: r.departments,
      totals: { rank: '合计', pointsHundredths: sum(r.departments, (d) => d.pointsHundredths) },
    },
    {
      name: '个人积分排名',
      cols: [
        { header: '排名', key: 'rank', width: 6 },
        { header: '员工号', key: 'staffNo', width: 12 },
        { header: '姓名', key: 'name', width: 10 },
        { header: '所在部门', key: 'departmentName', width: 14 },
        { header: '所在机构', key: 'nodeName', width: 16 },
        { header: '积分', key: 'pointsHundredths', width: 12, hundredths: true },
      ],
      rows: r.people,
    },
    {
      name: '说明',
      cols: [
        { header: '项目', key: 'k', width: 16 },
        { header: '内容', key: 'v', width: 60 },
      ],
      rows: [
        { k: '机构', v: `${r.node.name}（${r.node.code}）` },
        { k: '统计期间', v: periodLabel(r.period) },
        { k: '产品条线', v: r.lineCode ?? '全部' },
        { k: '积分合计', v: r.total.points },
      ],
    },
  ]);
}

export function trendWorkbook(t: TrendOutT): Promise<Buffer> {
  return workbook([
    {
      name: '月度积分趋势',
      cols: [
        { header: '月份', key: 'month', width: 10 },
        { header: '积分', key: 'pointsHundredths', width: 12, hundredths: true },
        { header: '按揭规则作废积分', key: 'voided', width: 16, hundredths: true },
        { header: '交叉销售笔数', key: 'sales', width: 12 },
      ],
      rows: t.months.map((m) => ({ month: m.month, pointsHundredths: m.pointsHundredths, voided: m.voided.pointsHundredths, sales: m.sales })),
      totals: { month: '合计', pointsHundredths: sum(t.months, (m) => m.pointsHundredths), voided: sum(t.months, (m) => m.voided.pointsHundredths), sales: sum(t.months, (m) => m.sales) },
    },
  ]);
}

export function drillWorkbook(d: DrillOutT): Promise<Buffer> {
  const what = d.level === 'branches' ? '机构' : d.level === 'departments' ? '部门' : '员工';
  const rows: Record<string, unknown>[] = d.items.map((x, i) => ({ n: i + 1, code: x.code, name: x.name, pointsHundredths: x.pointsHundredths, shareBp: x.shareBp }));
  if (d.departmentLevel && d.departmentLevel.pointsHundredths !== 0) rows.push({ name: '部门留存（未指定营销人员）', pointsHundredths: d.departmentLevel.pointsHundredths });
  return workbook([
    {
      name: `${what}积分`,
      cols: [
        { header: '序号', key: 'n', width: 6 },
        { header: d.level === 'people' ? '员工号' : `${what}代码`, key: 'code', width: 12 },
        { header: what, key: 'name', width: 18 },
        { header: '积分', key: 'pointsHundredths', width: 12, hundredths: true },
        { header: '占比(%)', key: 'shareBp', width: 10, hundredths: true },
      ],
      rows,
      totals: { n: '合计', pointsHundredths: d.total.pointsHundredths },
    },
  ]);
}
