import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { Actor } from '../audit/audit.service.js';
import { type AuthContext, assertBankWide, scopePaths } from '../access/context.js';

/**
 * Who reaches which warning (SPEC §12): a warning belongs to its client's node. The caller reaches
 * it when that node is inside their scope for `perm`, or when they are one of its recipients (the
 * AM of a related company or guarantor may sit in another branch: they see that warning, nothing
 * else of that branch). Anyone else gets 404 — never the record. Configuration (indicators, steps,
 * feeds, guarantees, runs) is bank-wide: warning.configure at province level or the root.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** A WHERE fragment on alias `w` (ew_warnings) joined to `wn` (its org node). */
export function reach(auth: AuthContext, perm: Permission): SQL {
  return sql`(${inPaths(sql`wn.path`, scopePaths(auth, perm))} OR EXISTS (SELECT 1 FROM ew_recipients rr WHERE rr.warning_id = w.id AND rr.staff_id = ${auth.staffId}))`;
}

/** Only the nodes in scope (the leaders' status view counts the branches they hold, not received warnings). */
export const inScope = (auth: AuthContext, perm: Permission, path: SQL): SQL => inPaths(path, scopePaths(auth, perm));

export interface WarningRef {
  id: number;
  status: 'open' | 'acknowledged' | 'visited' | 'closed';
  escalationLevel: number;
  nodeId: number;
  clientId: number;
  indicatorCode: string;
}

/** The warning, reached by the caller for `perm` — or 404. `lock` takes the row for an update. */
export async function assertWarning(db: DbOrTx, auth: AuthContext, perm: Permission, id: number, lock = false): Promise<WarningRef> {
  const [w] = await rows<WarningRef>(
    db,
    sql`SELECT w.id, w.status, w.escalation_level AS "escalationLevel", w.node_id AS "nodeId", w.client_id AS "clientId", w.indicator_code AS "indicatorCode"
          FROM ew_warnings w JOIN org_nodes wn ON wn.id = w.node_id WHERE w.id = ${id} AND ${reach(auth, perm)} ${lock ? sql`FOR UPDATE OF w` : sql``}`,
  );
  if (!w) throw new AppError('WARNING.NOT_FOUND', { id });
  return w;
}

/** Indicators, escalation steps, feeds, guarantees and runs change every branch's warnings. */
export const assertConfigurer = (auth: AuthContext): void => assertBankWide(auth, 'warning.configure');
