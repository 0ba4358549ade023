import type { DbOrTx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { canAt, type AuthContext } from '../access/context.js';
import { getNodeOr404 } from '../org/org.queries.js';

/**
 * A sale's split and ledger trace are read by whoever reads the statements of the sale's branch,
 * and by the people who took part in the sale (issue 12: a person may always read their own sales
 * and splits); anyone else gets 403 AUTH.OUT_OF_SCOPE and nothing of the sale.
 */
export async function assertSplitReader(db: DbOrTx, auth: AuthContext, split: { nodeId: number; people: readonly { staffId: number }[] }): Promise<void> {
  if (split.people.some((p) => p.staffId === auth.staffId)) return;
  const node = await getNodeOr404(db, split.nodeId);
  if (!canAt(auth, 'statement.read', node.path)) throw new AppError('AUTH.OUT_OF_SCOPE');
}
