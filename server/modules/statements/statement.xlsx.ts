import ExcelJS from 'exceljs';
import { formatHundredths } from '../scoring/allocation.js';
import { safeSheetName } from '../../xlsx/xlsx.js';
import type { Statement } from './statement.service.js';
import { workbookBuffer } from '../../xlsx/safe-cell.js';

type Col = { header: string; key: string; width?: number; points?: boolean };

/**
 * The draft statement as a workbook: 汇总, 部门积分, 个人积分, 项目积分, 产品积分, 楼盘按揭.
 * Points are written as numbers with two decimals (hundredths / 100: exact at that precision in
 * Excel's display) and each sheet ends with a 合计 row computed from integer hundredths, so the
 * totals add up to the cent. (writeXlsx writes one sheet; this workbook needs several.)
 */
export async function statementWorkbook(s: Statement): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  const sheet = (name: string, cols: Col[], data: Record<string, unknown>[], totals?: Record<string, unknown>) => {
    const ws = wb.addWorksheet(safeSheetName(name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const c of cols) if (c.points) ws.getColumn(c.key).numFmt = '0.00';
    const cell = (v: unknown, c: Col) => (c.points && typeof v === 'number' ? v / 100 : v);
    for (const r of [...data, ...(totals ? [totals] : [])]) ws.addRow(Object.fromEntries(cols.map((c) => [c.key, cell(r[c.key], c)])));
    if (totals) ws.getRow(ws.rowCount).font = { bold: true };
  };
  const sumOf = (xs: { pointsHundredths: number; voided: { pointsHundredths: number } }[]) => ({
    pts: xs.reduce((a, x) => a + x.pointsHundredths, 0),
    voided: xs.reduce((a, x) => a + x.voided.pointsHundredths, 0),
  });

  sheet(
    '汇总',
    [
      { header: '项目', key: 'k', width: 24 },
      { header: '值', key: 'v', width: 24 },
    ],
    [
      { k: '机构', v: `${s.node.name}（${s.node.code}）` },
      { k: '月份', v: s.month },
      { k: '积分合计', v: formatHundredths(BigInt(s.totals.total.pointsHundredths)) },
      { k: '其中：个人积分', v: formatHundredths(BigInt(s.totals.people.pointsHundredths)) },
      { k: '其中：部门留存积分（无营销人员）', v: formatHundredths(BigInt(s.totals.departmentLevel.pointsHundredths)) },
      { k: '按揭规则作废积分', v: formatHundredths(BigInt(s.totals.voided.pointsHundredths)) },
      { k: '交叉销售笔数', v: s.totals.sales },
    ],
  );

  const d = sumOf(s.departments);
  sheet(
    '部门积分',
    [
      { header: '部门代码', key: 'code' },
      { header: '部门', key: 'name', width: 18 },
      { header: '积分', key: 'pts', points: true },
      { header: '作废积分', key: 'voided', points: true },
      { header: '销售笔数', key: 'sales' },
    ],
    s.departments.map((x) => ({ code: x.code, name: x.name, pts: x.pointsHundredths, voided: x.voided.pointsHundredths, sales: x.sales })),
    { code: '合计', pts: d.pts, voided: d.voided, sales: s.totals.sales },
  );

  const p = sumOf(s.people);
  sheet(
    '个人积分',
    [
      { header: '工号', key: 'staffNo' },
      { header: '姓名', key: 'name' },
      { header: '部门', key: 'dept', width: 18 },
      { header: '角色', key: 'roles', width: 24 },
      { header: '积分', key: 'pts', points: true },
      { header: '作废积分', key: 'voided', points: true },
      { header: '销售笔数', key: 'sales' },
    ],
    s.people.map((x) => ({ staffNo: x.staffNo, name: x.name, dept: x.departmentName, roles: x.roles.join('、'), pts: x.pointsHundredths, voided: x.voided.pointsHundredths, sales: x.sales })),
    { staffNo: '合计（个人）', pts: p.pts, voided: p.voided },
  );

  const j = sumOf(s.projects);
  sheet(
    '项目积分',
    [
      { header: '项目编号', key: 'project', width: 16 },
      { header: '积分', key: 'pts', points: true },
      { header: '作废积分', key: 'voided', points: true },
      { header: '销售笔数', key: 'sales' },
    ],
    s.projects.map((x) => ({ project: x.projectId === null ? '未关联项目' : (x.projectName ?? `#${x.projectId}`), pts: x.pointsHundredths, voided: x.voided.pointsHundredths, sales: x.sales })),
    { project: '合计', pts: j.pts, voided: j.voided, sales: s.totals.sales },
  );

  const q = sumOf(s.products);
  sheet(
    '产品积分',
    [
      { header: '产品代码', key: 'code' },
      { header: '产品', key: 'name', width: 20 },
      { header: '单位', key: 'unit', width: 8 },
      { header: '积分', key: 'pts', points: true },
      { header: '作废积分', key: 'voided', points: true },
      { header: '销售笔数', key: 'sales' },
    ],
    s.products.map((x) => ({ code: x.code, name: x.name, unit: x.unit, pts: x.pointsHundredths, voided: x.voided.pointsHundredths, sales: x.sales })),
    { code: '合计', pts: q.pts, voided: q.voided, sales: s.totals.sales },
  );

  const bp = (v: number | null) => (v === null ? '' : `${formatHundredths(BigInt(v))}%`);
  sheet(
    '楼盘按揭',
    [
      { header: '楼盘编号', key: 'code' },
      { header: '楼盘', key: 'name', width: 20 },
      { header: '开发贷款', key: 'mode', width: 10 },
      { header: '达标线', key: 'threshold', width: 10 },
      { header: '本行户数占比', key: 'ratio', width: 12 },
      { header: '本行按揭户数', key: 'bank', width: 12 },
      { header: '按揭总户数', key: 'total', width: 12 },
      { header: '统计日期', key: 'asOf', width: 12 },
      { header: '结论', key: 'verdict', width: 10 },
      { header: '按揭销售笔数', key: 'sales', width: 12 },
      { header: '积分', key: 'pts', points: true },
      { header: '作废积分', key: 'voided', points: true },
    ],
    s.developments.map((x) => ({
      code: x.code,
      name: x.name,
      mode: x.lenderMode === 'sole' ? '独家发放' : '部分发放',
      threshold: bp(x.thresholdBp),
      ratio: bp(x.ratioBp),
      bank: x.bankHouseholds,
      total: x.totalHouseholds,
      asOf: x.asOf,
      verdict: x.verdict === 'pass' ? '达标' : x.reason === 'no_figures' ? '未达标（无户数数据）' : '未达标，按揭积分作废',
      sales: x.mortgageSales,
      pts: x.points.pointsHundredths,
      voided: x.voided.pointsHundredths,
    })),
    { code: '合计', pts: s.developments.reduce((a, x) => a + x.points.pointsHundredths, 0), voided: s.developments.reduce((a, x) => a + x.voided.pointsHundredths, 0) },
  );
  // Corrections of locked months (SPEC §9.5): the lines this month took in, and those later
  // months took for it — each sheet only when there are any.
  for (const [name, lines] of [
    ['以前月份调整', s.adjustments],
    ['后续调整', s.laterAdjustments],
  ] as const) {
    if (!lines.length) continue;
    sheet(
      name,
      [
        { header: '交易流水号', key: 'sourceId', width: 20 },
        { header: '所调整月份', key: 'adjusts', width: 12 },
        { header: '记入月份', key: 'written', width: 12 },
        { header: '部门', key: 'dept', width: 16 },
        { header: '人员', key: 'person', width: 12 },
        { header: '积分', key: 'pts', points: true },
        { header: '作废积分', key: 'voided', points: true },
      ],
      lines.map((a) => ({
        sourceId: a.sourceId,
        adjusts: a.adjustsMonth,
        written: a.writtenMonth,
        dept: a.departmentName,
        person: a.staffName ?? '（部门留存）',
        pts: a.pointsHundredths,
        voided: a.voided.pointsHundredths,
      })),
      { sourceId: '合计', pts: lines.reduce((x, a) => x + a.pointsHundredths, 0), voided: lines.reduce((x, a) => x + a.voided.pointsHundredths, 0) },
    );
  }
  return workbookBuffer(wb);
}
