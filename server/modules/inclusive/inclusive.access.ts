import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import type { OrgLevel } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { Actor } from '../audit/audit.service.js';
import { type AuthContext, scopePaths } from '../access/context.js';

/**
 * Who reaches what in inclusive-finance performance (SPEC §12, decision 0037). Everything hangs off
 * an org node: a sub-branch's group, an outlet's visit, a person's whitelist entries. A caller
 * reads and writes only inside the subtrees where it holds the permission; every write checks each
 * node and person it names and refuses with no more than the ids the caller sent.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** A WHERE fragment: the node path column is inside the caller's scope for `perm`. */
export const nodeInScope = (auth: AuthContext, perm: Permission, pathColumn: SQL): SQL => inPaths(pathColumn, scopePaths(auth, perm));

export interface NodeRef {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  path: string;
}

/** The node inside the caller's scope for `perm` (403 otherwise, 404-like for none), of `level` when given. */
export async function assertNode(db: DbOrTx, auth: AuthContext, perm: Permission, nodeId: number, level?: OrgLevel): Promise<NodeRef> {
  const [n] = await rows<NodeRef>(db, sql`SELECT id, code, name, level, path FROM org_nodes n WHERE id = ${nodeId} AND ${nodeInScope(auth, perm, sql`n.path`)}`);
  if (!n) throw new AppError('AUTH.OUT_OF_SCOPE', { nodeId });
  if (level === 'subbranch' && n.level !== level) throw new AppError('PERF.NOT_SUBBRANCH', { nodeId });
  if (level === 'outlet' && n.level !== level) throw new AppError('PERF.NOT_OUTLET', { nodeId });
  return n;
}

/** Active staff working inside the caller's scope for `perm`. */
export async function assertStaff(db: DbOrTx, auth: AuthContext, perm: Permission, staffId: number): Promise<{ id: number; name: string }> {
  const [s] = await rows<{ id: number; name: string }>(
    db,
    sql`SELECT s.id, s.name FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${staffId} AND s.active AND ${nodeInScope(auth, perm, sql`n.path`)}`,
  );
  if (!s) throw new AppError('PERF.STAFF_NOT_IN_SCOPE', { staffId });
  return s;
}

/** The tier-2 branch above a sub-branch (its parent in the demo and every bank of SPEC §1). */
export async function branchOf(db: DbOrTx, nodeId: number): Promise<number> {
  const [b] = await rows<{ id: number }>(
    db,
    sql`SELECT b.id FROM org_nodes n JOIN org_nodes b ON n.path LIKE b.path || '%' AND b.level = 'branch' WHERE n.id = ${nodeId} ORDER BY length(b.path) DESC LIMIT 1`,
  );
  if (!b) throw new AppError('PERF.NOT_SUBBRANCH', { nodeId });
  return b.id;
}
