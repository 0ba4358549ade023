import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { assertAmInScope, assertTierWriter } from './vip.access.js';
import { inForce, orderConflict, planVersion, sameSettings, type TierVersion, tiersInForce } from './vip.rules.js';
import type { GradeBody, TierInput } from './vip.schemas.js';
import type { z } from 'zod';

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

export interface TierRow extends TierVersion {
  nameZh: string;
  nameEn: string;
  note: string | null;
}

/** Every version of every tier (history included), oldest first. */
export async function allTierVersions(db: DbOrTx): Promise<TierRow[]> {
  return rows<TierRow>(
    db,
    sql`SELECT id, code, name_zh AS "nameZh", name_en AS "nameEn", rank, aum_threshold_fen::float8 AS "aumThresholdFen", min_products AS "minProducts",
               required_product_code AS "requiredProductCode", required_grade AS "requiredGrade", valid_from::text AS "validFrom", valid_to::text AS "validTo", note
          FROM vip_tiers ORDER BY code, valid_from`,
  );
}

/** The tiers in force on a day (best first), or every version with `history`. */
export async function listTiers(db: DbOrTx, day: string, history: boolean) {
  const all = await allTierVersions(db);
  const list = history ? [...all].sort((a, b) => b.rank - a.rank || a.code.localeCompare(b.code) || b.validFrom.localeCompare(a.validFrom)) : tiersInForce(all, day);
  return list.map((t) => ({ ...t, inForce: inForce(t, day) }));
}

export type TierOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * Adds a tier version (the API's and the import's one path): unchanged when the same version is
 * already there; otherwise from today on only, ordered against the other tiers in force that day,
 * closing the version before it the day before. Audited on the root (bank-wide configuration).
 */
export async function applyTierVersion(tx: DbOrTx, actor: Actor, b: TierInput, today: string, now: Date, others: readonly TierVersion[] | null = null): Promise<{ outcome: TierOutcome; id: number }> {
  const all = await allTierVersions(tx);
  const history = all.filter((t) => t.code === b.code);
  const same = history.find((h) => h.validFrom === b.validFrom);
  if (same && sameSettings(same, b) && same.nameZh === b.nameZh && same.nameEn === b.nameEn && (same.note ?? null) === (b.note ?? null) && same.validTo === b.validTo)
    return { outcome: 'unchanged', id: same.id };
  if (b.validFrom < today) throw new AppError('VIP.TIER_BACKDATED', { code: b.code, validFrom: b.validFrom });
  if (b.validTo !== null && b.validTo < b.validFrom) throw new AppError('REQUEST.INVALID', { field: 'validTo' });
  if (b.requiredProductCode) {
    const [p] = await rows<{ id: number }>(tx, sql`SELECT id FROM products WHERE upper(code) = ${b.requiredProductCode}`);
    if (!p) throw new AppError('VIP.TIER_BAD_PRODUCT', { code: b.requiredProductCode });
  }
  const conflict = orderConflict(others ?? tiersInForce(all, b.validFrom), b);
  if (conflict) throw new AppError('VIP.TIER_ORDER', { code: b.code, conflictsWith: conflict });
  const plan = planVersion(history, b.validFrom, b.validTo);
  const at = now.toISOString();
  if (plan.close) await tx.execute(sql`UPDATE vip_tiers SET valid_to = ${plan.close.validTo} WHERE id = ${plan.close.id}`);
  const fields = sql`${b.code}, ${b.nameZh}, ${b.nameEn}, ${b.rank}, ${b.aumThresholdFen}, ${b.minProducts}, ${b.requiredProductCode}, ${b.requiredGrade}, ${b.validFrom}, ${plan.validTo}, ${b.note}`;
  let id: number;
  if (plan.replace) {
    await tx.execute(
      sql`UPDATE vip_tiers SET (code, name_zh, name_en, rank, aum_threshold_fen, min_products, required_product_code, required_grade, valid_from, valid_to, note) = (${fields}) WHERE id = ${plan.replace}`,
    );
    id = plan.replace;
  } else {
    [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO vip_tiers (code, name_zh, name_en, rank, aum_threshold_fen, min_products, required_product_code, required_grade, valid_from, valid_to, note, created_by, created_at)
          VALUES (${fields}, ${actor.id}, ${at}) RETURNING id`,
    );
  }
  await appendAudit(tx, actor, {
    action: plan.replace ? 'vip.tier.update' : 'vip.tier.create',
    entity: 'vip_tier',
    entityId: id,
    nodeId: BANK_WIDE,
    before: same ?? (plan.close ? { closed: plan.close } : undefined),
    after: { ...b, validTo: plan.validTo },
  });
  return { outcome: plan.replace ? 'updated' : 'inserted', id };
}

/** POST /api/vip/tiers: vip.configure at the root; one version in one transaction. */
export async function saveTier(db: Db, auth: AuthContext, b: TierInput, today: string, now: Date) {
  assertTierWriter(auth);
  return db.transaction(async (tx) => {
    const { id } = await applyTierVersion(tx, actorOf(auth), b, today, now);
    const [t] = (await listTiers(tx, today, true)).filter((x) => x.id === id);
    return t;
  });
}

// ---- 客户经理等级 ----------------------------------------------------------------------------------

/** The grade of each staff member on a day (null = none). */
export function gradeOn(day: string): ReturnType<typeof sql> {
  return sql`SELECT DISTINCT ON (g.staff_id) g.staff_id, g.grade, g.valid_from FROM am_grades g
              WHERE g.valid_from <= ${day}::date AND (g.valid_to IS NULL OR g.valid_to >= ${day}::date) ORDER BY g.staff_id, g.valid_from DESC`;
}

/** Account managers in the caller's scope with their grade and how many VIPs they serve. */
export async function listGrades(db: DbOrTx, auth: AuthContext, q: { q?: string; page: number; pageSize: number }, day: string) {
  const where = sql`s.active AND ${inPaths(sql`n.path`, scopePaths(auth, 'vip.read'))}
    AND EXISTS (SELECT 1 FROM staff_roles sr WHERE sr.staff_id = s.id AND sr.role_code IN ('personal_am', 'outlet_manager'))
    ${q.q ? sql`AND (s.name LIKE ${`%${q.q}%`} OR s.staff_no LIKE ${`${q.q}%`})` : sql``}`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE ${where}`);
  const items = await rows<{ staffId: number; staffNo: string; name: string; nodeName: string; grade: number | null; validFrom: string | null; vipClients: number }>(
    db,
    sql`SELECT s.id AS "staffId", s.staff_no AS "staffNo", s.name, n.name AS "nodeName", g.grade, g.valid_from::text AS "validFrom",
               (SELECT count(*)::int FROM vip_registrations r WHERE r.am_staff_id = s.id AND r.status = 'active') AS "vipClients"
          FROM staff s JOIN org_nodes n ON n.id = s.node_id LEFT JOIN (${gradeOn(day)}) g ON g.staff_id = s.id
         WHERE ${where} ORDER BY g.grade DESC NULLS LAST, s.staff_no LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** Sets an AM's grade from a day (today or later), closing the previous grade; audited. */
export async function setGrade(db: Db, auth: AuthContext, staffId: number, b: z.infer<typeof GradeBody>, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const am = await assertAmInScope(tx, auth, staffId);
    if (b.validFrom < today) throw new AppError('VIP.TIER_BACKDATED', { validFrom: b.validFrom });
    const history = await rows<{ id: number; validFrom: string; validTo: string | null; grade: number }>(
      tx,
      sql`SELECT id, valid_from::text AS "validFrom", valid_to::text AS "validTo", grade FROM am_grades WHERE staff_id = ${staffId}`,
    );
    const plan = planVersion(history, b.validFrom);
    if (plan.close) await tx.execute(sql`UPDATE am_grades SET valid_to = ${plan.close.validTo} WHERE id = ${plan.close.id}`);
    if (plan.replace) await tx.execute(sql`UPDATE am_grades SET grade = ${b.grade}, note = ${b.note}, set_by = ${auth.staffId}, set_at = ${now.toISOString()} WHERE id = ${plan.replace}`);
    else
      await tx.execute(
        sql`INSERT INTO am_grades (staff_id, grade, valid_from, valid_to, note, set_by, set_at) VALUES (${staffId}, ${b.grade}, ${b.validFrom}, ${plan.validTo}, ${b.note}, ${auth.staffId}, ${now.toISOString()})`,
      );
    const before = history.find((h) => h.validFrom <= b.validFrom && (h.validTo === null || h.validTo >= b.validFrom));
    await appendAudit(tx, actorOf(auth), { action: 'vip.grade.set', entity: 'staff', entityId: staffId, nodeId: am.nodeId, before: before ? { grade: before.grade } : undefined, after: b });
    return { staffId, grade: b.grade, validFrom: b.validFrom };
  });
}
