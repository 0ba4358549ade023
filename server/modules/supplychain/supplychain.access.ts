import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { Actor } from '../audit/audit.service.js';
import { type AuthContext, scopePaths } from '../access/context.js';

/**
 * Who reaches which programme (SPEC §12, decision 0039): a programme belongs to the branch that
 * signed it (`node_id`); the caller reaches it where a grant of the permission covers that node's
 * path. Everything below a programme (clients, orders, draws, NPL days, reassessments) is reached
 * through its programme. Out of scope is 404 — the record's existence is not revealed.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** A WHERE fragment: the node path column is inside the caller's scope for `perm`. */
export const nodeInScope = (auth: AuthContext, perm: Permission, pathColumn: SQL): SQL => inPaths(pathColumn, scopePaths(auth, perm));

export interface ProgrammeRow {
  id: number;
  code: string;
  name: string;
  nodeId: number;
  nodePath: string;
  ownerStaffId: number | null;
  totalCapFen: number;
  householdCapFen: number;
  orderRatioBp: number;
  marginBp: number;
  warnBp: number;
  suspendBp: number;
  toleranceBp: number;
  maxTermMonths: number;
  nplOverdueDays: number;
  grantedFen: number;
  status: 'active' | 'suspended';
  reopenedAtBp: number | null;
}

export const PROGRAMME_COLS = sql`p.id, p.code, p.name, p.node_id AS "nodeId", n.path AS "nodePath", p.owner_staff_id AS "ownerStaffId",
  p.total_cap_fen::float8 AS "totalCapFen", p.household_cap_fen::float8 AS "householdCapFen", p.order_ratio_bp AS "orderRatioBp", p.margin_bp AS "marginBp",
  p.warn_bp AS "warnBp", p.suspend_bp AS "suspendBp", p.tolerance_bp AS "toleranceBp", p.max_term_months AS "maxTermMonths", p.npl_overdue_days AS "nplOverdueDays",
  p.granted_fen::float8 AS "grantedFen", p.status, p.reopened_at_bp AS "reopenedAtBp"`;

/** The programme, in the caller's scope for `perm` (404 otherwise); `lock` takes its row lock. */
export async function assertProgramme(db: DbOrTx, auth: AuthContext, perm: Permission, id: number, lock = false): Promise<ProgrammeRow> {
  const [p] = await rows<ProgrammeRow>(
    db,
    sql`SELECT ${PROGRAMME_COLS} FROM sc_programmes p JOIN org_nodes n ON n.id = p.node_id WHERE p.id = ${id} AND ${nodeInScope(auth, perm, sql`n.path`)} ${lock ? sql`FOR UPDATE OF p` : sql``}`,
  );
  if (!p) throw new AppError('SC.PROGRAMME_NOT_FOUND', { id });
  return p;
}

/** The programme a client belongs to, in scope for `perm`, and the client's id — or 404 for the client. */
export async function assertClientProgramme(db: DbOrTx, auth: AuthContext, perm: Permission, clientId: number): Promise<number> {
  const [c] = await rows<{ programmeId: number }>(
    db,
    sql`SELECT c.programme_id AS "programmeId" FROM sc_clients c JOIN sc_programmes p ON p.id = c.programme_id JOIN org_nodes n ON n.id = p.node_id
         WHERE c.id = ${clientId} AND ${nodeInScope(auth, perm, sql`n.path`)}`,
  );
  if (!c) throw new AppError('SC.CLIENT_NOT_FOUND', { id: clientId });
  return c.programmeId;
}
