import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';

/**
 * The own-data views beyond sales and completion (issue 16 part B): points, leads, projects, VIP
 * and assessment. Like `views.ts`, every line names its org node (id, 机构号, name, path) so an issue
 * is filtered to a reader's subtree, and every figure is an integer: points in hundredths, money in
 * 分, ratios in basis points (floored). A timestamp belongs to its Beijing day.
 */

interface NodeCols {
  node_id: number;
  code: string;
  name: string;
  path: string;
}
const node = (x: NodeCols) => ({ nodeId: Number(x.node_id), nodeCode: x.code, nodeName: x.name, path: x.path });
const bj = (col: ReturnType<typeof sql>) => sql`(${col} AT TIME ZONE 'Asia/Shanghai')::date`;
const bp = (part: number, whole: number) => (whole > 0 ? Math.floor((part * 10_000) / whole) : 0);

// ---- points --------------------------------------------------------------------------------------

/** A line of the `points` view: one branch × department. */
export interface PointsLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  departmentCode: string;
  departmentName: string;
  /** Points of the period's standing sales (allocations and reversals, not void lines), in hundredths. */
  pointsHundredths: number;
  /** Of which on named people (the rest is on the department's own line). */
  peoplePointsHundredths: number;
  /** Sales that gave the department points, and the people who scored. */
  sales: number;
  people: number;
}
export interface PointsData {
  view: 'points';
  from: string;
  to: string;
  lines: PointsLine[];
}

/** `points` — 积分 per branch and department for the sale days `from`…`to`, from the scoring ledger's live lines. */
export async function pointsView(db: DbOrTx, from: string, to: string): Promise<PointsData> {
  const r = await rows<NodeCols & { dept_code: string; dept_name: string; pts: string | number; people_pts: string | number; sales: number; people: number }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, n.path, d.code AS dept_code, d.name AS dept_name,
               sum(e.points_hundredths)::bigint AS pts,
               coalesce(sum(e.points_hundredths) FILTER (WHERE e.staff_id IS NOT NULL), 0)::bigint AS people_pts,
               count(DISTINCT e.sale_id)::int AS sales, count(DISTINCT e.staff_id)::int AS people
          FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
          JOIN org_nodes n ON n.id = s.node_id JOIN departments d ON d.id = e.department_id
         WHERE s.sale_date BETWEEN ${from}::date AND ${to}::date AND s.struck_at IS NULL AND e.kind <> 'void'
         GROUP BY n.id, n.code, n.name, n.path, d.code, d.name
        HAVING sum(e.points_hundredths) <> 0
         ORDER BY n.path, d.code`,
  );
  return {
    view: 'points',
    from,
    to,
    lines: r.map((x) => ({
      ...node(x),
      departmentCode: x.dept_code,
      departmentName: x.dept_name,
      pointsHundredths: Number(x.pts),
      peoplePointsHundredths: Number(x.people_pts),
      sales: Number(x.sales),
      people: Number(x.people),
    })),
  };
}

// ---- leads -----------------------------------------------------------------------------------------

/** A line of the `leads` view (营销服务系统使用状况): one branch. */
export interface LeadsLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  /** Leads created in the period. */
  created: number;
  /** Leads closed won / lost in the period. */
  won: number;
  lost: number;
  /** Open at the period's end (created by then, not closed by then); of which escalated (overdue). */
  open: number;
  escalated: number;
  /** won / (won + lost) in basis points, floored. */
  winBp: number;
}
export interface LeadsData {
  view: 'leads';
  from: string;
  to: string;
  lines: LeadsLine[];
}

/** `leads` — 商机 per branch: created, won and lost in the period, open and escalated at its end. */
export async function leadsView(db: DbOrTx, from: string, to: string): Promise<LeadsData> {
  const created = bj(sql`l.created_at`);
  const closed = bj(sql`l.closed_at`);
  const r = await rows<NodeCols & { created: number; won: number; lost: number; open: number; escalated: number }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, n.path,
               count(*) FILTER (WHERE ${created} BETWEEN ${from}::date AND ${to}::date)::int AS created,
               count(*) FILTER (WHERE l.stage = 'won' AND ${closed} BETWEEN ${from}::date AND ${to}::date)::int AS won,
               count(*) FILTER (WHERE l.stage = 'lost' AND ${closed} BETWEEN ${from}::date AND ${to}::date)::int AS lost,
               count(*) FILTER (WHERE ${created} <= ${to}::date AND (l.closed_at IS NULL OR ${closed} > ${to}::date))::int AS open,
               count(*) FILTER (WHERE ${created} <= ${to}::date AND (l.closed_at IS NULL OR ${closed} > ${to}::date) AND l.escalation_level > 0)::int AS escalated
          FROM leads l JOIN org_nodes n ON n.id = l.node_id
         WHERE ${created} <= ${to}::date
         GROUP BY n.id, n.code, n.name, n.path
         ORDER BY n.path`,
  );
  return {
    view: 'leads',
    from,
    to,
    lines: r
      .map((x) => {
        const [won, lost] = [Number(x.won), Number(x.lost)];
        return { ...node(x), created: Number(x.created), won, lost, open: Number(x.open), escalated: Number(x.escalated), winBp: bp(won, won + lost) };
      })
      .filter((l) => l.created + l.won + l.lost + l.open > 0),
  };
}

// ---- projects -------------------------------------------------------------------------------------

/** A line of the `projects` view (客户经营动态、阶段性营销活动): one branch. */
export interface ProjectsLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  /** Projects started / closed in the period; active at its end. */
  started: number;
  closed: number;
  active: number;
  /** Activities held in the period, and those still planned for a day in it. */
  activitiesHeld: number;
  activitiesPlanned: number;
}
export interface ProjectsData {
  view: 'projects';
  from: string;
  to: string;
  lines: ProjectsLine[];
}

/** `projects` — 营销项目 per branch: started, closed, active at the end; activities held and planned in the period. */
export async function projectsView(db: DbOrTx, from: string, to: string): Promise<ProjectsData> {
  const r = await rows<NodeCols & { started: number; closed: number; active: number; held: number; planned: number }>(
    db,
    sql`WITH pr AS (
          SELECT p.node_id,
                 count(*) FILTER (WHERE ${bj(sql`p.created_at`)} BETWEEN ${from}::date AND ${to}::date) AS started,
                 count(*) FILTER (WHERE p.closed_at IS NOT NULL AND ${bj(sql`p.closed_at`)} BETWEEN ${from}::date AND ${to}::date) AS closed,
                 count(*) FILTER (WHERE ${bj(sql`p.created_at`)} <= ${to}::date AND (p.closed_at IS NULL OR ${bj(sql`p.closed_at`)} > ${to}::date)) AS active
            FROM projects p GROUP BY p.node_id
        ), ac AS (
          SELECT p.node_id,
                 count(*) FILTER (WHERE a.status = 'held') AS held,
                 count(*) FILTER (WHERE a.status = 'planned') AS planned
            FROM activities a JOIN projects p ON p.id = a.project_id
           WHERE ${bj(sql`a.starts_at`)} BETWEEN ${from}::date AND ${to}::date
           GROUP BY p.node_id
        )
        SELECT n.id AS node_id, n.code, n.name, n.path, coalesce(pr.started, 0)::int AS started, coalesce(pr.closed, 0)::int AS closed,
               coalesce(pr.active, 0)::int AS active, coalesce(ac.held, 0)::int AS held, coalesce(ac.planned, 0)::int AS planned
          FROM org_nodes n LEFT JOIN pr ON pr.node_id = n.id LEFT JOIN ac ON ac.node_id = n.id
         WHERE pr.node_id IS NOT NULL OR ac.node_id IS NOT NULL
         ORDER BY n.path`,
  );
  return {
    view: 'projects',
    from,
    to,
    lines: r
      .map((x) => ({
        ...node(x),
        started: Number(x.started),
        closed: Number(x.closed),
        active: Number(x.active),
        activitiesHeld: Number(x.held),
        activitiesPlanned: Number(x.planned),
      }))
      .filter((l) => l.started + l.closed + l.active + l.activitiesHeld + l.activitiesPlanned > 0),
  };
}

// ---- VIP ---------------------------------------------------------------------------------------------

/** A line of the `vip` view (个人VIP客户业务运行状况): one branch × tier. */
export interface VipLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  tierCode: string;
  /** Registered / signed / ended in the period. */
  registered: number;
  signed: number;
  ended: number;
  /** In force at the period's end (registered by then, not ended by then); of which with an account manager; their AUM at registration in 分. */
  active: number;
  withManager: number;
  activeAumFen: number;
}
export interface VipData {
  view: 'vip';
  from: string;
  to: string;
  lines: VipLine[];
}

/** `vip` — 贵宾客户 per branch and tier: registrations, signings and endings of the period; those in force at its end. */
export async function vipView(db: DbOrTx, from: string, to: string): Promise<VipData> {
  const reg = bj(sql`v.registered_at`);
  const inForce = sql`${reg} <= ${to}::date AND (v.ended_at IS NULL OR ${bj(sql`v.ended_at`)} > ${to}::date)`;
  const r = await rows<NodeCols & { tier: string; registered: number; signed: number; ended: number; active: number; with_am: number; aum: string | number }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, n.path, v.tier_code AS tier,
               count(*) FILTER (WHERE ${reg} BETWEEN ${from}::date AND ${to}::date)::int AS registered,
               count(*) FILTER (WHERE v.signed_at IS NOT NULL AND ${bj(sql`v.signed_at`)} BETWEEN ${from}::date AND ${to}::date)::int AS signed,
               count(*) FILTER (WHERE v.ended_at IS NOT NULL AND ${bj(sql`v.ended_at`)} BETWEEN ${from}::date AND ${to}::date)::int AS ended,
               count(*) FILTER (WHERE ${inForce})::int AS active,
               count(*) FILTER (WHERE ${inForce} AND v.am_staff_id IS NOT NULL AND ${bj(sql`v.am_assigned_at`)} <= ${to}::date)::int AS with_am,
               coalesce(sum(v.aum_fen) FILTER (WHERE ${inForce}), 0)::bigint AS aum
          FROM vip_registrations v JOIN org_nodes n ON n.id = v.node_id
         WHERE ${reg} <= ${to}::date
         GROUP BY n.id, n.code, n.name, n.path, v.tier_code
         ORDER BY n.path, v.tier_code`,
  );
  return {
    view: 'vip',
    from,
    to,
    lines: r
      .map((x) => ({
        ...node(x),
        tierCode: x.tier,
        registered: Number(x.registered),
        signed: Number(x.signed),
        ended: Number(x.ended),
        active: Number(x.active),
        withManager: Number(x.with_am),
        activeAumFen: Number(x.aum),
      }))
      .filter((l) => l.registered + l.signed + l.ended + l.active > 0),
  };
}

// ---- assessment ------------------------------------------------------------------------------------

/** A line of the `assessment` view: one branch × department of the branch's final assessment of the year. */
export interface AssessmentLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  year: number;
  state: 'approved' | 'locked';
  departmentCode: string;
  departmentName: string;
  /** The department's points and those counted (after the gate), in hundredths; its reward and special award, in 分. */
  pointsHundredths: number;
  countedHundredths: number;
  rewardFen: number;
  specialFen: number;
}
export interface AssessmentData {
  view: 'assessment';
  from: string;
  to: string;
  lines: AssessmentLine[];
}

/**
 * `assessment` — 二级分行综合考核 per branch and department: each branch's final (approved or locked)
 * assessment run of the period's year that was approved by the period's end; a branch without one
 * has no lines. People's lines are summed into their department.
 */
export async function assessmentView(db: DbOrTx, from: string, to: string): Promise<AssessmentData> {
  const year = Number(to.slice(0, 4));
  const r = await rows<
    NodeCols & { state: 'approved' | 'locked'; dept_code: string; dept_name: string; pts: string | number; counted: string | number; reward: string | number; special: string | number }
  >(
    db,
    sql`WITH run AS (
          SELECT DISTINCT ON (a.node_id) a.id, a.node_id, a.state FROM assessment_runs a
           WHERE a.year = ${year} AND a.state IN ('approved', 'locked') AND ${bj(sql`a.approved_at`)} <= ${to}::date
           ORDER BY a.node_id, a.approved_at DESC, a.id DESC
        )
        SELECT n.id AS node_id, n.code, n.name, n.path, run.state, d.code AS dept_code, d.name AS dept_name,
               sum(l.points_hundredths)::bigint AS pts, sum(l.counted_hundredths)::bigint AS counted,
               sum(l.reward_fen)::bigint AS reward, sum(l.special_fen)::bigint AS special
          FROM run JOIN assessment_run_lines l ON l.run_id = run.id
          JOIN org_nodes n ON n.id = run.node_id JOIN departments d ON d.id = l.department_id
         GROUP BY n.id, n.code, n.name, n.path, run.state, d.code, d.name
         ORDER BY n.path, d.code`,
  );
  return {
    view: 'assessment',
    from,
    to,
    lines: r.map((x) => ({
      ...node(x),
      year,
      state: x.state,
      departmentCode: x.dept_code,
      departmentName: x.dept_name,
      pointsHundredths: Number(x.pts),
      countedHundredths: Number(x.counted),
      rewardFen: Number(x.reward),
      specialFen: Number(x.special),
    })),
  };
}

export type MoreOwnData = PointsData | LeadsData | ProjectsData | VipData | AssessmentData;

/** The views of this file by the catalogue's own source name (spread into `OWN_VIEWS`). */
export const MORE_OWN_VIEWS = {
  points: pointsView,
  leads: leadsView,
  projects: projectsView,
  vip: vipView,
  assessment: assessmentView,
} satisfies Record<string, (db: DbOrTx, from: string, to: string) => Promise<MoreOwnData>>;
