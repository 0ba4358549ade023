import type { DbOrTx } from '../../db/client.js';
import { assertCanAt, type AuthContext } from '../access/context.js';
import { getNodeOr404 } from '../org/org.queries.js';

/** A sale's split and ledger trace are read by whoever reads the statements of the sale's branch. */
export async function assertSplitReader(db: DbOrTx, auth: AuthContext, split: { nodeId: number }): Promise<void> {
  const node = await getNodeOr404(db, split.nodeId);
  assertCanAt(auth, 'statement.read', node.path);
}
