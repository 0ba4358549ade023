import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../errors.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import type { Reach } from '../access/references.js';
import { inPaths } from '../org/org.queries.js';

/** What the sales and developments modules demand. */
export type SalePermission = 'sale.read' | 'sale.write' | 'development.write';

/** Org levels sit at fixed depths (总行 1, 省分行 2, 二级分行 3, 支行 4, 网点 5): SPEC §1. */
const BRANCH_DEPTH = 3;

/**
 * A sale belongs to a branch (the host department's), so a grant held at a sub-branch or outlet
 * counts for its whole branch: an outlet's account manager records the branch's sales and reads
 * them (Art. 21 publishes them to the branch anyway). A grant at the branch or above covers its
 * subtree as usual; a sibling branch stays out of reach.
 */
export function saleScopePaths(auth: AuthContext, perm: SalePermission): string[] {
  const out = new Set<string>();
  for (const p of scopePaths(auth, perm)) {
    const ids = p.split('/').filter(Boolean);
    out.add(`/${ids.slice(0, Math.min(ids.length, BRANCH_DEPTH)).join('/')}/`);
  }
  return [...out];
}

/**
 * The clients a sale or a development may name (issue 10, finding 11): those the caller reads
 * (customer.read), a grant counting for its whole branch like every sales grant.
 */
export const CLIENT_REACH: Reach = { perms: ['customer.read'], branchWide: true };

/** True when the branch (by path) is in the caller's scope for `perm`. */
export function canAtBranch(auth: AuthContext, perm: SalePermission, branchPath: string): boolean {
  return saleScopePaths(auth, perm).some((p) => branchPath.startsWith(p));
}

/** 403 AUTH.OUT_OF_SCOPE unless the branch is in scope. */
export function assertBranch(auth: AuthContext, perm: SalePermission, branchPath: string): void {
  if (!canAtBranch(auth, perm, branchPath)) throw new AppError('AUTH.OUT_OF_SCOPE');
}

/** SQL: the path column is inside the caller's (branch-widened) scope. */
export function inSaleScope(auth: AuthContext, perm: SalePermission, pathColumn: AnyPgColumn | SQL): SQL {
  return inPaths(pathColumn, saleScopePaths(auth, perm));
}

export const noRows = sql`false`;

/**
 * A person may always read the sales they took part in (issue 12): a participant of the sale reads
 * it and its split without sale.read; anyone else needs sale.read over the sale's branch.
 */
export function canReadSale(auth: AuthContext, sale: { nodePath: string; staffIds: readonly number[] }): boolean {
  return sale.staffIds.includes(auth.staffId) || canAtBranch(auth, 'sale.read', sale.nodePath);
}

/** 403 AUTH.OUT_OF_SCOPE (nothing about the sale) unless the caller took part in it or reads its branch. */
export function assertCanReadSale(auth: AuthContext, sale: { nodePath: string; staffIds: readonly number[] }): void {
  if (!canReadSale(auth, sale)) throw new AppError('AUTH.OUT_OF_SCOPE');
}

/**
 * The rows of a sales list: `mine` = the sales the caller took part in (anyone signed in); else
 * the sales of the branches in the caller's sale.read scope, 403 AUTH.FORBIDDEN without it.
 */
export function saleListScope(auth: AuthContext, mine: boolean, pathColumn: SQL, saleIdColumn: SQL): SQL {
  if (mine) return sql`EXISTS (SELECT 1 FROM sale_people sp_me WHERE sp_me.sale_id = ${saleIdColumn} AND sp_me.staff_id = ${auth.staffId})`;
  if (saleScopePaths(auth, 'sale.read').length === 0) throw new AppError('AUTH.FORBIDDEN', { permission: 'sale.read' });
  return inSaleScope(auth, 'sale.read', pathColumn);
}
