import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt, scopePaths } from '../access/context.js';

/**
 * Who reaches a project (issue 13). A project belongs to a branch (node_id) and names one
 * co-organising outlet; its team may sit anywhere in the branch.
 * - Reading: project.read over the branch or over the co-organising outlet, or being on the team.
 * - Working (activities, invitations, check-in, plans, hand-overs): an active team member holding
 *   project.work anywhere, or project.work / project.manage over the project's branch.
 * - Managing (the team itself, closing): project.manage over the branch.
 * A refusal never says more than the id the caller sent (issue 10, finding 11).
 */
export interface ProjectRow {
  id: number;
  nodeId: number;
  nodePath: string;
  nodeCode: string;
  nodeName: string;
  companyId: number;
  companyName: string;
  name: string;
  phaseGoalId: number | null;
  coOutletNodeId: number;
  coOutletName: string;
  coOutletCode: string;
  coOutletPath: string;
  status: 'active' | 'closed';
  createdAt: Date | string;
  closedAt: Date | string | null;
  member: boolean;
}

const memberOf = (auth: AuthContext, project: SQL) => sql`EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = ${project} AND m.staff_id = ${auth.staffId} AND m.left_at IS NULL)`;

/** The projects the caller reads (alias p, branch n, outlet o). */
export function visibleProjects(auth: AuthContext): SQL {
  const paths = scopePaths(auth, 'project.read');
  return sql`(${inPaths(sql`n.path`, paths)} OR ${inPaths(sql`o.path`, paths)} OR ${memberOf(auth, sql`p.id`)})`;
}

export const projectSelect = (auth: AuthContext) => sql`SELECT p.id, p.node_id AS "nodeId", n.path AS "nodePath", n.code AS "nodeCode", n.name AS "nodeName",
       p.company_id AS "companyId", c.name AS "companyName", p.name, p.phase_goal_id AS "phaseGoalId",
       p.co_outlet_node_id AS "coOutletNodeId", o.name AS "coOutletName", o.code AS "coOutletCode", o.path AS "coOutletPath",
       p.status, p.created_at AS "createdAt", p.closed_at AS "closedAt", ${memberOf(auth, sql`p.id`)} AS member
  FROM projects p JOIN org_nodes n ON n.id = p.node_id JOIN org_nodes o ON o.id = p.co_outlet_node_id
  JOIN corporate_clients c ON c.id = p.company_id`;

export async function loadProject(db: DbOrTx, auth: AuthContext, id: number, lock = false): Promise<ProjectRow> {
  const [r] = await rows<ProjectRow>(db, sql`${projectSelect(auth)} WHERE p.id = ${id} AND ${visibleProjects(auth)} ${lock ? sql`FOR UPDATE OF p` : sql``}`);
  if (!r) throw new AppError('PROJECT.NOT_FOUND', { id });
  return r;
}

export function mayWork(auth: AuthContext, p: ProjectRow): boolean {
  if (canAt(auth, 'project.manage', p.nodePath) || canAt(auth, 'project.work', p.nodePath)) return true;
  return p.member && auth.grants.some((g) => g.permissions.has('project.work'));
}

/** A team member with project.work, or project.work / project.manage over the branch; an open project. */
export function assertMayWork(auth: AuthContext, p: ProjectRow, open = true): void {
  if (!mayWork(auth, p)) throw new AppError('PROJECT.NOT_TEAM');
  if (open && p.status !== 'active') throw new AppError('PROJECT.CLOSED');
}

export function assertMayManage(auth: AuthContext, p: ProjectRow): void {
  if (!canAt(auth, 'project.manage', p.nodePath)) throw new AppError('AUTH.OUT_OF_SCOPE');
}
