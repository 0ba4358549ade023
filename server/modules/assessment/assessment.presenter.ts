import { formatHundredths } from '../scoring/allocation.js';
import { pts } from '../scoring/split.service.js';
import { qty, type AssessmentResult, type Labels } from './assessment.rules.js';
import type { ResultOutT } from './assessment.schemas.js';

/** 分 → { amount: "33333.34", amountFen: 3333334 }. */
export const money = (fen: number) => ({ amount: formatHundredths(BigInt(fen)), amountFen: fen });

/**
 * A stored result with the names of what it speaks of: what leaves the server, shaped in one place.
 * Every line carries codes beside ids and names (issue 18 part 5): department code, product code,
 * the branch's 机构号 (`branchCode`, the run's branch) and staff number, so an integrator joins nothing.
 */
export function presentResult(r: AssessmentResult, l: Labels, branchCode: string): ResultOutT {
  const dept = (id: number) => l.departments[id] ?? `#${id}`;
  const deptCode = (id: number) => l.departmentCodes?.[id] ?? '';
  const product = (id: number) => l.products[id] ?? { name: `#${id}`, unit: '' };
  return {
    pool: money(r.poolFen),
    gateBp: r.gateBp,
    totals: {
      points: pts(r.totals.pointsHundredths),
      counted: pts(r.totals.countedHundredths),
      gated: pts(r.totals.gatedHundredths),
      reward: money(r.totals.rewardFen),
      special: money(r.totals.specialFen),
    },
    notes: r.notes,
    gate: r.gate.map((g) => ({
      branchCode,
      departmentId: g.departmentId,
      departmentCode: deptCode(g.departmentId),
      departmentName: dept(g.departmentId),
      productId: g.productId,
      productCode: product(g.productId).code ?? '',
      productName: product(g.productId).name,
      unit: product(g.productId).unit,
      quota: qty(g.quota1e4),
      quota1e4: g.quota1e4,
      completion: qty(g.completion1e4),
      completion1e4: g.completion1e4,
      completionBp: g.completionBp,
      passed: g.passed,
      points: pts(g.pointsHundredths),
      reason: g.reason,
    })),
    departments: r.departments.map((d) => ({
      branchCode,
      departmentId: d.departmentId,
      code: deptCode(d.departmentId),
      name: dept(d.departmentId),
      points: pts(d.pointsHundredths),
      counted: pts(d.countedHundredths),
      gated: pts(d.gatedHundredths),
      completionBp: d.completionBp,
      reward: money(d.rewardFen),
      special: money(d.specialFen),
      kpiDeduction: pts(d.kpiDeductionHundredths),
      notes: d.notes,
    })),
    people: r.people.map((p) => ({
      branchCode,
      departmentId: p.departmentId,
      departmentCode: deptCode(p.departmentId),
      departmentName: dept(p.departmentId),
      staffId: p.staffId,
      staffNo: p.staffId === null ? null : (l.staff?.[p.staffId]?.staffNo ?? ''),
      name: p.staffId === null ? '（部门留存）' : (l.staff?.[p.staffId]?.name ?? `#${p.staffId}`),
      points: pts(p.pointsHundredths),
      counted: pts(p.countedHundredths),
      reward: money(p.rewardFen),
      special: money(p.specialFen),
    })),
    outlets: r.outlets.map((o) => ({
      branchCode,
      outletNodeId: o.outletNodeId,
      outletCode: l.outletCodes?.[o.outletNodeId] ?? '',
      name: l.outlets?.[o.outletNodeId] ?? `#${o.outletNodeId}`,
      points: pts(o.pointsHundredths),
      sales: o.sales,
      note: o.note,
    })),
  };
}
