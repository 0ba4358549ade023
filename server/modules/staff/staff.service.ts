import { and, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { likeContains } from '../../db/like.js';
import { orgNodes, roles, staff, staffRoles } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt, canAt, scopePaths } from '../access/context.js';
import { assertReference } from '../access/references.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { resetPassword } from '../auth/auth.service.js';
import { branchOf, getNodeOr404, inPaths } from '../org/org.queries.js';
import { recountCompletion } from '../quotas/completion.js';
import { maskPhone } from './staff.presenter.js';
import type { CreateStaffBody, PutRolesBody, StaffFilter, UpdateStaffBody } from './staff.schemas.js';
import { clock } from '../../calendar/index.js';

const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });

function filterSql(auth: AuthContext, f: Partial<StaffFilter>, subtreePath?: string): SQL {
  const conds: (SQL | undefined)[] = [inPaths(orgNodes.path, scopePaths(auth, 'staff.read'))];
  if (subtreePath) conds.push(sql`${orgNodes.path} LIKE ${`${subtreePath}%`}`);
  if (f.q) {
    const like = likeContains(f.q);
    conds.push(or(ilike(staff.staffNo, like), ilike(staff.name, like)));
  }
  if (f.departmentId) conds.push(eq(staff.departmentId, f.departmentId));
  if (f.active !== undefined) conds.push(eq(staff.active, f.active));
  if (f.role) conds.push(sql`EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = ${staff.id} AND r.role_code = ${f.role})`);
  return and(...conds)!;
}

interface Row {
  id: number;
  staffNo: string;
  name: string;
  nodeId: number;
  nodeName: string;
  nodePath: string;
  departmentId: number | null;
  departmentName: string | null;
  title: string | null;
  phone: string | null;
  email: string | null;
  active: boolean;
  lastLoginAt: Date | null;
  lockedUntil: Date | null;
  roles: { role: string; roleZh: string; roleEn: string; scopeNodeId: number; scopeName: string }[];
}

/**
 * Staff rows with their roles in one statement. Hand-written SQL: this is the hot read path of the
 * console and the query builder cost more than the query (bench: staffPage).
 */
async function queryStaff(db: DbOrTx, where: SQL, page?: { limit: number; offset: number; withTotal?: boolean }): Promise<(Row & { total?: number })[]> {
  const list = await rows<Row & { roles: Row['roles'] | string; total?: number }>(
    db,
    // The page is cut first, so roles are gathered for its rows only.
    sql`WITH page AS (
          SELECT staff.id, staff.staff_no AS "staffNo", staff.name, staff.node_id AS "nodeId", org_nodes.name AS "nodeName",
                 org_nodes.path AS "nodePath", staff.department_id AS "departmentId", departments.name AS "departmentName",
                 staff.title, staff.phone, staff.email, staff.active, staff.last_login_at AS "lastLoginAt",
                 staff.locked_until AS "lockedUntil"
          FROM staff JOIN org_nodes ON org_nodes.id = staff.node_id LEFT JOIN departments ON departments.id = staff.department_id
          WHERE ${where}
          ORDER BY staff.staff_no
          ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``})
        SELECT page.*,
          COALESCE((SELECT json_agg(json_build_object('role', r.role_code, 'roleZh', ro.name_zh, 'roleEn', ro.name_en,
                                                      'scopeNodeId', r.scope_node_id, 'scopeName', sn.name) ORDER BY ro.sort, r.id)
                    FROM staff_roles r JOIN roles ro ON ro.code = r.role_code JOIN org_nodes sn ON sn.id = r.scope_node_id
                    WHERE r.staff_id = page.id), '[]'::json) AS roles
          ${page?.withTotal ? sql`, (SELECT count(*)::int FROM staff JOIN org_nodes ON org_nodes.id = staff.node_id WHERE ${where}) AS total` : sql``}
        FROM page ORDER BY page."staffNo"`,
  );
  return list.map((r) => ({
    ...r,
    lastLoginAt: r.lastLoginAt ? new Date(r.lastLoginAt) : null,
    lockedUntil: r.lockedUntil ? new Date(r.lockedUntil) : null,
    roles: typeof r.roles === 'string' ? JSON.parse(r.roles) : r.roles,
  }));
}

/** What leaves the server: the phone masked unless the caller manages staff in that branch. */
function present(auth: AuthContext, list: Row[]) {
  return list.map(({ nodePath, ...r }) => ({ ...r, phone: canAt(auth, 'staff.write', nodePath) ? r.phone : maskPhone(r.phone) }));
}

async function subtreeOf(db: Db, auth: AuthContext, nodeId?: number): Promise<string | undefined> {
  if (!nodeId) return undefined;
  const node = await getNodeOr404(db, nodeId);
  assertCanAt(auth, 'staff.read', node.path);
  return node.path;
}

/** One page of staff in the caller's scope, filtered. */
export async function listStaff(db: Db, auth: AuthContext, f: StaffFilter) {
  const where = filterSql(auth, f, await subtreeOf(db, auth, f.nodeId));
  // The total rides along with the page (one round trip); only a page past the end asks again.
  const page = await queryStaff(db, where, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize, withTotal: true });
  const total = page[0]?.total ?? (await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM staff JOIN org_nodes ON org_nodes.id = staff.node_id WHERE ${where}`))[0].total;
  return {
    items: present(
      auth,
      page.map(({ total: _t, ...r }) => r),
    ),
    total: Number(total),
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** Every matching row (for export), in batches. */
export async function* allStaff(db: Db, auth: AuthContext, f: Partial<StaffFilter>) {
  const where = filterSql(auth, f, await subtreeOf(db, auth, f.nodeId));
  for (let offset = 0; ; offset += 2000) {
    const page = await queryStaff(db, where, { limit: 2000, offset });
    for (const r of present(auth, page)) yield r;
    if (page.length < 2000) return;
  }
}

async function getRow(db: DbOrTx, id: number) {
  const [r] = await queryStaff(db, eq(staff.id, id));
  if (!r) throw new AppError('STAFF.NOT_FOUND');
  return r;
}

export async function getStaff(db: Db, auth: AuthContext, id: number) {
  const r = await getRow(db, id);
  assertCanAt(auth, 'staff.read', r.nodePath);
  return present(auth, [r])[0];
}

/**
 * The department must be one the caller reads (finding 11: another branch's is refused without a
 * word about it) and belong to the branch the node sits in (departments live at branch level).
 */
async function assertDepartmentFits(db: DbOrTx, auth: AuthContext, nodeId: number, departmentId: number | null | undefined) {
  if (!departmentId) return;
  const d = await assertReference(db, auth, 'department', departmentId, { notFound: 'DEPT.NOT_FOUND', details: { departmentId } });
  const branch = await branchOf(db, await getNodeOr404(db, nodeId));
  if (d.nodeId !== branch.id) throw new AppError('STAFF.DEPT_MISMATCH', { departmentId, branchId: branch.id });
}

const auditable = (r: Row) => ({
  staffNo: r.staffNo,
  name: r.name,
  nodeId: r.nodeId,
  departmentId: r.departmentId,
  title: r.title,
  phone: maskPhone(r.phone),
  email: r.email,
  active: r.active,
});

export async function createStaff(db: Db, auth: AuthContext, body: z.infer<typeof CreateStaffBody>) {
  const node = await getNodeOr404(db, body.nodeId);
  assertCanAt(auth, 'staff.write', node.path);
  await assertDepartmentFits(db, auth, body.nodeId, body.departmentId);
  return db.transaction(async (tx) => {
    const clash = await tx.select({ id: staff.id }).from(staff).where(eq(staff.staffNo, body.staffNo)).limit(1);
    if (clash.length) throw new AppError('STAFF.NO_TAKEN', { staffNo: body.staffNo });
    const [created] = await tx
      .insert(staff)
      .values({ ...body, departmentId: body.departmentId ?? null, mustChangePassword: true })
      .returning({ id: staff.id });
    await tx.insert(staffRoles).values({ staffId: created.id, roleCode: 'staff', scopeNodeId: node.id });
    const row = await getRow(tx, created.id);
    await appendAudit(tx, actorOf(auth), { action: 'staff.create', entity: 'staff', entityId: created.id, nodeId: node.id, after: auditable(row) });
    return present(auth, [row])[0];
  });
}

export async function updateStaff(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateStaffBody>) {
  const before = await getRow(db, id);
  assertCanAt(auth, 'staff.write', before.nodePath);
  const nodeId = body.nodeId ?? before.nodeId;
  if (body.nodeId && body.nodeId !== before.nodeId) assertCanAt(auth, 'staff.write', (await getNodeOr404(db, body.nodeId)).path);
  const departmentId = body.departmentId === undefined ? before.departmentId : body.departmentId;
  await assertDepartmentFits(db, auth, nodeId, departmentId);
  return db.transaction(async (tx) => {
    const write = () =>
      tx
        .update(staff)
        .set({ ...body, departmentId, updatedAt: clock.now() })
        .where(eq(staff.id, id));
    // A move changes which outlets the person's counted sales complete (decision 0018).
    if (nodeId !== before.nodeId) await recountCompletion(tx, sql`SELECT sale_id FROM sale_people WHERE staff_id = ${id}`, write);
    else await write();
    if (body.active === false) await tx.execute(sql`DELETE FROM sessions WHERE staff_id = ${id}`);
    const after = await getRow(tx, id);
    await appendAudit(tx, actorOf(auth), { action: 'staff.update', entity: 'staff', entityId: id, nodeId: after.nodeId, before: auditable(before), after: auditable(after) });
    return present(auth, [after])[0];
  });
}

/**
 * Replaces a person's roles. The grantor needs `role.assign` over the person and over every
 * scope granted, so nobody can hand out more than they hold.
 */
export async function replaceRoles(db: Db, auth: AuthContext, id: number, body: z.infer<typeof PutRolesBody>) {
  const person = await getRow(db, id);
  assertCanAt(auth, 'role.assign', person.nodePath);
  const known = new Set((await db.select({ code: roles.code }).from(roles)).map((r) => r.code));
  const unknown = body.roles.filter((r) => !known.has(r.role)).map((r) => r.role);
  if (unknown.length) throw new AppError('ROLE.UNKNOWN', { roles: unknown });
  const scopeIds = [...new Set(body.roles.map((r) => r.scopeNodeId))];
  const scopes = scopeIds.length ? await db.select({ id: orgNodes.id, path: orgNodes.path }).from(orgNodes).where(inArray(orgNodes.id, scopeIds)) : [];
  for (const sid of scopeIds) {
    const s = scopes.find((x) => x.id === sid);
    if (!s) throw new AppError('ORG.NOT_FOUND', { nodeId: sid });
    if (!canAt(auth, 'role.assign', s.path)) throw new AppError('ROLE.SCOPE_TOO_WIDE', { nodeId: sid });
  }
  const unique = [...new Map(body.roles.map((r) => [`${r.role}@${r.scopeNodeId}`, r])).values()];
  return db.transaction(async (tx) => {
    const before = await tx.select({ role: staffRoles.roleCode, scopeNodeId: staffRoles.scopeNodeId }).from(staffRoles).where(eq(staffRoles.staffId, id));
    await tx.delete(staffRoles).where(eq(staffRoles.staffId, id));
    if (unique.length) await tx.insert(staffRoles).values(unique.map((r) => ({ staffId: id, roleCode: r.role, scopeNodeId: r.scopeNodeId })));
    const sortKey = (l: { role: string; scopeNodeId: number }[]) => [...l].sort((a, b) => `${a.role}@${a.scopeNodeId}`.localeCompare(`${b.role}@${b.scopeNodeId}`));
    await appendAudit(tx, actorOf(auth), {
      action: 'staff.roles',
      entity: 'staff',
      entityId: id,
      nodeId: person.nodeId,
      before: sortKey(before),
      after: sortKey(unique.map((r) => ({ role: r.role, scopeNodeId: r.scopeNodeId }))),
    });
    return present(auth, [await getRow(tx, id)])[0];
  });
}

export async function adminResetPassword(db: Db, auth: AuthContext, id: number, temporary: string) {
  const person = await getRow(db, id);
  assertCanAt(auth, 'staff.reset_password', person.nodePath);
  await resetPassword(db, actorOf(auth), id, temporary);
}

export async function unlockStaff(db: Db, auth: AuthContext, id: number) {
  const person = await getRow(db, id);
  assertCanAt(auth, 'staff.reset_password', person.nodePath);
  await db.transaction(async (tx) => {
    await tx.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'auth.unlock', entity: 'staff', entityId: id, nodeId: person.nodeId, before: { lockedUntil: person.lockedUntil } });
  });
}
