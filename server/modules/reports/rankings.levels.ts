import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { placedLines } from './drilldown.service.js';
import type { AnyData, AnyLine, MeasureDef } from './subscriptions.rules.js';

/**
 * Rankings below the tier-2 branch (销售PK of sub-branches, outlets and people, issue 16): the
 * stored issues of the sales and points reports carry one line per tier-2 branch, so a finer
 * ranking is computed from the same ledger the issue was made from — the live lines of the sales of
 * each issue's period, each placed at its person's node as drill-down places it (decision 0041).
 * A sub-branch's or outlet's figure is the sum of the lines placed in its subtree; a person's, the
 * lines naming them. The result has the shape of an issue's lines, so the pure rankTrend ranks it.
 */
export type RankLevel = 'branch' | 'subbranch' | 'outlet' | 'person';
export const LEDGER_LEVELS: readonly RankLevel[] = ['branch', 'subbranch', 'outlet', 'person'];

/** The measures a ledger ranking offers: sales counted once per unit, and points. */
export const LEDGER_MEASURES: MeasureDef[] = [
  { key: 'pointsHundredths', zh: '积分', en: 'Points', unit: 'points' },
  { key: 'sales', zh: '笔数', en: 'Sales', unit: 'count' },
];

/** Whether a report's own view is built from the ledger (and so can be ranked at any level). */
export const isLedgerView = (source: string) => source === 'sales' || source === 'points';

/** One period's units at a level with their figures, as issue lines (view 'sales' for measureValue). */
export async function ledgerLinesAt(db: DbOrTx, level: RankLevel, from: string, to: string): Promise<AnyData> {
  const q = { from, to };
  const r =
    level === 'person'
      ? await rows<{ id: number; name: string; path: string; sales: number; pts: string }>(
          db,
          sql`WITH l AS (${placedLines(q)} AND e.staff_id IS NOT NULL)
              SELECT st.id, st.name || '（' || st.staff_no || '）' AS name, l.at_path AS path,
                     count(DISTINCT l.sale_id)::int AS sales, sum(l.pts)::bigint AS pts
                FROM l JOIN staff st ON st.id = l.staff_id
               GROUP BY st.id, st.name, st.staff_no, l.at_path`,
        )
      : // Lines are first summed per (node, sale), then each node with lines is matched once to its
        // ancestor at the level: the prefix join runs over the few nodes, not over every line.
        await rows<{ id: number; name: string; path: string; sales: number; pts: string }>(
          db,
          sql`WITH l AS (${placedLines(q)}),
                   ps AS (SELECT at_path, sale_id, sum(pts) AS pts FROM l GROUP BY at_path, sale_id),
                   anc AS (SELECT p.at_path, o.id, o.name, o.path
                             FROM (SELECT DISTINCT at_path FROM ps) p
                             JOIN org_nodes o ON o.level = ${level} AND p.at_path LIKE o.path || '%')
              SELECT anc.id, anc.name, anc.path, count(DISTINCT ps.sale_id)::int AS sales, sum(ps.pts)::bigint AS pts
                FROM ps JOIN anc USING (at_path)
               GROUP BY anc.id, anc.name, anc.path`,
        );
  const lines: AnyLine[] = r.map((x) => ({ nodeId: Number(x.id), nodeName: x.name, path: x.path, sales: Number(x.sales), pointsHundredths: Number(x.pts) }));
  return { view: 'sales', lines };
}
