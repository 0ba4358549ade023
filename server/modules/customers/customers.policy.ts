import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rows } from '../../db/client.js';
import { likeContains, likePrefix } from '../../db/like.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt, canAt, scopePaths } from '../access/context.js';
import type { Actor } from '../audit/audit.service.js';
import { inPaths } from '../org/org.queries.js';

/**
 * SPEC §1/§2: a client belongs to its org node. Reads need customer.read at that node, writes
 * customer.write, a full ID or phone number customer.reveal; a sibling branch's clients are
 * invisible (filtered from lists, 403 on direct access).
 */
export type CustomerPermission = 'customer.read' | 'customer.write' | 'customer.reveal';

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

/** SQL: the org node path column is inside the caller's subtrees for `perm`. */
export function inScope(auth: AuthContext, pathColumn: SQL, perm: CustomerPermission = 'customer.read'): SQL {
  return inPaths(pathColumn, scopePaths(auth, perm));
}

export const canReadAt = (auth: AuthContext, path: string) => canAt(auth, 'customer.read', path);

export function assertCustomerAt(auth: AuthContext, perm: CustomerPermission, path: string): void {
  assertCanAt(auth, perm, path);
}

/** The path of an org node, or ORG.NOT_FOUND. */
export async function nodePath(db: DbOrTx, nodeId: number): Promise<string> {
  const [n] = await rows<{ path: string }>(db, sql`SELECT path FROM org_nodes WHERE id = ${nodeId}`);
  if (!n) throw new AppError('ORG.NOT_FOUND', { nodeId });
  return n.path;
}

/**
 * Counts stop here: a search that matches more shows "超过 1000 条" (`totalCapped`) instead of visiting
 * every match (decision 0051: a two-character company fragment matches thousands).
 */
export const COUNT_CAP = 1_000;

/**
 * One page of a client list and its capped count in one statement (decision 0051). `filterFrom` is
 * what `where` needs (the client table and its org node, aliases as in `where`), `id` its primary
 * key; `select`/`from` give the page's columns and names, joined for the page's rows only;
 * `walkWhere` (default `where`) is the same filter written for the key walk (no index serves its
 * text match: `containsUnindexed`).
 *
 * - `hits`: up to `cap` + 1 matches in any order — the index that serves the filter (bigram GIN,
 *   name prefix, suffix b-tree) stops after cap + 1 rows; their number is the count.
 * - When every match is among them (count ≤ cap), the page is cut from `hits` in id order: no
 *   second scan. Otherwise the fragment is common and the page is the primary key walked in id
 *   order with the filter, which stops after offset + pageSize matches (a one-time filter: the
 *   branch not taken is not run).
 * The same rows match as with a full count; pages are in id order either way.
 */
export interface CappedPageQuery {
  filterFrom: SQL;
  where: SQL;
  walkWhere?: SQL;
  id: SQL;
  select: SQL;
  from: SQL;
  limit: number;
  offset: number;
  cap?: number;
}

/** The statement of `pageWithCappedCount`: a `matched` column (up to cap + 1) beside the page's columns. */
export function cappedPageSql(q: CappedPageQuery): SQL {
  const cap = q.cap ?? COUNT_CAP;
  return sql`WITH hits AS MATERIALIZED (SELECT ${q.id} AS id FROM ${q.filterFrom} WHERE ${q.where} LIMIT ${cap + 1}),
             matched AS (SELECT count(*)::int AS n FROM hits),
             ids AS (
               (SELECT id FROM hits WHERE (SELECT n FROM matched) <= ${cap} ORDER BY id LIMIT ${q.limit} OFFSET ${q.offset})
               UNION ALL
               (SELECT ${q.id} FROM ${q.filterFrom} WHERE ${q.walkWhere ?? q.where} AND (SELECT n FROM matched) > ${cap}
                ORDER BY ${q.id} LIMIT ${q.limit} OFFSET ${q.offset}))
        SELECT m.n AS matched, pg.* FROM matched m
        LEFT JOIN (${q.select} ${q.from} WHERE ${q.id} IN (SELECT id FROM ids)) pg ON true
        ORDER BY pg.id`;
}

export async function pageWithCappedCount<T extends { id: number }>(db: DbOrTx, q: CappedPageQuery): Promise<{ rows: T[]; total: number; totalCapped: boolean }> {
  const cap = q.cap ?? COUNT_CAP;
  const list = await rows<T & { matched: number }>(db, cappedPageSql(q));
  const n = Number(list[0]?.matched ?? 0);
  const page = list.filter((r) => r.id !== null).map(({ matched: _m, ...r }) => r as unknown as T);
  return n > cap ? { rows: page, total: cap, totalCapped: true } : { rows: page, total: n, totalCapped: false };
}

/**
 * Name search for people: a fragment of three or more characters matches anywhere (trigram
 * index); one or two characters — a surname, a two-character name — match from the start
 * (prefix index), which is how a bank clerk looks a person up and keeps 1 M rows fast.
 */
export function personNameMatch(column: SQL, q: string): SQL {
  return [...q].length >= 3 ? sql`${column} ILIKE ${likeContains(q)}` : sql`${column} LIKE ${likePrefix(q)}`;
}

/** The path of a node filter in a client list, after checking the caller may read clients there. */
export async function readableSubtree(db: DbOrTx, auth: AuthContext, nodeId?: number): Promise<string | undefined> {
  if (!nodeId) return undefined;
  const path = await nodePath(db, nodeId);
  assertCustomerAt(auth, 'customer.read', path);
  return path;
}
