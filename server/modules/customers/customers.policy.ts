import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rows } from '../../db/client.js';
import { likeContains, likePrefix } from '../../db/like.js';
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

/** Counts stop here: a search that matches more shows "10000+" instead of scanning every match. */
export const COUNT_CAP = 10_000;

/** Counts matching rows up to COUNT_CAP (+1 to know whether it was reached). */
export async function countCapped(db: DbOrTx, from: SQL, where: SQL): Promise<{ total: number; totalCapped: boolean }> {
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (SELECT 1 ${from} WHERE ${where} LIMIT ${COUNT_CAP + 1}) AS m`);
  return n > COUNT_CAP ? { total: COUNT_CAP, totalCapped: true } : { total: Number(n), totalCapped: false };
}

/**
 * Name search for people: a fragment of three or more characters matches anywhere (trigram
 * index); one or two characters — a surname, a two-character name — match from the start
 * (prefix index), which is how a bank clerk looks a person up and keeps 1 M rows fast.
 */
export function personNameMatch(column: SQL, q: string): SQL {
  return [...q].length >= 3 ? sql`${column} ILIKE ${likeContains(q)}` : sql`${column} LIKE ${likePrefix(q)}`;
}

/** The path of a node filter in a client list, after checking the caller may read clients there. */
export async function readableSubtree(db: DbOrTx, auth: AuthContext, nodeId?: number): Promise<string | undefined> {
  if (!nodeId) return undefined;
  const path = await nodePath(db, nodeId);
  assertCustomerAt(auth, 'customer.read', path);
  return path;
}
