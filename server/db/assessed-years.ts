import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from './client.js';

/**
 * The years whose assessment is final (a locked run, Art. 22–23) per branch, as `nodeId:year`
 * keys: a sale dated in such a year for such a branch is refused (SALE.YEAR_ASSESSED) until the
 * committee reopens the year. A run covers its branch; a province's run also each tier-2 branch
 * under it (as the month check of the run does). Here, beside the period lock, so that sales —
 * below the assessment module — can read it; one statement per request or bulk load.
 */
export async function assessedYears(db: DbOrTx): Promise<Set<string>> {
  const r = await rows<{ node_id: number; year: number }>(
    db,
    sql`SELECT DISTINCT n.id AS node_id, a.year
        FROM assessment_runs a JOIN org_nodes rn ON rn.id = a.node_id
        JOIN org_nodes n ON n.id = a.node_id OR (rn.level = 'province' AND n.level = 'branch' AND n.path LIKE rn.path || '%')
        WHERE a.state = 'locked'`,
  );
  return new Set(r.map((x) => assessedKey(Number(x.node_id), Number(x.year))));
}

export const assessedKey = (nodeId: number, year: number) => `${nodeId}:${year}`;
