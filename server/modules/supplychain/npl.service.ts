import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { actorOf, assertProgramme, PROGRAMME_COLS, type ProgrammeRow } from './supplychain.access.js';
import { hundredthsText, nplLevel, nplRatioBp, shouldSuspend } from './supplychain.rules.js';

/**
 * 不良率 (SPEC §12, seed 002 "一旦不良率触达2%即预警，3%即暂停业务，重新进行合作项目风险评估";
 * decision 0039): NPL balance (draws overdue more than npl_overdue_days) ÷ balance, for one Beijing
 * day. ≥ warn_bp notifies the owner and the branch; ≥ suspend_bp suspends the programme (no new
 * admission or draw) until a reassessment requested by one person is approved by another.
 */

const pct = (bp: number | null) => (bp === null ? '—' : `${hundredthsText(bp)}%`);

/** Computes and stores the programme's day (the row locked by the caller); warns, suspends. Returns the stored day. */
export async function computeNpl(tx: DbOrTx, actor: Actor, p: ProgrammeRow, day: string) {
  const [{ balance, npl }] = await rows<{ balance: number; npl: number }>(
    tx,
    sql`SELECT coalesce(sum(balance_fen), 0)::float8 AS balance, coalesce(sum(balance_fen) FILTER (WHERE overdue_days > ${p.nplOverdueDays}), 0)::float8 AS npl FROM sc_draws WHERE programme_id = ${p.id}`,
  );
  const level = nplLevel(npl, balance, p.warnBp, p.suspendBp);
  const ratioBp = nplRatioBp(npl, balance);
  const [prev] = await rows<{ level: string }>(tx, sql`SELECT level FROM sc_npl_days WHERE programme_id = ${p.id} AND day = ${day}::date`);
  await tx.execute(
    sql`INSERT INTO sc_npl_days (programme_id, day, balance_fen, npl_fen, ratio_bp, level, computed_at) VALUES (${p.id}, ${day}, ${balance}, ${npl}, ${ratioBp}, ${level}, ${clock.now().toISOString()})
        ON CONFLICT (programme_id, day) DO UPDATE SET balance_fen = EXCLUDED.balance_fen, npl_fen = EXCLUDED.npl_fen, ratio_bp = EXCLUDED.ratio_bp, level = EXCLUDED.level, computed_at = EXCLUDED.computed_at`,
  );
  const branch = { id: p.nodeId, path: p.nodePath, level: 'branch' };
  const who = recipients.union(p.ownerStaffId ? recipients.one(p.ownerStaffId) : recipients.staffIds([]), recipients.holders('supplychain.read', branch));
  const suspend = shouldSuspend(level, p.status, ratioBp, p.reopenedAtBp);
  if (suspend) {
    await tx.execute(sql`UPDATE sc_programmes SET status = 'suspended', suspended_at = ${clock.now().toISOString()} WHERE id = ${p.id}`);
    await appendAudit(tx, actor, {
      action: 'supplychain.programme.suspend',
      entity: 'sc_programme',
      entityId: p.id,
      nodeId: p.nodeId,
      before: { status: p.status },
      after: { status: 'suspended', day, balanceFen: balance, nplFen: npl, ratioBp },
    });
    await notify(tx, who, {
      kind: 'supplychain.suspended',
      titleZh: `供应链方案「${p.name}」${day} 不良率 ${pct(ratioBp)}，已达暂停线 ${pct(p.suspendBp)}：暂停新增授信和提款，请重新进行风险评估`,
      titleEn: `${p.name}: NPL ratio ${pct(ratioBp)} on ${day} reached ${pct(p.suspendBp)}: suspended until reassessed`,
      link: `/supplychain/${p.id}`,
      nodeId: p.nodeId,
    });
  } else if (level !== 'normal' && prev?.level !== level) {
    await notify(tx, who, {
      kind: 'supplychain.npl_warning',
      titleZh: `供应链方案「${p.name}」${day} 不良率 ${pct(ratioBp)}，已达预警线 ${pct(p.warnBp)}`,
      titleEn: `${p.name}: NPL ratio ${pct(ratioBp)} on ${day} reached the warning line ${pct(p.warnBp)}`,
      link: `/supplychain/${p.id}`,
      nodeId: p.nodeId,
    });
  }
  return { day, balanceFen: balance, nplFen: npl, ratioBp, level, suspended: suspend || p.status === 'suspended' };
}

/** POST /programmes/:id/npl: a manager recomputes today (after a loan feed), the same path as the job. */
export async function recomputeNpl(db: Db, auth: AuthContext, id: number, day: string) {
  return db.transaction(async (tx) => computeNpl(tx, actorOf(auth), await assertProgramme(tx, auth, 'supplychain.manage', id, true), day));
}

/** Every programme, locked, for the job. */
export async function lockProgramme(tx: DbOrTx, id: number): Promise<ProgrammeRow> {
  const [p] = await rows<ProgrammeRow>(tx, sql`SELECT ${PROGRAMME_COLS} FROM sc_programmes p JOIN org_nodes n ON n.id = p.node_id WHERE p.id = ${id} FOR UPDATE OF p`);
  return p;
}

/** POST /programmes/:id/reassessments: a suspended programme's reassessment, requested with its reason. */
export async function requestReassessment(db: Db, auth: AuthContext, id: number, reason: string) {
  return db.transaction(async (tx) => {
    const p = await assertProgramme(tx, auth, 'supplychain.manage', id, true);
    if (p.status !== 'suspended') throw new AppError('SC.PROGRAMME_ACTIVE', { id });
    const [pending] = await rows<{ id: number }>(tx, sql`SELECT id FROM sc_reassessments WHERE programme_id = ${id} AND status = 'pending'`);
    if (pending) throw new AppError('SC.REASSESSMENT_PENDING', { id: pending.id });
    const [last] = await rows<{ ratioBp: number | null }>(tx, sql`SELECT ratio_bp AS "ratioBp" FROM sc_npl_days WHERE programme_id = ${id} ORDER BY day DESC LIMIT 1`);
    const [{ rid }] = await rows<{ rid: number }>(
      tx,
      sql`INSERT INTO sc_reassessments (programme_id, reason, ratio_bp, requested_by, requested_at) VALUES (${id}, ${reason}, ${last?.ratioBp ?? null}, ${auth.staffId}, ${clock.now().toISOString()}) RETURNING id AS rid`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'supplychain.reassessment.request',
      entity: 'sc_reassessment',
      entityId: rid,
      nodeId: p.nodeId,
      after: { programmeId: id, reason, ratioBp: last?.ratioBp ?? null },
    });
    await notify(tx, recipients.holders('supplychain.approve', { id: p.nodeId, path: p.nodePath, level: 'branch' }), {
      kind: 'supplychain.reassessment',
      titleZh: `供应链方案「${p.name}」申请重新评估恢复业务，请复核`,
      titleEn: `${p.name}: a reassessment to reopen awaits your review`,
      link: `/supplychain/${p.id}`,
      nodeId: p.nodeId,
    });
    return { id: rid, status: 'pending' as const };
  });
}

/** POST /reassessments/:id/decide: four eyes — the approver is not the requester; approval reopens at the ratio reviewed. */
export async function decideReassessment(db: Db, auth: AuthContext, rid: number, approve: boolean, note: string) {
  return db.transaction(async (tx) => {
    const [r] = await rows<{ programmeId: number; requestedBy: number; ratioBp: number | null }>(
      tx,
      sql`SELECT programme_id AS "programmeId", requested_by AS "requestedBy", ratio_bp AS "ratioBp" FROM sc_reassessments WHERE id = ${rid} AND status = 'pending'`,
    );
    if (!r) throw new AppError('SC.REASSESSMENT_NOT_FOUND', { id: rid });
    const p = await assertProgramme(tx, auth, 'supplychain.approve', r.programmeId, true).catch(() => {
      throw new AppError('SC.REASSESSMENT_NOT_FOUND', { id: rid });
    });
    if (r.requestedBy === auth.staffId) throw new AppError('SC.SELF_APPROVAL', { id: rid });
    const status = approve ? 'approved' : 'rejected';
    await tx.execute(sql`UPDATE sc_reassessments SET status = ${status}, decided_by = ${auth.staffId}, decided_at = ${clock.now().toISOString()}, decision_note = ${note} WHERE id = ${rid}`);
    if (approve) await tx.execute(sql`UPDATE sc_programmes SET status = 'active', suspended_at = NULL, reopened_at_bp = ${r.ratioBp} WHERE id = ${p.id}`);
    await appendAudit(tx, actorOf(auth), {
      action: approve ? 'supplychain.reassessment.approve' : 'supplychain.reassessment.reject',
      entity: 'sc_reassessment',
      entityId: rid,
      nodeId: p.nodeId,
      before: { programmeStatus: p.status },
      after: { status, note, programmeStatus: approve ? 'active' : p.status, reopenedAtBp: approve ? r.ratioBp : p.reopenedAtBp },
    });
    return { id: rid, status, programmeStatus: approve ? 'active' : p.status };
  });
}
