import type { Permission } from '../../../shared/access.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertBankWide, scopePaths } from '../access/context.js';

/**
 * Who may see and change the target lists (SPEC §1 scope, §3). One place for the module's rules;
 * the routes demand the permission, these check the org subtree.
 */

const LIST_READERS: Permission[] = ['customer.read', 'target.nominate', 'target.review', 'target.configure'];

/** Scope paths in which the caller may read target lists: customer.read or any target.* grant. */
export function listReadPaths(auth: AuthContext): string[] {
  const all = [...new Set(LIST_READERS.flatMap((p) => scopePaths(auth, p)))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of all) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

/** A branch's list is visible inside that branch's subtree scope; a sibling branch gets 403. */
export function assertCanReadList(auth: AuthContext, branchPath: string): void {
  if (!listReadPaths(auth).some((p) => branchPath.startsWith(p))) throw new AppError('AUTH.OUT_OF_SCOPE');
}

/** True when the caller is an administrator over the node. */
export function isAdminAt(auth: AuthContext, path: string): boolean {
  return auth.grants.some((g) => g.role === 'admin' && path.startsWith(g.scopePath));
}

/**
 * Article 9 criteria are bank-wide configuration (target_criteria has no org node), so a tier-2
 * branch's chair may not change them for every branch: target.configure must be held at the
 * province or head office (access/context.ts assertBankWide).
 */
export function assertCanConfigure(auth: AuthContext): void {
  assertBankWide(auth, 'target.configure', 'TARGET.CONFIGURE_SCOPE');
}

/** What the nominate rule needs to know about the client, the department and the caller. */
export interface NominationParties {
  departmentId: number;
  branchPath: string;
  client: { departmentId: number | null; accountManagerId: number | null; nodePath: string };
  caller: { staffId: number; departmentId: number | null; isAdmin: boolean };
}

/**
 * Art. 7–8: a corporate department nominates the clients it maintains itself. The client must sit
 * in the branch and be managed by that department (an administrator of the scope may override the
 * latter); the caller must work in that department or be the client's account manager (or an
 * administrator). Returns the error code, or null when allowed.
 */
export function nominationRefusal(p: NominationParties): ErrorCode | null {
  if (!p.client.nodePath.startsWith(p.branchPath)) return 'TARGET.NOT_MANAGED';
  if (p.caller.isAdmin) return null;
  if (p.client.departmentId !== p.departmentId) return 'TARGET.NOT_MANAGED';
  if (p.caller.departmentId !== p.departmentId && p.client.accountManagerId !== p.caller.staffId) return 'TARGET.NOT_YOUR_DEPARTMENT';
  return null;
}
