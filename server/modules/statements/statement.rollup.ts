import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { likePrefix } from '../../db/like.js';
import type { PeriodState } from '../../db/schema/index.js';
import type { OrgNode } from '../org/org.queries.js';
import { type Points, pts } from '../scoring/split.service.js';
import { monthPeriod } from './statement.service.js';
import { assertOnline, yearOf } from '../../db/partitions.js';

/**
 * What the statements page opens on (issue 12: "no empty first screens"): the months that have
 * scored sales in a branch's statements — for a province, its own and its branches' — newest first.
 */
export async function statementMonths(db: DbOrTx, node: OrgNode, limit = 36): Promise<{ month: string; sales: number; total: Points }[]> {
  const r = await rows<{ month: string; sales: string | number; pts: string | number }>(
    db,
    sql`SELECT to_char(t.period, 'YYYY-MM') AS month, sum(t.sales) AS sales, sum(t.points_hundredths) AS pts
          FROM statement_totals t JOIN org_nodes n ON n.id = t.node_id
         WHERE t.grain = 'B' AND n.path LIKE ${likePrefix(node.path)} AND (t.sales <> 0 OR t.points_hundredths <> 0)
         GROUP BY t.period ORDER BY t.period DESC LIMIT ${limit}`,
  );
  return r.map((x) => ({ month: x.month, sales: Number(x.sales), total: pts(Number(x.pts)) }));
}

export interface BranchLine {
  nodeId: number;
  code: string;
  name: string;
  state: PeriodState;
  total: Points;
  voided: Points;
  sales: number;
}

/**
 * A province's month by branch (issue 12: "a province user sees the province roll-up by branch"):
 * each tier-2 branch below it with its statement's totals and the month's state, the province's own
 * line first. Every branch is listed, a branch without sales with zeros.
 */
export async function branchRollup(db: DbOrTx, node: OrgNode, month: string): Promise<BranchLine[]> {
  const period = monthPeriod(month);
  await assertOnline(db, yearOf(period));
  const r = await rows<{ id: number; code: string; name: string; state: PeriodState | null; pts: string | number | null; voided: string | number | null; sales: string | number | null }>(
    db,
    sql`SELECT n.id, n.code, n.name, p.state, t.points_hundredths AS pts, t.voided_hundredths AS voided, t.sales
          FROM org_nodes n
          LEFT JOIN statement_totals t ON t.node_id = n.id AND t.period = ${period}::date AND t.grain = 'B'
          LEFT JOIN periods p ON p.node_id = n.id AND p.period = ${period}::date
         WHERE n.active AND (n.id = ${node.id} OR (n.level = 'branch' AND n.path LIKE ${likePrefix(node.path)}))
         ORDER BY n.id = ${node.id} DESC, n.sort, n.code`,
  );
  return r.map((x) => ({
    nodeId: Number(x.id),
    code: x.code,
    name: x.name,
    state: x.state ?? 'draft',
    total: pts(Number(x.pts ?? 0)),
    voided: pts(Number(x.voided ?? 0)),
    sales: Number(x.sales ?? 0),
  }));
}
