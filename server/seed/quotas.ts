import { sql } from 'drizzle-orm';
import type { AuthContext } from '../modules/access/context.js';
import { appendAudit, type AuditEntryInput } from '../modules/audit/audit.service.js';
import { getNodeOr404 } from '../modules/org/org.queries.js';
import { completionFacts, yearRange } from '../modules/quotas/completion.js';
import { approvePlan, ensurePlan, fmtQty, markEdited } from '../modules/quotas/quotas.service.js';
import { type Db, rows } from '../db/client.js';
import { awardRuleSets, quotaLineTargets, quotas } from '../db/schema/index.js';
import { demoDepartmentId } from './demo-bank.js';
import { DEMO_NODES } from './demo-ids.js';

/**
 * Demo quotas (营销任务, SPEC §10) so the dashboards and the year-end assessment have something to
 * show on a fresh start: for 佛山分行 and 河源分行, the 2026 retail line targets, the 2026 quotas of
 * the marketing departments × the products they sold, approved by the committee chair (four-eyes:
 * the committee office specialist edited them), and the 2026 award rules.
 *
 * The demo sales only cover 2026-10 and 2026-11, and their mix depends on the customer scale, so the
 * quotas are set from the completion the sales give (completion × a fixed factor per department
 * and product), which makes the picture the same at every scale: most products pass the 50 % gate,
 * one per department sits at exactly 50 % (it passes), some fall below it (their points count
 * nothing), 信用卡中心 reaches 120 % (special award) and 房地产信贷部 stays below 30 % on average
 * (KPI deduction). Deterministic: no clock, no randomness. Runs after seedDemoScoring.
 */

export const DEMO_QUOTA_YEAR = 2026;

/** 2026 retail line targets per branch (the 10 % helper's input): [line, quantity, unit]. */
export const DEMO_LINE_TARGETS: readonly [string, number, string][] = [
  ['WMP', 20_000, '万元'],
  ['FUND', 8_000, '万元'],
  ['INS', 5_000, '万元'],
  ['CARD', 3_000, '张'],
  ['EBANK', 4_000, '户'],
  ['PAYROLL', 600, '户'],
  ['LOAN', 400, '户'],
  ['FX', 500, '万元'],
  ['GOLD', 2_000, '万元'],
  ['DEPOSIT', 30_000, '万元'],
];

/**
 * Quota = completion × factor (in percent), cycled over a department's products in code order.
 * 200 % is exactly the 50 % gate; above 200 % the product is gated.
 */
const FACTORS: Record<string, number[]> = {
  CORP: [125, 160, 250, 110, 200, 140],
  INST: [150, 300, 120, 180, 200, 130],
  RE: [400, 500, 400, 350],
  PF: [125, 200, 150, 300, 120, 160],
  EB: [90, 200],
  CC: [80],
  PB: [150],
};
/** Per department × product overrides: the department's main line of business. */
const OVERRIDES: Record<string, number> = { 'RE/MORTGAGE': 125, 'PF/WMP': 110, 'CORP/PAYROLL': 120 };
/** A quota with no sale at all (completion 0 %: gated, and the gate says why). */
const UNSOLD: readonly [string, string, number][] = [['PB', 'WMP', 50]];

/** 2026 award rules (Art. 17): KPI deductions below 50 % / 30 %, special awards from 100 % / 120 %. */
export const DEMO_AWARD_RULES = {
  kpiDeductions: [
    { belowBp: 5000, deductHundredths: 100, label: '对照年初目标扣分' },
    { belowBp: 3000, deductHundredths: 200, label: '对照年初目标扣分' },
  ],
  specialAwards: [
    { atLeastBp: 10_000, amountFen: 200_000, label: '完成任务奖' },
    { atLeastBp: 12_000, amountFen: 500_000, label: '超额完成专项奖励' },
  ],
  keyProjects: [],
  outletAttribution: true,
};

const WHOLE = 10_000n;

/** completion × pct %, rounded half-up to whole units (at least 1); exactly × 2 for the 50 % line. */
function quotaOf(done1e4: number, pct: number): number {
  if (pct === 200) return done1e4 * 2;
  const units = (BigInt(done1e4) * BigInt(pct) + 50n * WHOLE) / (100n * WHOLE);
  return Number((units > 0n ? units : 1n) * WHOLE);
}

/** Who drafts (the committee office) and who approves (the chair) in a branch. */
async function committeeOf(db: Db, nodeId: number) {
  const r = await rows<{ id: number; name: string; staff_no: string; position: string }>(
    db,
    sql`SELECT s.id, s.name, s.staff_no, c.position FROM committee_members c JOIN staff s ON s.id = c.staff_id
        WHERE c.node_id = ${nodeId} AND c.position IN ('office', 'chair') ORDER BY c.id`,
  );
  const office = r.find((x) => x.position === 'office');
  const chair = r.find((x) => x.position === 'chair');
  return office && chair ? { office, chair } : null;
}

const authOf = (s: { id: number; name: string; staff_no: string }, nodeId: number): AuthContext => ({
  staffId: s.id,
  staffNo: s.staff_no,
  name: s.name,
  nodeId,
  sessionId: 'seed',
  csrfToken: 'seed',
  mustChangePassword: false,
  grants: [],
});

/**
 * Loads the demo quotas of 2026 for 佛山分行 and 河源分行. Skips (returns null) when any quota plan
 * exists or the demo catalogue is missing. Needs the demo bank and the demo sales.
 */
export async function seedDemoQuotas(db: Db): Promise<{ lineTargets: number; quotas: number; plans: number } | null> {
  const [{ plans, products: productCount }] = await rows<{ plans: number; products: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM quota_plans) AS plans, (SELECT count(*)::int FROM products) AS products`,
  );
  if (plans > 0 || productCount === 0) return null;
  const productList = await rows<{ id: number; code: string; line_code: string }>(db, sql`SELECT id, code, line_code FROM products WHERE active ORDER BY code`);
  const productOf = new Map(productList.map((p) => [p.id, p]));
  const productByCode = new Map(productList.map((p) => [p.code, p]));
  const lines = new Set((await rows<{ code: string }>(db, sql`SELECT code FROM product_lines WHERE retail`)).map((l) => l.code));
  const counts = { lineTargets: 0, quotas: 0, plans: 0 };
  const year = DEMO_QUOTA_YEAR;

  for (const nodeId of [DEMO_NODES.foshan, DEMO_NODES.heyuan]) {
    const who = await committeeOf(db, nodeId);
    if (!who) continue;
    const office = { id: who.office.id, name: who.office.name };
    const { from, to } = yearRange(year);
    const facts = (await completionFacts(db, { nodeId, from, to })).filter((f) => f.grain === 'D');
    const deptCode = new Map(Object.keys(FACTORS).map((code) => [demoDepartmentId(nodeId, code), code]));

    // Department × product → quota, in a stable order (department code, product code).
    const planned: { departmentId: number; productId: number; quantity1e4: number }[] = [];
    for (const code of Object.keys(FACTORS)) {
      const departmentId = demoDepartmentId(nodeId, code);
      const mine = facts
        .filter((f) => f.departmentId === departmentId && f.quantity1e4 > 0 && productOf.has(f.productId))
        .sort((a, b) => (productOf.get(a.productId)!.code < productOf.get(b.productId)!.code ? -1 : 1));
      mine.forEach((f, i) => {
        const pcode = productOf.get(f.productId)!.code;
        const pct = OVERRIDES[`${code}/${pcode}`] ?? FACTORS[code][i % FACTORS[code].length];
        planned.push({ departmentId, productId: f.productId, quantity1e4: quotaOf(f.quantity1e4, pct) });
      });
    }
    for (const [code, pcode, qty] of UNSOLD) {
      const p = productByCode.get(pcode);
      const departmentId = demoDepartmentId(nodeId, code);
      if (p && deptCode.has(departmentId) && !planned.some((q) => q.departmentId === departmentId && q.productId === p.id)) {
        planned.push({ departmentId, productId: p.id, quantity1e4: qty * 10_000 });
      }
    }

    await db.transaction(async (tx) => {
      const targets = DEMO_LINE_TARGETS.filter(([line]) => lines.has(line)).map(([lineCode, quantity, unit]) => ({
        nodeId,
        year,
        lineCode,
        quantity1e4: quantity * 10_000,
        unit,
        note: '演示数据',
        updatedBy: office.id,
      }));
      if (targets.length) await tx.insert(quotaLineTargets).values(targets);
      const plan = await ensurePlan(tx, nodeId, year);
      if (planned.length) {
        await tx.insert(quotas).values(planned.map((q) => ({ planId: plan.id, nodeId, year, ...q, source: 'manual' as const, note: '演示数据', updatedBy: office.id })));
      }
      await markEdited(tx, plan.id, office);
      await tx.insert(awardRuleSets).values({ nodeId, effectiveYear: year, rules: DEMO_AWARD_RULES, updatedBy: office.id });
      const audit: AuditEntryInput[] = [
        ...targets.map((t) => ({
          action: 'quota.line_target.create',
          entity: 'quota_line_target',
          entityId: `${nodeId}/${year}/${t.lineCode}`,
          nodeId,
          after: { quantity: fmtQty(t.quantity1e4), unit: t.unit, note: t.note },
        })),
        { action: 'seed.demo_quotas', entity: 'quota_plan', entityId: `${nodeId}/${year}`, nodeId, after: { quotas: planned.length, lineTargets: targets.length } },
        { action: 'assessment.rules.create', entity: 'award_rule_set', entityId: `${nodeId}/${year}`, nodeId, after: DEMO_AWARD_RULES },
      ];
      await appendAudit(tx, office, audit);
      counts.lineTargets += targets.length;
      counts.quotas += planned.length;
    });
    // The committee chair approves (not the office specialist who drafted: four-eyes).
    await approvePlan(db, authOf(who.chair, nodeId), await getNodeOr404(db, nodeId), year);
    counts.plans += 1;
  }
  return counts;
}
