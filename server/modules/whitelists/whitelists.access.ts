import { type SQL, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../audit/audit.service.js';
import { type AuthContext, canAt, scopePaths } from '../access/context.js';

/**
 * Who reaches which whitelist entry (SPEC §12, §1). An entry belongs to the node it was distributed
 * to (an outlet, or the batch owner while it waits there); a batch to its owner. Outlet staff see
 * their outlet, a sub-branch or branch its subtree, a grant at province level the whole bank. A
 * staff member always reaches the entries assigned to him (whitelist.work). Refusals are 404 with
 * nothing but the id the caller sent.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** A WHERE fragment: the path column is inside the caller's scope for `perm`. */
export const inScope = (auth: AuthContext, perm: Permission, pathColumn: SQL): SQL => inPaths(pathColumn, scopePaths(auth, perm));

export interface NodeRef {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

/** An active org node inside the caller's scope for `perm`, or `code` (404 by default). */
export async function assertNode(db: DbOrTx, auth: AuthContext, perm: Permission, nodeId: number): Promise<NodeRef> {
  const [n] = await rows<NodeRef>(db, sql`SELECT id, code, name, level, path FROM org_nodes WHERE id = ${nodeId} AND active`);
  if (!n || !canAt(auth, perm, n.path)) throw new AppError('WL.NODE_NOT_FOUND', { id: nodeId });
  return n;
}

export interface BatchRef {
  id: number;
  code: string;
  name: string;
  ownerNodeId: number;
  ownerPath: string;
}

/** A batch whose owner is in scope, or whose entries reach into the caller's scope (an outlet reads the batch it received). */
export async function assertBatch(db: DbOrTx, auth: AuthContext, perm: Permission, id: number): Promise<BatchRef> {
  const [b] = await rows<BatchRef>(
    db,
    sql`SELECT b.id, b.code, b.name, b.owner_node_id AS "ownerNodeId", n.path AS "ownerPath" FROM whitelist_batches b JOIN org_nodes n ON n.id = b.owner_node_id
         WHERE b.id = ${id} AND (${inScope(auth, perm, sql`n.path`)} OR EXISTS (
           SELECT 1 FROM whitelist_entries e JOIN org_nodes o ON o.id = e.outlet_node_id WHERE e.batch_id = b.id AND ${inScope(auth, perm, sql`o.path`)}))`,
  );
  if (!b) throw new AppError('WL.BATCH_NOT_FOUND', { id });
  return b;
}

export interface EntryRef {
  id: number;
  batchId: number;
  staffId: number | null;
  status: string;
  nodeId: number;
  nodePath: string;
}

/**
 * An entry the caller may work: assigned to him (whitelist.work), or at a node inside his
 * `perm` scope. Anything else is 404.
 */
export async function assertEntry(db: DbOrTx, auth: AuthContext, perm: Permission, id: number, opts: { forUpdate?: boolean } = {}): Promise<EntryRef> {
  const [e] = await rows<EntryRef>(
    db,
    sql`SELECT e.id, e.batch_id AS "batchId", e.staff_id AS "staffId", e.status, n.id AS "nodeId", n.path AS "nodePath"
          FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id JOIN org_nodes n ON n.id = coalesce(e.outlet_node_id, b.owner_node_id)
         WHERE e.id = ${id} ${opts.forUpdate ? sql`FOR UPDATE OF e` : sql``}`,
  );
  if (!e) throw new AppError('WL.ENTRY_NOT_FOUND', { id });
  const mine = e.staffId === auth.staffId && auth.grants.some((g) => g.permissions.has('whitelist.work'));
  if (!mine && !canAt(auth, perm, e.nodePath)) throw new AppError('WL.ENTRY_NOT_FOUND', { id });
  return e;
}
