import type { Permission } from '../../../shared/access.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { OrgLevel } from '../../db/schema/org.js';
import { AppError } from '../../errors.js';

/** A role held over a subtree, with the permissions the role carries. */
export interface Grant {
  role: string;
  permissions: ReadonlySet<string>;
  scopeNodeId: number;
  /** Materialised path of the scope node: everything whose path starts with it is in scope. */
  scopePath: string;
  /** Org level of the scope node: whether the grant reaches the whole bank (see isBankWide). */
  scopeLevel: OrgLevel;
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
  const paths = [...new Set(auth.grants.filter((g) => g.permissions.has(perm)).map((g) => g.scopePath))].sort((a, b) => a.length - b.length);
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

/**
 * Levels whose grants reach the whole bank: the head office and the province. Judged by the scope
 * node's level, never by the depth of its path — a bank whose tree starts at the province has
 * tier-2 branches at depth two (issue 10, finding 1).
 */
const BANK_WIDE_LEVELS: ReadonlySet<OrgLevel> = new Set(['head', 'province']);

/** True for a node whose records apply to every branch below it (the head office, the province). */
export const isBankWideLevel = (level: OrgLevel): boolean => BANK_WIDE_LEVELS.has(level);

/** True when the caller holds `perm` at a bank-wide node (province level or above). */
export function isBankWide(auth: AuthContext, perm: Permission): boolean {
  return auth.grants.some((g) => g.permissions.has(perm) && isBankWideLevel(g.scopeLevel));
}

/**
 * The one check for everything that affects more than one branch's subtree — roles, settings,
 * the Article 9 criteria, the product catalogue and its scores, the split rule, the province's
 * award rules: `perm` must be held at province level or above. `code` keeps the refusal each area
 * has always published.
 */
export function assertBankWide(auth: AuthContext, perm: Permission, code: ErrorCode = 'AUTH.BANK_WIDE_REQUIRED'): void {
  if (!isBankWide(auth, perm)) throw new AppError(code, { permission: perm });
}
