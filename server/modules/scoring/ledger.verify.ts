import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { formatHundredths } from './allocation.js';
import { allocationCtes, ruleCtes, totalsFromLedgerStatement } from './ledger.sql.js';
import { periodEnd } from './scoring.rules.js';

/**
 * The ledger checked against itself (finding 10): nothing here writes. Two comparisons —
 *   lines:  per sale × department × person × kind, the ledger's net against a fresh allocation
 *           by the very CTEs the scoring statement writes from (ledger.sql.ts), so the verifier
 *           and the writer cannot disagree about the rules;
 *   totals: statement_totals against the same grains summed from the ledger.
 * A ledger line raised behind the triggers shows in both; totals edited alone, in the second.
 */

/** Which part of the ledger: a branch's month, a branch, or (nothing) all of it. */
export interface LedgerScope {
  nodeId?: number;
  /** First day of the month (needs nodeId). */
  period?: string;
}

export interface LineDiff {
  saleId: number;
  sourceId: string;
  nodeId: number;
  /** The month the line belongs to (an adjustment: the month it corrects), YYYY-MM-DD. */
  period: string;
  /** department: a line with no person (the department keeps it); person: a person's line. */
  level: 'department' | 'person';
  departmentId: number;
  staffId: number | null;
  role: string | null;
  /** points: allocation/reversal lines; void: what a failed mortgage would have scored. */
  kind: 'points' | 'void';
  /** Net of the ledger, and what a fresh allocation gives, in hundredths. */
  ledger: number;
  expected: number;
  /** The sale's rules moved since it was scored: a recompute is due (not necessarily tampering). */
  stale: boolean;
}

export interface TotalsFigures {
  points: number;
  voided: number;
  sales: number;
}

export interface TotalsDiff {
  nodeId: number;
  period: string;
  grain: string;
  k1: number;
  k2: number;
  role: string;
  /** What statement_totals holds, and what the ledger sums to. */
  kept: TotalsFigures;
  ledger: TotalsFigures;
  /** The month is locked: its totals cannot be corrected in place. */
  locked: boolean;
}

export interface LedgerReport {
  ok: boolean;
  /** Sales re-allocated. */
  sales: number;
  lines: LineDiff[];
  totals: TotalsDiff[];
}

function salesFilter(scope: LedgerScope): SQL {
  if (scope.nodeId === undefined) return sql`true`;
  if (scope.period === undefined) return sql`s.node_id = ${scope.nodeId}`;
  return sql`s.node_id = ${scope.nodeId} AND s.sale_date BETWEEN ${scope.period}::date AND ${periodEnd(scope.period)}::date`;
}

function totalsFilter(scope: LedgerScope, alias: string): SQL {
  const a = sql.raw(alias);
  if (scope.nodeId === undefined) return sql`true`;
  if (scope.period === undefined) return sql`${a}.node_id = ${scope.nodeId}`;
  return sql`${a}.node_id = ${scope.nodeId} AND ${a}.period::date = ${scope.period}::date`;
}

/** Lines whose ledger net differs from a fresh allocation (same key as the scoring statement's `changed`). */
async function lineDiffs(db: DbOrTx, scope: LedgerScope): Promise<LineDiff[]> {
  const list = await rows<{
    sale_id: number;
    source_id: string;
    node_id: number;
    period: string;
    department_id: number;
    staff_id: number | null;
    role: string | null;
    is_void: boolean;
    ledger: number;
    expected: number;
    stale: boolean;
  }>(
    db,
    sql`
WITH ${ruleCtes(salesFilter(scope))}, ${allocationCtes()}
SELECT coalesce(d.sale_id, x.sale_id) AS sale_id, sl.source_id, coalesce(d.node_id, x.node_id) AS node_id,
       coalesce(d.period, x.period)::text AS period, coalesce(d.department_id, x.department_id) AS department_id,
       coalesce(d.staff_id, x.staff_id) AS staff_id, coalesce(d.role, x.role) AS role,
       coalesce(d.kind = 'void', x.is_void) AS is_void, coalesce(x.net, 0)::bigint AS ledger, coalesce(d.pts, 0)::bigint AS expected,
       k.rule_key IS DISTINCT FROM s.rule_key AS stale
FROM desired d
FULL JOIN existing x
  ON x.sale_id = d.sale_id AND x.node_id = d.node_id AND x.period = d.period AND x.department_id = d.department_id
 AND coalesce(x.staff_id, 0) = coalesce(d.staff_id, 0) AND coalesce(x.role, '') = coalesce(d.role, '') AND x.is_void = (d.kind = 'void')
JOIN sale s ON s.sale_id = coalesce(d.sale_id, x.sale_id)
JOIN sales sl ON sl.id = s.sale_id
LEFT JOIN sale_scoring k ON k.sale_id = s.sale_id
WHERE d.sale_id IS NULL OR x.sale_id IS NULL OR d.pts <> x.net
ORDER BY 1, 5, 6 NULLS FIRST, 8`,
  );
  return list.map((r) => ({
    saleId: Number(r.sale_id),
    sourceId: r.source_id,
    nodeId: Number(r.node_id),
    period: r.period,
    level: r.staff_id === null ? 'department' : 'person',
    departmentId: Number(r.department_id),
    staffId: r.staff_id === null ? null : Number(r.staff_id),
    role: r.role,
    kind: r.is_void ? 'void' : 'points',
    ledger: Number(r.ledger),
    expected: Number(r.expected),
    stale: r.stale,
  }));
}

/** statement_totals rows that differ from the ledger summed per grain (either side may be missing). */
export async function totalsDiffs(db: DbOrTx, scope: LedgerScope): Promise<TotalsDiff[]> {
  const list = await rows<{
    node_id: number;
    period: string;
    grain: string;
    k1: number;
    k2: number;
    role: string;
    kept_points: number;
    kept_voided: number;
    kept_sales: number;
    ledger_points: number;
    ledger_voided: number;
    ledger_sales: number;
    locked: boolean;
  }>(
    db,
    sql`
WITH fresh AS (
  SELECT * FROM (${totalsFromLedgerStatement()}) f WHERE ${totalsFilter(scope, 'f')}
), kept AS (
  SELECT t.node_id, t.period::text AS period, t.grain, t.k1, t.k2, t.role, t.points_hundredths AS points, t.voided_hundredths AS voided, t.sales
  FROM statement_totals t
  WHERE (t.points_hundredths <> 0 OR t.voided_hundredths <> 0 OR t.sales <> 0) AND ${totalsFilter(scope, 't')}
), diff AS (
  SELECT coalesce(f.node_id, k.node_id) AS node_id, coalesce(f.period, k.period) AS period, coalesce(f.grain, k.grain) AS grain,
         coalesce(f.k1, k.k1) AS k1, coalesce(f.k2, k.k2) AS k2, coalesce(f.role, k.role) AS role,
         coalesce(k.points, 0)::bigint AS kept_points, coalesce(k.voided, 0)::bigint AS kept_voided, coalesce(k.sales, 0)::int AS kept_sales,
         coalesce(f.points, 0)::bigint AS ledger_points, coalesce(f.voided, 0)::bigint AS ledger_voided, coalesce(f.sales, 0)::int AS ledger_sales
  FROM fresh f
  FULL JOIN kept k ON k.node_id = f.node_id AND k.period = f.period AND k.grain = f.grain AND k.k1 = f.k1 AND k.k2 = f.k2 AND k.role = f.role
)
SELECT diff.*, EXISTS (SELECT 1 FROM periods p WHERE p.node_id = diff.node_id AND p.period = diff.period::date AND p.state = 'locked') AS locked
FROM diff
WHERE kept_points <> ledger_points OR kept_voided <> ledger_voided OR kept_sales <> ledger_sales
ORDER BY node_id, period, grain, k1, k2, role`,
  );
  return list.map((r) => ({
    nodeId: Number(r.node_id),
    period: r.period,
    grain: r.grain,
    k1: Number(r.k1),
    k2: Number(r.k2),
    role: r.role,
    kept: { points: Number(r.kept_points), voided: Number(r.kept_voided), sales: Number(r.kept_sales) },
    ledger: { points: Number(r.ledger_points), voided: Number(r.ledger_voided), sales: Number(r.ledger_sales) },
    locked: r.locked,
  }));
}

/** Both comparisons on the caller's handle (the repair runs them inside its own transaction). */
export async function diffLedger(db: DbOrTx, scope: LedgerScope): Promise<LedgerReport> {
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM sales s WHERE ${salesFilter(scope)}`);
  const lines = await lineDiffs(db, scope);
  const totals = await totalsDiffs(db, scope);
  return { ok: lines.length === 0 && totals.length === 0, sales: Number(n), lines, totals };
}

/**
 * Verifies the ledger in a READ ONLY transaction: the database itself guarantees that checking
 * writes nothing (no reversal, no total, no rule key). `db` must be a handle, not a transaction.
 */
export async function verifyLedger(db: DbOrTx, scope: LedgerScope): Promise<LedgerReport> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET TRANSACTION READ ONLY`);
    return diffLedger(tx, scope);
  });
}

const pts = (h: number) => formatHundredths(BigInt(h));

/** The report as printed lines (CLI): one per difference, by sale and level, then per total. */
export function ledgerReportLines(r: LedgerReport): string[] {
  const out: string[] = [];
  const stale = r.lines.filter((l) => l.stale).length;
  out.push(
    `台账核对 / ledger check: ${r.sales} 笔销售，分录差异 ${r.lines.length} 条（其中规则变更待重算 ${stale} 条），汇总差异 ${r.totals.length} 条 / ` +
      `${r.sales} sales, ${r.lines.length} line differences (${stale} with rules changed since scoring), ${r.totals.length} totals differences`,
  );
  for (const l of r.lines) {
    const who = l.level === 'person' ? `person 员工 ${l.staffId}${l.role ? `（${l.role}）` : ''}` : 'department 部门留存';
    out.push(
      `  sale ${l.saleId} ${l.sourceId}  ${l.period.slice(0, 7)}  dept ${l.departmentId}  ${who}  ${l.kind === 'void' ? '作废 void' : '积分 points'}: ` +
        `台账 ledger ${pts(l.ledger)} ≠ 应为 expected ${pts(l.expected)}（差 ${pts(l.ledger - l.expected)}）${l.stale ? '  [规则已变更 / rules changed]' : ''}`,
    );
  }
  for (const t of r.totals) {
    const key = `${t.grain} ${t.k1}${t.k2 ? `/${t.k2}` : ''}${t.role ? ` ${t.role}` : ''}`;
    out.push(
      `  totals node ${t.nodeId} ${t.period.slice(0, 7)} ${key}: 汇总 kept ${pts(t.kept.points)}/${pts(t.kept.voided)}/${t.kept.sales} ≠ ` +
        `台账 ledger ${pts(t.ledger.points)}/${pts(t.ledger.voided)}/${t.ledger.sales}（积分/作废/笔数）${t.locked ? '  [已锁定 / locked month]' : ''}`,
    );
  }
  return out;
}
