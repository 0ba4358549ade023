import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { lockLedger } from '../scoring/ledger.service.js';
import { completionShiftStatement } from '../scoring/completion.sql.js';

/**
 * Completion of quotas (SPEC §10): the quantity of a product's sales in which a department is the
 * host or a participant, per person or outlet when asked. READ FROM TOTALS (decision 0018):
 * `completion_totals` is kept by the statement that writes the ledger (scoring/ledger.sql.ts) —
 * a sale is added when it becomes countable and taken out when it is struck or voided by the
 * mortgage rule — and by `recountCompletion` around the edits that change what a counted sale
 * credits. A read is a handful of index range scans whatever the branch's volume; until 0018 it
 * scanned the branch's sales on every request (completion.oracle.ts, now the tests' oracle).
 *
 * Left out: sales voided by the mortgage rule (net `void` ledger lines > 0), struck sales, and
 * rejected sales (never stored). A sale without points still counts: completion is quantity.
 */
export interface CompletionQuery {
  nodeId: number;
  /** First day included, 'YYYY-MM-01' (totals are per month). */
  from: string;
  /** First day excluded, 'YYYY-MM-01'. */
  to: string;
  /** Only the products of this line. */
  lineCode?: string | null;
  /** Person-level completion for these staff (a person's sales credited to the quota's department). */
  staffIds?: number[];
  /** Outlet-level completion for these outlets (sales on which a person of the outlet is credited to the department). */
  outletIds?: number[];
}

export interface CompletionRow {
  /** D department, P person (k = staff id), O outlet (k = outlet node id). */
  grain: 'D' | 'P' | 'O';
  departmentId: number;
  productId: number;
  k: number;
  quantity1e4: number;
  sales: number;
}

const idArray = (ids: number[]) => `{${[...new Set(ids)].filter((n) => Number.isSafeInteger(n)).join(',')}}`;
const MONTH_START = /^\d{4}-\d{2}-01$/;

/**
 * The read: one range per grain over the primary key (node, grain, k, period, …). People and outlets
 * may be named by a subquery instead of a list (`staffKeys`, `outletKeys`: the dashboard's one
 * statement names those its quotas name, decision 0053).
 */
export function completionStatement(q: CompletionQuery & { staffKeys?: SQL; outletKeys?: SQL }): SQL {
  // Totals are per month: a bound inside a month would silently count the whole month.
  if (!MONTH_START.test(q.from) || !MONTH_START.test(q.to)) throw new Error(`completion range must be whole months: ${q.from} … ${q.to}`);
  const line = q.lineCode ? sql`AND t.product_id IN (SELECT id FROM products WHERE line_code = ${q.lineCode})` : sql``;
  const grain = (g: 'D' | 'P' | 'O', keys: SQL) => sql`
SELECT t.grain, t.department_id, t.product_id, t.k, sum(t.quantity_1e4)::bigint AS qty, sum(t.sales)::int AS sales
FROM completion_totals t
WHERE t.node_id = ${q.nodeId} AND t.grain = ${g} AND ${keys} AND t.period >= ${q.from}::date AND t.period < ${q.to}::date ${line}
GROUP BY t.grain, t.department_id, t.product_id, t.k
HAVING sum(t.sales) > 0`;
  const parts = [grain('D', sql`t.k = 0`)];
  if (q.staffIds?.length) parts.push(grain('P', sql`t.k = ANY(${idArray(q.staffIds)}::int[])`));
  else if (q.staffKeys) parts.push(grain('P', sql`t.k IN (${q.staffKeys})`));
  if (q.outletIds?.length) parts.push(grain('O', sql`t.k = ANY(${idArray(q.outletIds)}::int[])`));
  else if (q.outletKeys) parts.push(grain('O', sql`t.k IN (${q.outletKeys})`));
  return sql.join(parts, sql` UNION ALL `);
}

/** Completion of a branch over whole months; figures as integers (quantity × 10⁴). */
export async function completionFacts(db: DbOrTx, q: CompletionQuery): Promise<CompletionRow[]> {
  const r = await rows<{ grain: 'D' | 'P' | 'O'; department_id: number; product_id: number; k: number; qty: number | string; sales: number }>(db, completionStatement(q));
  return r.map((x) => ({ grain: x.grain, departmentId: Number(x.department_id), productId: Number(x.product_id), k: Number(x.k), quantity1e4: Number(x.qty), sales: Number(x.sales) }));
}

/**
 * Runs `edit` — a change to what counted sales credit: their quantity, departments or people, or
 * the org node of a person credited on them — with those sales taken out of completion_totals
 * before and put back after, so the totals follow the edit. `saleIds` is a subquery naming the
 * sales the edit may touch (`SELECT sale_id FROM sale_people WHERE staff_id = …`), evaluated
 * before and after. Call it inside the edit's transaction; it takes the ledger lock, so a
 * concurrent scoring of the same sales waits instead of counting them with a stale flag.
 */
export async function recountCompletion<T>(tx: DbOrTx, saleIds: SQL, edit: () => Promise<T>): Promise<T> {
  await lockLedger(tx);
  await tx.execute(completionShiftStatement(saleIds, -1));
  const result = await edit();
  await tx.execute(completionShiftStatement(saleIds, 1));
  return result;
}

/** The year as a half-open date range. */
export function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
}
