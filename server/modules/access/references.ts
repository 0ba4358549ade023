import { type SQL, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { branchPathOf } from '../../../shared/org-path.js';
import { type AuthContext, scopePaths } from './context.js';

/**
 * Issue 10, finding 11: a write may name another record — a developer, a client, a person, a
 * department, an org node, a development — only when the caller could read that record. Otherwise
 * the write is refused without a word about it: the refusal never carries the record's name or
 * data, so nothing of a sibling branch leaks through a response, an error or an audit entry.
 *
 * "Could read" is the record kind's read permission (READS), counted over the whole branch where
 * the module that owns the write counts grants that way (sales, developments, quotas: a grant at
 * an outlet acts for its branch). Every reference check goes through `canReach` / `assertReach`
 * (records already loaded) or `assertReference` (by id). A check that the record lies inside the
 * written record's own branch, which is inside the caller's scope, is stricter still and stays.
 */

/** How far a caller reads a kind of record: the permissions that read it, per subtree or branch. */
export interface Reach {
  perms: readonly Permission[];
  /** Count a grant held below a branch (sub-branch, outlet) for the whole branch. */
  branchWide?: boolean;
}

export type RefKind = 'company' | 'individual' | 'staff' | 'department' | 'node' | 'development';

/** Who reads each kind of record, as the module that owns it checks it. */
export const READS: Record<RefKind, Reach> = {
  company: { perms: ['customer.read'] },
  individual: { perms: ['customer.read'] },
  staff: { perms: ['staff.read'] },
  // Departments live at the branch; whoever reads a node of the branch reads its departments.
  department: { perms: ['org.read'], branchWide: true },
  node: { perms: ['org.read'] },
  development: { perms: ['sale.read'], branchWide: true },
};

/** The subtrees the reach covers, nested ones removed. */
export function reachPaths(auth: AuthContext, reach: Reach): string[] {
  const out = new Set<string>();
  for (const perm of reach.perms) for (const p of scopePaths(auth, perm)) out.add(reach.branchWide ? branchPathOf(p) : p);
  const list = [...out].sort((a, b) => a.length - b.length);
  return list.filter((p, i) => !list.slice(0, i).some((k) => p.startsWith(k)));
}

// A bulk load checks millions of rows against one caller: the paths are worked out once per
// caller and reach (an AuthContext lives for one request or one load; grants never change in it).
const memo = new WeakMap<AuthContext, Map<Reach, string[]>>();

/** True when a record at `path` is within the caller's reach. */
export function canReach(auth: AuthContext, reach: Reach, path: string): boolean {
  let byReach = memo.get(auth);
  if (!byReach) memo.set(auth, (byReach = new Map()));
  let paths = byReach.get(reach);
  if (!paths) byReach.set(reach, (paths = reachPaths(auth, reach)));
  return paths.some((p) => path.startsWith(p));
}

/** Refuses (403 AUTH.OUT_OF_SCOPE unless told otherwise) a record outside the caller's reach. */
export function assertReach(auth: AuthContext, reach: Reach, path: string, code: ErrorCode = 'AUTH.OUT_OF_SCOPE'): void {
  if (!canReach(auth, reach, path)) throw new AppError(code);
}

/** The node a record of each kind belongs to. */
const NODE_OF: Record<RefKind, (id: number) => SQL> = {
  company: (id) => sql`SELECT n.id AS "nodeId", n.path FROM corporate_clients r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = ${id}`,
  individual: (id) => sql`SELECT n.id AS "nodeId", n.path FROM individuals r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = ${id}`,
  staff: (id) => sql`SELECT n.id AS "nodeId", n.path FROM staff r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = ${id}`,
  department: (id) => sql`SELECT n.id AS "nodeId", n.path FROM departments r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = ${id}`,
  node: (id) => sql`SELECT n.id AS "nodeId", n.path FROM org_nodes n WHERE n.id = ${id}`,
  development: (id) => sql`SELECT n.id AS "nodeId", n.path FROM developments r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = ${id}`,
};

/**
 * Checks a record named by id in a write: `notFound` when there is none, 403 (or `outOfScope`)
 * when it is out of the caller's reach — neither carries anything of the record but the id the
 * caller sent. Returns the record's node.
 */
export async function assertReference(
  db: DbOrTx,
  auth: AuthContext,
  kind: RefKind,
  id: number,
  opts: { notFound: ErrorCode; details?: unknown; reach?: Reach; outOfScope?: ErrorCode },
): Promise<{ nodeId: number; path: string }> {
  const [r] = await rows<{ nodeId: number; path: string }>(db, NODE_OF[kind](id));
  if (!r) throw new AppError(opts.notFound, opts.details ?? { id });
  assertReach(auth, opts.reach ?? READS[kind], r.path, opts.outOfScope);
  return r;
}
