import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { addDays } from '../../calendar/index.js';
import { type AuthContext, assertBankWide } from '../access/context.js';
import { appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { actorOf, assertNode, branchOf, nodeInScope } from './inclusive.access.js';
import type { Group, Measure } from './performance.rules.js';

/**
 * The sub-branch groups (优先发展行 / 跟进发展行 / 特色行) and the measure of the quarterly rule
 * (decision 0037). Membership is effective-dated: a change takes effect today or later and closes
 * the open row the day before; history is never rewritten. A tier-2 branch sets its own
 * sub-branches' groups (performance.configure in scope); the measure is bank-wide. Both audited.
 */

export interface Membership {
  id: number;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  branchNodeId: number;
  branchName: string;
  group: Group;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
  setBy: string | null;
}

/** The membership rows in force on `day` (alias m). */
export const membershipOn = (day: string) => sql`SELECT * FROM incl_group_members WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date)`;

const MEMBER_COLUMNS = sql`m.id, m.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", m.branch_node_id AS "branchNodeId", b.name AS "branchName",
  m.group_code AS "group", m.valid_from::text AS "validFrom", m.valid_to::text AS "validTo", m.reason, s.name AS "setBy"`;

/** The groups on a day and the sub-branches in scope that belong to none. */
export async function groupsOn(
  db: DbOrTx,
  auth: AuthContext,
  day: string,
): Promise<{ day: string; members: Membership[]; ungrouped: { nodeId: number; nodeCode: string; nodeName: string; branchName: string }[] }> {
  const members = await rows<Membership>(
    db,
    sql`SELECT ${MEMBER_COLUMNS} FROM (${membershipOn(day)}) m JOIN org_nodes n ON n.id = m.node_id JOIN org_nodes b ON b.id = m.branch_node_id
          LEFT JOIN staff s ON s.id = m.set_by WHERE ${nodeInScope(auth, 'performance.read', sql`n.path`)} ORDER BY b.code, m.group_code, n.code`,
  );
  const ungrouped = await rows<{ nodeId: number; nodeCode: string; nodeName: string; branchName: string }>(
    db,
    sql`SELECT n.id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", p.name AS "branchName" FROM org_nodes n LEFT JOIN org_nodes p ON p.id = n.parent_id
         WHERE n.level = 'subbranch' AND n.active AND ${nodeInScope(auth, 'performance.read', sql`n.path`)}
           AND NOT EXISTS (SELECT 1 FROM (${membershipOn(day)}) m WHERE m.node_id = n.id) ORDER BY n.code`,
  );
  return { day, members, ungrouped };
}

/** Every membership row of the sub-branches in scope, newest first (the history the table keeps). */
export async function groupHistory(db: DbOrTx, auth: AuthContext): Promise<Membership[]> {
  return rows<Membership>(
    db,
    sql`SELECT ${MEMBER_COLUMNS} FROM incl_group_members m JOIN org_nodes n ON n.id = m.node_id JOIN org_nodes b ON b.id = m.branch_node_id
          LEFT JOIN staff s ON s.id = m.set_by WHERE ${nodeInScope(auth, 'performance.read', sql`n.path`)} ORDER BY m.set_at DESC, m.id DESC LIMIT 500`,
  );
}

/**
 * Puts a sub-branch in a group (or, with `group: null`, in none) from `validFrom` on. The open row
 * ends the day before; a row that has not started yet when the change is made is replaced only by
 * a later one — a date at or before the latest start is refused (PERF.BACKDATED).
 */
export async function setGroup(db: Db, auth: AuthContext, input: { nodeId: number; group: Group | null; validFrom: string; reason: string }, today: string, now: Date): Promise<void> {
  if (input.validFrom < today) throw new AppError('PERF.BACKDATED', { validFrom: input.validFrom });
  await db.transaction(async (tx) => {
    const node = await assertNode(tx, auth, 'performance.configure', input.nodeId, 'subbranch');
    const branchNodeId = await branchOf(tx, node.id);
    const [latest] = await rows<{ id: number; validFrom: string; group: Group; validTo: string | null }>(
      tx,
      sql`SELECT id, valid_from::text AS "validFrom", group_code AS "group", valid_to::text AS "validTo" FROM incl_group_members WHERE node_id = ${node.id} ORDER BY valid_from DESC LIMIT 1 FOR UPDATE`,
    );
    if (latest && latest.validFrom >= input.validFrom) throw new AppError('PERF.BACKDATED', { validFrom: input.validFrom, latest: latest.validFrom });
    const closes = latest && latest.validTo === null ? latest : null;
    if (!closes && input.group === null) return;
    if (closes) await tx.execute(sql`UPDATE incl_group_members SET valid_to = ${addDays(input.validFrom, -1)}::date WHERE id = ${closes.id}`);
    if (input.group !== null)
      await tx.execute(
        sql`INSERT INTO incl_group_members (node_id, branch_node_id, group_code, valid_from, reason, set_by, set_at)
            VALUES (${node.id}, ${branchNodeId}, ${input.group}, ${input.validFrom}::date, ${input.reason}, ${auth.staffId}, ${now.toISOString()}::timestamptz)`,
      );
    await appendAudit(tx, actorOf(auth), {
      action: 'perf_group.set',
      entity: 'perf_group',
      entityId: node.id,
      nodeId: node.id,
      before: closes ? { group: closes.group, validFrom: closes.validFrom } : null,
      after: { group: input.group, validFrom: input.validFrom, reason: input.reason },
    });
  });
}

export interface MeasureVersion {
  id: number;
  measure: Measure;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
  setBy: string | null;
}

/** The measure in force on a day (the seeded default if the table were emptied). */
export async function measureOn(db: DbOrTx, day: string): Promise<Measure> {
  const [m] = await rows<{ measure: Measure }>(db, sql`SELECT measure FROM incl_measures WHERE valid_from <= ${day}::date ORDER BY valid_from DESC LIMIT 1`);
  return m?.measure ?? 'drawn_amount';
}

export async function listMeasures(db: DbOrTx): Promise<MeasureVersion[]> {
  return rows<MeasureVersion>(
    db,
    sql`SELECT m.id, m.measure, m.valid_from::text AS "validFrom", m.valid_to::text AS "validTo", m.reason, s.name AS "setBy"
          FROM incl_measures m LEFT JOIN staff s ON s.id = m.set_by ORDER BY m.valid_from DESC`,
  );
}

/** A new measure from `validFrom` (today or later, after the latest version): bank-wide, audited. */
export async function setMeasure(db: Db, auth: AuthContext, input: { measure: Measure; validFrom: string; reason: string }, today: string, now: Date): Promise<void> {
  assertBankWide(auth, 'performance.configure');
  if (input.validFrom < today) throw new AppError('PERF.BACKDATED', { validFrom: input.validFrom });
  await db.transaction(async (tx) => {
    const [latest] = await rows<{ id: number; validFrom: string; measure: Measure }>(
      tx,
      sql`SELECT id, valid_from::text AS "validFrom", measure FROM incl_measures ORDER BY valid_from DESC LIMIT 1 FOR UPDATE`,
    );
    if (latest && latest.validFrom >= input.validFrom) throw new AppError('PERF.BACKDATED', { validFrom: input.validFrom, latest: latest.validFrom });
    if (latest) await tx.execute(sql`UPDATE incl_measures SET valid_to = ${addDays(input.validFrom, -1)}::date WHERE id = ${latest.id}`);
    await tx.execute(
      sql`INSERT INTO incl_measures (measure, valid_from, reason, set_by, set_at) VALUES (${input.measure}, ${input.validFrom}::date, ${input.reason}, ${auth.staffId}, ${now.toISOString()}::timestamptz)`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'perf_measure.set',
      entity: 'perf_measure',
      entityId: input.validFrom,
      nodeId: BANK_WIDE,
      before: latest ? { measure: latest.measure, validFrom: latest.validFrom } : null,
      after: input,
    });
  });
}
