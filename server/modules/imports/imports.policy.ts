import { eq } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import type { Db } from '../../db/client.js';
import { orgNodes, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, can } from '../access/context.js';
import { getImport } from './import.service.js';

/**
 * Who may import what, and see which import. The routes are open to every signed-in person
 * (`authenticated`): the permission depends on the kind asked for, so it is checked here — by the
 * console's routes and by the CLI's `import --as` alike.
 */
export function canImport(auth: AuthContext, spec: { permission: Permission }): boolean {
  return can(auth, spec.permission);
}

/** 403 AUTH.FORBIDDEN (naming the permission) unless the caller may import the kind. */
export function assertCanImport(auth: AuthContext, spec: { permission: Permission }): void {
  if (!canImport(auth, spec)) throw new AppError('AUTH.FORBIDDEN', { permission: spec.permission });
}

export type ImportRow = NonNullable<Awaited<ReturnType<typeof getImport>>>;

/**
 * Who may see an import: the person who ran it, or an administrator whose scope contains that
 * person's node. Others get 404 so ids reveal nothing.
 */
export async function readableImport(db: Db, auth: AuthContext, id: string): Promise<ImportRow> {
  const row = await getImport(db, id);
  if (!row) throw new AppError('IMPORT.NOT_FOUND');
  if (row.createdBy === auth.staffId) return row;
  const [owner] = await db.select({ path: orgNodes.path }).from(staff).innerJoin(orgNodes, eq(orgNodes.id, staff.nodeId)).where(eq(staff.id, row.createdBy)).limit(1);
  const isAdmin = owner && auth.grants.some((g) => g.role === 'admin' && owner.path.startsWith(g.scopePath));
  if (!isAdmin) throw new AppError('IMPORT.NOT_FOUND');
  return row;
}
