import type { Permission } from '../../../shared/access.js';
import { AppError } from '../../errors.js';

/** A role held over a subtree, with the permissions the role carries. */
export interface Grant {
  role: string;
  permissions: ReadonlySet<string>;
  scopeNodeId: number;
  /** Materialised path of the scope node: everything whose path starts with it is in scope. */
  scopePath: string;
}

/** Who is calling, resolved once per request from the session. */
export interface AuthContext {
  staffId: number;
  staffNo: string;
  name: string;
  nodeId: number;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  grants: Grant[];
}

/** True when any grant carries the permission, wherever its scope. */
export function can(auth: AuthContext, perm: Permission): boolean {
  return auth.grants.some((g) => g.permissions.has(perm));
}

/**
 * The scope paths in which the caller holds `perm`, with nested ones removed
 * (holding a role at 省分行 makes the same role at 佛山分行 redundant).
 */
export function scopePaths(auth: AuthContext, perm: Permission): string[] {
  const paths = [...new Set(auth.grants.filter((g) => g.permissions.has(perm)).map((g) => g.scopePath))].sort(
    (a, b) => a.length - b.length,
  );
  const kept: string[] = [];
  for (const p of paths) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

/** SPEC §1: scoped by the org tree — a node is in scope when a granted path is its prefix. */
export function canAt(auth: AuthContext, perm: Permission, nodePath: string): boolean {
  return scopePaths(auth, perm).some((p) => nodePath.startsWith(p));
}

/** Throws 403 (and reveals nothing about the record) when the node is outside the caller's scope. */
export function assertCanAt(auth: AuthContext, perm: Permission, nodePath: string): void {
  if (!canAt(auth, perm, nodePath)) throw new AppError('AUTH.OUT_OF_SCOPE');
}
