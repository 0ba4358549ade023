import { type SQL, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt, scopePaths } from '../access/context.js';
import { assertReference } from '../access/references.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { withClientIds } from '../sales/sales.form.js';
import { toSaleInput } from '../sales/sales.schemas.js';
import { recordSale } from '../sales/sales.service.js';
import { assertMayWork as assertMayWorkProject, loadProject } from '../projects/projects.access.js';
import { teamOf } from '../projects/projects.service.js';
import { assignLeads, canMove, isOpen, type LeadStage, teamSale } from './leads.rules.js';
import type { LeadOutT, WinBodyT } from './leads.schemas.js';
import { CreateLeadBody } from './leads.schemas.js';
import { type LeadRow, leadSelect, presentLead } from './leads.presenter.js';
import type { z } from 'zod';

/** Open leads an account manager may hold when no capacity is set for them. */
export const DEFAULT_LEAD_CAPACITY = 30;

const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** Leads the caller sees: every lead of a branch where they hold lead.read, and those they hold. */
export function visibleLeads(auth: AuthContext): SQL {
  return sql`(${inPaths(sql`n.path`, scopePaths(auth, 'lead.read'))} OR l.owner_staff_id = ${auth.staffId})`;
}

async function loadLead(db: DbOrTx, auth: AuthContext, id: number, lock = false): Promise<LeadRow> {
  const [r] = await rows<LeadRow>(db, sql`${leadSelect} WHERE l.id = ${id} AND ${visibleLeads(auth)} ${lock ? sql`FOR UPDATE OF l` : sql``}`);
  if (!r) throw new AppError('LEAD.NOT_FOUND', { id });
  return r;
}

/** The holder (with lead.work) or a lead manager of the branch may work a lead. */
function assertMayWork(auth: AuthContext, l: LeadRow): void {
  if (canAt(auth, 'lead.manage', l.nodePath)) return;
  if (l.ownerStaffId === auth.staffId && canAt(auth, 'lead.work', l.nodePath)) return;
  throw new AppError('LEAD.NOT_HOLDER');
}

async function event(tx: DbOrTx, leadId: number, actorStaffId: number | null, kind: string, detail: Record<string, unknown>, now: Date) {
  await tx.execute(sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail) VALUES (${leadId}, ${now.toISOString()}, ${actorStaffId}, ${kind}, ${JSON.stringify(detail)}::jsonb)`);
}

const ASSIGN_LOCK = 7_301_031;

/**
 * Account managers of a department with their load, for sharing leads out by the capacity rule.
 * Assigners take turns until they commit (one advisory lock): two transactions reading loads at once
 * would each miss the other's uncommitted leads and put a manager over capacity. One lock for every
 * department, so a batch over several departments cannot deadlock with another; it is taken before
 * the audit chain's lock (audit entries are appended last), the order every writer keeps.
 */
export async function assigneesForAssignment(tx: DbOrTx, departmentId: number) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${ASSIGN_LOCK})`);
  return assigneesOf(tx, departmentId);
}

/** Account managers of a department who can hold leads, with their open count and capacity. */
export async function assigneesOf(tx: DbOrTx, departmentId: number) {
  return rows<{ staffId: number; staffNo: string; open: number; capacity: number }>(
    tx,
    sql`SELECT s.id AS "staffId", s.staff_no AS "staffNo", coalesce(c.capacity, ${DEFAULT_LEAD_CAPACITY})::int AS capacity,
               (SELECT count(*) FROM leads o WHERE o.owner_staff_id = s.id AND o.stage IN ('new', 'contacted', 'proposal'))::int AS open
          FROM staff s LEFT JOIN lead_capacities c ON c.staff_id = s.id
         WHERE s.active AND s.department_id = ${departmentId}
           AND EXISTS (SELECT 1 FROM staff_roles sr JOIN roles r ON r.code = sr.role_code
                        WHERE sr.staff_id = s.id AND r.code <> 'admin' AND r.permissions @> '["lead.work"]'::jsonb)
         ORDER BY s.staff_no`,
  );
}

/** Hands a lead to a holder: the row, its history, the holder's notification. */
async function handTo(tx: DbOrTx, lead: { id: number; nodeId: number; contactName: string }, staffId: number, actor: number | null, now: Date, why: string) {
  await tx.execute(sql`UPDATE leads SET owner_staff_id = ${staffId}, touched_at = ${now.toISOString()}, escalation_level = 0 WHERE id = ${lead.id}`);
  await event(tx, lead.id, actor, 'assigned', { staffId, why }, now);
  await notify(tx, recipients.one(staffId), {
    kind: 'lead.assigned',
    titleZh: `新商机：${lead.contactName}（请在3天内跟进）`,
    titleEn: `New lead: ${lead.contactName} (follow up within 3 days)`,
    link: `/leads/${lead.id}`,
    nodeId: lead.nodeId,
  });
}

type CreateBody = z.infer<typeof CreateLeadBody>;

/** The department that works a new lead: the one named, else the product's host in the caller's branch, else the caller's own. */
async function departmentFor(tx: DbOrTx, auth: AuthContext, b: CreateBody, hostCode: string | null) {
  if (b.departmentId) {
    await assertReference(tx, auth, 'department', b.departmentId, { notFound: 'LEAD.DEPARTMENT_REQUIRED' });
    return b.departmentId;
  }
  const [d] = hostCode
    ? await rows<{ id: number }>(
        tx,
        sql`SELECT d.id FROM departments d JOIN org_nodes n ON n.id = d.node_id
             WHERE d.active AND upper(d.code) = upper(${hostCode}) AND (SELECT path FROM org_nodes WHERE id = ${auth.nodeId}) LIKE n.path || '%'
             ORDER BY length(n.path) DESC LIMIT 1`,
      )
    : await rows<{ id: number }>(tx, sql`SELECT department_id AS id FROM staff WHERE id = ${auth.staffId} AND department_id IS NOT NULL`);
  if (!d) throw new AppError('LEAD.DEPARTMENT_REQUIRED');
  return d.id;
}

/** A lead names a project the caller works, of the lead's branch, and (optionally) one of its activities. */
async function assertProjectRef(tx: DbOrTx, auth: AuthContext, projectId: number, activityId: number | null, nodeId: number) {
  const p = await loadProject(tx, auth, projectId);
  assertMayWorkProject(auth, p, false);
  if (p.nodeId !== nodeId) throw new AppError('PROJECT.NOT_FOUND', { id: projectId });
  if (activityId) {
    const [a] = await rows<{ id: number }>(tx, sql`SELECT id FROM activities WHERE id = ${activityId} AND project_id = ${projectId}`);
    if (!a) throw new AppError('ACTIVITY.NOT_FOUND', { id: activityId });
  }
}

/** Creates one lead by hand and routes it: kept by its creator, or assigned by the capacity rule. */
export async function createLead(db: Db, auth: AuthContext, b: CreateBody, now: Date): Promise<LeadOutT> {
  return db.transaction(async (tx) => {
    const [product] = b.productCode
      ? await rows<{ id: number; hostCode: string }>(tx, sql`SELECT id, host_department_code AS "hostCode" FROM products WHERE upper(code) = upper(${b.productCode})`)
      : [];
    if (b.productCode && !product) throw new AppError('PRODUCT.NOT_FOUND', { code: b.productCode });
    const departmentId = await departmentFor(tx, auth, b, product?.hostCode ?? null);
    const [dept] = await rows<{ nodeId: number; path: string }>(tx, sql`SELECT d.node_id AS "nodeId", n.path FROM departments d JOIN org_nodes n ON n.id = d.node_id WHERE d.id = ${departmentId}`);
    if (!canAt(auth, 'lead.work', dept.path) && !canAt(auth, 'lead.manage', dept.path)) throw new AppError('AUTH.OUT_OF_SCOPE');
    // Every record the lead names must be one the caller could read (issue 10, finding 11).
    if (b.personId) await assertReference(tx, auth, 'individual', b.personId, { notFound: 'SALE.UNKNOWN_CLIENT' });
    if (b.companyId) await assertReference(tx, auth, 'company', b.companyId, { notFound: 'SALE.UNKNOWN_CLIENT' });
    if (b.projectId) await assertProjectRef(tx, auth, b.projectId, b.activityId ?? null, dept.nodeId);
    else if (b.activityId) throw new AppError('ACTIVITY.NOT_FOUND', { id: b.activityId });
    const at = now.toISOString();
    const [row] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO leads (node_id, department_id, product_id, person_id, company_id, contact_name, source, note, project_id, activity_id, created_by, created_at, touched_at)
          VALUES (${dept.nodeId}, ${departmentId}, ${product?.id ?? null}, ${b.personId ?? null}, ${b.companyId ?? null}, ${b.contactName}, ${b.source}, ${b.note ?? null},
                  ${b.projectId ?? null}, ${b.activityId ?? null}, ${auth.staffId}, ${at}, ${at})
          RETURNING id`,
    );
    await event(tx, row.id, auth.staffId, 'created', { source: b.source }, now);
    const lead = { id: row.id, nodeId: dept.nodeId, contactName: b.contactName };
    if (b.keepMine && canAt(auth, 'lead.work', dept.path)) await handTo(tx, lead, auth.staffId, auth.staffId, now, 'self');
    else {
      const [to] = assignLeads(1, await assigneesForAssignment(tx, departmentId));
      if (to !== null) await handTo(tx, lead, to, null, now, 'rule');
    }
    const out = presentLead(await loadLead(tx, auth, row.id));
    await appendAudit(tx, actorOf(auth), { action: 'lead.create', entity: 'lead', entityId: row.id, nodeId: dept.nodeId, after: out });
    return out;
  });
}

/**
 * Assigns every unheld open lead of a department by the capacity rule in one pass (after an
 * import, or a manager emptying the pool). Returns how many found a holder.
 */
export async function assignPool(db: Db, auth: AuthContext, departmentId: number, now: Date): Promise<{ assigned: number; left: number }> {
  return db.transaction(async (tx) => {
    const dept = await assertReference(tx, auth, 'department', departmentId, { notFound: 'LEAD.DEPARTMENT_REQUIRED' });
    if (!canAt(auth, 'lead.manage', dept.path)) throw new AppError('AUTH.OUT_OF_SCOPE');
    const pool = await rows<{ id: number; nodeId: number; contactName: string }>(
      tx,
      sql`SELECT id, node_id AS "nodeId", contact_name AS "contactName" FROM leads
           WHERE department_id = ${departmentId} AND owner_staff_id IS NULL AND stage IN ('new', 'contacted', 'proposal')
           ORDER BY created_at, id FOR UPDATE`,
    );
    const to = assignLeads(pool.length, await assigneesForAssignment(tx, departmentId));
    let assigned = 0;
    for (const [i, lead] of pool.entries()) {
      if (to[i] === null) continue;
      await handTo(tx, lead, to[i]!, auth.staffId, now, 'pool');
      assigned++;
    }
    await appendAudit(tx, actorOf(auth), { action: 'lead.assign_pool', entity: 'department', entityId: departmentId, nodeId: dept.nodeId, after: { assigned, left: pool.length - assigned } });
    return { assigned, left: pool.length - assigned };
  });
}

/** Moves a lead to a later stage (won only through winLead: a won lead is a recorded sale). */
export async function moveLead(db: Db, auth: AuthContext, id: number, b: { stage: LeadStage; lostReason?: string | null; note?: string | null }, now: Date): Promise<LeadOutT> {
  return db.transaction(async (tx) => {
    const l = await loadLead(tx, auth, id, true);
    assertMayWork(auth, l);
    if (b.stage === 'won') throw new AppError('LEAD.WIN_BY_SALE');
    if (!canMove(l.stage, b.stage)) throw new AppError('LEAD.BAD_STAGE', { from: l.stage, to: b.stage });
    if (b.stage === 'lost' && !b.lostReason) throw new AppError('LEAD.LOST_REASON_REQUIRED');
    const before = presentLead(l);
    const at = now.toISOString();
    await tx.execute(
      sql`UPDATE leads SET stage = ${b.stage}, lost_reason = ${b.lostReason ?? null}, note = coalesce(${b.note ?? null}, note), touched_at = ${at}, escalation_level = 0,
                 closed_at = ${isOpen(b.stage) ? null : at} WHERE id = ${id}`,
    );
    await event(tx, id, auth.staffId, 'stage', { from: l.stage, to: b.stage, lostReason: b.lostReason ?? null, note: b.note ?? null }, now);
    const after = presentLead(await loadLead(tx, auth, id));
    await appendAudit(tx, actorOf(auth), { action: 'lead.stage', entity: 'lead', entityId: id, nodeId: l.nodeId, before, after });
    return after;
  });
}

/** A lead manager hands a lead to another account manager of its department. */
export async function reassignLead(db: Db, auth: AuthContext, id: number, b: { staffId: number; reason?: string | null }, now: Date): Promise<LeadOutT> {
  return db.transaction(async (tx) => {
    const l = await loadLead(tx, auth, id, true);
    if (!canAt(auth, 'lead.manage', l.nodePath)) throw new AppError('AUTH.OUT_OF_SCOPE');
    if (!isOpen(l.stage)) throw new AppError('LEAD.BAD_STAGE', { from: l.stage });
    if (!(await assigneesOf(tx, l.departmentId)).some((a) => a.staffId === b.staffId)) throw new AppError('LEAD.BAD_ASSIGNEE', [{ path: 'body.staffId', field: 'staffId', code: 'LEAD.BAD_ASSIGNEE' }]);
    const before = presentLead(l);
    await handTo(tx, l, b.staffId, auth.staffId, now, b.reason ?? 'manager');
    const after = presentLead(await loadLead(tx, auth, id));
    await appendAudit(tx, actorOf(auth), { action: 'lead.reassign', entity: 'lead', entityId: id, nodeId: l.nodeId, before, after: { ...after, reason: b.reason ?? null } });
    return after;
  });
}

/** An account manager of the lead's department takes a lead from the pool. */
export async function claimLead(db: Db, auth: AuthContext, id: number, now: Date): Promise<LeadOutT> {
  return db.transaction(async (tx) => {
    const l = await loadLead(tx, auth, id, true);
    if (l.ownerStaffId !== null) throw new AppError('LEAD.NOT_IN_POOL');
    if (!isOpen(l.stage)) throw new AppError('LEAD.BAD_STAGE', { from: l.stage });
    if (!(await assigneesOf(tx, l.departmentId)).some((a) => a.staffId === auth.staffId)) throw new AppError('LEAD.BAD_ASSIGNEE');
    await handTo(tx, l, auth.staffId, auth.staffId, now, 'claim');
    const after = presentLead(await loadLead(tx, auth, id));
    await appendAudit(tx, actorOf(auth), { action: 'lead.claim', entity: 'lead', entityId: id, nodeId: l.nodeId, after });
    return after;
  });
}

/**
 * 商机转销售: records the lead's sale — product, client, the lead's department taking part and its
 * holder as the person, filled in from the lead — through the one sale path (every check, the frozen
 * published month, the duplicate rule), then marks the lead won with its sale. Re-sending the same
 * 交易流水号 after a failure finds the sale (duplicate) and completes the lead, so nothing is lost.
 */
export async function winLead(db: Db, auth: AuthContext, id: number, b: WinBodyT, now: Date) {
  const l = await loadLead(db, auth, id);
  assertMayWork(auth, l);
  if (!isOpen(l.stage)) throw new AppError('LEAD.BAD_STAGE', { from: l.stage, to: 'won' });
  if (!l.productCode) throw new AppError('LEAD.PRODUCT_REQUIRED');
  if (!l.personId && !l.companyId) throw new AppError('LEAD.CLIENT_REQUIRED');
  const host = l.productHostCode?.toUpperCase();
  const team = l.projectId ? teamSale(await teamOf(db, l.projectId), host ?? '', l) : null;
  const body = await withClientIds(db, {
    sourceId: b.sourceId,
    productCode: l.productCode,
    idNumber: null,
    uscc: null,
    personId: l.personId,
    companyId: l.companyId,
    projectId: l.projectId,
    developmentCode: b.developmentCode ?? null,
    saleDate: b.saleDate,
    quantity: b.quantity,
    branchCode: l.nodeCode,
    hostDepartmentCode: null,
    departments: b.departments?.length ? b.departments : team ? team.departments : l.departmentCode.toUpperCase() === host ? [] : [{ code: l.departmentCode, ratio: null }],
    people: b.people?.length ? b.people : team ? team.people : l.ownerStaffNo ? [{ staffNo: l.ownerStaffNo, departmentCode: l.departmentCode, role: '客户经理', contribution: null }] : [],
  });
  const sale = await recordSale(db, auth, toSaleInput(body));
  const lead = await db.transaction(async (tx) => {
    const cur = await loadLead(tx, auth, id, true);
    if (!isOpen(cur.stage)) throw new AppError('LEAD.BAD_STAGE', { from: cur.stage, to: 'won' });
    const at = now.toISOString();
    await tx.execute(sql`UPDATE leads SET stage = 'won', sale_id = ${sale.saleId}, touched_at = ${at}, closed_at = ${at}, escalation_level = 0 WHERE id = ${id}`);
    await event(tx, id, auth.staffId, 'won', { saleId: sale.saleId, sourceId: sale.sourceId }, now);
    const after = presentLead(await loadLead(tx, auth, id));
    await appendAudit(tx, actorOf(auth), { action: 'lead.win', entity: 'lead', entityId: id, nodeId: cur.nodeId, before: presentLead(cur), after });
    return after;
  });
  return { lead, sale: { status: sale.status, saleId: sale.saleId, sourceId: sale.sourceId } };
}

/** One lead with its history, if the caller sees it. */
export async function getLead(db: DbOrTx, auth: AuthContext, id: number) {
  const l = await loadLead(db, auth, id);
  const events = await rows<{ id: number; at: Date | string; actorStaffId: number | null; actorName: string | null; kind: string; detail: Record<string, unknown> }>(
    db,
    sql`SELECT e.id, e.at, e.actor_staff_id AS "actorStaffId", s.name AS "actorName", e.kind, e.detail
          FROM lead_events e LEFT JOIN staff s ON s.id = e.actor_staff_id WHERE e.lead_id = ${id} ORDER BY e.id`,
  );
  return { ...presentLead(l), events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
}

/** Who may take this lead: the account managers of its department, with load and capacity (for 改派). */
export async function leadAssignees(db: DbOrTx, auth: AuthContext, id: number) {
  const l = await loadLead(db, auth, id);
  if (!canAt(auth, 'lead.manage', l.nodePath)) throw new AppError('AUTH.OUT_OF_SCOPE');
  const list = await assigneesOf(db, l.departmentId);
  const names = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM staff WHERE department_id = ${l.departmentId}`);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  return { items: list.map((a) => ({ ...a, name: nameOf.get(a.staffId) ?? '' })) };
}

/** Sets how many open leads an account manager may hold (lead.manage over their branch). */
export async function setCapacity(db: Db, auth: AuthContext, staffId: number, capacity: number) {
  return db.transaction(async (tx) => {
    const s = await assertReference(tx, auth, 'staff', staffId, { notFound: 'STAFF.NOT_FOUND', reach: { perms: ['lead.manage'], branchWide: true } });
    const [before] = await rows<{ capacity: number }>(tx, sql`SELECT capacity FROM lead_capacities WHERE staff_id = ${staffId}`);
    await tx.execute(sql`INSERT INTO lead_capacities (staff_id, capacity) VALUES (${staffId}, ${capacity}) ON CONFLICT (staff_id) DO UPDATE SET capacity = EXCLUDED.capacity`);
    await appendAudit(tx, actorOf(auth), { action: 'lead.capacity', entity: 'staff', entityId: staffId, nodeId: s.nodeId, before: before ?? null, after: { capacity } });
    return { staffId, capacity };
  });
}
