import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { actorOf, assertConfigurer } from './caliber.service.js';
import { adjustPlan, type Rounding } from './coverage.rules.js';
import { coverageAsOf } from './coverage.service.js';

/**
 * 覆盖计划 and 计划调整 (seed 000 四(二)): a tier-2 branch's plan for a year, in numbered versions
 * with a reason (the API and the `interbank-plans` import share `applyPlan`); and the adjustment
 * adjusted = benchmark count ÷ own count × plan, where own count is the province's signed count as
 * of a chosen day — one integer division per branch, rounded as chosen (half up by default),
 * stored with its inputs in fi_plan_adjustments. interbank.configure at province level; audited.
 */

export interface PlanRow {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  year: number;
  planCount: number;
  version: number;
  reason: string | null;
  setBy: string | null;
  setAt: Date;
}

/** The latest version of every branch's plan of a year (and every version with `history`). */
export async function listPlans(db: DbOrTx, year: number, history = false): Promise<PlanRow[]> {
  return rows<PlanRow>(
    db,
    sql`SELECT ${history ? sql`` : sql`DISTINCT ON (p.node_id)`} p.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", p.year, p.plan_count AS "planCount", p.version, p.reason,
               s.name AS "setBy", p.set_at AS "setAt"
          FROM fi_plans p JOIN org_nodes n ON n.id = p.node_id LEFT JOIN staff s ON s.id = p.set_by
         WHERE p.year = ${year} ORDER BY p.node_id, p.version DESC`,
  );
}

export type PlanOutcome = 'inserted' | 'updated' | 'unchanged';

/** A tier-2 branch by id or 机构号 (code); plans are set for tier-2 branches only. */
export async function tier2Branch(db: DbOrTx, ref: { id?: number; code?: string }): Promise<{ id: number; code: string; name: string } | null> {
  const [n] = await rows<{ id: number; code: string; name: string }>(
    db,
    sql`SELECT id, code, name FROM org_nodes WHERE level = 'branch' AND ${ref.id !== undefined ? sql`id = ${ref.id}` : sql`code = ${ref.code ?? ''}`}`,
  );
  return n ?? null;
}

/** One plan version; unchanged when the latest version already says the same count. */
export async function applyPlan(tx: DbOrTx, actor: Actor, b: { year: number; nodeId: number; planCount: number; reason: string | null }, now: Date): Promise<PlanOutcome> {
  const [latest] = await rows<{ version: number; planCount: number }>(
    tx,
    sql`SELECT version, plan_count AS "planCount" FROM fi_plans WHERE year = ${b.year} AND node_id = ${b.nodeId} ORDER BY version DESC LIMIT 1 FOR UPDATE`,
  );
  if (latest && latest.planCount === b.planCount) return 'unchanged';
  const version = (latest?.version ?? 0) + 1;
  await tx.execute(
    sql`INSERT INTO fi_plans (year, node_id, plan_count, version, reason, set_by, set_at) VALUES (${b.year}, ${b.nodeId}, ${b.planCount}, ${version}, ${b.reason}, ${actor.id}, ${now.toISOString()}::timestamptz)`,
  );
  await appendAudit(tx, actor, {
    action: 'interbank.plan.set',
    entity: 'fi_plan',
    entityId: `${b.nodeId}/${b.year}/v${version}`,
    nodeId: b.nodeId,
    before: latest ? { planCount: latest.planCount, version: latest.version } : undefined,
    after: { ...b, version },
  });
  return latest ? 'updated' : 'inserted';
}

/** POST /api/interbank/plans. */
export async function setPlan(db: Db, auth: AuthContext, b: { year: number; nodeId: number; planCount: number; reason: string | null }, now: Date) {
  assertConfigurer(auth);
  return db.transaction(async (tx) => {
    if (!(await tier2Branch(tx, { id: b.nodeId }))) throw new AppError('INTERBANK.NOT_TIER2', { nodeId: b.nodeId });
    const outcome = await applyPlan(tx, actorOf(auth), b, now);
    return { outcome, plan: (await listPlans(tx, b.year)).find((p) => p.nodeId === b.nodeId)! };
  });
}

export interface AdjustmentInput {
  year: number;
  asOf: string;
  benchmarkName: string;
  benchmarkCount: number;
  rounding: Rounding;
  reason: string | null;
}

/** The adjustment's figures without storing them (the calculator). */
export async function previewAdjustment(db: DbOrTx, b: AdjustmentInput) {
  const own = (await coverageAsOf(db, b.asOf)).province.signed;
  if (own <= 0) throw new AppError('INTERBANK.NO_OWN_SIGNINGS', { asOf: b.asOf });
  const plans = await listPlans(db, b.year);
  const lines = plans.map((p) => ({ nodeId: p.nodeId, nodeName: p.nodeName, planCount: p.planCount, adjustedCount: adjustPlan(b.benchmarkCount, own, p.planCount, b.rounding) }));
  return { ...b, ownCount: own, lines, formula: `${b.benchmarkCount} ÷ ${own} × 计划` };
}

/** POST /api/interbank/plan-adjustments/preview: the calculator, for configure-holders. */
export async function previewAdjustmentFor(db: DbOrTx, auth: AuthContext, b: AdjustmentInput) {
  assertConfigurer(auth);
  return previewAdjustment(db, b);
}

/** POST /api/interbank/plan-adjustments: stored with its inputs; the adjusted counts become the plans in force. */
export async function saveAdjustment(db: Db, auth: AuthContext, b: AdjustmentInput, now: Date) {
  assertConfigurer(auth);
  return db.transaction(async (tx) => {
    const p = await previewAdjustment(tx, b);
    const lines = p.lines.map(({ nodeId, planCount, adjustedCount }) => ({ nodeId, planCount, adjustedCount }));
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_plan_adjustments (year, as_of, benchmark_name, benchmark_count, own_count, rounding, lines, reason, made_by, made_at)
          VALUES (${b.year}, ${b.asOf}::date, ${b.benchmarkName}, ${b.benchmarkCount}, ${p.ownCount}, ${b.rounding}, ${JSON.stringify(lines)}::jsonb, ${b.reason}, ${auth.staffId}, ${now.toISOString()}::timestamptz)
          RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'interbank.plan.adjust', entity: 'fi_plan_adjustment', entityId: id, nodeId: BANK_WIDE, after: { ...b, ownCount: p.ownCount, lines } });
    return { id, ...p };
  });
}

export async function listAdjustments(db: DbOrTx, year: number) {
  const list = await rows<{
    id: number;
    year: number;
    asOf: string;
    benchmarkName: string;
    benchmarkCount: number;
    ownCount: number;
    rounding: Rounding;
    lines: { nodeId: number; planCount: number; adjustedCount: number }[];
    reason: string | null;
    madeBy: string | null;
    madeAt: Date;
  }>(
    db,
    sql`SELECT a.id, a.year, a.as_of::text AS "asOf", a.benchmark_name AS "benchmarkName", a.benchmark_count AS "benchmarkCount", a.own_count AS "ownCount", a.rounding, a.lines, a.reason,
               s.name AS "madeBy", a.made_at AS "madeAt"
          FROM fi_plan_adjustments a LEFT JOIN staff s ON s.id = a.made_by WHERE a.year = ${year} ORDER BY a.made_at DESC, a.id DESC`,
  );
  const names = new Map((await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM org_nodes WHERE level = 'branch'`)).map((n) => [n.id, n.name]));
  return list.map((a) => ({ ...a, lines: a.lines.map((l) => ({ ...l, nodeName: names.get(l.nodeId) ?? String(l.nodeId) })) }));
}
