import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';

/**
 * What has been done toward a phase goal inside its timetable, over the goal's node and below:
 * projects formed, activities held, people checked in, people who answered the needs survey, project leads created and won, the
 * VIPs registered through projects (SPEC §5), and the
 * points of project sales (statement totals by project, months overlapping the timetable).
 * Days are Beijing days.
 */
export async function goalActuals(db: DbOrTx, g: { nodePath: string; measure: string; startsOn: string; endsOn: string }): Promise<number> {
  const under = sql`n.path LIKE ${`${g.nodePath}%`}`;
  const within = (col: ReturnType<typeof sql>) => sql`(${col} AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${g.startsOn}::date AND ${g.endsOn}::date`;
  const projectsUnder = sql`SELECT p.id FROM projects p JOIN org_nodes n ON n.id = p.node_id WHERE ${under}`;
  const q = {
    projects: sql`SELECT count(*) AS v FROM projects p JOIN org_nodes n ON n.id = p.node_id WHERE ${under} AND ${within(sql`p.created_at`)}`,
    activities: sql`SELECT count(*) AS v FROM activities a WHERE a.project_id IN (${projectsUnder}) AND a.status = 'held' AND ${within(sql`a.starts_at`)}`,
    attendees: sql`SELECT count(*) AS v FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id IN (${projectsUnder}) AND ${within(sql`v.checked_in_at`)}`,
    surveyed: sql`SELECT count(DISTINCT r.person_id) AS v FROM survey_responses r WHERE r.project_id IN (${projectsUnder}) AND ${within(sql`r.submitted_at`)}`,
    leads: sql`SELECT count(*) AS v FROM leads l WHERE l.project_id IN (${projectsUnder}) AND ${within(sql`l.created_at`)}`,
    won: sql`SELECT count(*) AS v FROM leads l WHERE l.project_id IN (${projectsUnder}) AND l.stage = 'won' AND ${within(sql`l.closed_at`)}`,
    vip: sql`SELECT count(*) AS v FROM vip_registrations r JOIN org_nodes n ON n.id = r.node_id WHERE ${under} AND ${within(sql`r.registered_at`)}`,
    points: sql`SELECT coalesce(sum(t.points_hundredths), 0) AS v FROM statement_totals t WHERE t.grain = 'J' AND t.k1 IN (${projectsUnder})
                  AND t.period BETWEEN date_trunc('month', ${g.startsOn}::date)::date AND ${g.endsOn}::date`,
  }[g.measure];
  if (!q) return 0;
  const [r] = await rows<{ v: string | number }>(db, q);
  return Number(r?.v ?? 0);
}
