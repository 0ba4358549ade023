import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { intArray } from '../../db/arrays.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import type { WhitelistStaffRule } from '../../db/schema/whitelists.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { type PlanEntry, planStaff, summarise, weightsFor } from './distribution.rules.js';
import { actorOf, assertBatch, assertNode, inScope } from './whitelists.access.js';

/**
 * Distribution inside outlets (SPEC §12): a preview of who would get how many entries and how much
 * pre-approved amount, then apply — the same plan, computed again under the batch's lock and written
 * by one set-based UPDATE (unnest of ids and staff). Re-balance hands the open entries of staff who
 * left (inactive, or moved to another node) to the outlet's current staff by its rule. Both audited
 * per outlet.
 */

export interface DistributionScope {
  batchId?: number;
  /** Only this node's subtree (an outlet, or a sub-branch and its outlets). */
  nodeId?: number;
  /** Override every outlet's saved rule for this run. */
  rule?: WhitelistStaffRule;
}

interface OutletRow {
  id: number;
  code: string;
  name: string;
  level: string;
  rule: WhitelistStaffRule | null;
  weights: Record<string, number> | null;
}

export interface OutletPlan {
  nodeId: number;
  code: string;
  name: string;
  level: string;
  rule: WhitelistStaffRule;
  entries: number;
  amountFen: number;
  unassigned: number;
  people: { staffId: number; staffNo: string; name: string; count: number; amountFen: number; current: number }[];
  assign: Map<number, number>;
}

/** GET-style plan: the entries waiting (mode 'distribute') or held by departed staff (mode 'rebalance'), per node. */
export async function computePlan(db: DbOrTx, auth: AuthContext, scope: DistributionScope, mode: 'distribute' | 'rebalance'): Promise<OutletPlan[]> {
  const sub = scope.nodeId ? await assertNode(db, auth, 'whitelist.manage', scope.nodeId) : null;
  const where = sql`${inScope(auth, 'whitelist.manage', sql`n.path`)} ${sub ? sql`AND n.path LIKE ${`${sub.path}%`}` : sql``} ${scope.batchId ? sql`AND e.batch_id = ${scope.batchId}` : sql``}`;
  const waiting =
    mode === 'distribute'
      ? sql`e.staff_id IS NULL AND e.status NOT IN ('drawn', 'refused')`
      : sql`e.staff_id IS NOT NULL AND e.status NOT IN ('drawn', 'refused') AND EXISTS (SELECT 1 FROM staff s WHERE s.id = e.staff_id AND (NOT s.active OR s.node_id <> e.outlet_node_id))`;
  const entries = await rows<PlanEntry & { nodeId: number }>(
    db,
    sql`SELECT e.id, e.amount_fen AS "amountFen", e.outlet_node_id AS "nodeId", coalesce(c.account_manager_id, p.dedicated_am_id) AS "amId"
          FROM whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id
          LEFT JOIN corporate_clients c ON c.id = e.corporate_client_id LEFT JOIN individuals p ON p.id = e.individual_id
         WHERE ${waiting} AND ${where} ORDER BY e.id`,
  );
  if (!entries.length) return [];
  const nodeIds = [...new Set(entries.map((e) => e.nodeId))];
  const outlets = await rows<OutletRow>(
    db,
    sql`SELECT n.id, n.code, n.name, n.level, r.rule, r.weights FROM org_nodes n LEFT JOIN whitelist_outlet_rules r ON r.node_id = n.id
         WHERE n.id = ANY(${intArray(nodeIds)}::int[]) ORDER BY n.sort, n.id`,
  );
  const staff = await rows<{ id: number; staffNo: string; name: string; nodeId: number; current: number }>(
    db,
    sql`SELECT s.id, s.staff_no AS "staffNo", s.name, s.node_id AS "nodeId",
               (SELECT count(*)::int FROM whitelist_entries x WHERE x.staff_id = s.id AND x.status NOT IN ('drawn', 'refused')) AS current
          FROM staff s WHERE s.active AND s.node_id = ANY(${intArray(nodeIds)}::int[]) ORDER BY s.staff_no`,
  );
  const byNode = new Map<number, PlanEntry[]>();
  for (const e of entries) {
    const item = { id: e.id, amountFen: Number(e.amountFen), amId: e.amId };
    const l = byNode.get(e.nodeId);
    if (l) l.push(item);
    else byNode.set(e.nodeId, [item]);
  }
  return outlets.map((o) => {
    const list = byNode.get(o.id) ?? [];
    const people = staff.filter((s) => s.nodeId === o.id);
    const rule = scope.rule ?? o.rule ?? 'weights';
    const slots = weightsFor(
      people.map((p) => p.id),
      o.weights ?? {},
    ).map((s, i) => ({ ...s, current: people[i].current }));
    const plan = planStaff(rule, list, slots);
    const sums = new Map(summarise(plan, list).map((x) => [x.staffId, x]));
    return {
      nodeId: o.id,
      code: o.code,
      name: o.name,
      level: o.level,
      rule,
      entries: list.length,
      amountFen: list.reduce((s, e) => s + e.amountFen, 0),
      unassigned: plan.unassigned.length,
      people: people.map((p) => ({ staffId: p.id, staffNo: p.staffNo, name: p.name, count: sums.get(p.id)?.count ?? 0, amountFen: sums.get(p.id)?.amountFen ?? 0, current: p.current })),
      assign: plan.assign,
    };
  });
}

export type PlanView = Omit<OutletPlan, 'assign'>;
const view = (plans: OutletPlan[]): PlanView[] => plans.map(({ assign: _a, ...p }) => p);

export async function previewDistribution(db: Db, auth: AuthContext, scope: DistributionScope, mode: 'distribute' | 'rebalance' = 'distribute') {
  if (scope.batchId) await assertBatch(db, auth, 'whitelist.manage', scope.batchId);
  return { outlets: view(await computePlan(db, auth, scope, mode)) };
}

/**
 * Applies the plan: computed again inside the transaction (the batch locked, so two managers
 * applying at once cannot both hand out the same entries), then written in one UPDATE.
 */
export async function applyDistribution(db: Db, auth: AuthContext, scope: DistributionScope, mode: 'distribute' | 'rebalance' = 'distribute') {
  return db.transaction(async (tx) => {
    if (scope.batchId) {
      await assertBatch(tx, auth, 'whitelist.manage', scope.batchId);
      await tx.execute(sql`SELECT id FROM whitelist_batches WHERE id = ${scope.batchId} FOR UPDATE`);
    } else await tx.execute(sql`SELECT pg_advisory_xact_lock(7301034)`);
    const plans = await computePlan(tx, auth, scope, mode);
    const now = clock.now().toISOString();
    const ids: number[] = [];
    const to: number[] = [];
    for (const p of plans)
      for (const [e, s] of p.assign) {
        ids.push(e);
        to.push(s);
      }
    let moved = 0;
    if (ids.length) {
      const before = mode === 'rebalance' ? await heldBy(tx, ids) : [];
      const [r] = await rows<{ n: number }>(
        tx,
        sql`WITH t AS (SELECT * FROM unnest(${intArray(ids)}::int[], ${intArray(to)}::int[]) AS t(id, staff_id)),
                 u AS (UPDATE whitelist_entries e SET staff_id = t.staff_id, assigned_at = ${now}::timestamptz, updated_at = ${now}::timestamptz FROM t
                        WHERE e.id = t.id AND ${mode === 'distribute' ? sql`e.staff_id IS NULL` : sql`e.staff_id IS NOT NULL`} RETURNING 1)
            SELECT count(*)::int AS n FROM u`,
      );
      moved = r.n;
      await appendAudit(
        tx,
        actorOf(auth),
        plans
          .filter((p) => p.assign.size)
          .map((p) => ({
            action: mode === 'distribute' ? 'whitelist.distribute' : 'whitelist.rebalance',
            entity: scope.batchId ? 'whitelist_batch' : 'org_node',
            entityId: scope.batchId ?? p.nodeId,
            nodeId: p.nodeId,
            after: {
              rule: p.rule,
              entries: p.assign.size,
              people: p.people.filter((x) => x.count).map((x) => ({ staffId: x.staffId, count: x.count, amountFen: x.amountFen })),
              ...(mode === 'rebalance' ? { from: summariseFrom(before, p.assign) } : {}),
            },
          })),
      );
    }
    return { assigned: moved, outlets: view(plans) };
  });
}

async function heldBy(tx: DbOrTx, ids: number[]) {
  return rows<{ id: number; staffId: number }>(tx, sql`SELECT id, staff_id AS "staffId" FROM whitelist_entries WHERE id = ANY(${intArray(ids)}::int[])`);
}

function summariseFrom(before: { id: number; staffId: number }[], assign: Map<number, number>) {
  const out = new Map<number, number>();
  for (const b of before) if (assign.has(b.id)) out.set(b.staffId, (out.get(b.staffId) ?? 0) + 1);
  return [...out].map(([staffId, count]) => ({ staffId, count }));
}

// ---- the outlet's rule ------------------------------------------------------------------------

export async function getOutletRule(db: DbOrTx, auth: AuthContext, nodeId: number) {
  const node = await assertNode(db, auth, 'whitelist.read', nodeId);
  const [r] = await rows<{ rule: WhitelistStaffRule; weights: Record<string, number> }>(db, sql`SELECT rule, weights FROM whitelist_outlet_rules WHERE node_id = ${nodeId}`);
  const staff = await rows<{ id: number; staffNo: string; name: string; title: string | null }>(
    db,
    sql`SELECT id, staff_no AS "staffNo", name, title FROM staff WHERE node_id = ${nodeId} AND active ORDER BY staff_no`,
  );
  const weights = r?.weights ?? {};
  return {
    nodeId,
    name: node.name,
    level: node.level,
    rule: r?.rule ?? ('weights' as const),
    staff: staff.map((s) => ({ ...s, weight: Object.hasOwn(weights, String(s.id)) ? weights[String(s.id)] : 1 })),
  };
}

/** PUT: the outlet's rule and weights; every weighted person must be active staff of the node. Audited. */
export async function setOutletRule(db: Db, auth: AuthContext, nodeId: number, body: { rule: WhitelistStaffRule; weights: { staffId: number; weight: number }[] }) {
  return db.transaction(async (tx) => {
    const node = await assertNode(tx, auth, 'whitelist.manage', nodeId);
    if (node.level !== 'outlet' && node.level !== 'subbranch') throw new AppError('WL.NOT_AN_OUTLET', { id: nodeId });
    const ids = body.weights.map((w) => w.staffId);
    if (ids.length) {
      const ok = await rows<{ id: number }>(tx, sql`SELECT id FROM staff WHERE id = ANY(${intArray(ids)}::int[]) AND node_id = ${nodeId} AND active`);
      if (ok.length !== new Set(ids).size) throw new AppError('WL.STAFF_NOT_IN_OUTLET', { staffIds: ids.filter((i) => !ok.some((o) => o.id === i)) });
    }
    const weights = Object.fromEntries(body.weights.map((w) => [String(w.staffId), w.weight]));
    const [before] = await rows<{ rule: string; weights: unknown }>(tx, sql`SELECT rule, weights FROM whitelist_outlet_rules WHERE node_id = ${nodeId}`);
    const now = clock.now().toISOString();
    await tx.execute(sql`INSERT INTO whitelist_outlet_rules (node_id, rule, weights, updated_by, updated_at) VALUES (${nodeId}, ${body.rule}, ${JSON.stringify(weights)}::jsonb, ${auth.staffId}, ${now})
                         ON CONFLICT (node_id) DO UPDATE SET rule = excluded.rule, weights = excluded.weights, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
    await appendAudit(tx, actorOf(auth), { action: 'whitelist.rule.set', entity: 'org_node', entityId: nodeId, nodeId, before: before ?? null, after: { rule: body.rule, weights } });
    return getOutletRule(tx, auth, nodeId);
  });
}
