import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { escapeLike } from '../../db/like.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { actorOf, assertBranch, assertInstitution, assertLeader, currentJurisdiction, nodeInScope } from './interbank.access.js';
import { type JurisdictionRow, planMove } from './interbank.rules.js';
import type { InstitutionInput, MoveBody, RegistryQuery } from './interbank.schemas.js';

/**
 * 机构名录 (SPEC §11): financial-institution clients, each kept by a tier-2 branch over time. One
 * path for the API and the import (applyInstitution): a new code is created with its first
 * jurisdiction; a known code with other fields is updated; another branch or leader is a move —
 * the open row closes the day before and a new one opens, with the reason. Everything audited on
 * the branch that keeps the institution.
 */

export interface InstitutionFields {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  status: string;
  uscc: string | null;
  note: string | null;
}

export async function jurisdictionHistory(db: DbOrTx, institutionId: number) {
  return rows<JurisdictionRow & { nodeName: string; nodeCode: string; leaderName: string | null; leaderNo: string | null; reason: string | null; setAt: string }>(
    db,
    sql`SELECT j.id, j.node_id AS "nodeId", n.name AS "nodeName", n.code AS "nodeCode", j.leader_staff_id AS "leaderStaffId", s.name AS "leaderName", s.staff_no AS "leaderNo",
               j.valid_from::text AS "validFrom", j.valid_to::text AS "validTo", j.reason, to_char(j.set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "setAt"
          FROM fi_jurisdictions j JOIN org_nodes n ON n.id = j.node_id LEFT JOIN staff s ON s.id = j.leader_staff_id
         WHERE j.institution_id = ${institutionId} ORDER BY j.valid_from DESC`,
  );
}

export type ApplyOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * Creates or updates an institution by code and keeps its jurisdiction (the caller checked scope:
 * the branch, the leader and — for a known code — the branch keeping it today).
 */
export async function applyInstitution(
  tx: DbOrTx,
  actor: Actor,
  v: InstitutionFields & { nodeId: number; leaderStaffId: number | null; from: string; reason: string | null },
  now: Date,
): Promise<{ id: number; outcome: ApplyOutcome }> {
  const at = now.toISOString();
  const [old] = await rows<InstitutionFields & { id: number }>(
    tx,
    sql`SELECT id, code, name, kind, parent_id AS "parentId", status, uscc, note FROM fi_institutions WHERE code = ${v.code} FOR UPDATE`,
  );
  let id: number;
  let outcome: ApplyOutcome = 'unchanged';
  if (!old) {
    [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_institutions (code, name, kind, parent_id, status, uscc, note, created_by, created_at, updated_at)
          VALUES (${v.code}, ${v.name}, ${v.kind}, ${v.parentId}, ${v.status}, ${v.uscc}, ${v.note}, ${actor.id}, ${at}, ${at}) RETURNING id`,
    );
    outcome = 'inserted';
    await appendAudit(tx, actor, { action: 'interbank.institution.create', entity: 'fi_institution', entityId: id, nodeId: v.nodeId, after: fieldsOf(v) });
  } else {
    id = old.id;
    const changed = (['name', 'kind', 'parentId', 'status', 'uscc', 'note'] as const).some((k) => (old[k] ?? null) !== (v[k] ?? null));
    if (changed) {
      await tx.execute(
        sql`UPDATE fi_institutions SET name = ${v.name}, kind = ${v.kind}, parent_id = ${v.parentId}, status = ${v.status}, uscc = ${v.uscc}, note = ${v.note}, updated_at = ${at} WHERE id = ${id}`,
      );
      outcome = 'updated';
      await appendAudit(tx, actor, { action: 'interbank.institution.update', entity: 'fi_institution', entityId: id, nodeId: v.nodeId, before: fieldsOf(old), after: fieldsOf(v) });
    }
  }
  // Closed or merged (撤并): its jurisdiction ends, so coverage stops counting it from the day of the
  // change (decision 0034 §1); reopened: a new jurisdiction row from that day. No moves while closed.
  if (old && old.status === 'active' && v.status !== 'active') {
    await endJurisdiction(tx, actor, id, v.from, now);
    return { id, outcome };
  }
  if (v.status !== 'active' && old) return { id, outcome };
  if (old && old.status !== 'active') {
    await reopenJurisdiction(tx, actor, id, v.nodeId, v.leaderStaffId, v.from, now);
    return { id, outcome };
  }
  const moved = await moveJurisdiction(tx, actor, id, v.nodeId, v.leaderStaffId, v.from, v.reason, now);
  if (!old && v.status !== 'active') await endJurisdiction(tx, actor, id, v.from, now);
  return { id, outcome: outcome === 'unchanged' && moved ? 'updated' : outcome };
}

/** Ends the open jurisdiction the day before `day` (or on its first day, if it began that day). */
async function endJurisdiction(tx: DbOrTx, actor: Actor, institutionId: number, day: string, now: Date): Promise<void> {
  const [closed] = await rows<{ id: number; nodeId: number; validFrom: string; validTo: string }>(
    tx,
    sql`UPDATE fi_jurisdictions SET valid_to = GREATEST(valid_from, ${day}::date - 1) WHERE institution_id = ${institutionId} AND valid_to IS NULL
        RETURNING id, node_id AS "nodeId", valid_from::text AS "validFrom", valid_to::text AS "validTo"`,
  );
  if (closed)
    await appendAudit(tx, actor, { action: 'interbank.jurisdiction.end', entity: 'fi_institution', entityId: institutionId, nodeId: closed.nodeId, after: { ...closed, at: now.toISOString() } });
}

/** A closed institution active again: a new open row from `day` (after the last one ended). */
async function reopenJurisdiction(tx: DbOrTx, actor: Actor, institutionId: number, nodeId: number, leaderStaffId: number | null, day: string, now: Date): Promise<void> {
  const [last] = await rows<{ validTo: string | null }>(tx, sql`SELECT max(valid_to)::text AS "validTo" FROM fi_jurisdictions WHERE institution_id = ${institutionId}`);
  const from = last?.validTo && last.validTo >= day ? sql`${last.validTo}::date + 1` : sql`${day}::date`;
  await tx.execute(
    sql`INSERT INTO fi_jurisdictions (institution_id, node_id, leader_staff_id, valid_from, reason, set_by, set_at)
        VALUES (${institutionId}, ${nodeId}, ${leaderStaffId}, ${from}, '恢复正常', ${actor.id}, ${now.toISOString()})`,
  );
  await appendAudit(tx, actor, { action: 'interbank.jurisdiction.open', entity: 'fi_institution', entityId: institutionId, nodeId, after: { nodeId, leaderStaffId, validFrom: day } });
}

const fieldsOf = (v: InstitutionFields) => ({ code: v.code, name: v.name, kind: v.kind, parentId: v.parentId, status: v.status, uscc: v.uscc, note: v.note });

/** Opens the first row, or closes the open one the day before `from` and opens the next. True when written. */
export async function moveJurisdiction(
  tx: DbOrTx,
  actor: Actor,
  institutionId: number,
  nodeId: number,
  leaderStaffId: number | null,
  from: string,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const history = await rows<JurisdictionRow>(
    tx,
    sql`SELECT id, node_id AS "nodeId", leader_staff_id AS "leaderStaffId", valid_from::text AS "validFrom", valid_to::text AS "validTo"
          FROM fi_jurisdictions WHERE institution_id = ${institutionId} ORDER BY valid_from FOR UPDATE`,
  );
  const plan = planMove(history, nodeId, leaderStaffId, from);
  if (plan.kind === 'unchanged') return false;
  if (plan.kind === 'refused') throw new AppError('FI.MOVE_DATE', { institutionId, from });
  if (plan.kind === 'move' && !reason) throw new AppError('FI.REASON_REQUIRED', { field: 'reason' });
  const open = history.find((h) => h.validTo === null);
  if (plan.kind === 'move') await tx.execute(sql`UPDATE fi_jurisdictions SET valid_to = ${plan.close.validTo} WHERE id = ${plan.close.id}`);
  await tx.execute(
    sql`INSERT INTO fi_jurisdictions (institution_id, node_id, leader_staff_id, valid_from, reason, set_by, set_at)
        VALUES (${institutionId}, ${nodeId}, ${leaderStaffId}, ${from}, ${reason}, ${actor.id}, ${now.toISOString()})`,
  );
  const after = { nodeId, leaderStaffId, validFrom: from, reason };
  await appendAudit(tx, actor, [
    { action: plan.kind === 'first' ? 'interbank.jurisdiction.open' : 'interbank.jurisdiction.move', entity: 'fi_institution', entityId: institutionId, nodeId, before: open, after },
    // The branch it left sees the move too.
    ...(open && open.nodeId !== nodeId ? [{ action: 'interbank.jurisdiction.move', entity: 'fi_institution', entityId: institutionId, nodeId: open.nodeId, before: open, after }] : []),
  ]);
  return true;
}

/** Resolves the parent association by id: it must be an institution of kind 'association'. */
async function checkParent(db: DbOrTx, parentId: number | null): Promise<void> {
  if (parentId === null) return;
  const [p] = await rows<{ id: number }>(db, sql`SELECT id FROM fi_institutions WHERE id = ${parentId} AND kind = 'association'`);
  if (!p) throw new AppError('FI.BAD_PARENT', { parentId });
}

/** POST /institutions: a new code in a branch of the caller's scope, with its leader. */
export async function createInstitution(db: Db, auth: AuthContext, b: InstitutionInput, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const branch = await assertBranch(tx, auth, b.nodeId);
    if (b.leaderStaffId !== null) await assertLeader(tx, b.leaderStaffId, branch);
    await checkParent(tx, b.parentId);
    const [taken] = await rows<{ id: number }>(tx, sql`SELECT id FROM fi_institutions WHERE code = ${b.code}`);
    if (taken) throw new AppError('FI.CODE_TAKEN', { code: b.code });
    const { id } = await applyInstitution(tx, actorOf(auth), { ...b, from: b.validFrom ?? today, reason: null }, now);
    return institutionDetail(tx, auth, id, today);
  });
}

/** PATCH /institutions/:id: the record's own fields (not its branch: that is a move). */
export async function updateInstitution(db: Db, auth: AuthContext, id: number, b: Omit<InstitutionFields, 'code'>, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const inst = await assertInstitution(tx, auth, 'interbank.manage', id, today);
    await checkParent(tx, b.parentId);
    if (b.parentId === id) throw new AppError('FI.BAD_PARENT', { parentId: b.parentId });
    const [open] = await rows<{ nodeId: number; leaderStaffId: number | null }>(
      tx,
      sql`SELECT node_id AS "nodeId", leader_staff_id AS "leaderStaffId" FROM (${currentJurisdiction(today)}) j WHERE j.institution_id = ${id}`,
    );
    await applyInstitution(tx, actorOf(auth), { ...b, code: inst.code, nodeId: open.nodeId, leaderStaffId: open.leaderStaffId, from: today, reason: null }, now);
    return institutionDetail(tx, auth, id, today);
  });
}

/** POST /institutions/:id/move: to another branch (or leader) from a day, with a reason. Both branches in scope. */
export async function moveInstitution(db: Db, auth: AuthContext, id: number, b: MoveBody, today: string, now: Date) {
  return db.transaction(async (tx) => {
    await assertInstitution(tx, auth, 'interbank.manage', id, today);
    const branch = await assertBranch(tx, auth, b.nodeId);
    if (b.leaderStaffId !== null) await assertLeader(tx, b.leaderStaffId, branch);
    const moved = await moveJurisdiction(tx, actorOf(auth), id, b.nodeId, b.leaderStaffId, b.validFrom, b.reason, now);
    if (!moved) throw new AppError('REQUEST.INVALID', { field: 'nodeId', reason: 'unchanged' });
    return institutionDetail(tx, auth, id, today);
  });
}

/** The list: filters by branch, kind, association, signed or not (an active framework or product agreement), name or code. */
export async function listInstitutions(db: DbOrTx, auth: AuthContext, q: RegistryQuery, today: string) {
  const where = sql`${nodeInScope(auth, 'interbank.read', sql`n.path`)}
    ${q.nodeId ? sql`AND j.node_id = ${q.nodeId}` : sql``}
    ${q.kind ? sql`AND i.kind = ${q.kind}` : sql``}
    ${q.parentId ? sql`AND i.parent_id = ${q.parentId}` : sql``}
    ${q.status ? sql`AND i.status = ${q.status}` : sql``}
    ${q.signed === 'true' ? sql`AND EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active')` : sql``}
    ${q.signed === 'false' ? sql`AND NOT EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active')` : sql``}
    ${q.q ? sql`AND (i.name LIKE ${`%${escapeLike(q.q)}%`} OR i.code LIKE ${`${escapeLike(q.q)}%`})` : sql``}`;
  const from = sql`fi_institutions i JOIN (${currentJurisdiction(today)}) j ON j.institution_id = i.id JOIN org_nodes n ON n.id = j.node_id`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`);
  const items = await rows<InstitutionListRow>(
    db,
    sql`SELECT i.id, i.code, i.name, i.kind, i.status, i.uscc, i.parent_id AS "parentId", p.name AS "parentName", j.node_id AS "nodeId", n.name AS "nodeName", n.code AS "nodeCode",
               j.leader_staff_id AS "leaderStaffId", ls.name AS "leaderName", ls.staff_no AS "leaderNo",
               EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active' AND s.kind = 'framework') AS "framework",
               (SELECT count(*)::int FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active' AND s.kind = 'product') AS "products",
               (SELECT max(s.signed_on)::text FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active') AS "lastSignedOn"
          FROM ${from} LEFT JOIN fi_institutions p ON p.id = i.parent_id LEFT JOIN staff ls ON ls.id = j.leader_staff_id
         WHERE ${where} ORDER BY n.sort, n.id, i.code LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export interface InstitutionListRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  status: string;
  uscc: string | null;
  parentId: number | null;
  parentName: string | null;
  nodeId: number;
  nodeName: string;
  nodeCode: string;
  leaderStaffId: number | null;
  leaderName: string | null;
  leaderNo: string | null;
  framework: boolean;
  products: number;
  lastSignedOn: string | null;
}

/** One institution with its jurisdiction history, signings, prospect, visits (photos listed) and landings. */
export async function institutionDetail(db: DbOrTx, auth: AuthContext, id: number, today: string) {
  await assertInstitution(db, auth, 'interbank.read', id, today);
  const [row] = await rows<InstitutionListRow & { note: string | null }>(
    db,
    sql`SELECT i.id, i.code, i.name, i.kind, i.status, i.uscc, i.note, i.parent_id AS "parentId", p.name AS "parentName", j.node_id AS "nodeId", n.name AS "nodeName", n.code AS "nodeCode",
               j.leader_staff_id AS "leaderStaffId", ls.name AS "leaderName", ls.staff_no AS "leaderNo",
               EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active' AND s.kind = 'framework') AS "framework",
               (SELECT count(*)::int FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active' AND s.kind = 'product') AS "products",
               (SELECT max(s.signed_on)::text FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active') AS "lastSignedOn"
          FROM fi_institutions i JOIN (${currentJurisdiction(today)}) j ON j.institution_id = i.id JOIN org_nodes n ON n.id = j.node_id
          LEFT JOIN fi_institutions p ON p.id = i.parent_id LEFT JOIN staff ls ON ls.id = j.leader_staff_id WHERE i.id = ${id}`,
  );
  return { ...row, history: await jurisdictionHistory(db, id) };
}
