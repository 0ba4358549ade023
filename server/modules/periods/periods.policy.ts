import { eq } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { orgNodes, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt, scopePaths } from '../access/context.js';
import { branchPathOf } from '../../../shared/org-path.js';

/** Permissions that give a person scope over a branch's month (they read it to do their job). */
export const PERIOD_READERS: readonly Permission[] = ['statement.read', 'period.publish', 'period.audit', 'period.approve', 'objection.answer'];

/** True when one of the caller's grants covers the branch with a period-reading permission. */
export function hasScopeOver(auth: AuthContext, nodePath: string): boolean {
  return PERIOD_READERS.some((p) => canAt(auth, p, nodePath));
}

/** Every scope path where the caller reads periods (nested ones removed). */
export function readerScopePaths(auth: AuthContext): string[] {
  const all = [...new Set(PERIOD_READERS.flatMap((p) => scopePaths(auth, p)))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of all) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

/** The caller's own branch path (their node's 省分行/二级分行), or null when inactive. */
export async function callerBranchPath(db: DbOrTx, auth: AuthContext): Promise<string | null> {
  const [me] = await db.select({ path: orgNodes.path, active: staff.active }).from(staff).innerJoin(orgNodes, eq(orgNodes.id, staff.nodeId)).where(eq(staff.id, auth.staffId)).limit(1);
  return me?.active ? branchPathOf(me.path) : null;
}

/**
 * SPEC §9.2: the published statement is read by every active member of staff of the branch and
 * by people with scope over it; anyone else gets 403 (and learns nothing about the month).
 */
export async function canReadNotice(db: DbOrTx, auth: AuthContext, node: { path: string }): Promise<boolean> {
  if (hasScopeOver(auth, node.path)) return true;
  return (await callerBranchPath(db, auth)) === node.path;
}

export async function assertCanReadNotice(db: DbOrTx, auth: AuthContext, node: { path: string }): Promise<void> {
  if (!(await canReadNotice(db, auth, node))) throw new AppError('AUTH.OUT_OF_SCOPE');
}
