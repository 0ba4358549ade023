import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { committeeMembers, departments, orgNodes, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt, scopePaths } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { branchOf, getNodeOr404, inPaths, type OrgNode } from './org.queries.js';
import { childPath, holdsDepartments, opensStandardDepartments, parentLevelOf } from './org.rules.js';
import { addStandardDepartments } from './standard-departments.js';
import type { CreateDepartmentBody, CreateNodeBody, PutCommitteeBody, UpdateDepartmentBody, UpdateNodeBody } from './org.schemas.js';
import { clock } from '../../calendar/index.js';

const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });
const staffCountSql = sql<number>`(SELECT count(*)::int FROM staff s WHERE s.node_id = org_nodes.id)`;

/** Every node in the caller's `org.read` scope, in tree order. */
export async function listNodes(db: Db, auth: AuthContext) {
  return db
    .select({
      id: orgNodes.id,
      code: orgNodes.code,
      name: orgNodes.name,
      level: orgNodes.level,
      parentId: orgNodes.parentId,
      path: orgNodes.path,
      address: orgNodes.address,
      sort: orgNodes.sort,
      active: orgNodes.active,
      staffCount: staffCountSql,
    })
    .from(orgNodes)
    .where(inPaths(orgNodes.path, scopePaths(auth, 'org.read')))
    .orderBy(asc(orgNodes.sort), asc(orgNodes.id));
}

export async function nodeDetail(db: Db, auth: AuthContext, id: number) {
  const node = await getNodeOr404(db, id);
  assertCanAt(auth, 'org.read', node.path);
  const [{ n }] = await db.select({ n: count() }).from(staff).where(eq(staff.nodeId, id));
  return {
    ...node,
    staffCount: n,
    departments: holdsDepartments(node.level) ? await listDepartments(db, id) : [],
    committee: holdsDepartments(node.level) ? await listCommittee(db, id) : [],
  };
}

export async function listDepartments(db: DbOrTx, nodeId: number) {
  return db
    .select({
      id: departments.id,
      nodeId: departments.nodeId,
      code: departments.code,
      name: departments.name,
      kind: departments.kind,
      committeeOffice: departments.committeeOffice,
      active: departments.active,
      staffCount: sql<number>`(SELECT count(*)::int FROM staff s WHERE s.department_id = departments.id)`,
    })
    .from(departments)
    .where(eq(departments.nodeId, nodeId))
    .orderBy(asc(departments.id));
}

/** Departments visible to the caller: of one node, or of every branch in scope. */
export async function departmentsInScope(db: Db, auth: AuthContext, nodeId?: number) {
  if (nodeId !== undefined) {
    const node = await getNodeOr404(db, nodeId);
    assertCanAt(auth, 'org.read', node.path);
    return listDepartments(db, (await branchOf(db, node)).id);
  }
  const nodes = await db
    .select({ id: orgNodes.id })
    .from(orgNodes)
    .where(and(inPaths(orgNodes.path, scopePaths(auth, 'org.read')), inArray(orgNodes.level, ['head', 'province', 'branch'])));
  if (nodes.length === 0) return [];
  const all = await Promise.all(nodes.map((n) => listDepartments(db, n.id)));
  return all.flat();
}

export async function listCommittee(db: DbOrTx, nodeId: number) {
  return db
    .select({
      staffId: staff.id,
      staffNo: staff.staffNo,
      name: staff.name,
      position: committeeMembers.position,
      departmentName: departments.name,
    })
    .from(committeeMembers)
    .innerJoin(staff, eq(staff.id, committeeMembers.staffId))
    .leftJoin(departments, eq(departments.id, staff.departmentId))
    .where(eq(committeeMembers.nodeId, nodeId))
    .orderBy(sql`CASE ${committeeMembers.position} WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'member' THEN 2 ELSE 3 END`, asc(staff.staffNo));
}

async function assertCodeFree(tx: DbOrTx, code: string, exceptId?: number) {
  const clash = await tx
    .select({ id: orgNodes.id })
    .from(orgNodes)
    .where(exceptId ? and(eq(orgNodes.code, code), ne(orgNodes.id, exceptId)) : eq(orgNodes.code, code))
    .limit(1);
  if (clash.length) throw new AppError('ORG.CODE_TAKEN', { code });
}

/** Opens a node under a parent in the caller's scope; its level must be the parent's next level. */
export async function createNode(db: Db, auth: AuthContext, body: z.infer<typeof CreateNodeBody>) {
  const parent = await getNodeOr404(db, body.parentId);
  assertCanAt(auth, 'org.write', parent.path);
  if (parentLevelOf(body.level) !== parent.level) throw new AppError('ORG.BAD_PARENT', { parentLevel: parent.level, level: body.level });
  return db.transaction(async (tx) => {
    await assertCodeFree(tx, body.code);
    const [created] = await tx
      .insert(orgNodes)
      .values({ code: body.code, name: body.name, level: body.level, parentId: parent.id, path: '', address: body.address ?? null, sort: body.sort ?? 0 })
      .returning();
    const [node] = await tx
      .update(orgNodes)
      .set({ path: childPath(parent.path, created.id) })
      .where(eq(orgNodes.id, created.id))
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'org.create', entity: 'org_node', entityId: node.id, nodeId: node.id, after: auditable(node) });
    // A new 省分行 / 二级分行 opens with the standard departments (as the demo bank's branches have).
    if (opensStandardDepartments(node.level)) await auditDepartments(tx, auth, node.id, await addStandardDepartments(tx, node.id));
    return { ...node, staffCount: 0 };
  });
}

async function auditDepartments(tx: DbOrTx, auth: AuthContext, nodeId: number, opened: (typeof departments.$inferSelect)[]) {
  const entries = opened.map((d) => ({
    action: 'department.create',
    entity: 'department',
    entityId: d.id,
    nodeId,
    after: { nodeId, code: d.code, name: d.name, kind: d.kind, committeeOffice: d.committeeOffice },
  }));
  if (entries.length) await appendAudit(tx, actorOf(auth), entries);
}

function auditable(n: OrgNode) {
  return { code: n.code, name: n.name, level: n.level, parentId: n.parentId, address: n.address, sort: n.sort, active: n.active };
}

export async function updateNode(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateNodeBody>) {
  const before = await getNodeOr404(db, id);
  assertCanAt(auth, 'org.write', before.path);
  return db.transaction(async (tx) => {
    if (body.code && body.code !== before.code) await assertCodeFree(tx, body.code, id);
    const [after] = await tx
      .update(orgNodes)
      .set({ ...body, address: body.address === undefined ? before.address : body.address, updatedAt: clock.now() })
      .where(eq(orgNodes.id, id))
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'org.update', entity: 'org_node', entityId: id, nodeId: id, before: auditable(before), after: auditable(after) });
    const [{ n }] = await tx.select({ n: count() }).from(staff).where(eq(staff.nodeId, id));
    return { ...after, staffCount: n };
  });
}

/** Removes an empty node (no children, no staff); its unused departments go with it. */
export async function deleteNode(db: Db, auth: AuthContext, id: number) {
  const node = await getNodeOr404(db, id);
  assertCanAt(auth, 'org.write', node.path);
  if (node.parentId === null) throw new AppError('ORG.HAS_CHILDREN');
  const parentId = node.parentId;
  await db.transaction(async (tx) => {
    const [{ children }] = await tx.select({ children: count() }).from(orgNodes).where(eq(orgNodes.parentId, id));
    const [{ people }] = await tx.select({ people: count() }).from(staff).where(eq(staff.nodeId, id));
    const [{ grants }] = await tx
      .select({ grants: sql<number>`count(*)::int` })
      .from(sql`staff_roles`)
      .where(sql`scope_node_id = ${id}`);
    if (children > 0 || people > 0 || grants > 0) throw new AppError('ORG.HAS_CHILDREN', { children, staff: people, roleGrants: grants });
    await tx.delete(committeeMembers).where(eq(committeeMembers.nodeId, id));
    await tx.delete(departments).where(eq(departments.nodeId, id));
    await tx.delete(orgNodes).where(eq(orgNodes.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'org.delete', entity: 'org_node', entityId: id, nodeId: parentId, before: auditable(node) });
  });
}

async function getDepartmentOr404(db: DbOrTx, id: number) {
  const [d] = await db.select().from(departments).where(eq(departments.id, id)).limit(1);
  if (!d) throw new AppError('DEPT.NOT_FOUND');
  return d;
}

async function assertDeptCodeFree(tx: DbOrTx, nodeId: number, code: string, exceptId?: number) {
  const clash = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.nodeId, nodeId), eq(departments.code, code), exceptId ? ne(departments.id, exceptId) : undefined))
    .limit(1);
  if (clash.length) throw new AppError('DEPT.CODE_TAKEN', { code });
}

export async function createDepartment(db: Db, auth: AuthContext, body: z.infer<typeof CreateDepartmentBody>) {
  const node = await getNodeOr404(db, body.nodeId);
  assertCanAt(auth, 'org.write', node.path);
  if (!holdsDepartments(node.level)) throw new AppError('DEPT.NOT_A_BRANCH');
  return db.transaction(async (tx) => {
    await assertDeptCodeFree(tx, node.id, body.code);
    const [d] = await tx
      .insert(departments)
      .values({ ...body, committeeOffice: body.committeeOffice ?? false })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'department.create', entity: 'department', entityId: d.id, nodeId: node.id, after: body });
    return { ...d, staffCount: 0 };
  });
}

export async function updateDepartment(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateDepartmentBody>) {
  const before = await getDepartmentOr404(db, id);
  const node = await getNodeOr404(db, before.nodeId);
  assertCanAt(auth, 'org.write', node.path);
  return db.transaction(async (tx) => {
    if (body.code && body.code !== before.code) await assertDeptCodeFree(tx, node.id, body.code, id);
    const [after] = await tx
      .update(departments)
      .set({ ...body, updatedAt: clock.now() })
      .where(eq(departments.id, id))
      .returning();
    const pick = (d: typeof after) => ({ code: d.code, name: d.name, kind: d.kind, committeeOffice: d.committeeOffice, active: d.active });
    await appendAudit(tx, actorOf(auth), { action: 'department.update', entity: 'department', entityId: id, nodeId: node.id, before: pick(before), after: pick(after) });
    const [{ n }] = await tx.select({ n: count() }).from(staff).where(eq(staff.departmentId, id));
    return { ...after, staffCount: n };
  });
}

export async function deleteDepartment(db: Db, auth: AuthContext, id: number) {
  const dept = await getDepartmentOr404(db, id);
  const node = await getNodeOr404(db, dept.nodeId);
  assertCanAt(auth, 'org.write', node.path);
  await db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(staff).where(eq(staff.departmentId, id));
    if (n > 0) throw new AppError('DEPT.IN_USE', { staff: n });
    // Sales name departments without a per-row foreign key (decision 0013); the database still
    // refuses the delete, this says why in words.
    const [{ used }] = await rows<{ used: boolean }>(
      tx,
      sql`SELECT EXISTS (SELECT 1 FROM sales WHERE host_department_id = ${id}) OR EXISTS (SELECT 1 FROM sale_departments WHERE department_id = ${id})
             OR EXISTS (SELECT 1 FROM sale_people WHERE department_id = ${id}) AS used`,
    );
    if (used) throw new AppError('DEPT.IN_USE', { sales: true });
    await tx.delete(departments).where(eq(departments.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'department.delete', entity: 'department', entityId: id, nodeId: node.id, before: { code: dept.code, name: dept.name, kind: dept.kind } });
  });
}

export async function committeeOf(db: Db, auth: AuthContext, nodeId: number) {
  const node = await getNodeOr404(db, nodeId);
  assertCanAt(auth, 'org.read', node.path);
  return listCommittee(db, nodeId);
}

/** Replaces a branch committee's membership (SPEC §1): members must work inside that branch. */
export async function replaceCommittee(db: Db, auth: AuthContext, nodeId: number, body: z.infer<typeof PutCommitteeBody>) {
  const node = await getNodeOr404(db, nodeId);
  assertCanAt(auth, 'committee.write', node.path);
  if (!holdsDepartments(node.level)) throw new AppError('COMMITTEE.NOT_A_BRANCH');
  const ids = [...new Set(body.members.map((m) => m.staffId))];
  if (ids.length !== body.members.length) throw new AppError('REQUEST.INVALID', { members: 'duplicate staffId' });
  if (ids.length > 0) {
    const found = await db.select({ id: staff.id, path: orgNodes.path }).from(staff).innerJoin(orgNodes, eq(orgNodes.id, staff.nodeId)).where(inArray(staff.id, ids));
    const outside = ids.filter((id) => !found.some((f) => f.id === id && f.path.startsWith(node.path)));
    if (outside.length) throw new AppError('STAFF.NOT_FOUND', { staffIds: outside });
  }
  return db.transaction(async (tx) => {
    const before = await listCommittee(tx, nodeId);
    await tx.delete(committeeMembers).where(eq(committeeMembers.nodeId, nodeId));
    if (body.members.length) await tx.insert(committeeMembers).values(body.members.map((m) => ({ nodeId, ...m })));
    const after = await listCommittee(tx, nodeId);
    const brief = (l: typeof after) => l.map((m) => ({ staffId: m.staffId, name: m.name, position: m.position }));
    await appendAudit(tx, actorOf(auth), { action: 'committee.replace', entity: 'committee', entityId: nodeId, nodeId, before: brief(before), after: brief(after) });
    return after;
  });
}
