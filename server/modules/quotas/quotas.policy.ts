import type { Permission } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import { getNodeOr404, inPaths, type OrgNode } from '../org/org.queries.js';
import { branchPathOf } from '../../../shared/org-path.js';

/**
 * Who may see or change a branch's quotas, dashboards and assessment (SPEC §1 scope, §10).
 *
 * Like sales (sales.policy.ts), a grant held at a sub-branch or outlet counts for its whole branch:
 * quotas and rankings are the branch's business and Art. 21 publishes points to the whole branch.
 * A grant at a branch or above covers its subtree; a sibling branch stays out of reach.
 */
export function branchScopePaths(auth: AuthContext, perm: Permission): string[] {
  const out = new Set<string>();
  for (const p of scopePaths(auth, perm)) out.add(branchPathOf(p));
  const list = [...out].sort((a, b) => a.length - b.length);
  return list.filter((p, i) => !list.slice(0, i).some((k) => p.startsWith(k)));
}

/** True when the branch (by path) is inside the caller's widened scope for `perm`. */
export function canAtBranch(auth: AuthContext, perm: Permission, branchPath: string): boolean {
  return branchScopePaths(auth, perm).some((p) => branchPath.startsWith(p));
}

/** 403 AUTH.OUT_OF_SCOPE unless the branch is in scope; reveals nothing about it. */
export function assertBranchScope(auth: AuthContext, perm: Permission, branchPath: string): void {
  if (!canAtBranch(auth, perm, branchPath)) throw new AppError('AUTH.OUT_OF_SCOPE');
}

/** SQL: a path column inside the caller's widened scope. */
export function inBranchScope(auth: AuthContext, perm: Permission, pathColumn: Parameters<typeof inPaths>[0]) {
  return inPaths(pathColumn, branchScopePaths(auth, perm));
}

/** The branch quotas and assessments belong to: a province or tier-2 branch (404 / 400 otherwise). */
export async function quotaBranch(db: DbOrTx, nodeId: number): Promise<OrgNode> {
  const node = await getNodeOr404(db, nodeId);
  if (node.level !== 'province' && node.level !== 'branch') throw new AppError('QUOTA.NOT_A_BRANCH');
  return node;
}

/** Resolves the branch and checks the caller's scope on it in one step. */
export async function scopedBranch(db: DbOrTx, auth: AuthContext, perm: Permission, nodeId: number): Promise<OrgNode> {
  const node = await quotaBranch(db, nodeId);
  assertBranchScope(auth, perm, node.path);
  return node;
}

/**
 * scopedBranch's checks on a node a caller has already read (in the statement that reads a board,
 * decision 0053), in the same order: 404 ORG.NOT_FOUND, 400 QUOTA.NOT_A_BRANCH, 403 AUTH.OUT_OF_SCOPE.
 */
export function admitBranch<T extends { level: string; path: string }>(auth: AuthContext, perm: Permission, node: T | null | undefined): T {
  if (!node) throw new AppError('ORG.NOT_FOUND');
  if (node.level !== 'province' && node.level !== 'branch') throw new AppError('QUOTA.NOT_A_BRANCH');
  assertBranchScope(auth, perm, node.path);
  return node;
}
