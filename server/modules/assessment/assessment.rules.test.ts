import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePool, assess, type AssessmentInput, DEFAULT_AWARD_RULES, gatePass, type PointsFact, shareWithinDepartment } from './assessment.rules.js';

/**
 * A worked year-end example, computed by hand (SPEC §10, Art. 22):
 *
 * Branch with three departments — 公司业务部 CORP (id 1101), 机构业务部 INST (1102), 个人金融部 PF (1104) —
 * products X (信用卡, 张) and Y (理财, 万元). Pool 100,000.00 元 = 10,000,000 分; gate 50 %.
 *
 * Quotas and completion:
 *   CORP × X: quota 100, done 50        → 50.00 %, exactly at the gate: PASSES
 *   INST × X: quota 100, done 49.9999   → 49.99 % (floored), below: GATED (its 200.00 points count nothing)
 *   PF   × Y: quota 10,  done 20        → 200.00 %: passes
 *   INST × Y: no quota                  → no gate
 *
 * Ledger points of the year:
 *   CORP × X: 张三 (5001) 200.00, 李四 (5002) 100.00                       → CORP 300.00
 *   INST × X: 王五 (5003) 200.00 (gated); INST × Y: 王五 100.00, own 200.00 → INST counted 300.00 (500.00 before the gate)
 *   PF   × Y: department line only (sales naming no PF person) 300.00    → PF 300.00
 *
 * Pool: equal points 300 / 300 / 300 → 10,000,000 / 3 = 3,333,333 r 1 each; the spare 分 goes to
 * the department code that sorts first (ties, SPEC §7): CORP 33,333.34, INST 33,333.33, PF 33,333.33
 * (= 100,000.00).
 *
 * People:
 *   CORP 3,333,334 分 by 200:100 → 张三 2,222,222.67 → 2,222,223 (largest remainder), 李四 1,111,111
 *        = 22,222.23 + 11,111.11 = 33,333.34
 *   INST 3,333,333 分 by 王五 100 (counted) : own 200 → 王五 1,111,111, department 2,222,222
 *   PF   no person-level points → keeps 3,333,333 at department level (and says so)
 */
const CORP = 1101;
const INST = 1102;
const PF = 1104;
const X = 1;
const Y = 2;
const ZHANG = 5001;
const LI = 5002;
const WANG = 5003;

const worked = (): AssessmentInput => ({
  poolFen: 10_000_000,
  gateBp: 5000,
  quotas: [
    { departmentId: CORP, productId: X, quantity1e4: 1_000_000 },
    { departmentId: INST, productId: X, quantity1e4: 1_000_000 },
    { departmentId: PF, productId: Y, quantity1e4: 100_000 },
  ],
  completion: [
    { departmentId: CORP, productId: X, quantity1e4: 500_000 },
    { departmentId: INST, productId: X, quantity1e4: 499_999 },
    { departmentId: PF, productId: Y, quantity1e4: 200_000 },
    { departmentId: INST, productId: Y, quantity1e4: 30_000 },
  ],
  points: [
    { departmentId: CORP, productId: X, staffId: ZHANG, pointsHundredths: 20_000 },
    { departmentId: CORP, productId: X, staffId: LI, pointsHundredths: 10_000 },
    { departmentId: INST, productId: X, staffId: WANG, pointsHundredths: 20_000 },
    { departmentId: INST, productId: Y, staffId: WANG, pointsHundredths: 10_000 },
    { departmentId: INST, productId: Y, staffId: null, pointsHundredths: 20_000 },
    { departmentId: PF, productId: Y, staffId: null, pointsHundredths: 30_000 },
  ],
  projectPoints: [],
  outlets: [],
  rules: { ...DEFAULT_AWARD_RULES, outletAttribution: false },
  codes: { departments: { [CORP]: 'CORP', [INST]: 'INST', [PF]: 'PF' }, staff: { [ZHANG]: 'F5001', [LI]: 'F5002', [WANG]: 'F5003' } },
});

const labels = {
  departments: { [CORP]: '公司业务部', [INST]: '机构业务部', [PF]: '个人金融部' },
  products: { [X]: { name: '信用卡', unit: '张' }, [Y]: { name: '理财', unit: '万元' } },
};

describe('the 50 % gate (SPEC §10, Art. 22)', () => {
  it('exactly 50 % passes, 49.9999 % is gated, no quota means no gate — each with its reason', () => {
    const g = gatePass(worked().quotas, worked().completion, worked().points, 5000, labels);
    expect(g.map((l) => [l.departmentId, l.productId, l.completionBp, l.passed])).toEqual([
      [CORP, X, 5000, true],
      [INST, X, 4999, false],
      [PF, Y, 20000, true],
    ]);
    expect(g[0].reason.zh).toContain('完成率50.00%，达到50.00%门槛');
    expect(g[1].reason.zh).toBe('信用卡：完成49.9999张，任务100张，完成率49.99%，低于50.00%门槛，该产品200.00积分不计入部门得分');
    expect(g.some((l) => l.departmentId === INST && l.productId === Y)).toBe(false);
  });

  it('a quota of 0 passes (completion ≥ 0) and shows no percentage', () => {
    const [l] = gatePass([{ departmentId: 1, productId: 1, quantity1e4: 0 }], [], [], 5000);
    expect(l).toMatchObject({ passed: true, completionBp: null });
  });
});

describe('the worked year-end example', () => {
  const r = assess(worked(), labels);

  it('counts the points after the gate', () => {
    expect(r.departments.map((d) => [d.departmentId, d.pointsHundredths, d.countedHundredths, d.gatedHundredths])).toEqual([
      [CORP, 30_000, 30_000, 0],
      [INST, 50_000, 30_000, 20_000],
      [PF, 30_000, 30_000, 0],
    ]);
  });

  it('splits 100,000.00 元 over three equal departments as 33,333.34 / 33,333.33 / 33,333.33', () => {
    expect(r.departments.map((d) => d.rewardFen)).toEqual([3_333_334, 3_333_333, 3_333_333]);
    expect(r.totals.rewardFen).toBe(10_000_000);
  });

  it('splits each department’s share over its people by their points', () => {
    const fen = (dept: number, staff: number | null) => r.people.find((p) => p.departmentId === dept && p.staffId === staff)?.rewardFen;
    expect(fen(CORP, ZHANG)).toBe(2_222_223);
    expect(fen(CORP, LI)).toBe(1_111_111);
    expect(fen(INST, WANG)).toBe(1_111_111);
    expect(fen(INST, null)).toBe(2_222_222);
    expect(fen(PF, null)).toBe(3_333_333);
    expect(r.people.reduce((s, p) => s + p.rewardFen, 0)).toBe(10_000_000);
    const wang = r.people.find((p) => p.staffId === WANG)!;
    expect([wang.pointsHundredths, wang.countedHundredths]).toEqual([30_000, 10_000]);
  });

  it('explains every step', () => {
    const pf = r.departments.find((d) => d.departmentId === PF)!;
    expect(pf.notes.map((n) => n.zh).join()).toContain('没有落实到个人的积分');
    const inst = r.departments.find((d) => d.departmentId === INST)!;
    expect(inst.notes[0].zh).toBe('未达门槛产品的200.00积分不计入部门得分');
    expect(r.notes.map((n) => n.zh).join()).toContain('3项任务中1项未达门槛');
  });

  it('without the gate INST would weigh 500 of 1,100 points', () => {
    const noGate = assess({ ...worked(), gateBp: 0 }, labels);
    // 10,000,000 × 500 / 1100 = 4,545,454.54… ; CORP and PF 2,727,272.72… each → spare to the largest remainders.
    expect(noGate.departments.map((d) => d.rewardFen)).toEqual([2_727_273, 4_545_454, 2_727_273]);
  });
});

describe('award rules (Art. 17)', () => {
  const rules = {
    kpiDeductions: [
      { belowBp: 6000, deductHundredths: 500, label: '未完成目标扣分' },
      { belowBp: 3000, deductHundredths: 1000 },
    ],
    specialAwards: [
      { atLeastBp: 15000, amountFen: 500_000, label: '专项奖励' },
      { atLeastBp: 12000, amountFen: 200_000 },
    ],
    keyProjects: [
      { projectId: 7, amountFen: 100_000, label: '重点项目突破奖' },
      { projectId: 8, amountFen: 50_000, label: '无积分项目' },
    ],
    outletAttribution: true,
  };
  const r = assess(
    {
      ...worked(),
      rules,
      projectPoints: [
        { projectId: 7, departmentId: CORP, pointsHundredths: 10_000 },
        { projectId: 7, departmentId: PF, pointsHundredths: 30_000 },
      ],
      outlets: [{ outletNodeId: 301, pointsHundredths: 12_345, sales: 3 }],
    },
    { ...labels, outlets: { 301: '祖庙网点' } },
  );
  const dept = (id: number) => r.departments.find((d) => d.departmentId === id)!;

  it('deducts KPI points by the lowest threshold the completion is below', () => {
    expect(dept(CORP).kpiDeductionHundredths).toBe(500); // 50.00 % < 60 %, not < 30 %
    expect(dept(INST).kpiDeductionHundredths).toBe(500); // 49.99 %
    expect(dept(PF).kpiDeductionHundredths).toBe(0);
    expect(dept(CORP).notes.map((n) => n.zh)).toContain('未完成目标扣分：平均任务完成率50.00%，低于60.00%，部门年度关键绩效考核扣5.00分');
  });

  it('gives the highest special award reached and splits key-project awards by project points', () => {
    // PF: 200 % ≥ 150 % → 5,000.00; project 7: 1,000.00 by 100:300 → CORP 250.00, PF 750.00
    expect(dept(PF).specialFen).toBe(500_000 + 75_000);
    expect(dept(CORP).specialFen).toBe(25_000);
    expect(dept(INST).specialFen).toBe(0);
    // CORP's 250.00 to its people by 200:100 → 166.67 / 83.33
    expect(r.people.filter((p) => p.departmentId === CORP).map((p) => p.specialFen)).toEqual([16_667, 8_333]);
    expect(r.notes.map((n) => n.zh).join()).toContain('无积分项目（项目8）：本年度无积分，奖励500.00元不发放');
    // the pool is untouched by the awards
    expect(r.totals.rewardFen).toBe(10_000_000);
    expect(r.totals.specialFen).toBe(600_000);
  });

  it('attributes outlets’ performance pay with an explanation', () => {
    expect(r.outlets).toHaveLength(1);
    expect(r.outlets[0].note.zh).toContain('祖庙网点');
  });
});

describe('ties go to the department code / staff number, never the creation order (SPEC §7, issue 12)', () => {
  // Departments created RE, INST, CORP (ids 1, 2, 3); people created F003, F002, F001 (ids 10, 11, 12).
  const [RE_, INST_, CORP_] = [1, 2, 3];
  const codes = { departments: { [RE_]: 'RE', [INST_]: 'INST', [CORP_]: 'CORP' }, staff: { 10: 'F003', 11: 'F002', 12: 'F001' } };
  const base = (): AssessmentInput => ({ ...inputOf([], 0), codes });

  it('the pool: three departments with equal points → the spare 分 to CORP, whatever its id', () => {
    const parts = allocatePool(10_000_000n, [
      { departmentId: RE_, code: 'RE', countedHundredths: 30_000n },
      { departmentId: INST_, code: 'INST', countedHundredths: 30_000n },
      { departmentId: CORP_, code: 'CORP', countedHundredths: 30_000n },
    ]);
    expect(Object.fromEntries(parts)).toEqual({ [RE_]: 3_333_333n, [INST_]: 3_333_333n, [CORP_]: 3_333_334n });
    const r = assess({ ...base(), poolFen: 10_000_000, points: [RE_, INST_, CORP_].map((d) => ({ departmentId: d, productId: 1, staffId: null, pointsHundredths: 30_000 })) });
    expect(Object.fromEntries(r.departments.map((d) => [d.departmentId, d.rewardFen]))).toEqual({ [RE_]: 3_333_333, [INST_]: 3_333_333, [CORP_]: 3_333_334 });
  });

  it('people: equal points → the spare 分 to the staff number that sorts first (F001), not the smallest id', () => {
    const split = shareWithinDepartment(100n, [
      { staffId: 10, staffNo: 'F003', countedHundredths: 100n },
      { staffId: 11, staffNo: 'F002', countedHundredths: 100n },
      { staffId: 12, staffNo: 'F001', countedHundredths: 100n },
    ]);
    expect(Object.fromEntries(split)).toEqual({ 10: 33n, 11: 33n, 12: 34n });
    const r = assess({ ...base(), poolFen: 100, points: [10, 11, 12].map((staffId) => ({ departmentId: CORP_, productId: 1, staffId, pointsHundredths: 100 })) });
    expect(Object.fromEntries(r.people.map((p) => [p.staffId, p.rewardFen]))).toEqual({ 10: 33, 11: 33, 12: 34 });
  });

  it('a key-project award split between equal departments: the spare 分 to CORP', () => {
    const r = assess({
      ...base(),
      poolFen: 0,
      points: [RE_, CORP_].map((d) => ({ departmentId: d, productId: 1, staffId: null, pointsHundredths: 100 })),
      projectPoints: [RE_, CORP_].map((d) => ({ projectId: 7, departmentId: d, pointsHundredths: 100 })),
      rules: { ...DEFAULT_AWARD_RULES, outletAttribution: false, keyProjects: [{ projectId: 7, amountFen: 101, label: '重点项目' }] },
    });
    expect(Object.fromEntries(r.departments.map((d) => [d.departmentId, d.specialFen]))).toEqual({ [RE_]: 50, [CORP_]: 51 });
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

const departmentsArb = fc.uniqueArray(
  fc.record({
    departmentId: fc.integer({ min: 1, max: 500 }),
    points: fc.array(fc.record({ staffId: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }), pts: fc.integer({ min: 0, max: 5_000_000 }) }), { minLength: 1, maxLength: 5 }),
  }),
  { minLength: 1, maxLength: 12, selector: (d) => d.departmentId },
);
const poolArb = fc.integer({ min: 0, max: 10_000_000_000 });

function inputOf(depts: { departmentId: number; points: { staffId: number | null; pts: number }[] }[], poolFen: number): AssessmentInput {
  const points: PointsFact[] = [];
  for (const d of depts) {
    const merged = new Map<number | null, number>();
    for (const p of d.points) merged.set(p.staffId, (merged.get(p.staffId) ?? 0) + p.pts);
    for (const [staffId, pts] of merged) points.push({ departmentId: d.departmentId, productId: 1, staffId, pointsHundredths: pts });
  }
  return { poolFen, gateBp: 5000, quotas: [], completion: [], points, projectPoints: [], outlets: [], rules: { ...DEFAULT_AWARD_RULES, outletAttribution: false } };
}
const hasPoints = (i: AssessmentInput) => i.points.some((p) => p.pointsHundredths > 0);

describe('properties of the reward allocation', () => {
  it('the departments’ parts, and the people’s parts, always add up exactly to the pool', () => {
    fc.assert(
      fc.property(departmentsArb, poolArb, (depts, pool) => {
        const input = inputOf(depts, pool);
        fc.pre(hasPoints(input));
        const r = assess(input);
        expect(r.departments.reduce((s, d) => s + d.rewardFen, 0)).toBe(pool);
        expect(r.people.reduce((s, p) => s + p.rewardFen, 0)).toBe(pool);
        for (const d of r.departments) expect(r.people.filter((p) => p.departmentId === d.departmentId).reduce((s, p) => s + p.rewardFen, 0)).toBe(d.rewardFen);
      }),
      { numRuns: 300 },
    );
  });

  it('a department with more points never gets less', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 20 }), fc.bigInt({ min: 0n, max: 10_000_000_000n }), (weights, pool) => {
        fc.pre(weights.some((w) => w > 0n));
        const parts = allocatePool(
          pool,
          weights.map((w, i) => ({ departmentId: i + 1, countedHundredths: w })),
        );
        for (let i = 0; i < weights.length; i++) for (let j = 0; j < weights.length; j++) if (weights[i] > weights[j]) expect(parts.get(i + 1)! >= parts.get(j + 1)!).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the result does not depend on the order of the inputs', () => {
    fc.assert(
      fc.property(departmentsArb, poolArb, fc.integer(), (depts, pool, seed) => {
        const input = inputOf(depts, pool);
        fc.pre(hasPoints(input));
        const shuffled = { ...input, points: shuffle(input.points, seed), quotas: shuffle(input.quotas, seed) };
        expect(assess(shuffled)).toEqual(assess(input));
      }),
      { numRuns: 200 },
    );
  });

  it('renumbering departments and people (another creation order) never changes anyone’s money', () => {
    // Few distinct point values, so that equal remainders — ties — are common.
    const tiesArb = fc.uniqueArray(
      fc.record({
        departmentId: fc.integer({ min: 1, max: 500 }),
        points: fc.array(fc.record({ staffId: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }), pts: fc.constantFrom(0, 100, 300, 700) }), { minLength: 1, maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 8, selector: (d) => d.departmentId },
    );
    fc.assert(
      fc.property(tiesArb, fc.integer({ min: 0, max: 100_000 }), fc.integer(), (depts, pool, seed) => {
        const input = inputOf(depts, pool);
        fc.pre(hasPoints(input));
        // Codes and staff numbers fixed per department / person; ids reassigned in a shuffled order.
        const deptIds = [...new Set(input.points.map((p) => p.departmentId))];
        const staffIds = [...new Set(input.points.flatMap((p) => (p.staffId === null ? [] : [p.staffId])))];
        const code = (id: number) => `D${(id * 7919) % 1000}-${id}`;
        const no = (id: number) => `${(id * 104_729) % 97}-${id}`;
        const withCodes = (i: AssessmentInput, dMap: Map<number, number>, sMap: Map<number, number>): AssessmentInput => ({
          ...i,
          points: i.points.map((p) => ({ ...p, departmentId: dMap.get(p.departmentId)!, staffId: p.staffId === null ? null : sMap.get(p.staffId)! })),
          codes: {
            departments: Object.fromEntries(deptIds.map((id) => [dMap.get(id)!, code(id)])),
            staff: Object.fromEntries(staffIds.map((id) => [sMap.get(id)!, no(id)])),
          },
        });
        const identity = (ids: number[]) => new Map(ids.map((id) => [id, id]));
        const renumber = (ids: number[], from: number) => new Map(shuffle(ids, seed).map((id, i) => [id, from + i]));
        const dMap = renumber(deptIds, 1000);
        const sMap = renumber(staffIds, 5000);
        const keyed = (i: AssessmentInput) => {
          const r = assess(i);
          return {
            departments: Object.fromEntries(r.departments.map((d) => [i.codes!.departments[d.departmentId], d.rewardFen])),
            people: Object.fromEntries(r.people.map((p) => [`${i.codes!.departments[p.departmentId]}/${p.staffId === null ? '-' : i.codes!.staff[p.staffId]}`, p.rewardFen])),
          };
        };
        expect(keyed(withCodes(input, dMap, sMap))).toEqual(keyed(withCodes(input, identity(deptIds), identity(staffIds))));
      }),
      { numRuns: 300 },
    );
  });

  it('within a department the parts add up to its share, and a department without people keeps it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1_000_000_000n }), fc.array(fc.bigInt({ min: 0n, max: 100_000n }), { maxLength: 8 }), (amount, weights) => {
        const people = weights.map((w, i) => ({ staffId: i + 1, countedHundredths: w }));
        const split = shareWithinDepartment(amount, [...people, { staffId: null, countedHundredths: 0n }]);
        expect([...split.values()].reduce((s, x) => s + x, 0n)).toBe(amount);
        if (weights.every((w) => w === 0n)) expect(split.get(null)).toBe(amount);
      }),
    );
  });
});

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
