import { and, eq, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/sqlstate.js';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows, type Tx } from '../../db/client.js';
import { quotaPlans, quotaPlanVersions, quotas } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import type { OrgNode } from '../org/org.queries.js';
import { formatScaled } from '../products/products.rules.js';
import { actorOf } from '../products/products.service.js';
import { assertBranchScope, quotaBranch } from './quotas.policy.js';
import { quotaQuantity1e4 } from './quotas.rules.js';
import type { QuotaCreateBody, QuotaListQuery, QuotaOutT, QuotaUpdateBody } from './quotas.schemas.js';
import { clock } from '../../calendar/index.js';

/** Quantity × 10⁴ → "120.5". */
export const fmtQty = (q: number) => formatScaled(q, 4);
export const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const who = (id: number | null, name: string | null) => (id === null ? null : { id, name: name ?? '' });

export type PlanRow = typeof quotaPlans.$inferSelect;

// ---- plans ------------------------------------------------------------------------------------

export async function findPlan(db: DbOrTx, nodeId: number, year: number, opts: { forUpdate?: boolean } = {}): Promise<PlanRow | undefined> {
  const q = db
    .select()
    .from(quotaPlans)
    .where(and(eq(quotaPlans.nodeId, nodeId), eq(quotaPlans.year, year)))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

/** The plan of a branch and year, created (draft) on first use and locked for the transaction. */
export async function ensurePlan(tx: Tx, nodeId: number, year: number): Promise<PlanRow> {
  await tx.insert(quotaPlans).values({ nodeId, year }).onConflictDoNothing();
  return (await findPlan(tx, nodeId, year, { forUpdate: true }))!;
}

/** Any change to a plan's quotas puts it (back) to draft and records who touched it last (four-eyes). */
export async function markEdited(tx: Tx, planId: number, actor: Actor): Promise<void> {
  await tx.update(quotaPlans).set({ state: 'draft', lastEditedBy: actor.id, lastEditedAt: clock.now() }).where(eq(quotaPlans.id, planId));
}

/** The plan as the API shows it, with its approved versions. */
export async function planView(db: DbOrTx, nodeId: number, year: number) {
  const [p] = await rows<{
    state: 'draft' | 'approved';
    approved_version: number;
    last_edited_by: number | null;
    editor: string | null;
    last_edited_at: string | null;
    approved_by: number | null;
    approver: string | null;
    approved_at: string | null;
    n: number;
  }>(
    db,
    sql`SELECT p.state, p.approved_version, p.last_edited_by, e.name AS editor, p.last_edited_at, p.approved_by, a.name AS approver, p.approved_at,
               (SELECT count(*)::int FROM quotas q WHERE q.plan_id = p.id) AS n
        FROM quota_plans p LEFT JOIN staff e ON e.id = p.last_edited_by LEFT JOIN staff a ON a.id = p.approved_by
        WHERE p.node_id = ${nodeId} AND p.year = ${year}`,
  );
  const versions = await rows<{ version_no: number; approved_by: number; approver: string | null; approved_at: string; n: number }>(
    db,
    sql`SELECT v.version_no, v.approved_by, s.name AS approver, v.approved_at, jsonb_array_length(v.quotas)::int AS n
        FROM quota_plan_versions v JOIN quota_plans p ON p.id = v.plan_id LEFT JOIN staff s ON s.id = v.approved_by
        WHERE p.node_id = ${nodeId} AND p.year = ${year} ORDER BY v.version_no DESC`,
  );
  return {
    nodeId,
    year,
    state: p?.state ?? ('draft' as const),
    approvedVersion: p ? Number(p.approved_version) : 0,
    lastEditedBy: p ? who(p.last_edited_by, p.editor) : null,
    lastEditedAt: p ? iso(p.last_edited_at) : null,
    approvedBy: p ? who(p.approved_by, p.approver) : null,
    approvedAt: p ? iso(p.approved_at) : null,
    quotas: p ? Number(p.n) : 0,
    versions: versions.map((v) => ({ versionNo: Number(v.version_no), approvedBy: who(v.approved_by, v.approver), approvedAt: iso(v.approved_at)!, quotas: Number(v.n) })),
  };
}

// ---- quotas -----------------------------------------------------------------------------------

interface QuotaRaw {
  id: number;
  node_id: number;
  year: number;
  department_id: number;
  dept_code: string;
  dept_name: string;
  product_id: number;
  node_code: string;
  product_code: string;
  product_name: string;
  line_code: string;
  unit: string;
  staff_id: number | null;
  staff_no: string | null;
  staff_name: string | null;
  outlet_node_id: number | null;
  outlet_code: string | null;
  outlet_name: string | null;
  quantity_1e4: number | string;
  source: 'manual' | 'proposal' | 'import';
  note: string | null;
  updated_by: number | null;
  editor: string | null;
  updated_at: string;
}

/** Quotas with their names, one query; `where` is a condition on q (quotas) and p (products). */
export async function quotaRows(db: DbOrTx, where: SQL): Promise<QuotaOutT[]> {
  const r = await rows<QuotaRaw>(
    db,
    sql`SELECT q.id, q.node_id, n.code AS node_code, q.year, q.department_id, d.code AS dept_code, d.name AS dept_name, q.product_id, p.code AS product_code,
               p.name AS product_name, p.line_code, p.unit, q.staff_id, st.staff_no, st.name AS staff_name, q.outlet_node_id,
               o.code AS outlet_code, o.name AS outlet_name, q.quantity_1e4, q.source, q.note, q.updated_by, e.name AS editor, q.updated_at
        FROM quotas q
        JOIN org_nodes n ON n.id = q.node_id
        JOIN departments d ON d.id = q.department_id
        JOIN products p ON p.id = q.product_id
        LEFT JOIN staff st ON st.id = q.staff_id
        LEFT JOIN org_nodes o ON o.id = q.outlet_node_id
        LEFT JOIN staff e ON e.id = q.updated_by
        WHERE ${where}
        ORDER BY d.code, p.code, q.staff_id NULLS FIRST, q.outlet_node_id NULLS FIRST, q.id`,
  );
  return r.map((x) => ({
    id: x.id,
    nodeId: x.node_id,
    nodeCode: x.node_code,
    year: x.year,
    departmentId: x.department_id,
    departmentCode: x.dept_code,
    departmentName: x.dept_name,
    productId: x.product_id,
    productCode: x.product_code,
    productName: x.product_name,
    lineCode: x.line_code,
    unit: x.unit,
    staffId: x.staff_id,
    staffNo: x.staff_no,
    staffName: x.staff_name,
    outletNodeId: x.outlet_node_id,
    outletCode: x.outlet_code,
    outletName: x.outlet_name,
    quantity: fmtQty(Number(x.quantity_1e4)),
    quantity1e4: Number(x.quantity_1e4),
    source: x.source,
    note: x.note,
    updatedBy: who(x.updated_by, x.editor),
    updatedAt: iso(x.updated_at)!,
  }));
}

export async function listQuotas(db: DbOrTx, node: OrgNode, q: z.infer<typeof QuotaListQuery>): Promise<QuotaOutT[]> {
  const conds: SQL[] = [sql`q.node_id = ${node.id}`, sql`q.year = ${q.year}`];
  if (q.departmentId) conds.push(sql`q.department_id = ${q.departmentId}`);
  if (q.productId) conds.push(sql`q.product_id = ${q.productId}`);
  if (q.lineCode) conds.push(sql`p.line_code = ${q.lineCode}`);
  if (q.level === 'department') conds.push(sql`q.staff_id IS NULL AND q.outlet_node_id IS NULL`);
  if (q.level === 'detail') conds.push(sql`(q.staff_id IS NOT NULL OR q.outlet_node_id IS NOT NULL)`);
  return quotaRows(db, sql.join(conds, sql` AND `));
}

export interface QuotaRefs {
  departmentId: number;
  productId: number;
  staffId: number | null;
  outletNodeId: number | null;
}

/** Checks that a quota's department, product, person and outlet belong to the branch. */
export async function checkRefs(db: DbOrTx, node: OrgNode, r: QuotaRefs): Promise<void> {
  if (r.staffId !== null && r.outletNodeId !== null) throw new AppError('QUOTA.BAD_NARROWING');
  const [row] = await rows<{ dept: boolean; product: boolean; staff: boolean; outlet: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM departments WHERE id = ${r.departmentId} AND node_id = ${node.id}) AS dept,
               EXISTS (SELECT 1 FROM products WHERE id = ${r.productId} AND active) AS product,
               (${r.staffId}::int IS NULL OR EXISTS (SELECT 1 FROM staff s JOIN org_nodes n ON n.id = s.node_id
                   WHERE s.id = ${r.staffId}::int AND s.active AND n.path LIKE ${`${node.path}%`})) AS staff,
               (${r.outletNodeId}::int IS NULL OR EXISTS (SELECT 1 FROM org_nodes WHERE id = ${r.outletNodeId}::int
                   AND level IN ('subbranch', 'outlet') AND path LIKE ${`${node.path}%`})) AS outlet`,
  );
  if (!row.dept) throw new AppError('QUOTA.BAD_DEPARTMENT');
  if (!row.product) throw new AppError('QUOTA.BAD_PRODUCT');
  if (!row.staff) throw new AppError('QUOTA.BAD_STAFF');
  if (!row.outlet) throw new AppError('QUOTA.BAD_OUTLET');
}

export function parseQty(v: string | number): number {
  const q = quotaQuantity1e4(v);
  if (q === undefined) throw new AppError('QUOTA.BAD_QUANTITY');
  return q;
}

/** What the audit log keeps of a quota. */
export const auditView = (q: typeof quotas.$inferSelect) => ({
  nodeId: q.nodeId,
  year: q.year,
  departmentId: q.departmentId,
  productId: q.productId,
  staffId: q.staffId,
  outletNodeId: q.outletNodeId,
  quantity: fmtQty(q.quantity1e4),
  source: q.source,
  note: q.note,
});

export async function createQuota(db: Db, auth: AuthContext, body: z.infer<typeof QuotaCreateBody>): Promise<QuotaOutT> {
  const node = await quotaBranch(db, body.nodeId);
  assertBranchScope(auth, 'quota.write', node.path);
  const refs = { departmentId: body.departmentId, productId: body.productId, staffId: body.staffId ?? null, outletNodeId: body.outletNodeId ?? null };
  await checkRefs(db, node, refs);
  const quantity1e4 = parseQty(body.quantity);
  const actor = actorOf(auth);
  try {
    const id = await db.transaction(async (tx) => {
      const plan = await ensurePlan(tx, node.id, body.year);
      const [row] = await tx
        .insert(quotas)
        .values({ planId: plan.id, nodeId: node.id, year: body.year, ...refs, quantity1e4, source: 'manual', note: body.note ?? null, updatedBy: actor.id })
        .returning();
      await markEdited(tx, plan.id, actor);
      await appendAudit(tx, actor, { action: 'quota.create', entity: 'quota', entityId: row.id, nodeId: node.id, after: auditView(row) });
      return row.id;
    });
    return (await quotaRows(db, sql`q.id = ${id}`))[0];
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('QUOTA.EXISTS');
    throw e;
  }
}

/** The quota and its branch, with the caller's write scope checked (404 before 403 reveals nothing: ids are not secrets here). */
async function writableQuota(tx: DbOrTx, auth: AuthContext, id: number) {
  const [q] = await tx.select().from(quotas).where(eq(quotas.id, id)).limit(1);
  if (!q) throw new AppError('QUOTA.NOT_FOUND');
  const node = await quotaBranch(tx, q.nodeId);
  assertBranchScope(auth, 'quota.write', node.path);
  return { q, node };
}

export async function updateQuota(db: Db, auth: AuthContext, id: number, body: z.infer<typeof QuotaUpdateBody>): Promise<QuotaOutT> {
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const { q, node } = await writableQuota(tx, auth, id);
    const quantity1e4 = body.quantity === undefined ? q.quantity1e4 : parseQty(body.quantity);
    const note = body.note === undefined ? q.note : body.note;
    if (quantity1e4 === q.quantity1e4 && note === q.note) return;
    const plan = await ensurePlan(tx, q.nodeId, q.year);
    const [after] = await tx
      .update(quotas)
      // Edited by hand: whatever proposed or imported it, the figure is now someone's decision.
      .set({ quantity1e4, note, source: 'manual', updatedBy: actor.id, updatedAt: clock.now() })
      .where(eq(quotas.id, id))
      .returning();
    await markEdited(tx, plan.id, actor);
    await appendAudit(tx, actor, { action: 'quota.update', entity: 'quota', entityId: id, nodeId: node.id, before: auditView(q), after: auditView(after) });
  });
  return (await quotaRows(db, sql`q.id = ${id}`))[0];
}

export async function deleteQuota(db: Db, auth: AuthContext, id: number): Promise<void> {
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const { q, node } = await writableQuota(tx, auth, id);
    const plan = await ensurePlan(tx, q.nodeId, q.year);
    await tx.delete(quotas).where(eq(quotas.id, id));
    await markEdited(tx, plan.id, actor);
    await appendAudit(tx, actor, { action: 'quota.delete', entity: 'quota', entityId: id, nodeId: node.id, before: auditView(q) });
  });
}

// ---- approval and history ------------------------------------------------------------------------

export interface SnapshotQuota {
  departmentId: number;
  productId: number;
  staffId: number | null;
  outletNodeId: number | null;
  quantity1e4: number;
}

const snapKey = (q: SnapshotQuota) => `${q.departmentId}/${q.productId}/${q.staffId ?? 0}/${q.outletNodeId ?? 0}`;

/**
 * The committee approves a branch's plan for a year (SPEC §10). Four-eyes: the approver is not
 * the last editor. The quotas as approved are frozen as the next version (history).
 */
export async function approvePlan(db: Db, auth: AuthContext, node: OrgNode, year: number) {
  const actor = actorOf(auth);
  return db.transaction(async (tx) => {
    const plan = await findPlan(tx, node.id, year, { forUpdate: true });
    if (!plan || plan.state !== 'draft' || plan.lastEditedBy === null) throw new AppError('QUOTA.NOTHING_TO_APPROVE');
    if (plan.lastEditedBy === auth.staffId) throw new AppError('QUOTA.SELF_APPROVAL');
    const list: SnapshotQuota[] = (
      await tx
        .select({ departmentId: quotas.departmentId, productId: quotas.productId, staffId: quotas.staffId, outletNodeId: quotas.outletNodeId, quantity1e4: quotas.quantity1e4 })
        .from(quotas)
        .where(eq(quotas.planId, plan.id))
    ).sort((a, b) => (snapKey(a) < snapKey(b) ? -1 : 1));
    const versionNo = plan.approvedVersion + 1;
    const now = clock.now();
    await tx.insert(quotaPlanVersions).values({ planId: plan.id, versionNo, quotas: list, lastEditedBy: plan.lastEditedBy, approvedBy: actor.id!, approvedAt: now });
    await tx.update(quotaPlans).set({ state: 'approved', approvedVersion: versionNo, approvedBy: actor.id, approvedAt: now }).where(eq(quotaPlans.id, plan.id));
    await appendAudit(tx, actor, {
      action: 'quota.approve',
      entity: 'quota_plan',
      entityId: `${node.code}/${year}`,
      nodeId: node.id,
      before: { state: plan.state, approvedVersion: plan.approvedVersion, lastEditedBy: plan.lastEditedBy },
      after: { state: 'approved', versionNo, quotas: list.length },
    });
    return versionNo;
  });
}

/** The quotas of an approved version (null when the plan was never approved). */
export async function approvedQuotas(db: DbOrTx, nodeId: number, year: number, versionNo?: number): Promise<{ versionNo: number; quotas: SnapshotQuota[] } | null> {
  const [v] = await rows<{ version_no: number; quotas: SnapshotQuota[] }>(
    db,
    sql`SELECT v.version_no, v.quotas FROM quota_plan_versions v JOIN quota_plans p ON p.id = v.plan_id
        WHERE p.node_id = ${nodeId} AND p.year = ${year} ${versionNo ? sql`AND v.version_no = ${versionNo}` : sql``}
        ORDER BY v.version_no DESC LIMIT 1`,
  );
  return v ? { versionNo: Number(v.version_no), quotas: v.quotas } : null;
}

/** One approved version with what changed against the one before it. */
export async function planVersion(db: DbOrTx, node: OrgNode, year: number, versionNo: number) {
  const [v] = await rows<{ version_no: number; quotas: SnapshotQuota[]; approved_by: number; approver: string | null; approved_at: string; last_edited_by: number | null; editor: string | null }>(
    db,
    sql`SELECT v.version_no, v.quotas, v.approved_by, a.name AS approver, v.approved_at, v.last_edited_by, e.name AS editor
        FROM quota_plan_versions v JOIN quota_plans p ON p.id = v.plan_id
        LEFT JOIN staff a ON a.id = v.approved_by LEFT JOIN staff e ON e.id = v.last_edited_by
        WHERE p.node_id = ${node.id} AND p.year = ${year} AND v.version_no = ${versionNo}`,
  );
  if (!v) throw new AppError('QUOTA.VERSION_NOT_FOUND');
  const prev = versionNo > 1 ? ((await approvedQuotas(db, node.id, year, versionNo - 1))?.quotas ?? []) : [];
  const before = new Map(prev.map((q) => [snapKey(q), q]));
  const after = new Map(v.quotas.map((q) => [snapKey(q), q]));
  const pick = await codePicker(db, node, [...v.quotas, ...prev]);
  const changes: (ReturnType<typeof pick> & { change: 'added' | 'removed' | 'changed'; before1e4: number | null; after1e4: number | null })[] = [];
  for (const [k, a] of after) {
    const b = before.get(k);
    if (!b) changes.push({ ...pick(a), change: 'added', before1e4: null, after1e4: a.quantity1e4 });
    else if (b.quantity1e4 !== a.quantity1e4) changes.push({ ...pick(a), change: 'changed', before1e4: b.quantity1e4, after1e4: a.quantity1e4 });
  }
  for (const [k, b] of before) if (!after.has(k)) changes.push({ ...pick(b), change: 'removed', before1e4: b.quantity1e4, after1e4: null });
  return {
    nodeId: node.id,
    year,
    versionNo: Number(v.version_no),
    approvedBy: who(v.approved_by, v.approver),
    approvedAt: iso(v.approved_at)!,
    lastEditedBy: who(v.last_edited_by, v.editor),
    quotas: v.quotas.map((q) => ({ ...pick(q), quantity: fmtQty(q.quantity1e4), quantity1e4: q.quantity1e4 })),
    changes,
  };
}
/**
 * A version's line with the codes of what it names beside the ids (issue 18 part 5): 机构号 of the
 * branch, department code, product code, staff number and outlet 机构号, read once for the version.
 */
async function codePicker(db: DbOrTx, node: OrgNode, list: SnapshotQuota[]) {
  const arr = (xs: (number | null)[]) => `{${[...new Set(xs.filter((x): x is number => x !== null))].join(',')}}`;
  const codes = async (table: 'departments' | 'products' | 'org_nodes', ids: (number | null)[]) =>
    new Map((await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM ${sql.identifier(table)} WHERE id = ANY(${arr(ids)}::int[])`)).map((r) => [Number(r.id), r.code]));
  const depts = await codes(
    'departments',
    list.map((q) => q.departmentId),
  );
  const products = await codes(
    'products',
    list.map((q) => q.productId),
  );
  const outlets = await codes(
    'org_nodes',
    list.map((q) => q.outletNodeId),
  );
  const staff = new Map(
    (await rows<{ id: number; staff_no: string }>(db, sql`SELECT id, staff_no FROM staff WHERE id = ANY(${arr(list.map((q) => q.staffId))}::int[])`)).map((r) => [Number(r.id), r.staff_no]),
  );
  return (q: SnapshotQuota) => ({
    branchCode: node.code,
    departmentId: q.departmentId,
    departmentCode: depts.get(q.departmentId) ?? '',
    productId: q.productId,
    productCode: products.get(q.productId) ?? '',
    staffId: q.staffId,
    staffNo: q.staffId === null ? null : (staff.get(q.staffId) ?? ''),
    outletNodeId: q.outletNodeId,
    outletCode: q.outletNodeId === null ? null : (outlets.get(q.outletNodeId) ?? ''),
  });
}
