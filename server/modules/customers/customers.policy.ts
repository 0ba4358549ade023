import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt, canAt, scopePaths } from '../access/context.js';
import type { Actor } from '../audit/audit.service.js';
import { inPaths } from '../org/org.queries.js';

/**
 * SPEC §1/§2: a client belongs to its org node. Reads need customer.read at that node, writes
 * customer.write, a full ID or phone number customer.reveal; a sibling branch's clients are
 * invisible (filtered from lists, 403 on direct access).
 */
export type CustomerPermission = 'customer.read' | 'customer.write' | 'customer.reveal';

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** SQL: the org node path column is inside the caller's subtrees for `perm`. */
export function inScope(auth: AuthContext, pathColumn: SQL, perm: CustomerPermission = 'customer.read'): SQL {
  return inPaths(pathColumn, scopePaths(auth, perm));
}

export const canReadAt = (auth: AuthContext, path: string) => canAt(auth, 'customer.read', path);

export function assertCustomerAt(auth: AuthContext, perm: CustomerPermission, path: string): void {
  assertCanAt(auth, perm, path);
}

/** The path of an org node, or ORG.NOT_FOUND. */
export async function nodePath(db: DbOrTx, nodeId: number): Promise<string> {
  const [n] = await rows<{ path: string }>(db, sql`SELECT path FROM org_nodes WHERE id = ${nodeId}`);
  if (!n) throw new AppError('ORG.NOT_FOUND', { nodeId });
  return n.path;
}

/** `%fragment%` for ILIKE with the user's %, _ and \ taken literally. */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
