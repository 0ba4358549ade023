import ExcelJS from 'exceljs';
import { safeSheetName } from '../../xlsx/xlsx.js';
import { formatHundredths } from '../scoring/allocation.js';
import type { RunOutT } from './assessment.schemas.js';
import { workbookBuffer } from '../../xlsx/safe-cell.js';

type Col = { header: string; key: string; width?: number; fen?: boolean; hundredths?: boolean };

const STATE = { draft: '草稿（待委员会审批）', approved: '已审批', locked: '已兑现锁定', superseded: '已作废（年度已重新开放）' } as const;

/**
 * The payout workbook for HR and finance (Art. 23): one row per person (and per department's own
 * part), then the department summary, the 50 % gate and the explanations. Amounts are numbers with
 * two decimals (分 / 100, exact at that precision in Excel's display); every 合计 row is summed in
 * integer 分, so the reward column adds up exactly to the pool.
 */
export async function payoutWorkbook(run: RunOutT): Promise<Buffer> {
  const r = run.result;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linkage';
  const sheet = (name: string, cols: Col[], data: Record<string, unknown>[], totals?: Record<string, unknown>) => {
    const ws = wb.addWorksheet(safeSheetName(name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const c of cols) if (c.fen) ws.getColumn(c.key).numFmt = '#,##0.00';
    for (const c of cols) if (c.hundredths) ws.getColumn(c.key).numFmt = '0.00';
    const cell = (v: unknown, c: Col) => ((c.fen || c.hundredths) && typeof v === 'number' ? v / 100 : (v ?? null));
    for (const row of [...data, ...(totals ? [totals] : [])]) ws.addRow(Object.fromEntries(cols.map((c) => [c.key, cell(row[c.key], c)])));
    if (totals) ws.getRow(ws.rowCount).font = { bold: true };
  };
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
  const branch = `${run.nodeName}`;

  const people = r.people.map((p) => ({
    branch,
    branchCode: p.branchCode,
    department: p.departmentName,
    departmentCode: p.departmentCode,
    staffNo: p.staffNo ?? '',
    name: p.name,
    points: p.counted.pointsHundredths,
    reward: p.reward.amountFen,
    special: p.special.amountFen,
    total: p.reward.amountFen + p.special.amountFen,
    note: p.staffId === null ? '未落实到个人的积分对应的奖励，保留在部门层面由部门分配' : p.points.pointsHundredths !== p.counted.pointsHundredths ? `门槛前积分${p.points.points}` : '',
  }));
  sheet(
    '奖励发放表',
    [
      { header: '分行', key: 'branch', width: 14 },
      { header: '机构号', key: 'branchCode', width: 10 },
      { header: '部门', key: 'department', width: 14 },
      { header: '部门代码', key: 'departmentCode', width: 10 },
      { header: '员工号', key: 'staffNo', width: 12 },
      { header: '姓名', key: 'name', width: 12 },
      { header: '积分', key: 'points', width: 12, hundredths: true },
      { header: '奖励金额(元)', key: 'reward', width: 14, fen: true },
      { header: '专项奖励(元)', key: 'special', width: 14, fen: true },
      { header: '合计(元)', key: 'total', width: 14, fen: true },
      { header: '说明', key: 'note', width: 40 },
    ],
    people,
    {
      branch: '合计',
      points: sum(people, (p) => p.points),
      reward: sum(people, (p) => p.reward),
      special: sum(people, (p) => p.special),
      total: sum(people, (p) => p.total),
      note: `奖励总额${r.pool.amount}元`,
    },
  );

  sheet(
    '部门汇总',
    [
      { header: '部门代码', key: 'code', width: 10 },
      { header: '部门', key: 'name', width: 14 },
      { header: '门槛前积分', key: 'points', width: 12, hundredths: true },
      { header: '不计分积分', key: 'gated', width: 12, hundredths: true },
      { header: '计分积分', key: 'counted', width: 12, hundredths: true },
      { header: '平均任务完成率(%)', key: 'completion', width: 16, hundredths: true },
      { header: '奖励金额(元)', key: 'reward', width: 14, fen: true },
      { header: '专项奖励(元)', key: 'special', width: 14, fen: true },
      { header: 'KPI扣分', key: 'kpi', width: 10, hundredths: true },
      { header: '说明', key: 'notes', width: 60 },
    ],
    r.departments.map((d) => ({
      code: d.code,
      name: d.name,
      points: d.points.pointsHundredths,
      gated: d.gated.pointsHundredths,
      counted: d.counted.pointsHundredths,
      completion: d.completionBp,
      reward: d.reward.amountFen,
      special: d.special.amountFen,
      kpi: d.kpiDeduction.pointsHundredths,
      notes: d.notes.map((n) => n.zh).join('；'),
    })),
    {
      code: '合计',
      points: r.totals.points.pointsHundredths,
      gated: r.totals.gated.pointsHundredths,
      counted: r.totals.counted.pointsHundredths,
      reward: r.totals.reward.amountFen,
      special: r.totals.special.amountFen,
    },
  );

  sheet(
    '完成率门槛',
    [
      { header: '部门', key: 'department', width: 14 },
      { header: '部门代码', key: 'departmentCode', width: 10 },
      { header: '产品', key: 'product', width: 16 },
      { header: '产品代码', key: 'productCode', width: 12 },
      { header: '计量单位', key: 'unit', width: 8 },
      { header: '年度任务', key: 'quota', width: 12 },
      { header: '完成量', key: 'completion', width: 12 },
      { header: '完成率(%)', key: 'bp', width: 10, hundredths: true },
      { header: '是否达到门槛', key: 'passed', width: 12 },
      { header: '该产品积分', key: 'points', width: 12, hundredths: true },
      { header: '说明', key: 'reason', width: 70 },
    ],
    r.gate.map((g) => ({
      department: g.departmentName,
      departmentCode: g.departmentCode,
      product: g.productName,
      productCode: g.productCode,
      unit: g.unit,
      quota: g.quota,
      completion: g.completion,
      bp: g.completionBp,
      passed: g.passed ? '达到' : '未达到（不计分）',
      points: g.points.pointsHundredths,
      reason: g.reason.zh,
    })),
  );

  if (r.outlets.length) {
    sheet(
      '网点绩效归属',
      [
        { header: '网点', key: 'name', width: 18 },
        { header: '机构号', key: 'outletCode', width: 10 },
        { header: '交叉销售笔数', key: 'sales', width: 12 },
        { header: '积分', key: 'points', width: 12, hundredths: true },
        { header: '说明', key: 'note', width: 80 },
      ],
      r.outlets.map((o) => ({ name: o.name, outletCode: o.outletCode, sales: o.sales, points: o.points.pointsHundredths, note: o.note.zh })),
    );
  }

  sheet(
    '考核说明',
    [
      { header: '项目', key: 'k', width: 18 },
      { header: '内容', key: 'v', width: 90 },
    ],
    [
      { k: '分行', v: `${run.nodeName}（${run.nodeCode}）` },
      { k: '考核年度', v: run.year },
      { k: '状态', v: STATE[run.state] },
      { k: '奖励总额(元)', v: r.pool.amount },
      { k: '完成率门槛', v: `${formatHundredths(BigInt(run.gateBp))}%（恰好达到视为达标）` },
      { k: '营销任务版本', v: run.quotaVersion === null ? '无经审批的营销任务（不设门槛）' : `第${run.quotaVersion}版` },
      { k: '计算人', v: run.createdBy?.name ?? '' },
      { k: '审批人', v: run.approvedBy?.name ?? '' },
      { k: '输入数据摘要(SHA-256)', v: run.inputsHash },
      ...r.notes.map((n, i) => ({ k: `说明${i + 1}`, v: n.zh })),
    ],
  );
  return workbookBuffer(wb);
}
