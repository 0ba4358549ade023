/**
 * The year-end assessment of SPEC §10 (Art. 17, 22, 23), pure: no database, no HTTP, no clock.
 * Quantities are integer ten-thousandths of a unit, points integer hundredths, money integer 分,
 * percentages integer basis points. Every rounding goes through allocation.ts (largest remainder).
 *
 * The steps, each explained line by line in the result:
 * 1. the 50 % gate per department × product (gatePass);
 * 2. department and people's points after the gate (countPoints);
 * 3. the reward pool to departments by points, then each department's share to its people
 *    (allocatePool, shareWithinDepartment);
 * 4. the award rules of Art. 17: KPI deductions, special awards, key-project awards, and the
 *    attribution of performance pay to outlets (applyAwardRules).
 */
import { allocate, formatHundredths } from '../scoring/allocation.js';
import { deptKey, staffKey } from '../scoring/scoring.rules.js';
import type { Text2, QuotaFact, CompletionFact, PointsFact, AwardRules, Labels, AssessmentInput, GateLine, DepartmentResult, PersonResult, OutletLine, AssessmentResult } from './assessment.types.js';

export { DEFAULT_AWARD_RULES } from './assessment.types.js';
export type {
  Text2,
  QuotaFact,
  CompletionFact,
  PointsFact,
  ProjectPointsFact,
  OutletFact,
  AwardRules,
  Labels,
  AssessmentInput,
  GateLine,
  DepartmentResult,
  PersonResult,
  OutletLine,
  AssessmentResult,
} from './assessment.types.js';

/** SPEC §10: below 50 % of the quota a product counts nothing (exactly 50 % counts). */
export const DEFAULT_GATE_BP = 5000;

export class AssessmentRuleError extends Error {
  constructor(
    readonly code: 'NO_POINTS' | 'BAD_INPUT',
    message: string,
  ) {
    super(message);
  }
}

// ------------------------------------------------------------------------------------------------
// Formatting for the explanations

const pct = (bp: number) => `${formatHundredths(bp)}%`;
const pts = (h: number | bigint) => formatHundredths(h);
const yuan = (fen: number | bigint) => formatHundredths(fen);
/** Ten-thousandths → shortest decimal ("1.5"). */
export function qty(q1e4: number): string {
  const sign = q1e4 < 0 ? '-' : '';
  const a = Math.abs(q1e4);
  const frac = String(a % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(a / 10_000)}${frac ? `.${frac}` : ''}`;
}
const toNum = (v: bigint): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new AssessmentRuleError('BAD_INPUT', `amount out of range: ${v}`);
  return n;
};
const dk = (departmentId: number, productId: number) => `${departmentId}/${productId}`;

// ------------------------------------------------------------------------------------------------
// 1. The 50 % gate

/**
 * SPEC §10, Art. 22: a product whose completion is below the gate (50 %) of the department's quota
 * counts nothing toward the department. Passes when completion × 10000 ≥ gateBp × quota (exact
 * integers, so exactly 50 % passes); a department × product without a quota has no gate and is
 * not listed. Every quota line is listed with its reason, gated ones first within a department.
 */
export function gatePass(quotas: readonly QuotaFact[], completion: readonly CompletionFact[], points: readonly PointsFact[], gateBp: number, labels?: Labels): GateLine[] {
  const done = new Map<string, number>();
  for (const c of completion) done.set(dk(c.departmentId, c.productId), (done.get(dk(c.departmentId, c.productId)) ?? 0) + c.quantity1e4);
  const ptsOf = new Map<string, number>();
  for (const p of points) ptsOf.set(dk(p.departmentId, p.productId), (ptsOf.get(dk(p.departmentId, p.productId)) ?? 0) + p.pointsHundredths);
  const seen = new Set<string>();
  const lines: GateLine[] = [];
  for (const q of quotas) {
    const key = dk(q.departmentId, q.productId);
    if (seen.has(key)) throw new AssessmentRuleError('BAD_INPUT', `two quotas for department ${q.departmentId}, product ${q.productId}`);
    seen.add(key);
    const c = done.get(key) ?? 0;
    const quota = BigInt(q.quantity1e4);
    const passed = BigInt(c) * 10_000n >= BigInt(gateBp) * quota;
    const completionBp = quota === 0n ? null : toNum((BigInt(c) * 10_000n) / quota);
    const p = ptsOf.get(key) ?? 0;
    const product = labels?.products[q.productId];
    const what = product ? `${product.name}：` : '';
    const whatEn = product ? `${product.name}: ` : '';
    const unit = product?.unit ?? '';
    let reason: Text2;
    if (completionBp === null) {
      reason = { zh: `${what}任务为0，不设门槛，${pts(p)}积分计入部门得分`, en: `${whatEn}quota 0, no gate; ${pts(p)} points count` };
    } else if (passed) {
      reason = {
        zh: `${what}完成${qty(c)}${unit}，任务${qty(q.quantity1e4)}${unit}，完成率${pct(completionBp)}，达到${pct(gateBp)}门槛，${pts(p)}积分计入部门得分`,
        en: `${whatEn}${qty(c)} of ${qty(q.quantity1e4)} ${unit} (${pct(completionBp)}), reaches the ${pct(gateBp)} gate; ${pts(p)} points count`,
      };
    } else {
      reason = {
        zh: `${what}完成${qty(c)}${unit}，任务${qty(q.quantity1e4)}${unit}，完成率${pct(completionBp)}，低于${pct(gateBp)}门槛，该产品${pts(p)}积分不计入部门得分`,
        en: `${whatEn}${qty(c)} of ${qty(q.quantity1e4)} ${unit} (${pct(completionBp)}), below the ${pct(gateBp)} gate; its ${pts(p)} points count nothing`,
      };
    }
    lines.push({ departmentId: q.departmentId, productId: q.productId, quota1e4: q.quantity1e4, completion1e4: c, completionBp, passed, pointsHundredths: p, reason });
  }
  return lines.sort((a, b) => a.departmentId - b.departmentId || Number(a.passed) - Number(b.passed) || a.productId - b.productId);
}

// ------------------------------------------------------------------------------------------------
// 2. Points after the gate

export interface CountedPoints {
  departmentId: number;
  pointsHundredths: bigint;
  countedHundredths: bigint;
  /** Per person (null = the department's own line): before and after the gate. */
  people: { staffId: number | null; pointsHundredths: bigint; countedHundredths: bigint }[];
}

/**
 * Department points after the gate (Art. 22): the ledger points of the year by product, with the
 * gated products' points left out — for the department and for each of its people alike.
 * Sorted by department, then person (the department's own line last).
 */
export function countPoints(points: readonly PointsFact[], gate: readonly GateLine[]): CountedPoints[] {
  const gated = new Set(gate.filter((g) => !g.passed).map((g) => dk(g.departmentId, g.productId)));
  const byDept = new Map<number, Map<number | null, { raw: bigint; counted: bigint }>>();
  for (const p of points) {
    const people = byDept.get(p.departmentId) ?? new Map<number | null, { raw: bigint; counted: bigint }>();
    byDept.set(p.departmentId, people);
    const cur = people.get(p.staffId) ?? { raw: 0n, counted: 0n };
    cur.raw += BigInt(p.pointsHundredths);
    if (!gated.has(dk(p.departmentId, p.productId))) cur.counted += BigInt(p.pointsHundredths);
    people.set(p.staffId, cur);
  }
  // Departments with a quota but no points still appear (their gate lines explain them).
  for (const g of gate) if (!byDept.has(g.departmentId)) byDept.set(g.departmentId, new Map());
  return [...byDept.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([departmentId, people]) => {
      const list = [...people.entries()]
        .map(([staffId, v]) => ({ staffId, pointsHundredths: v.raw, countedHundredths: v.counted }))
        .sort((a, b) => (a.staffId === null ? 1 : b.staffId === null ? -1 : a.staffId - b.staffId));
      return {
        departmentId,
        pointsHundredths: list.reduce((s, x) => s + x.pointsHundredths, 0n),
        countedHundredths: list.reduce((s, x) => s + x.countedHundredths, 0n),
        people: list,
      };
    });
}

// ------------------------------------------------------------------------------------------------
// 3. The pool

/**
 * Art. 22: 部门挂钩奖励 = 奖励总额 × 本部门积分 ÷ 所有部门积分, by largest remainder to 1 分 so
 * that the parts add up exactly to the pool; ties to the department code that sorts first (SPEC
 * §7; deptKey), never the id. A department's negative net (never expected) weighs 0. Throws
 * NO_POINTS when there is a pool and no points.
 */
export function allocatePool(poolFen: bigint, departments: readonly { departmentId: number; code?: string; countedHundredths: bigint }[]): Map<number, bigint> {
  const keyOf = (d: { departmentId: number; code?: string }) => deptKey(d.code ?? '', d.departmentId);
  const shares = departments.map((d) => ({ key: keyOf(d), weight: d.countedHundredths > 0n ? d.countedHundredths : 0n }));
  const total = shares.reduce((s, x) => s + x.weight, 0n);
  if (total === 0n && poolFen > 0n) throw new AssessmentRuleError('NO_POINTS', 'no department has points after the gate');
  const parts = allocate(poolFen, shares);
  return new Map(departments.map((d) => [d.departmentId, parts.get(keyOf(d)) ?? 0n]));
}

/** The key of a department's own part among its people: sorts after every person (ties go to people). */
const OWN_PART = '\uffff department';

/**
 * SPEC §10 "within a department the reward follows people's points": the department's amount is
 * split over its people by their counted points, and over its own line (points no person was named
 * for) by those points — same largest-remainder function, to 1 分, ties to the staff number that
 * sorts first (SPEC §7; staffKey), the department's own line last. With no weight at all (no
 * counted points) the whole amount stays with the department's own line.
 */
export function shareWithinDepartment(amountFen: bigint, people: readonly { staffId: number | null; staffNo?: string; countedHundredths: bigint }[]): Map<number | null, bigint> {
  const staffNos = new Map(people.map((p) => [p.staffId, p.staffNo ?? '']));
  const keyOf = (id: number | null) => (id === null ? OWN_PART : staffKey(staffNos.get(id) ?? '', id));
  const shares = people.map((p) => ({ key: keyOf(p.staffId), weight: p.countedHundredths > 0n ? p.countedHundredths : 0n }));
  const out = new Map<number | null, bigint>(people.map((p) => [p.staffId, 0n]));
  if (shares.reduce((s, x) => s + x.weight, 0n) === 0n) {
    out.set(null, amountFen);
    return out;
  }
  const parts = allocate(amountFen, shares);
  for (const p of people) out.set(p.staffId, parts.get(keyOf(p.staffId)) ?? 0n);
  return out;
}

// ------------------------------------------------------------------------------------------------
// 4. Award rules (Art. 17)

/** Mean of the per-product completion (quota > 0), floored; null when the department has no quota. */
export function departmentCompletionBp(gate: readonly GateLine[], departmentId: number): number | null {
  const bps = gate.filter((g) => g.departmentId === departmentId && g.completionBp !== null).map((g) => g.completionBp!);
  if (bps.length === 0) return null;
  return Math.floor(bps.reduce((s, x) => s + x, 0) / bps.length);
}

/** The KPI deduction tier that applies: the lowest threshold the completion is below. */
export function kpiTier(rules: AwardRules, completionBp: number | null) {
  if (completionBp === null) return undefined;
  return [...rules.kpiDeductions].sort((a, b) => a.belowBp - b.belowBp).find((t) => completionBp < t.belowBp);
}

/** The special-award tier that applies: the highest threshold reached (≥). */
export function specialTier(rules: AwardRules, completionBp: number | null) {
  if (completionBp === null) return undefined;
  return [...rules.specialAwards].sort((a, b) => b.atLeastBp - a.atLeastBp).find((t) => completionBp >= t.atLeastBp);
}

// ------------------------------------------------------------------------------------------------
// The whole assessment

/**
 * Runs every step on plain values. The same input always gives the same result, whatever the
 * order of its arrays (every list is keyed and sorted before use).
 */
export function assess(input: AssessmentInput, labels?: Labels): AssessmentResult {
  if (!Number.isSafeInteger(input.poolFen) || input.poolFen < 0) throw new AssessmentRuleError('BAD_INPUT', 'the pool must be an integer ≥ 0 (分)');
  if (!Number.isInteger(input.gateBp) || input.gateBp < 0 || input.gateBp > 10_000) throw new AssessmentRuleError('BAD_INPUT', 'the gate must be 0–10000 bp');
  const deptName = (id: number) => labels?.departments[id] ?? `#${id}`;
  // The tie-break of every split of money (SPEC §7): department code, staff number.
  const codeOf = (id: number) => input.codes?.departments[id] ?? '';
  const staffNoOf = (id: number | null) => (id === null ? undefined : (input.codes?.staff[id] ?? ''));
  const notes: Text2[] = [];

  // 1. gate
  const gate = gatePass(input.quotas, input.completion, input.points, input.gateBp, labels);
  if (input.quotas.length === 0)
    notes.push({ zh: '本年度没有经审批的部门营销任务：不设完成率门槛，全部积分计入部门得分', en: 'No approved department quotas for the year: no gate, every point counts' });
  const gatedCount = gate.filter((g) => !g.passed).length;
  notes.push({
    zh: `完成率门槛${pct(input.gateBp)}（恰好达到视为达标）：${gate.length}项任务中${gatedCount}项未达门槛，其积分不计入部门得分`,
    en: `Gate ${pct(input.gateBp)} (exactly at the gate passes): ${gatedCount} of ${gate.length} quotas below it count nothing`,
  });

  // 2. points after the gate
  const counted = countPoints(input.points, gate);

  // 3. pool → departments → people
  const pool = BigInt(input.poolFen);
  const deptShare = allocatePool(
    pool,
    counted.map((d) => ({ ...d, code: codeOf(d.departmentId) })),
  );
  const totalCounted = counted.reduce((s, d) => s + (d.countedHundredths > 0n ? d.countedHundredths : 0n), 0n);
  notes.push({
    zh: `部门挂钩奖励 = 奖励总额${yuan(pool)}元 × 本部门积分 ÷ 所有部门积分${pts(totalCounted)}，按最大余数法分配到0.01元，各部门合计等于奖励总额`,
    en: `Department reward = pool ${yuan(pool)} × department points ÷ all departments' points ${pts(totalCounted)}, largest remainder to 0.01 yuan; the parts add up to the pool`,
  });

  // 4. award rules: special awards and key projects add money outside the pool
  const special = new Map<number, bigint>(counted.map((d) => [d.departmentId, 0n]));
  const deptNotes = new Map<number, Text2[]>(counted.map((d) => [d.departmentId, []]));
  const kpi = new Map<number, number>();
  const completionOf = new Map(counted.map((d) => [d.departmentId, departmentCompletionBp(gate, d.departmentId)]));
  for (const d of counted) {
    const bp = completionOf.get(d.departmentId) ?? null;
    const dn = deptNotes.get(d.departmentId)!;
    const k = kpiTier(input.rules, bp);
    if (k) {
      kpi.set(d.departmentId, k.deductHundredths);
      dn.push({
        zh: `${k.label ?? 'KPI扣分'}：平均任务完成率${pct(bp!)}，低于${pct(k.belowBp)}，部门年度关键绩效考核扣${pts(k.deductHundredths)}分`,
        en: `${k.label ?? 'KPI deduction'}: mean completion ${pct(bp!)} below ${pct(k.belowBp)}; ${pts(k.deductHundredths)} KPI points deducted`,
      });
    }
    const s = specialTier(input.rules, bp);
    if (s) {
      special.set(d.departmentId, special.get(d.departmentId)! + BigInt(s.amountFen));
      dn.push({
        zh: `${s.label ?? '专项奖励'}：平均任务完成率${pct(bp!)}，达到${pct(s.atLeastBp)}，专项奖励${yuan(s.amountFen)}元`,
        en: `${s.label ?? 'Special award'}: mean completion ${pct(bp!)} reaches ${pct(s.atLeastBp)}; special award ${yuan(s.amountFen)} yuan`,
      });
    }
    if (bp === null && (input.rules.kpiDeductions.length || input.rules.specialAwards.length)) {
      dn.push({ zh: '该部门没有营销任务：不参与扣分与专项奖励评定', en: 'No quota: no KPI deduction or special award applies' });
    }
  }
  for (const kp of [...input.rules.keyProjects].sort((a, b) => a.projectId - b.projectId)) {
    const facts = input.projectPoints.filter((p) => p.projectId === kp.projectId && p.pointsHundredths > 0).sort((a, b) => a.departmentId - b.departmentId);
    const merged = new Map<number, bigint>();
    for (const f of facts) merged.set(f.departmentId, (merged.get(f.departmentId) ?? 0n) + BigInt(f.pointsHundredths));
    if (merged.size === 0) {
      notes.push({
        zh: `${kp.label}（项目${kp.projectId}）：本年度无积分，奖励${yuan(kp.amountFen)}元不发放`,
        en: `${kp.label} (project ${kp.projectId}): no points this year; ${yuan(kp.amountFen)} yuan not awarded`,
      });
      continue;
    }
    const parts = allocate(
      BigInt(kp.amountFen),
      [...merged.entries()].map(([id, w]) => ({ key: deptKey(codeOf(id), id), weight: w })),
    );
    for (const [id, w] of merged) {
      const fen = parts.get(deptKey(codeOf(id), id)) ?? 0n;
      special.set(id, (special.get(id) ?? 0n) + fen);
      if (!deptNotes.has(id)) deptNotes.set(id, []);
      deptNotes.get(id)!.push({
        zh: `${kp.label}（项目${kp.projectId}）：按本部门项目积分${pts(w)}分得${yuan(fen)}元`,
        en: `${kp.label} (project ${kp.projectId}): ${yuan(fen)} yuan for ${pts(w)} project points`,
      });
    }
  }

  // Departments that only a key project brought in get an (empty) points row.
  const all = [...counted];
  for (const id of special.keys()) {
    if (!all.some((d) => d.departmentId === id)) all.push({ departmentId: id, pointsHundredths: 0n, countedHundredths: 0n, people: [] });
  }
  all.sort((a, b) => a.departmentId - b.departmentId);

  const departments: DepartmentResult[] = [];
  const people: PersonResult[] = [];
  for (const d of all) {
    const share = deptShare.get(d.departmentId) ?? 0n;
    const extra = special.get(d.departmentId) ?? 0n;
    const dn = deptNotes.get(d.departmentId) ?? [];
    const members = (d.people.length ? d.people : [{ staffId: null, pointsHundredths: 0n, countedHundredths: 0n }]).map((m) => ({ ...m, staffNo: staffNoOf(m.staffId) }));
    const hasPeople = members.some((p) => p.staffId !== null && p.countedHundredths > 0n);
    const rewardSplit = shareWithinDepartment(share, members);
    const specialSplit = shareWithinDepartment(extra, members);
    for (const m of members) {
      const r = rewardSplit.get(m.staffId) ?? 0n;
      const s = specialSplit.get(m.staffId) ?? 0n;
      if (m.staffId === null && r === 0n && s === 0n && m.pointsHundredths === 0n) continue;
      people.push({
        departmentId: d.departmentId,
        staffId: m.staffId,
        pointsHundredths: toNum(m.pointsHundredths),
        countedHundredths: toNum(m.countedHundredths),
        rewardFen: toNum(r),
        specialFen: toNum(s),
      });
    }
    const own = members.find((m) => m.staffId === null);
    if (share + extra > 0n && !hasPeople) {
      dn.push({
        zh: `${deptName(d.departmentId)}没有落实到个人的积分：奖励保留在部门层面，由部门自行分配`,
        en: `${deptName(d.departmentId)} has no person-level points: its reward stays at department level`,
      });
    } else if (own && own.countedHundredths > 0n) {
      dn.push({
        zh: `部门留存积分${pts(own.countedHundredths)}（销售未指定营销人员）对应的奖励保留在部门层面`,
        en: `${pts(own.countedHundredths)} department-level points (sales naming no person): their reward stays with the department`,
      });
    }
    const gatedHundredths = d.pointsHundredths - d.countedHundredths;
    if (gatedHundredths !== 0n) dn.unshift({ zh: `未达门槛产品的${pts(gatedHundredths)}积分不计入部门得分`, en: `${pts(gatedHundredths)} points of gated products count nothing` });
    departments.push({
      departmentId: d.departmentId,
      pointsHundredths: toNum(d.pointsHundredths),
      countedHundredths: toNum(d.countedHundredths),
      gatedHundredths: toNum(gatedHundredths),
      completionBp: completionOf.get(d.departmentId) ?? departmentCompletionBp(gate, d.departmentId),
      rewardFen: toNum(share),
      specialFen: toNum(extra),
      kpiDeductionHundredths: kpi.get(d.departmentId) ?? 0,
      notes: dn,
    });
  }

  // Art. 17: performance pay to the co-organising / operating outlet.
  const outlets: OutletLine[] = input.rules.outletAttribution
    ? [...input.outlets]
        .filter((o) => o.pointsHundredths !== 0 || o.sales !== 0)
        .sort((a, b) => a.outletNodeId - b.outletNodeId)
        .map((o) => {
          const name = labels?.outlets?.[o.outletNodeId] ?? `#${o.outletNodeId}`;
          return {
            ...o,
            note: {
              zh: `${name}人员参与交叉销售${o.sales}笔、积分${pts(o.pointsHundredths)}：相应产品计价、中间业务收入和新增存款等绩效工资原则上归属该网点（按本行工资分配办法计价）`,
              en: `${name}: staff took part in ${o.sales} cross-sales (${pts(o.pointsHundredths)} points); the related performance pay goes to the outlet under the bank's pay rules`,
            },
          };
        })
    : [];
  if (input.rules.outletAttribution) {
    notes.push({
      zh: '绩效工资归属：交叉营销产生的产品计价、中间业务收入和新增存款等绩效工资原则上归属协办行或经营行网点（见网点归属表）',
      en: 'Performance pay from cross-sales goes to the co-organising or operating outlet (see the outlet table)',
    });
  }

  const sum = (f: (d: DepartmentResult) => number) => departments.reduce((s, d) => s + f(d), 0);
  return {
    poolFen: input.poolFen,
    gateBp: input.gateBp,
    gate,
    departments,
    people,
    outlets,
    totals: {
      pointsHundredths: sum((d) => d.pointsHundredths),
      countedHundredths: sum((d) => d.countedHundredths),
      gatedHundredths: sum((d) => d.gatedHundredths),
      rewardFen: sum((d) => d.rewardFen),
      specialFen: sum((d) => d.specialFen),
    },
    notes,
  };
}
