import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import { type AuthContext, assertBankWide, scopePaths } from '../access/context.js';

/**
 * Who reaches whom in VIP work (SPEC §5, issue 13). A person is screened, registered and served
 * through a project: they are an invitee (attendees included) or the client of a lead of a project
 * whose branch — or co-organising outlet — is in the caller's scope for the permission. An account
 * manager is assigned only from the caller's scope. Tiers are bank-wide: vip.configure at the root.
 * A refusal says no more than the ids the caller sent.
 */

/** The projects in scope for `perm` (alias pr: id, name, node_id, branch name). */
export function projectsInScope(auth: AuthContext, perm: Permission, projectId?: number): SQL {
  const paths = scopePaths(auth, perm);
  return sql`SELECT p.id, p.name, p.node_id, n.name AS node_name FROM projects p JOIN org_nodes n ON n.id = p.node_id JOIN org_nodes o ON o.id = p.co_outlet_node_id
              WHERE (${inPaths(sql`n.path`, paths)} OR ${inPaths(sql`o.path`, paths)}) ${projectId ? sql`AND p.id = ${projectId}` : sql``}`;
}

/** (project_id, person_id) of everyone reached by the projects in scope: invitees and lead clients. */
export function reachedPeople(auth: AuthContext, perm: Permission, projectId?: number): SQL {
  const pr = projectsInScope(auth, perm, projectId);
  return sql`SELECT a.project_id, v.person_id FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id IN (SELECT id FROM (${pr}) s)
             UNION SELECT l.project_id, l.person_id FROM leads l WHERE l.person_id IS NOT NULL AND l.project_id IN (SELECT id FROM (${pr}) s)`;
}

/** The person was reached by the project, which is in the caller's scope; its branch for the record. */
export async function assertReached(db: DbOrTx, auth: AuthContext, personId: number, projectId: number): Promise<{ nodeId: number; projectName: string }> {
  const [hit] = await rows<{ nodeId: number; projectName: string }>(
    db,
    sql`SELECT p.node_id AS "nodeId", p.name AS "projectName" FROM (${projectsInScope(auth, 'vip.manage', projectId)}) p
         WHERE EXISTS (SELECT 1 FROM (${reachedPeople(auth, 'vip.manage', projectId)}) r WHERE r.person_id = ${personId})`,
  );
  if (!hit) throw new AppError('VIP.PERSON_NOT_REACHED', { personId, projectId });
  return hit;
}

/** Registrations the caller reads: of a project in scope for `perm`. */
export const registrationsInScope = (auth: AuthContext, perm: Permission): SQL => sql`r.project_id IN (SELECT id FROM (${projectsInScope(auth, perm)}) s)`;

/** An active account manager whose node is in the caller's vip.manage scope. */
export async function assertAmInScope(db: DbOrTx, auth: AuthContext, staffId: number): Promise<{ id: number; name: string; nodeId: number }> {
  const [am] = await rows<{ id: number; name: string; nodeId: number }>(
    db,
    sql`SELECT s.id, s.name, s.node_id AS "nodeId" FROM staff s JOIN org_nodes n ON n.id = s.node_id
         WHERE s.id = ${staffId} AND s.active AND ${inPaths(sql`n.path`, scopePaths(auth, 'vip.manage'))}`,
  );
  if (!am) throw new AppError('VIP.AM_NOT_FOUND', { staffId });
  return am;
}

/** Tier configuration changes every branch: vip.configure held at the root (head office or province). */
export const assertTierWriter = (auth: AuthContext): void => assertBankWide(auth, 'vip.configure');
