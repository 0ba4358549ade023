import type { Permission } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { assertCanAt, type AuthContext } from '../access/context.js';
import type { OrgNode } from '../org/org.queries.js';
import { statementNode } from './statement.service.js';

/**
 * A branch's month — its statement, drill-downs, recompute, period steps, spot checks, ledger
 * check — is reached by whoever holds `perm` over the branch (SPEC §1 scope). Resolves the branch
 * (404 / 400 STATEMENT.NOT_A_BRANCH) and refuses one out of scope with 403 AUTH.OUT_OF_SCOPE.
 */
export async function scopedStatementNode(db: DbOrTx, auth: AuthContext, perm: Permission, nodeId: number): Promise<OrgNode> {
  const node = await statementNode(db, nodeId);
  assertCanAt(auth, perm, node.path);
  return node;
}
