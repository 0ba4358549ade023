import { formatHundredths } from '../scoring/allocation.js';
import { pts } from '../scoring/split.service.js';
import { qty, type AssessmentResult, type Labels } from './assessment.rules.js';
import type { ResultOutT } from './assessment.schemas.js';

/** 分 → { amount: "33333.34", amountFen: 3333334 }. */
export const money = (fen: number) => ({ amount: formatHundredths(BigInt(fen)), amountFen: fen });

/** A stored result with the names of what it speaks of: what leaves the server, shaped in one place. */
export function presentResult(r: AssessmentResult, l: Labels): ResultOutT {
  const dept = (id: number) => l.departments[id] ?? `#${id}`;
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
      departmentId: g.departmentId,
      departmentName: dept(g.departmentId),
      productId: g.productId,
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
      departmentId: d.departmentId,
      code: l.departmentCodes?.[d.departmentId] ?? '',
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
      departmentId: p.departmentId,
      departmentName: dept(p.departmentId),
      staffId: p.staffId,
      staffNo: p.staffId === null ? null : (l.staff?.[p.staffId]?.staffNo ?? ''),
      name: p.staffId === null ? '（部门留存）' : (l.staff?.[p.staffId]?.name ?? `#${p.staffId}`),
      points: pts(p.pointsHundredths),
      counted: pts(p.countedHundredths),
      reward: money(p.rewardFen),
      special: money(p.specialFen),
    })),
    outlets: r.outlets.map((o) => ({ outletNodeId: o.outletNodeId, name: l.outlets?.[o.outletNodeId] ?? `#${o.outletNodeId}`, points: pts(o.pointsHundredths), sales: o.sales, note: o.note })),
  };
}
