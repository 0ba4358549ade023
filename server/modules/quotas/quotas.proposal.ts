import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { allOf, type Db, type DbOrTx, rows } from '../../db/client.js';
import { productLines, quotaLineTargets, quotas } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import type { OrgNode } from '../org/org.queries.js';
import { actorOf } from '../products/products.service.js';
import { assertBranchScope, quotaBranch } from './quotas.policy.js';
import { DEFAULT_PROPOSAL_BP, proposeQuotas } from './quotas.rules.js';
import type { LineTargetBody } from './quotas.schemas.js';
import { auditView, ensurePlan, fmtQty, iso, markEdited, parseQty } from './quotas.service.js';
import { clock } from '../../calendar/index.js';

/**
 * The retail line targets and the 10 % helper (SPEC §10, Art. 18): a branch's yearly target per
 * retail line, and the draft quotas proposed from it. Apart from quotas.service.ts because it is a
 * step of its own before the quotas exist; the quotas it writes go through the same plan rules.
 */

export async function listLineTargets(db: DbOrTx, nodeId: number, year: number) {
  const r = await rows<{ line_code: string; name_zh: string; retail: boolean; quantity_1e4: number | string; unit: string; note: string | null; updated_at: string }>(
    db,
    sql`SELECT t.line_code, l.name_zh, l.retail, t.quantity_1e4, t.unit, t.note, t.updated_at
        FROM quota_line_targets t JOIN product_lines l ON l.code = t.line_code
        WHERE t.node_id = ${nodeId} AND t.year = ${year} ORDER BY l.sort, l.code`,
  );
  return r.map((x) => ({
    nodeId,
    year,
    lineCode: x.line_code,
    lineName: x.name_zh,
    retail: x.retail,
    quantity: fmtQty(Number(x.quantity_1e4)),
    quantity1e4: Number(x.quantity_1e4),
    unit: x.unit,
    note: x.note,
    updatedAt: iso(x.updated_at)!,
  }));
}

/** Sets a retail line's yearly target for a branch (the helper's input); audited. */
export async function putLineTarget(db: Db, auth: AuthContext, body: z.infer<typeof LineTargetBody>) {
  const node = await quotaBranch(db, body.nodeId);
  assertBranchScope(auth, 'quota.write', node.path);
  const [line] = await db.select().from(productLines).where(eq(productLines.code, body.lineCode)).limit(1);
  if (!line) throw new AppError('QUOTA.UNKNOWN_LINE');
  if (!line.retail) throw new AppError('QUOTA.NOT_RETAIL_LINE');
  const quantity1e4 = parseQty(body.quantity);
  let unit = body.unit;
  if (!unit) {
    // The unit most of the line's active products use (ties: the first by name).
    const [u] = await rows<{ unit: string }>(db, sql`SELECT unit FROM products WHERE line_code = ${line.code} AND active GROUP BY unit ORDER BY count(*) DESC, unit LIMIT 1`);
    if (!u) throw new AppError('REQUEST.INVALID', { unit: 'required: the line has no product to take it from' });
    unit = u.unit;
  }
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(quotaLineTargets)
      .where(and(eq(quotaLineTargets.nodeId, node.id), eq(quotaLineTargets.year, body.year), eq(quotaLineTargets.lineCode, line.code)))
      .for('update');
    const note = body.note === undefined ? (before?.note ?? null) : body.note;
    if (before && before.quantity1e4 === quantity1e4 && before.unit === unit && before.note === note) return;
    const values = { nodeId: node.id, year: body.year, lineCode: line.code, quantity1e4, unit: unit!, note, updatedBy: actor.id, updatedAt: clock.now() };
    await tx
      .insert(quotaLineTargets)
      .values(values)
      .onConflictDoUpdate({ target: [quotaLineTargets.nodeId, quotaLineTargets.year, quotaLineTargets.lineCode], set: values });
    const view = (x: { quantity1e4: number; unit: string; note: string | null }) => ({ quantity: fmtQty(x.quantity1e4), unit: x.unit, note: x.note });
    await appendAudit(tx, actor, {
      action: before ? 'quota.line_target.update' : 'quota.line_target.create',
      entity: 'quota_line_target',
      entityId: `${node.code}/${body.year}/${line.code}`,
      nodeId: node.id,
      before: before ? view(before) : undefined,
      after: view(values),
    });
  });
  return (await listLineTargets(db, node.id, body.year)).find((t) => t.lineCode === line.code)!;
}

/**
 * The departments a line's proposal is for: in the branch, active, and either the host department
 * (by code) of one of the line's active products, or host / participant of a sale of the line in
 * the year before the quota year or the quota year itself.
 */
async function proposalDepartments(db: DbOrTx, nodeId: number, year: number, lineCode: string) {
  return rows<{ id: number; code: string; name: string }>(
    db,
    sql`WITH ls AS (
          SELECT s.id, s.host_department_id FROM sales s
          WHERE s.node_id = ${nodeId} AND s.sale_date >= ${`${year - 1}-01-01`}::date AND s.sale_date < ${`${year + 1}-01-01`}::date
            AND s.struck_at IS NULL AND s.product_id IN (SELECT id FROM products WHERE line_code = ${lineCode})
        )
        SELECT d.id, d.code, d.name FROM departments d
        WHERE d.node_id = ${nodeId} AND d.active AND (
          d.code IN (SELECT host_department_code FROM products WHERE line_code = ${lineCode} AND active)
          OR d.id IN (SELECT host_department_id FROM ls UNION SELECT sd.department_id FROM ls JOIN sale_departments sd ON sd.sale_id = ls.id))
        ORDER BY d.id`,
  );
}

/** The 10 % proposal for one retail line (SPEC §10, Art. 18): computed, never written. */
export async function proposal(db: DbOrTx, node: OrgNode, year: number, lineCode: string, percentBp = DEFAULT_PROPOSAL_BP) {
  const [line] = await db.select().from(productLines).where(eq(productLines.code, lineCode)).limit(1);
  if (!line) throw new AppError('QUOTA.UNKNOWN_LINE');
  if (!line.retail) throw new AppError('QUOTA.NOT_RETAIL_LINE');
  const [target] = await db
    .select()
    .from(quotaLineTargets)
    .where(and(eq(quotaLineTargets.nodeId, node.id), eq(quotaLineTargets.year, year), eq(quotaLineTargets.lineCode, lineCode)));
  if (!target) throw new AppError('QUOTA.NO_LINE_TARGET');
  const [prods, depts, existing] = await allOf(db, [
    () => rows<{ id: number; code: string; name: string; unit: string }>(db, sql`SELECT id, code, name, unit FROM products WHERE line_code = ${lineCode} AND active ORDER BY id`),
    () => proposalDepartments(db, node.id, year, lineCode),
    () =>
      rows<{ department_id: number; product_id: number; quantity_1e4: number | string }>(
        db,
        sql`SELECT department_id, product_id, quantity_1e4 FROM quotas WHERE node_id = ${node.id} AND year = ${year} AND staff_id IS NULL AND outlet_node_id IS NULL`,
      ),
  ]);
  const res = proposeQuotas({
    lineTarget: { quantity1e4: target.quantity1e4, unit: target.unit },
    percentBp,
    products: prods,
    departmentIds: depts.map((d) => d.id),
    existing: new Map(existing.map((e) => [`${e.department_id}/${e.product_id}`, Number(e.quantity_1e4)])),
  });
  const deptOf = new Map(depts.map((d) => [d.id, d]));
  const prodOf = new Map(prods.map((p) => [p.id, p]));
  return {
    nodeId: node.id,
    year,
    lineCode,
    lineTarget: { quantity: fmtQty(target.quantity1e4), quantity1e4: target.quantity1e4, unit: target.unit },
    percentBp,
    quantity: fmtQty(res.quantity1e4),
    quantity1e4: res.quantity1e4,
    rule: {
      zh: `建议目标 = ${line.nameZh}条线年度指标${fmtQty(target.quantity1e4)}${target.unit} × ${percentBp / 100}%，分别给每个主办或参与该条线的部门、该条线计量单位相同的每个产品；可逐项修改`,
      en: `Proposal = the ${line.nameEn} line target ${fmtQty(target.quantity1e4)} ${target.unit} × ${percentBp / 100} %, for each department hosting or taking part in the line and each of its products in that unit; editable`,
    },
    lines: res.lines.map((l) => ({
      departmentId: l.departmentId,
      departmentCode: deptOf.get(l.departmentId)!.code,
      departmentName: deptOf.get(l.departmentId)!.name,
      productId: l.productId,
      productCode: prodOf.get(l.productId)!.code,
      productName: prodOf.get(l.productId)!.name,
      unit: prodOf.get(l.productId)!.unit,
      quantity: fmtQty(l.quantity1e4),
      quantity1e4: l.quantity1e4,
      existing1e4: l.existing1e4,
    })),
    skipped: res.skipped.map((s) => ({ productId: s.productId, productCode: prodOf.get(s.productId)!.code, productName: prodOf.get(s.productId)!.name, reason: s.reason })),
  };
}

/** Writes the proposal's lines that have no quota yet as draft quotas (source 'proposal'); audited. */
export async function applyProposal(db: Db, auth: AuthContext, node: OrgNode, year: number, lineCode: string, percentBp?: number, departmentIds?: number[]) {
  const p = await proposal(db, node, year, lineCode, percentBp);
  const wanted = departmentIds ? new Set(departmentIds) : null;
  const fresh = p.lines.filter((l) => l.existing1e4 === null && (!wanted || wanted.has(l.departmentId)));
  const actor = actorOf(auth);
  const applied = await db.transaction(async (tx) => {
    if (fresh.length === 0) return 0;
    const plan = await ensurePlan(tx, node.id, year);
    const ins = await tx
      .insert(quotas)
      .values(
        fresh.map((l) => ({
          planId: plan.id,
          nodeId: node.id,
          year,
          departmentId: l.departmentId,
          productId: l.productId,
          quantity1e4: l.quantity1e4,
          source: 'proposal' as const,
          updatedBy: actor.id,
        })),
      )
      .onConflictDoNothing()
      .returning();
    if (ins.length === 0) return 0;
    await markEdited(tx, plan.id, actor);
    const audit: AuditEntryInput[] = ins.map((q) => ({
      action: 'quota.create',
      entity: 'quota',
      entityId: q.id,
      nodeId: node.id,
      after: { ...auditView(q), proposal: { lineCode, percentBp: p.percentBp } },
    }));
    await appendAudit(tx, actor, audit);
    return ins.length;
  });
  return { ...p, applied };
}
