import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { assertAmInScope, assertReached, registrationsInScope } from './vip.access.js';
import { gradeServes, qualifyingTier, tiersInForce } from './vip.rules.js';
import type { RegisterBody, RegistrationQuery } from './vip.schemas.js';
import { factsOf, requiredCodes } from './vip.screening.js';
import { actorOf, allTierVersions, gradeOn } from './vip.tiers.js';

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

const select = sql`SELECT r.id, r.person_id AS "personId", i.name, r.tier_code AS "tierCode", t.name_zh AS "tierName", t.required_grade AS "requiredGrade",
       r.project_id AS "projectId", p.name AS "projectName", n.name AS "nodeName", r.aum_fen::float8 AS "aumFen",
       r.registered_at AS "registeredAt", rb.name AS "registeredBy", r.signed_at AS "signedAt", sb.name AS "signedBy",
       r.am_staff_id AS "amStaffId", am.name AS "amName", am.staff_no AS "amStaffNo", r.am_assigned_at AS "amAssignedAt", r.status,
       r.ended_at AS "endedAt", eb.name AS "endedBy", r.end_reason AS "endReason"
  FROM vip_registrations r JOIN individuals i ON i.id = r.person_id JOIN vip_tiers t ON t.id = r.tier_id JOIN projects p ON p.id = r.project_id
  JOIN org_nodes n ON n.id = r.node_id JOIN staff rb ON rb.id = r.registered_by LEFT JOIN staff sb ON sb.id = r.signed_by LEFT JOIN staff am ON am.id = r.am_staff_id
  LEFT JOIN staff eb ON eb.id = r.ended_by`;

type Row = {
  id: number;
  personId: number;
  name: string;
  tierCode: string;
  tierName: string;
  requiredGrade: number;
  projectId: number;
  projectName: string;
  nodeName: string;
  aumFen: number;
  registeredAt: Date | string;
  registeredBy: string;
  signedAt: Date | string | null;
  signedBy: string | null;
  amStaffId: number | null;
  amName: string | null;
  amStaffNo: string | null;
  amAssignedAt: Date | string | null;
  status: 'active' | 'ended';
  endedAt: Date | string | null;
  endedBy: string | null;
  endReason: string | null;
};
const present = (r: Row) => ({ ...r, registeredAt: iso(r.registeredAt)!, signedAt: iso(r.signedAt), amAssignedAt: iso(r.amAssignedAt), endedAt: iso(r.endedAt) });

/** Registrations of the projects in the caller's scope, newest first. */
export async function listRegistrations(db: DbOrTx, auth: AuthContext, q: z.infer<typeof RegistrationQuery>) {
  const where = sql`${registrationsInScope(auth, 'vip.read')} ${q.status === 'all' ? sql`` : sql`AND r.status = ${q.status}`}
    ${q.pending === 'sign' ? sql`AND r.signed_at IS NULL` : q.pending === 'am' ? sql`AND r.signed_at IS NOT NULL AND r.am_staff_id IS NULL` : q.pending === 'any' ? sql`AND r.am_staff_id IS NULL` : sql``}`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM vip_registrations r WHERE ${where}`);
  const items = await rows<Row>(db, sql`${select} WHERE ${where} ORDER BY r.registered_at DESC, r.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`);
  return { items: items.map(present), total, page: q.page, pageSize: q.pageSize };
}

async function loadRegistration(db: DbOrTx, auth: AuthContext, id: number, lock = false): Promise<Row & { nodeId: number }> {
  const [r] = await rows<Row & { nodeId: number }>(db, sql`${select} WHERE r.id = ${id} AND ${registrationsInScope(auth, 'vip.manage')} ${lock ? sql`FOR UPDATE OF r` : sql``}`);
  if (!r) throw new AppError('VIP.REGISTRATION_NOT_FOUND', { id });
  const [{ nodeId }] = await rows<{ nodeId: number }>(db, sql`SELECT node_id AS "nodeId" FROM vip_registrations WHERE id = ${id}`);
  return { ...r, nodeId };
}

/**
 * 登记建档 (Art. 15), one or many in one transaction (all or nothing): each person must be reached
 * by the named project in the caller's scope, not registered already, and of a tier in force today
 * (screened again now — a stored result is never trusted). Sets the person's 贵宾等级; audited.
 */
export async function register(db: Db, auth: AuthContext, b: z.infer<typeof RegisterBody>, day: string, now: Date) {
  return db.transaction(async (tx) => {
    const tiers = tiersInForce(await allTierVersions(tx), day);
    const facts = await factsOf(
      tx,
      b.items.map((i) => i.personId),
      day,
      requiredCodes(tiers),
    );
    const ids: number[] = [];
    const seen = new Set<number>();
    for (const item of b.items) {
      if (seen.has(item.personId)) throw new AppError('VIP.ALREADY_REGISTERED', { personId: item.personId });
      seen.add(item.personId);
      const { nodeId } = await assertReached(tx, auth, item.personId, item.projectId);
      const f = facts.get(item.personId);
      const tier = f ? qualifyingTier(tiers, f) : null;
      if (!f || !tier) throw new AppError('VIP.NOT_QUALIFIED', { personId: item.personId });
      const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM vip_registrations WHERE person_id = ${item.personId} AND status = 'active' FOR UPDATE`);
      if (dup) throw new AppError('VIP.ALREADY_REGISTERED', { personId: item.personId });
      const [{ id }] = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO vip_registrations (person_id, tier_id, tier_code, project_id, node_id, aum_fen, registered_at, registered_by)
            VALUES (${item.personId}, ${tier.id}, ${tier.code}, ${item.projectId}, ${nodeId}, ${f.aumFen}, ${now.toISOString()}, ${auth.staffId})
            ON CONFLICT DO NOTHING RETURNING id`,
      );
      if (!id) throw new AppError('VIP.ALREADY_REGISTERED', { personId: item.personId });
      await tx.execute(sql`UPDATE individuals SET vip_tier = ${tier.nameZh}, updated_at = ${now.toISOString()} WHERE id = ${item.personId}`);
      await appendAudit(tx, actorOf(auth), {
        action: 'vip.register',
        entity: 'vip_registration',
        entityId: id,
        nodeId,
        after: { personId: item.personId, projectId: item.projectId, tier: tier.code, aumFen: f.aumFen, products: f.productCount },
      });
      ids.push(id);
    }
    const out = await rows<Row>(tx, sql`${select} WHERE r.id = ANY(${`{${ids.join(',')}}`}::int[]) ORDER BY r.id`);
    return { items: out.map(present) };
  });
}

/** 签约一对一维护: once, by vip.manage over the registration's project; audited. */
export async function sign(db: Db, auth: AuthContext, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const r = await loadRegistration(tx, auth, id, true);
    if (r.status !== 'active') throw new AppError('VIP.REGISTRATION_NOT_FOUND', { id });
    if (r.signedAt) throw new AppError('VIP.ALREADY_SIGNED', { id });
    await tx.execute(sql`UPDATE vip_registrations SET signed_at = ${now.toISOString()}, signed_by = ${auth.staffId} WHERE id = ${id}`);
    await appendAudit(tx, actorOf(auth), { action: 'vip.sign', entity: 'vip_registration', entityId: id, nodeId: r.nodeId, after: { personId: r.personId, signedAt: now.toISOString() } });
    return present((await rows<Row>(tx, sql`${select} WHERE r.id = ${id}`))[0]);
  });
}

/**
 * 配备专职客户经理 (Art. 15): after signing; the AM is active staff in the caller's scope whose grade
 * today is at least the tier's required grade (VIP.AM_NO_GRADE / VIP.AM_GRADE_TOO_LOW otherwise).
 * Becomes the person's 专属客户经理; audited with the one it replaces.
 */
export async function assignAm(db: Db, auth: AuthContext, id: number, staffId: number, day: string, now: Date) {
  return db.transaction(async (tx) => {
    const r = await loadRegistration(tx, auth, id, true);
    if (r.status !== 'active') throw new AppError('VIP.REGISTRATION_NOT_FOUND', { id });
    if (!r.signedAt) throw new AppError('VIP.NOT_SIGNED', { id });
    await assertAmInScope(tx, auth, staffId);
    const [g] = await rows<{ grade: number }>(tx, sql`SELECT grade FROM (${gradeOn(day)}) g WHERE g.staff_id = ${staffId}`);
    if (!g) throw new AppError('VIP.AM_NO_GRADE', { staffId });
    if (!gradeServes(g.grade, r.requiredGrade)) throw new AppError('VIP.AM_GRADE_TOO_LOW', { staffId, grade: g.grade, requiredGrade: r.requiredGrade, tier: r.tierCode });
    await tx.execute(sql`UPDATE vip_registrations SET am_staff_id = ${staffId}, am_assigned_at = ${now.toISOString()}, am_assigned_by = ${auth.staffId} WHERE id = ${id}`);
    await tx.execute(sql`UPDATE individuals SET dedicated_am_id = ${staffId}, updated_at = ${now.toISOString()} WHERE id = ${r.personId}`);
    await appendAudit(tx, actorOf(auth), {
      action: 'vip.assign_am',
      entity: 'vip_registration',
      entityId: id,
      nodeId: r.nodeId,
      before: { amStaffId: r.amStaffId },
      after: { personId: r.personId, amStaffId: staffId, grade: g.grade, requiredGrade: r.requiredGrade },
    });
    return present((await rows<Row>(tx, sql`${select} WHERE r.id = ${id}`))[0]);
  });
}

/**
 * 终止贵宾维护: the client no longer qualifies, left the bank or asked to end the one-to-one service.
 * The row is kept (ended_at, who, why); the person's 贵宾等级 is cleared, and their 专属客户经理 too
 * when it is the AM this registration gave them. The person can be registered again later. Audited.
 */
export async function endRegistration(db: Db, auth: AuthContext, id: number, reason: string, now: Date) {
  return db.transaction(async (tx) => {
    const r = await loadRegistration(tx, auth, id, true);
    if (r.status !== 'active') throw new AppError('VIP.ALREADY_ENDED', { id });
    await tx.execute(sql`UPDATE vip_registrations SET status = 'ended', ended_at = ${now.toISOString()}, ended_by = ${auth.staffId}, end_reason = ${reason} WHERE id = ${id}`);
    await tx.execute(sql`UPDATE individuals SET vip_tier = NULL,
        dedicated_am_id = CASE WHEN dedicated_am_id IS NOT DISTINCT FROM ${r.amStaffId}::int THEN NULL ELSE dedicated_am_id END,
        updated_at = ${now.toISOString()} WHERE id = ${r.personId}`);
    await appendAudit(tx, actorOf(auth), {
      action: 'vip.end',
      entity: 'vip_registration',
      entityId: id,
      nodeId: r.nodeId,
      before: { status: 'active', tier: r.tierCode, amStaffId: r.amStaffId },
      after: { status: 'ended', reason },
    });
    return present((await rows<Row>(tx, sql`${select} WHERE r.id = ${id}`))[0]);
  });
}

/** Who may serve a registration: AMs in the caller's scope whose grade today is high enough. */
export async function amCandidates(db: DbOrTx, auth: AuthContext, id: number, day: string) {
  const r = await loadRegistration(db, auth, id);
  const items = await rows<{ staffId: number; staffNo: string; name: string; nodeName: string; grade: number }>(
    db,
    sql`SELECT s.id AS "staffId", s.staff_no AS "staffNo", s.name, n.name AS "nodeName", g.grade
          FROM staff s JOIN org_nodes n ON n.id = s.node_id JOIN (${gradeOn(day)}) g ON g.staff_id = s.id
         WHERE s.active AND g.grade >= ${r.requiredGrade} AND ${inPaths(sql`n.path`, scopePaths(auth, 'vip.manage'))}
         ORDER BY g.grade, s.staff_no LIMIT 200`,
  );
  return { items };
}
