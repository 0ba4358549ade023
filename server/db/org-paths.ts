import { isNull, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.js';
import { orgNodes } from './schema/index.js';

/**
 * The two org-tree queries every module's scope check needs. They live beside the schema (not in
 * org/) so that audit, which org writes to, can use them without importing org back.
 */

/** The root of the org tree (总行, or the province when the bank's tree starts there); null while it is empty. */
export async function rootNodeId(db: DbOrTx): Promise<number | null> {
  const [n] = await db.select({ id: orgNodes.id }).from(orgNodes).where(isNull(orgNodes.parentId)).orderBy(orgNodes.id).limit(1);
  return n?.id ?? null;
}

/**
 * `column LIKE path%` for each scope path, OR-ed: the SQL form of "inside the caller's subtrees".
 * An empty scope matches nothing.
 */
export function inPaths(column: AnyPgColumn | SQL, paths: string[]): SQL {
  if (paths.length === 0) return sql`false`;
  return or(...paths.map((p) => sql`${column} LIKE ${`${p}%`}`))!;
}
