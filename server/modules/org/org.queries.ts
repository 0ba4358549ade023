import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orgNodes } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { holdsDepartments, pathIds } from './org.rules.js';

export { inPaths, rootNodeId } from '../../db/org-paths.js';

export type OrgNode = typeof orgNodes.$inferSelect;

export async function findNode(db: DbOrTx, id: number): Promise<OrgNode | undefined> {
  const [n] = await db.select().from(orgNodes).where(eq(orgNodes.id, id)).limit(1);
  return n;
}

export async function getNodeOr404(db: DbOrTx, id: number): Promise<OrgNode> {
  const n = await findNode(db, id);
  if (!n) throw new AppError('ORG.NOT_FOUND');
  return n;
}

/** The nearest node at or above `node` that holds departments (总行/省分行/二级分行). */
export async function branchOf(db: DbOrTx, node: OrgNode): Promise<OrgNode> {
  if (holdsDepartments(node.level)) return node;
  const ancestors = await db
    .select()
    .from(orgNodes)
    .where(inArray(orgNodes.id, pathIds(node.path)));
  const byDepth = ancestors.filter((a) => holdsDepartments(a.level)).sort((a, b) => b.path.length - a.path.length);
  return byDepth[0] ?? node;
}
