import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { actorOf, assertInstitution, currentJurisdiction, nodeInScope } from './interbank.access.js';
import type { LandingBody, LandingQuery, ProspectBody, ProspectQuery } from './interbank.schemas.js';

/**
 * 意向客户 (one pipeline row per institution: contacted → negotiating → approving → ready → signed /
 * dropped, with the next step and its date) and 金融科技产品落地 (a product at a signed institution:
 * intent → testing → contracting → landed / dropped). Both kept by the institution's branch today.
 */

/** PUT /prospects/:institutionId: sets the stage and next step (creates the row the first time). */
export async function saveProspect(db: Db, auth: AuthContext, institutionId: number, b: ProspectBody, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const inst = await assertInstitution(tx, auth, 'interbank.manage', institutionId, today);
    const at = now.toISOString();
    const [before] = await rows<{ stage: string }>(
      tx,
      sql`SELECT stage, next_step AS "nextStep", next_step_on::text AS "nextStepOn" FROM fi_prospects WHERE institution_id = ${institutionId} FOR UPDATE`,
    );
    await tx.execute(
      sql`INSERT INTO fi_prospects (institution_id, node_id, stage, next_step, next_step_on, note, updated_by, updated_at, created_at)
          VALUES (${institutionId}, ${inst.nodeId}, ${b.stage}, ${b.nextStep}, ${b.nextStepOn}, ${b.note}, ${auth.staffId}, ${at}, ${at})
          ON CONFLICT (institution_id) DO UPDATE SET node_id = EXCLUDED.node_id, stage = EXCLUDED.stage, next_step = EXCLUDED.next_step, next_step_on = EXCLUDED.next_step_on,
            note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'interbank.prospect.save', entity: 'fi_institution', entityId: institutionId, nodeId: inst.nodeId, before, after: b });
    return (await listProspects(tx, auth, { institutionId, page: 1, pageSize: 1 }, today)).items[0];
  });
}

/** GET /prospects: the pipeline of the branches in scope (by the institution's branch today), next steps first. */
export async function listProspects(db: DbOrTx, auth: AuthContext, q: ProspectQuery & { institutionId?: number }, today: string) {
  // By the branch keeping the institution today: a moved institution's pipeline moves with it.
  const where = sql`${nodeInScope(auth, 'interbank.read', sql`n.path`)}
    ${q.nodeId ? sql`AND j.node_id = ${q.nodeId}` : sql``} ${q.stage ? sql`AND p.stage = ${q.stage}` : sql``}
    ${q.institutionId ? sql`AND p.institution_id = ${q.institutionId}` : sql``}`;
  const from = sql`fi_prospects p JOIN fi_institutions i ON i.id = p.institution_id JOIN (${currentJurisdiction(today)}) j ON j.institution_id = p.institution_id
    JOIN org_nodes n ON n.id = j.node_id LEFT JOIN staff u ON u.id = p.updated_by`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`);
  const items = await rows<{
    id: number;
    institutionId: number;
    institutionName: string;
    institutionCode: string;
    nodeId: number;
    nodeName: string;
    stage: string;
    nextStep: string | null;
    nextStepOn: string | null;
    note: string | null;
    updatedAt: string;
    updatedByName: string | null;
  }>(
    db,
    sql`SELECT p.id, p.institution_id AS "institutionId", i.name AS "institutionName", i.code AS "institutionCode", j.node_id AS "nodeId", n.name AS "nodeName", p.stage,
               p.next_step AS "nextStep", p.next_step_on::text AS "nextStepOn", p.note, to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt", u.name AS "updatedByName"
          FROM ${from} WHERE ${where} ORDER BY (p.stage IN ('signed', 'dropped')), p.next_step_on NULLS LAST, p.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

const hasActiveSigning = (institutionId: number) => sql`EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = ${institutionId} AND s.status = 'active')`;

/** POST /landings: a product at a signed institution. */
export async function createLanding(db: Db, auth: AuthContext, b: LandingBody & { institutionId: number }, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const inst = await assertInstitution(tx, auth, 'interbank.manage', b.institutionId, today);
    const [{ signed }] = await rows<{ signed: boolean }>(tx, sql`SELECT ${hasActiveSigning(b.institutionId)} AS signed`);
    if (!signed) throw new AppError('FI.NOT_SIGNED', { institutionId: b.institutionId });
    const at = now.toISOString();
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_landings (institution_id, node_id, product, stage, stage_on, note, updated_by, updated_at, created_at)
          VALUES (${b.institutionId}, ${inst.nodeId}, ${b.product}, ${b.stage}, ${b.stageOn}, ${b.note}, ${auth.staffId}, ${at}, ${at}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'interbank.landing.create', entity: 'fi_landing', entityId: id, nodeId: inst.nodeId, after: b });
    return (await listLandings(tx, auth, { id, page: 1, pageSize: 1 })).items[0];
  });
}

/** PATCH /landings/:id: the next stage (and its date). */
export async function updateLanding(db: Db, auth: AuthContext, id: number, b: LandingBody, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const [l] = await rows<{ institutionId: number; stage: string; stageOn: string; product: string }>(
      tx,
      sql`SELECT institution_id AS "institutionId", stage, stage_on::text AS "stageOn", product FROM fi_landings WHERE id = ${id} FOR UPDATE`,
    );
    if (!l) throw new AppError('FI.LANDING_NOT_FOUND', { id });
    const inst = await assertInstitution(tx, auth, 'interbank.manage', l.institutionId, today).catch(() => {
      throw new AppError('FI.LANDING_NOT_FOUND', { id });
    });
    await tx.execute(
      sql`UPDATE fi_landings SET product = ${b.product}, stage = ${b.stage}, stage_on = ${b.stageOn}, note = ${b.note}, node_id = ${inst.nodeId}, updated_by = ${auth.staffId}, updated_at = ${now.toISOString()} WHERE id = ${id}`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'interbank.landing.update', entity: 'fi_landing', entityId: id, nodeId: inst.nodeId, before: l, after: b });
    return (await listLandings(tx, auth, { id, page: 1, pageSize: 1 })).items[0];
  });
}

/** GET /landings: landings of the branches in scope. */
export async function listLandings(db: DbOrTx, auth: AuthContext, q: LandingQuery & { id?: number }) {
  const where = sql`${nodeInScope(auth, 'interbank.read', sql`n.path`)}
    ${q.id ? sql`AND l.id = ${q.id}` : sql``} ${q.nodeId ? sql`AND l.node_id = ${q.nodeId}` : sql``} ${q.stage ? sql`AND l.stage = ${q.stage}` : sql``}
    ${q.institutionId ? sql`AND l.institution_id = ${q.institutionId}` : sql``}`;
  const from = sql`fi_landings l JOIN fi_institutions i ON i.id = l.institution_id JOIN org_nodes n ON n.id = l.node_id`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`);
  const items = await rows<{
    id: number;
    institutionId: number;
    institutionName: string;
    nodeId: number;
    nodeName: string;
    product: string;
    stage: string;
    stageOn: string;
    note: string | null;
    updatedAt: string;
  }>(
    db,
    sql`SELECT l.id, l.institution_id AS "institutionId", i.name AS "institutionName", l.node_id AS "nodeId", n.name AS "nodeName", l.product, l.stage, l.stage_on::text AS "stageOn", l.note, to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
          FROM ${from} WHERE ${where} ORDER BY l.stage_on DESC, l.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** GET /landings/gaps: signed institutions (active agreement) where no product has landed yet, in scope. */
export async function signedWithoutLanding(db: DbOrTx, auth: AuthContext, today: string) {
  const items = await rows<{ institutionId: number; institutionCode: string; institutionName: string; nodeId: number; nodeName: string; firstSignedOn: string; openLandings: number }>(
    db,
    sql`SELECT i.id AS "institutionId", i.code AS "institutionCode", i.name AS "institutionName", j.node_id AS "nodeId", n.name AS "nodeName",
               (SELECT min(s.signed_on)::text FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active') AS "firstSignedOn",
               (SELECT count(*)::int FROM fi_landings l WHERE l.institution_id = i.id AND l.stage NOT IN ('landed', 'dropped')) AS "openLandings"
          FROM fi_institutions i JOIN (${currentJurisdiction(today)}) j ON j.institution_id = i.id JOIN org_nodes n ON n.id = j.node_id
         WHERE ${nodeInScope(auth, 'interbank.read', sql`n.path`)} AND ${sql`EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = i.id AND s.status = 'active')`}
           AND NOT EXISTS (SELECT 1 FROM fi_landings l WHERE l.institution_id = i.id AND l.stage = 'landed')
         ORDER BY n.sort, i.code`,
  );
  return { items };
}
