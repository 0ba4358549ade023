import { sql } from 'drizzle-orm';
import { allOf, type DbOrTx, rows } from '../../db/client.js';
import type { AuthContext } from '../access/context.js';
import { projectActivities } from './activities.service.js';
import { funnel, type FunnelStage } from './projects.rules.js';
import { projectDetail } from './projects.service.js';

/** Rows of the white-space grid shown on the board; the column counts cover everyone. */
export const WHITE_SPACE_ROWS = 200;

/** The unit's people now (company_people links not ended), the base of the funnel and the grid. */
const unitPeople = (companyId: number) => sql`SELECT DISTINCT cp.person_id FROM company_people cp WHERE cp.company_id = ${companyId} AND (cp.until IS NULL OR cp.until >= CURRENT_DATE)`;

/** Each funnel stage counts distinct people of the project (SPEC §4: known → … → VIP). */
async function funnelCounts(db: DbOrTx, projectId: number, companyId: number): Promise<Record<FunnelStage, number>> {
  const [c] = await rows<Record<FunnelStage, number>>(
    db,
    sql`WITH inv AS (SELECT v.person_id, v.checked_in_at FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id = ${projectId}),
             pl AS (SELECT l.person_id, l.stage FROM leads l WHERE l.project_id = ${projectId} AND l.person_id IS NOT NULL)
        SELECT (SELECT count(*) FROM (${unitPeople(companyId)}) k)::int AS known,
               (SELECT count(DISTINCT person_id) FROM inv)::int AS invited,
               (SELECT count(DISTINCT person_id) FROM inv WHERE checked_in_at IS NOT NULL)::int AS attended,
               (SELECT count(DISTINCT r.person_id) FROM survey_responses r WHERE r.project_id = ${projectId})::int AS surveyed,
               (SELECT count(DISTINCT person_id) FROM pl)::int AS lead,
               (SELECT count(DISTINCT person_id) FROM pl WHERE stage = 'won')::int AS won,
               (SELECT count(DISTINCT r.person_id) FROM vip_registrations r WHERE r.project_id = ${projectId} AND r.status = 'active')::int AS vip`,
  );
  return c;
}

/** Lines held by the unit's people (holdings or this bank's recorded sales), as a grid with white space. */
async function whiteSpaceGrid(db: DbOrTx, companyId: number) {
  const lines = await rows<{ code: string; name: string }>(db, sql`SELECT code, name_zh AS name FROM product_lines ORDER BY sort, code`);
  const held = sql`SELECT h.person_id, p.line_code FROM holdings h JOIN products p ON p.code = h.product_code WHERE h.person_id IN (${unitPeople(companyId)})
                   UNION SELECT s.person_id, p.line_code FROM sales s JOIN products p ON p.id = s.product_id WHERE s.person_id IN (${unitPeople(companyId)})`;
  const counts = await rows<{ code: string; holders: number }>(db, sql`SELECT line_code AS code, count(DISTINCT person_id)::int AS holders FROM (${held}) x GROUP BY 1`);
  const [{ people }] = await rows<{ people: number }>(db, sql`SELECT count(*)::int AS people FROM (${unitPeople(companyId)}) k`);
  const shown = await rows<{ personId: number; name: string; lines: string[] }>(
    db,
    sql`SELECT i.id AS "personId", i.name, coalesce(array_agg(DISTINCT x.line_code) FILTER (WHERE x.line_code IS NOT NULL), '{}') AS lines
          FROM (${unitPeople(companyId)}) k JOIN individuals i ON i.id = k.person_id LEFT JOIN (${held}) x ON x.person_id = i.id
         GROUP BY i.id, i.name ORDER BY count(DISTINCT x.line_code), i.id LIMIT ${WHITE_SPACE_ROWS}`,
  );
  const codes = lines.map((l) => l.code);
  const holders = new Map(counts.map((c) => [c.code, c.holders]));
  return {
    lines: lines.map((l) => ({ ...l, holders: holders.get(l.code) ?? 0, gaps: people - (holders.get(l.code) ?? 0) })),
    rows: shown.map((r) => {
      const has = new Set(r.lines);
      const cells = codes.map((c) => has.has(c));
      return { personId: r.personId, name: r.name, cells, gaps: cells.filter((h) => !h).length };
    }),
    people,
    shown: shown.length,
  };
}

/**
 * 项目看板: the team, the activities in time order, the funnel, the white-space grid and the points
 * the unit's sales earned (statement totals by project: exactly what the statement shows).
 */
export async function projectBoard(db: DbOrTx, auth: AuthContext, id: number) {
  const project = await projectDetail(db, auth, id);
  const [timeline, counts, whiteSpace, byMonth, [leads], [handovers]] = await allOf(db, [
    () => projectActivities(db, id),
    () => funnelCounts(db, id, project.companyId),
    () => whiteSpaceGrid(db, project.companyId),
    () =>
      rows<{ period: string; pointsHundredths: number; sales: number }>(
        db,
        sql`SELECT to_char(t.period, 'YYYY-MM') AS period, sum(t.points_hundredths)::float8 AS "pointsHundredths", sum(t.sales)::int AS sales
            FROM statement_totals t WHERE t.node_id = ${project.nodeId} AND t.grain = 'J' AND t.k1 = ${id} GROUP BY 1 ORDER BY 1`,
      ),
    () =>
      rows<{ open: number; won: number; lost: number }>(
        db,
        sql`SELECT count(*) FILTER (WHERE stage IN ('new', 'contacted', 'proposal'))::int AS open, count(*) FILTER (WHERE stage = 'won')::int AS won,
                 count(*) FILTER (WHERE stage = 'lost')::int AS lost FROM leads WHERE project_id = ${id}`,
      ),
    () =>
      rows<{ open: number; done: number }>(
        db,
        sql`SELECT count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'done')::int AS done FROM handovers WHERE project_id = ${id}`,
      ),
  ]);
  return {
    project,
    funnel: funnel(counts),
    timeline,
    whiteSpace,
    points: { totalHundredths: byMonth.reduce((a, m) => a + m.pointsHundredths, 0), sales: byMonth.reduce((a, m) => a + m.sales, 0), byMonth },
    leads,
    handovers,
  };
}
