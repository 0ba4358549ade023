import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { Actor } from '../audit/audit.service.js';
import { type AuthContext, assertBankWide, scopePaths } from '../access/context.js';

/**
 * Who reaches which institution (SPEC §11, issue 14). An institution belongs to the tier-2 branch
 * of its jurisdiction row in force today (or, before its first row starts, the open row). The
 * province office (a grant at province level) sees and keeps every branch; a tier-2 branch only its
 * own jurisdiction. Every write checks each record it names — the institution's current branch,
 * the branch and leader it is moved to, the signing's institution — and refuses with no more than
 * the ids the caller sent. Pools are bank-wide: interbank.configure held at province or the root.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** One row per institution: its jurisdiction on `day` (alias j: institution_id, node_id, leader_staff_id, valid_from). */
export function jurisdictionOn(day: string): SQL {
  return sql`SELECT DISTINCT ON (institution_id) institution_id, node_id, leader_staff_id, valid_from, valid_to FROM fi_jurisdictions
              WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date) ORDER BY institution_id, valid_from DESC`;
}

/** The branch an institution is kept by on `day`: the row in force, else the open (future) row, else — closed or merged — the last one. */
export function currentJurisdiction(day: string): SQL {
  return sql`SELECT DISTINCT ON (institution_id) institution_id, node_id, leader_staff_id, valid_from, valid_to FROM fi_jurisdictions
              ORDER BY institution_id, (valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date)) DESC, (valid_to IS NULL) DESC, valid_from DESC`;
}

/** A WHERE fragment: the node path column is inside the caller's scope for `perm`. */
export const nodeInScope = (auth: AuthContext, perm: Permission, pathColumn: SQL): SQL => inPaths(pathColumn, scopePaths(auth, perm));

export interface InstitutionRef {
  id: number;
  code: string;
  name: string;
  kind: string;
  nodeId: number;
  nodePath: string;
}

/** The institution, kept today by a branch inside the caller's scope for `perm` — or 404. */
export async function assertInstitution(db: DbOrTx, auth: AuthContext, perm: Permission, id: number, day: string): Promise<InstitutionRef> {
  const [hit] = await rows<InstitutionRef>(
    db,
    sql`SELECT i.id, i.code, i.name, i.kind, j.node_id AS "nodeId", n.path AS "nodePath" FROM fi_institutions i
          JOIN (${currentJurisdiction(day)}) j ON j.institution_id = i.id JOIN org_nodes n ON n.id = j.node_id
         WHERE i.id = ${id} AND ${nodeInScope(auth, perm, sql`n.path`)}`,
  );
  if (!hit) throw new AppError('FI.INSTITUTION_NOT_FOUND', { id });
  return hit;
}

/** A tier-2 branch (level 'branch') inside the caller's interbank.manage scope. */
export async function assertBranch(db: DbOrTx, auth: AuthContext, nodeId: number): Promise<{ id: number; path: string; name: string }> {
  const [n] = await rows<{ id: number; path: string; name: string }>(
    db,
    sql`SELECT id, path, name FROM org_nodes n WHERE id = ${nodeId} AND level = 'branch' AND ${nodeInScope(auth, 'interbank.manage', sql`n.path`)}`,
  );
  if (!n) throw new AppError('FI.NODE_NOT_BRANCH', { nodeId });
  return n;
}

/** The linkage leader is active staff of the branch (its node or any below it). */
export async function assertLeader(db: DbOrTx, staffId: number, branch: { path: string }): Promise<void> {
  const [s] = await rows<{ id: number }>(db, sql`SELECT s.id FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${staffId} AND s.active AND n.path LIKE ${`${branch.path}%`}`);
  if (!s) throw new AppError('FI.LEADER_NOT_IN_BRANCH', { staffId });
}

/** Pools change every branch's incentive: interbank.configure at province level or the root. */
export const assertPoolWriter = (auth: AuthContext): void => assertBankWide(auth, 'interbank.configure');
