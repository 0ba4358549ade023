import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { daysBetween } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { assertNode, nodeInScope } from './inclusive.access.js';

/**
 * Whitelist conversion by outlet and by person over any date range (SPEC §12, decision 0037),
 * computed by SQL in exact integers: an entry counts for the range when it was distributed by the
 * range's last day and had not expired before its first; its stage in the range is the furthest one
 * a contact recorded in the range (or its status, when set in the range) reached — contacted (any
 * contact, refusals too) ⊂ interested ⊂ applied ⊂ drawn. Amounts are the entries' pre-approved
 * amounts in fen; rates are basis points of the entries, rounded half up.
 */

export interface Funnel {
  entries: number;
  contacted: number;
  interested: number;
  applied: number;
  drawn: number;
  entriesFen: number;
  contactedFen: number;
  interestedFen: number;
  appliedFen: number;
  drawnFen: number;
  contactedBp: number | null;
  interestedBp: number | null;
  appliedBp: number | null;
  drawnBp: number | null;
}
export interface OutletLine extends Funnel {
  nodeId: number;
  code: string;
  name: string;
  level: string;
  parentName: string | null;
}
export interface PersonLine extends Funnel {
  staffId: number | null;
  staffNo: string | null;
  name: string | null;
  nodeId: number;
  nodeName: string;
}

export interface RangeQuery {
  from: string;
  to: string;
  /** A branch subtree (any node) to narrow to; the caller's scope applies anyway. */
  nodeId?: number;
}

const day = (col: SQL) => sql`(${col} AT TIME ZONE 'Asia/Shanghai')::date`;
const STAGE = (col: SQL) => sql`CASE ${col} WHEN 'drawn' THEN 4 WHEN 'applied' THEN 3 WHEN 'interested' THEN 2 WHEN 'contacted' THEN 1 WHEN 'refused' THEN 1 ELSE 0 END`;
/** n ÷ d in basis points, half up, in SQL integers (bigint), NULL for d = 0. */
const bp = (n: SQL, d: SQL) => sql`CASE WHEN ${d} = 0 THEN NULL ELSE ((20000 * (${n})::bigint + (${d})::bigint) / (2 * (${d})::bigint))::int END`;

/** The staged entries of a range under `where` (alias n = the entry's outlet node). */
function staged(q: RangeQuery, where: SQL): SQL {
  return sql`SELECT we.id, we.outlet_node_id, we.staff_id, we.amount_fen,
      GREATEST(
        COALESCE((SELECT max(${STAGE(sql`c.status_after`)}) FROM whitelist_contacts c WHERE c.entry_id = we.id AND ${day(sql`c.contacted_at`)} BETWEEN ${q.from}::date AND ${q.to}::date), 0),
        COALESCE((SELECT 1 FROM whitelist_contacts c WHERE c.entry_id = we.id AND ${day(sql`c.contacted_at`)} BETWEEN ${q.from}::date AND ${q.to}::date LIMIT 1), 0),
        CASE WHEN we.status_at IS NOT NULL AND ${day(sql`we.status_at`)} BETWEEN ${q.from}::date AND ${q.to}::date THEN ${STAGE(sql`we.status`)} ELSE 0 END
      ) AS stage
    FROM whitelist_entries we JOIN org_nodes n ON n.id = we.outlet_node_id
   WHERE ${day(sql`COALESCE(we.assigned_at, we.created_at)`)} <= ${q.to}::date AND we.expires_on >= ${q.from}::date AND ${where}`;
}

const FUNNEL = sql`count(*)::int AS entries,
  (count(*) FILTER (WHERE s.stage >= 1))::int AS contacted,
  (count(*) FILTER (WHERE s.stage >= 2))::int AS interested,
  (count(*) FILTER (WHERE s.stage >= 3))::int AS applied,
  (count(*) FILTER (WHERE s.stage >= 4))::int AS drawn,
  COALESCE(sum(s.amount_fen), 0)::bigint AS "entriesFen",
  COALESCE(sum(s.amount_fen) FILTER (WHERE s.stage >= 1), 0)::bigint AS "contactedFen",
  COALESCE(sum(s.amount_fen) FILTER (WHERE s.stage >= 2), 0)::bigint AS "interestedFen",
  COALESCE(sum(s.amount_fen) FILTER (WHERE s.stage >= 3), 0)::bigint AS "appliedFen",
  COALESCE(sum(s.amount_fen) FILTER (WHERE s.stage >= 4), 0)::bigint AS "drawnFen",
  ${bp(sql`count(*) FILTER (WHERE s.stage >= 1)`, sql`count(*)`)} AS "contactedBp",
  ${bp(sql`count(*) FILTER (WHERE s.stage >= 2)`, sql`count(*)`)} AS "interestedBp",
  ${bp(sql`count(*) FILTER (WHERE s.stage >= 3)`, sql`count(*)`)} AS "appliedBp",
  ${bp(sql`count(*) FILTER (WHERE s.stage >= 4)`, sql`count(*)`)} AS "drawnBp"`;

export function assertRange(q: { from: string; to: string }): void {
  if (q.from > q.to || daysBetween(q.from, q.to) > 366) throw new AppError('PERF.RANGE_INVALID', { from: q.from, to: q.to });
}

async function scopeWhere(db: DbOrTx, auth: AuthContext, q: RangeQuery): Promise<SQL> {
  assertRange(q);
  const inScope = nodeInScope(auth, 'performance.read', sql`n.path`);
  if (q.nodeId === undefined) return inScope;
  const node = await assertNode(db, auth, 'performance.read', q.nodeId);
  return sql`${inScope} AND n.path LIKE ${`${node.path}%`}`;
}

/** One line per outlet (the node the entries were distributed to), best conversion first. */
export async function outletPerformance(db: DbOrTx, auth: AuthContext, q: RangeQuery): Promise<OutletLine[]> {
  const where = await scopeWhere(db, auth, q);
  return rows<OutletLine>(
    db,
    sql`SELECT n.id AS "nodeId", n.code, n.name, n.level, p.name AS "parentName", ${FUNNEL}
          FROM (${staged(q, where)}) s JOIN org_nodes n ON n.id = s.outlet_node_id LEFT JOIN org_nodes p ON p.id = n.parent_id
         GROUP BY n.id, n.code, n.name, n.level, p.name
         ORDER BY "drawnBp" DESC NULLS LAST, "drawnFen" DESC, n.code`,
  );
}

/** One line per person and outlet (entries not yet given to anyone form the outlet's 未分配 line). */
export async function personPerformance(db: DbOrTx, auth: AuthContext, q: RangeQuery): Promise<PersonLine[]> {
  const where = await scopeWhere(db, auth, q);
  return rows<PersonLine>(
    db,
    sql`SELECT st.id AS "staffId", st.staff_no AS "staffNo", st.name, n.id AS "nodeId", n.name AS "nodeName", ${FUNNEL}
          FROM (${staged(q, where)}) s JOIN org_nodes n ON n.id = s.outlet_node_id LEFT JOIN staff st ON st.id = s.staff_id
         GROUP BY st.id, st.staff_no, st.name, n.id, n.name
         ORDER BY "drawnBp" DESC NULLS LAST, "drawnFen" DESC, n.name, st.staff_no NULLS LAST`,
  );
}

/**
 * The quarterly rule's inputs for every sub-branch (its outlets' entries summed), over a range, for
 * the whole bank — the job and the province take it; readers see their own lines of the result.
 */
export async function subbranchInputs(db: DbOrTx, q: { from: string; to: string }): Promise<Map<number, { entries: number; drawnCount: number; drawnAmountFen: number }>> {
  const list = await rows<{ nodeId: number; entries: number; drawnCount: number; drawnAmountFen: number }>(
    db,
    sql`SELECT sb.id AS "nodeId", count(s.id)::int AS entries, (count(s.id) FILTER (WHERE s.stage >= 4))::int AS "drawnCount",
               COALESCE(sum(s.amount_fen) FILTER (WHERE s.stage >= 4), 0)::bigint AS "drawnAmountFen"
          FROM (${staged(q, sql`true`)}) s JOIN org_nodes o ON o.id = s.outlet_node_id JOIN org_nodes sb ON sb.level = 'subbranch' AND o.path LIKE sb.path || '%'
         GROUP BY sb.id`,
  );
  return new Map(list.map((l) => [l.nodeId, { entries: l.entries, drawnCount: l.drawnCount, drawnAmountFen: l.drawnAmountFen }]));
}
