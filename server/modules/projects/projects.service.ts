import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { beijingDay } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { branchPathOf } from '../../../shared/org-path.js';
import { type AuthContext, assertCanAt, canAt, scopePaths } from '../access/context.js';
import { assertReference } from '../access/references.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { goalActuals } from './goals.queries.js';
import { assertMayManage, loadProject, mayWork, type ProjectRow, projectSelect, visibleProjects } from './projects.access.js';
import { goalProgress, goalTimetable, type MemberRole, teamProblems } from './projects.rules.js';
import type { CreateProjectBody, GoalBody, ProjectQuery, TeamBody, UnitPeopleQuery } from './projects.schemas.js';

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });
const iso = (v: Date | string) => new Date(v).toISOString();

// ---- phase goals (阶段目标) ----------------------------------------------------------------------

/** The committee sets a goal with a timetable for a branch (project.manage over it). */
export async function createGoal(db: Db, auth: AuthContext, b: z.infer<typeof GoalBody>, now: Date) {
  if (b.endsOn < b.startsOn) throw new AppError('REQUEST.INVALID', { field: 'endsOn' });
  return db.transaction(async (tx) => {
    const node = await assertReference(tx, auth, 'node', b.nodeId, { notFound: 'PROJECT.BAD_GOAL', reach: { perms: ['project.manage'] } });
    const [g] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO phase_goals (node_id, title, measure, target_value, starts_on, ends_on, created_by, created_at)
          VALUES (${b.nodeId}, ${b.title}, ${b.measure}, ${b.targetValue}, ${b.startsOn}, ${b.endsOn}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'goal.create', entity: 'phase_goal', entityId: g.id, nodeId: node.nodeId, after: b });
    const [out] = await listGoals(tx, auth, now, g.id);
    return out;
  });
}

/** Goals of the branches the caller reads, each with what has been done toward it so far. */
export async function listGoals(db: DbOrTx, auth: AuthContext, now: Date, id?: number) {
  const goals = await rows<{ id: number; nodeId: number; nodeName: string; nodePath: string; title: string; measure: string; targetValue: number; startsOn: string; endsOn: string }>(
    db,
    sql`SELECT g.id, g.node_id AS "nodeId", n.name AS "nodeName", n.path AS "nodePath", g.title, g.measure, g.target_value::float8 AS "targetValue",
               g.starts_on::text AS "startsOn", g.ends_on::text AS "endsOn"
          FROM phase_goals g JOIN org_nodes n ON n.id = g.node_id
         WHERE ${inPaths(sql`n.path`, scopePaths(auth, 'project.read'))} ${id ? sql`AND g.id = ${id}` : sql``}
         ORDER BY g.starts_on DESC, g.id DESC`,
  );
  const today = beijingDay(now);
  const out = [];
  for (const g of goals) {
    const actual = await goalActuals(db, g);
    const { nodePath: _p, ...rest } = g;
    out.push({ ...rest, measure: g.measure as z.infer<typeof GoalBody>['measure'], ...goalProgress(actual, g.targetValue), ...goalTimetable(g.startsOn, g.endsOn, today) });
  }
  return out;
}

// ---- projects and teams ------------------------------------------------------------------------

export type Member = { staffId: number; role: MemberRole };

/** Of `companyIds`, the units on the latest version of one of the branch's target lists (名单制, Art. 7–9). */
export async function targetUnitsOf(db: DbOrTx, nodeId: number, companyIds: readonly number[]): Promise<Set<number>> {
  if (!companyIds.length) return new Set();
  const hits = await rows<{ id: number }>(
    db,
    sql`SELECT DISTINCT e.company_id AS id FROM target_list_versions v JOIN target_list_entries e ON e.version_id = v.id
         WHERE v.node_id = ${nodeId} AND e.company_id = ANY(${`{${[...new Set(companyIds)].join(',')}}`}::int[])
           AND v.version_no = (SELECT max(v2.version_no) FROM target_list_versions v2 WHERE v2.node_id = v.node_id AND v2.department_id = v.department_id)`,
  );
  return new Set(hits.map((h) => h.id));
}

async function assertTarget(tx: DbOrTx, nodeId: number, companyId: number) {
  if (!(await targetUnitsOf(tx, nodeId, [companyId])).has(companyId)) throw new AppError('PROJECT.NOT_TARGET');
}

/** Of `staffIds`, the active staff of the branch: a team member works the branch's unit. */
export async function branchStaff(db: DbOrTx, branchPath: string, staffIds: readonly number[]): Promise<Set<number>> {
  const ids = [...new Set(staffIds)];
  if (!ids.length) return new Set();
  const found = await rows<{ id: number }>(
    db,
    sql`SELECT s.id FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND s.id = ANY(${`{${ids.join(',')}}`}::int[]) AND n.path LIKE ${`${branchPath}%`}`,
  );
  return new Set(found.map((f) => f.id));
}

/** The co-organising outlet (协办网点): an active outlet of the project's branch. */
export const isCoOutlet = (outlet: { path: string; level: string; active: boolean } | undefined, branchPath: string): boolean =>
  !!outlet && outlet.active && outlet.level === 'outlet' && outlet.path.startsWith(branchPath);

/** Team members: distinct (staff, role), active staff of the branch, one corporate and one personal at least. */
async function checkTeam(tx: DbOrTx, branchPath: string, members: readonly Member[]) {
  const problems = teamProblems(members);
  if (problems.length) throw new AppError(problems[0]);
  const found = await branchStaff(
    tx,
    branchPath,
    members.map((m) => m.staffId),
  );
  if (members.some((m) => !found.has(m.staffId))) throw new AppError('PROJECT.BAD_MEMBER');
  const seen = new Set<string>();
  for (const m of members) {
    const k = `${m.staffId}:${m.role}`;
    if (seen.has(k)) throw new AppError('PROJECT.BAD_MEMBER');
    seen.add(k);
  }
}

/** Adds members to a project's team (joined now). */
export async function writeTeam(tx: DbOrTx, projectId: number, members: readonly Member[], now: Date) {
  for (const m of members) await tx.execute(sql`INSERT INTO project_members (project_id, staff_id, role, joined_at) VALUES (${projectId}, ${m.staffId}, ${m.role}, ${now.toISOString()})`);
}

export interface NewProject {
  nodeId: number;
  companyId: number;
  name?: string | null;
  phaseGoalId?: number | null;
  coOutletNodeId: number;
  members: readonly Member[];
}

/**
 * Writes a checked project: the row, its team, the members told (the caller audits). The checks —
 * target unit, scope, outlet, team, no active duplicate — are the caller's, done before.
 */
export async function insertProject(tx: DbOrTx, auth: AuthContext, b: NewProject, now: Date): Promise<{ id: number; name: string }> {
  const [c] = await rows<{ name: string }>(tx, sql`SELECT name FROM corporate_clients WHERE id = ${b.companyId}`);
  const name = b.name || `${c.name}公私联动营销项目`;
  const [p] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO projects (node_id, company_id, name, phase_goal_id, co_outlet_node_id, created_by, created_at)
        VALUES (${b.nodeId}, ${b.companyId}, ${name}, ${b.phaseGoalId ?? null}, ${b.coOutletNodeId}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
  );
  await writeTeam(tx, p.id, b.members, now);
  await notify(tx, recipients.staffIds([...new Set(b.members.map((m) => m.staffId))].filter((id) => id !== auth.staffId)), {
    kind: 'project.team',
    titleZh: `您已加入营销项目：${name}`,
    titleEn: `You joined the project ${name}`,
    link: `/projects/${p.id}`,
    nodeId: b.nodeId,
  });
  return { id: p.id, name };
}

/** Forms a project for an approved target unit: the team, the co-organising outlet, the phase goal. */
export async function createProject(db: Db, auth: AuthContext, b: z.infer<typeof CreateProjectBody>, now: Date) {
  return db.transaction(async (tx) => {
    const company = await assertReference(tx, auth, 'company', b.companyId, { notFound: 'CUSTOMER.NOT_FOUND' });
    const branchPath = branchPathOf(company.path);
    const [branch] = await rows<{ id: number; path: string }>(tx, sql`SELECT id, path FROM org_nodes WHERE path = ${branchPath}`);
    assertCanAt(auth, 'project.manage', branch.path);
    const [outlet] = await rows<{ path: string; level: string; active: boolean }>(tx, sql`SELECT path, level, active FROM org_nodes WHERE id = ${b.coOutletNodeId}`);
    if (!isCoOutlet(outlet, branch.path)) throw new AppError('PROJECT.BAD_OUTLET');
    if (b.phaseGoalId) {
      const [g] = await rows<{ path: string }>(tx, sql`SELECT n.path FROM phase_goals g JOIN org_nodes n ON n.id = g.node_id WHERE g.id = ${b.phaseGoalId}`);
      if (!g || !branch.path.startsWith(g.path)) throw new AppError('PROJECT.BAD_GOAL');
    }
    await assertTarget(tx, branch.id, b.companyId);
    await checkTeam(tx, branch.path, b.members);
    const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM projects WHERE node_id = ${branch.id} AND company_id = ${b.companyId} AND status = 'active'`);
    if (dup) throw new AppError('PROJECT.DUPLICATE', { id: dup.id });
    const p = await insertProject(tx, auth, { ...b, nodeId: branch.id }, now);
    const after = await projectDetail(tx, auth, p.id);
    await appendAudit(tx, actorOf(auth), { action: 'project.create', entity: 'project', entityId: p.id, nodeId: branch.id, after });
    return after;
  });
}

/** Replaces the team: leavers get left_at (history kept), newcomers join; audited with the reason. */
export async function changeTeam(db: Db, auth: AuthContext, id: number, b: z.infer<typeof TeamBody>, now: Date) {
  return db.transaction(async (tx) => {
    const p = await loadProject(tx, auth, id, true);
    assertMayManage(auth, p);
    if (p.status !== 'active') throw new AppError('PROJECT.CLOSED');
    await checkTeam(tx, p.nodePath, b.members);
    const before = await projectDetail(tx, auth, id);
    const want = new Set(b.members.map((m) => `${m.staffId}:${m.role}`));
    const have = new Set(before.team.map((m) => `${m.staffId}:${m.role}`));
    for (const m of before.team)
      if (!want.has(`${m.staffId}:${m.role}`))
        await tx.execute(sql`UPDATE project_members SET left_at = ${now.toISOString()} WHERE project_id = ${id} AND staff_id = ${m.staffId} AND role = ${m.role} AND left_at IS NULL`);
    await writeTeam(
      tx,
      id,
      b.members.filter((m) => !have.has(`${m.staffId}:${m.role}`)),
      now,
    );
    const after = await projectDetail(tx, auth, id);
    await appendAudit(tx, actorOf(auth), {
      action: 'project.team',
      entity: 'project',
      entityId: id,
      nodeId: p.nodeId,
      before: { team: before.team },
      after: { team: after.team, reason: b.reason ?? null },
    });
    return after;
  });
}

/** Ends a project (project.manage): its history stays readable; nothing more can be planned in it. */
export async function closeProject(db: Db, auth: AuthContext, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const p = await loadProject(tx, auth, id, true);
    assertMayManage(auth, p);
    if (p.status !== 'active') throw new AppError('PROJECT.CLOSED');
    await tx.execute(sql`UPDATE projects SET status = 'closed', closed_at = ${now.toISOString()} WHERE id = ${id}`);
    await appendAudit(tx, actorOf(auth), { action: 'project.close', entity: 'project', entityId: id, nodeId: p.nodeId, before: { status: 'active' }, after: { status: 'closed' } });
    return projectDetail(tx, auth, id);
  });
}

export function presentProject(auth: AuthContext, p: ProjectRow) {
  return {
    id: p.id,
    nodeId: p.nodeId,
    nodeCode: p.nodeCode,
    nodeName: p.nodeName,
    companyId: p.companyId,
    companyName: p.companyName,
    name: p.name,
    phaseGoalId: p.phaseGoalId,
    coOutletNodeId: p.coOutletNodeId,
    coOutletCode: p.coOutletCode,
    coOutletName: p.coOutletName,
    status: p.status,
    createdAt: iso(p.createdAt),
    member: p.member,
    mayWork: mayWork(auth, p) && p.status === 'active',
    mayManage: canAt(auth, 'project.manage', p.nodePath),
  };
}

export async function teamOf(db: DbOrTx, projectId: number) {
  const team = await rows<{
    staffId: number;
    staffNo: string;
    name: string;
    role: MemberRole;
    departmentId: number | null;
    departmentCode: string | null;
    departmentName: string | null;
    nodeName: string;
    joinedAt: Date | string;
  }>(
    db,
    sql`SELECT m.staff_id AS "staffId", s.staff_no AS "staffNo", s.name, m.role, s.department_id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName",
               n.name AS "nodeName", m.joined_at AS "joinedAt"
          FROM project_members m JOIN staff s ON s.id = m.staff_id JOIN org_nodes n ON n.id = s.node_id LEFT JOIN departments d ON d.id = s.department_id
         WHERE m.project_id = ${projectId} AND m.left_at IS NULL
         ORDER BY array_position(ARRAY['leader','corporate_am','personal_am','product_manager','outlet_am'], m.role), s.staff_no`,
  );
  return team.map((m) => ({ ...m, joinedAt: iso(m.joinedAt) }));
}

export async function projectDetail(db: DbOrTx, auth: AuthContext, id: number) {
  const p = await loadProject(db, auth, id);
  return { ...presentProject(auth, p), team: await teamOf(db, id) };
}

/** The projects the caller reads, with their counts (team, activities, leads, points). */
export async function listProjects(db: DbOrTx, auth: AuthContext, q: z.infer<typeof ProjectQuery>) {
  const where = sql`${visibleProjects(auth)} ${q.status ? sql`AND p.status = ${q.status}` : sql``}
    ${q.q ? sql`AND (p.name LIKE ${`%${q.q}%`} OR c.name LIKE ${`%${q.q}%`})` : sql``}
    ${q.mine === 'true' ? sql`AND EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.staff_id = ${auth.staffId} AND m.left_at IS NULL)` : sql``}`;
  const [{ total }] = await rows<{ total: number }>(
    db,
    sql`SELECT count(*)::int AS total FROM projects p JOIN org_nodes n ON n.id = p.node_id JOIN org_nodes o ON o.id = p.co_outlet_node_id JOIN corporate_clients c ON c.id = p.company_id WHERE ${where}`,
  );
  const list = await rows<ProjectRow & { teamSize: number; activities: number; openLeads: number; wonLeads: number; pointsHundredths: number }>(
    db,
    sql`SELECT x.*,
               (SELECT count(DISTINCT m.staff_id)::int FROM project_members m WHERE m.project_id = x.id AND m.left_at IS NULL) AS "teamSize",
               (SELECT count(*)::int FROM activities a WHERE a.project_id = x.id AND a.status <> 'cancelled') AS activities,
               (SELECT count(*)::int FROM leads l WHERE l.project_id = x.id AND l.stage IN ('new', 'contacted', 'proposal')) AS "openLeads",
               (SELECT count(*)::int FROM leads l WHERE l.project_id = x.id AND l.stage = 'won') AS "wonLeads",
               (SELECT coalesce(sum(t.points_hundredths), 0)::float8 FROM statement_totals t WHERE t.node_id = x."nodeId" AND t.grain = 'J' AND t.k1 = x.id) AS "pointsHundredths"
          FROM (${projectSelect(auth)} WHERE ${where} ORDER BY p.status, p.created_at DESC, p.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}) x`,
  );
  return {
    items: list.map((r) => ({ ...presentProject(auth, r), teamSize: r.teamSize, activities: r.activities, openLeads: r.openLeads, wonLeads: r.wonLeads, pointsHundredths: r.pointsHundredths })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** The unit's people (company_people, current links), to invite; flagged when already invited to the activity. */
export async function unitPeople(db: DbOrTx, auth: AuthContext, id: number, q: z.infer<typeof UnitPeopleQuery>) {
  const p = await loadProject(db, auth, id);
  const list = await rows<{ personId: number; name: string; role: string; title: string | null; invited: boolean }>(
    db,
    sql`SELECT DISTINCT ON (i.id) i.id AS "personId", i.name, cp.role, cp.title,
               ${q.activityId ? sql`EXISTS (SELECT 1 FROM activity_invitees v WHERE v.activity_id = ${q.activityId} AND v.person_id = i.id)` : sql`false`} AS invited
          FROM company_people cp JOIN individuals i ON i.id = cp.person_id
         WHERE cp.company_id = ${p.companyId} AND (cp.until IS NULL OR cp.until >= CURRENT_DATE)
           ${q.q ? sql`AND i.name LIKE ${`%${q.q}%`}` : sql``}
         ORDER BY i.id LIMIT 500`,
  );
  return { items: list };
}

/** Units a project may be formed for: on the latest target lists of the branches the caller manages, flagged when a project is active. */
export async function candidates(db: DbOrTx, auth: AuthContext) {
  const items = await rows<{ companyId: number; name: string; nodeId: number; nodeName: string; activeProjectId: number | null }>(
    db,
    sql`SELECT DISTINCT ON (c.id, v.node_id) c.id AS "companyId", c.name, v.node_id AS "nodeId", n.name AS "nodeName",
               (SELECT p.id FROM projects p WHERE p.node_id = v.node_id AND p.company_id = c.id AND p.status = 'active') AS "activeProjectId"
          FROM target_list_versions v JOIN target_list_entries e ON e.version_id = v.id JOIN corporate_clients c ON c.id = e.company_id JOIN org_nodes n ON n.id = v.node_id
         WHERE ${inPaths(sql`n.path`, scopePaths(auth, 'project.manage'))}
           AND v.version_no = (SELECT max(v2.version_no) FROM target_list_versions v2 WHERE v2.node_id = v.node_id AND v2.department_id = v.department_id)
         ORDER BY c.id, v.node_id LIMIT 2000`,
  );
  return { items };
}
