import type { DbOrTx } from '../../db/client.js';
import { roles } from '../../db/schema/index.js';
import { DEFAULT_ROLES } from '../../../shared/access.js';

/**
 * Writes the default roles (shared/access.ts) that are missing, in the caller's transaction: the
 * demo bank and a clean install start from the same roles. A role already present is left as the
 * bank edited it.
 */
export async function insertDefaultRoles(tx: DbOrTx): Promise<void> {
  await tx
    .insert(roles)
    .values(DEFAULT_ROLES.map((r, i) => ({ code: r.code, nameZh: r.zh, nameEn: r.en, permissions: [...r.permissions], sort: (i + 1) * 10 })))
    .onConflictDoNothing({ target: roles.code });
}
