import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { actorOf, assertProgramme, nodeInScope, PROGRAMME_COLS, type ProgrammeRow } from './supplychain.access.js';
import { nplRatioBp } from './supplychain.rules.js';
import type { ProgrammeBody, ProgrammePatch } from './supplychain.schemas.js';

/**
 * 供应链方案 (SPEC §12, decision 0039): the core enterprise's cooperation agreement and guarantee,
 * kept by the branch that signed it, with its thresholds (the seed's defaults: 4亿 total, 200万 per
 * household, 30 % of orders, 5 % margin, NPL 2 % / 3 %). Every change is audited.
 */

/** POST /programmes: the branch and owner must be inside the caller's supplychain.manage scope. */
export async function createProgramme(db: Db, auth: AuthContext, b: ProgrammeBody) {
  return db.transaction(async (tx) => {
    const [node] = await rows<{ id: number; path: string }>(tx, sql`SELECT id, path FROM org_nodes n WHERE id = ${b.nodeId} AND active AND ${nodeInScope(auth, 'supplychain.manage', sql`n.path`)}`);
    if (!node) throw new AppError('SC.NODE_OUT_OF_SCOPE', { nodeId: b.nodeId });
    if (b.ownerStaffId !== null) {
      const [s] = await rows<{ id: number }>(tx, sql`SELECT s.id FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${b.ownerStaffId} AND s.active AND n.path LIKE ${`${node.path}%`}`);
      if (!s) throw new AppError('SC.NODE_OUT_OF_SCOPE', { staffId: b.ownerStaffId });
    }
    const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM sc_programmes WHERE code = ${b.code}`);
    if (dup) throw new AppError('SC.PROGRAMME_EXISTS', { code: b.code });
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO sc_programmes (code, name, enterprise_name, enterprise_uscc, node_id, owner_staff_id, agreement_no, guarantee_no, signed_on,
            total_cap_fen, household_cap_fen, order_ratio_bp, margin_bp, warn_bp, suspend_bp, tolerance_bp, max_term_months, npl_overdue_days, created_by, created_at)
          VALUES (${b.code}, ${b.name}, ${b.enterpriseName}, ${b.enterpriseUscc}, ${b.nodeId}, ${b.ownerStaffId}, ${b.agreementNo}, ${b.guaranteeNo}, ${b.signedOn},
            ${b.totalCapFen}, ${b.householdCapFen}, ${b.orderRatioBp}, ${b.marginBp}, ${b.warnBp}, ${b.suspendBp}, ${b.toleranceBp}, ${b.maxTermMonths}, ${b.nplOverdueDays},
            ${auth.staffId}, ${clock.now().toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'supplychain.programme.create', entity: 'sc_programme', entityId: id, nodeId: b.nodeId, after: b });
    return programmeDetail(tx, auth, id);
  });
}

/** PATCH /programmes/:id: thresholds and caps (the total never below what was granted). */
export async function updateProgramme(db: Db, auth: AuthContext, id: number, b: ProgrammePatch) {
  return db.transaction(async (tx) => {
    const p = await assertProgramme(tx, auth, 'supplychain.manage', id, true);
    const next = { ...pick(p), ...b };
    if (next.totalCapFen < p.grantedFen) throw new AppError('SC.PROGRAMME_FULL', { grantedFen: p.grantedFen });
    if (next.warnBp > next.suspendBp) throw new AppError('REQUEST.INVALID', { field: 'warnBp' });
    await tx.execute(
      sql`UPDATE sc_programmes SET total_cap_fen = ${next.totalCapFen}, household_cap_fen = ${next.householdCapFen}, order_ratio_bp = ${next.orderRatioBp}, margin_bp = ${next.marginBp},
            warn_bp = ${next.warnBp}, suspend_bp = ${next.suspendBp}, tolerance_bp = ${next.toleranceBp}, max_term_months = ${next.maxTermMonths}, npl_overdue_days = ${next.nplOverdueDays} WHERE id = ${id}`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'supplychain.programme.update', entity: 'sc_programme', entityId: id, nodeId: p.nodeId, before: pick(p), after: next });
    return programmeDetail(tx, auth, id);
  });
}

const pick = (p: ProgrammeRow) => ({
  totalCapFen: p.totalCapFen,
  householdCapFen: p.householdCapFen,
  orderRatioBp: p.orderRatioBp,
  marginBp: p.marginBp,
  warnBp: p.warnBp,
  suspendBp: p.suspendBp,
  toleranceBp: p.toleranceBp,
  maxTermMonths: p.maxTermMonths,
  nplOverdueDays: p.nplOverdueDays,
});

interface Summary {
  enterpriseName: string;
  nodeName: string;
  ownerName: string | null;
  agreementNo: string;
  guaranteeNo: string;
  signedOn: string;
  clients: number;
  admitted: number;
  balanceFen: number;
  drawnFen: number;
  marginHeldFen: number;
  overdueFen: number;
  nplFen: number;
}

const SUMMARY = sql`p.enterprise_name AS "enterpriseName", n.name AS "nodeName", o.name AS "ownerName", p.agreement_no AS "agreementNo", p.guarantee_no AS "guaranteeNo", p.signed_on::text AS "signedOn",
  (SELECT count(*)::int FROM sc_clients c WHERE c.programme_id = p.id) AS clients,
  (SELECT count(*)::int FROM sc_clients c WHERE c.programme_id = p.id AND c.status = 'admitted') AS admitted,
  (SELECT coalesce(sum(d.balance_fen), 0)::float8 FROM sc_draws d WHERE d.programme_id = p.id) AS "balanceFen",
  (SELECT coalesce(sum(d.amount_fen), 0)::float8 FROM sc_draws d WHERE d.programme_id = p.id) AS "drawnFen",
  (SELECT coalesce(sum(d.margin_fen - d.margin_released_fen), 0)::float8 FROM sc_draws d WHERE d.programme_id = p.id) AS "marginHeldFen",
  (SELECT coalesce(sum(d.overdue_fen), 0)::float8 FROM sc_draws d WHERE d.programme_id = p.id) AS "overdueFen",
  (SELECT coalesce(sum(d.balance_fen), 0)::float8 FROM sc_draws d WHERE d.programme_id = p.id AND d.overdue_days > p.npl_overdue_days) AS "nplFen"`;

/** Every programme in the caller's read scope with its position today. */
export async function listProgrammes(db: DbOrTx, auth: AuthContext) {
  const items = await rows<ProgrammeRow & Summary>(
    db,
    sql`SELECT ${PROGRAMME_COLS}, ${SUMMARY} FROM sc_programmes p JOIN org_nodes n ON n.id = p.node_id LEFT JOIN staff o ON o.id = p.owner_staff_id
         WHERE ${nodeInScope(auth, 'supplychain.read', sql`n.path`)} ORDER BY p.id`,
  );
  return { items: items.map(shape) };
}

function shape(p: ProgrammeRow & Summary) {
  const { nodePath: _path, ...rest } = p;
  return { ...rest, remainingFen: p.totalCapFen - p.grantedFen, nplRatioBp: nplRatioBp(p.nplFen, p.balanceFen) };
}

/** One programme: position, the last NPL days, the enterprise's compensation by month, reassessments. */
export async function programmeDetail(db: DbOrTx, auth: AuthContext, id: number) {
  await assertProgramme(db, auth, 'supplychain.read', id);
  const [p] = await rows<ProgrammeRow & Summary>(
    db,
    sql`SELECT ${PROGRAMME_COLS}, ${SUMMARY} FROM sc_programmes p JOIN org_nodes n ON n.id = p.node_id LEFT JOIN staff o ON o.id = p.owner_staff_id WHERE p.id = ${id}`,
  );
  const nplDays = await rows<{ day: string; balanceFen: number; nplFen: number; ratioBp: number | null; level: string }>(
    db,
    sql`SELECT day::text, balance_fen::float8 AS "balanceFen", npl_fen::float8 AS "nplFen", ratio_bp AS "ratioBp", level FROM sc_npl_days WHERE programme_id = ${id} ORDER BY day DESC LIMIT 31`,
  );
  const compensations = await rows<{ month: string; amountFen: number; draws: number }>(
    db,
    sql`SELECT to_char(month, 'YYYY-MM') AS month, sum(amount_fen)::float8 AS "amountFen", count(*)::int AS draws FROM sc_compensations WHERE programme_id = ${id} GROUP BY month ORDER BY month DESC`,
  );
  const reassessments = await rows<{
    id: number;
    reason: string;
    ratioBp: number | null;
    requestedBy: string;
    requestedAt: string;
    status: string;
    decidedBy: string | null;
    decidedAt: string | null;
    decisionNote: string | null;
  }>(
    db,
    sql`SELECT r.id, r.reason, r.ratio_bp AS "ratioBp", rq.name AS "requestedBy", to_char(r.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "requestedAt", r.status,
               dc.name AS "decidedBy", to_char(r.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "decidedAt", r.decision_note AS "decisionNote"
          FROM sc_reassessments r JOIN staff rq ON rq.id = r.requested_by LEFT JOIN staff dc ON dc.id = r.decided_by WHERE r.programme_id = ${id} ORDER BY r.id DESC`,
  );
  return { ...shape(p), nplDays, compensations, reassessments };
}
