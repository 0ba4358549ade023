import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { companyLinks, companyPeople } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { assertReference } from '../access/references.js';
import { appendAudit } from '../audit/audit.service.js';
import { actorOf, assertCustomerAt } from './customers.policy.js';
import { isoDate } from './customers.presenter.js';
import type { CreateGroupLinkBody, CreatePersonLinkBody, UpdateGroupLinkBody, UpdatePersonLinkBody } from './customers.schemas.js';

/** Relationships (SPEC §2): company ↔ person with a role and dates; company ↔ company (group). */

async function companyPath(db: DbOrTx, id: number): Promise<{ path: string; nodeId: number }> {
  const [r] = await rows<{ path: string; nodeId: number }>(db, sql`SELECT n.path, c.node_id AS "nodeId" FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE c.id = ${id}`);
  if (!r) throw new AppError('CUSTOMER.NOT_FOUND', { companyId: id });
  return r;
}

function assertDates(since: string | null | undefined, until: string | null | undefined) {
  if (since && until && until < since) throw new AppError('CUSTOMER.BAD_DATES', { since, until });
}

type PersonLink = typeof companyPeople.$inferSelect;
const presentPersonLink = (l: PersonLink) => ({ id: l.id, companyId: l.companyId, personId: l.personId, role: l.role, title: l.title, since: isoDate(l.since), until: isoDate(l.until) });

/** Links a person to a company: write on the company's node, read on the person's. */
export async function createPersonLink(db: Db, auth: AuthContext, body: z.infer<typeof CreatePersonLinkBody>) {
  const company = await companyPath(db, body.companyId);
  assertCustomerAt(auth, 'customer.write', company.path);
  // The person is named, not written: they must be a client the caller reads (finding 11).
  await assertReference(db, auth, 'individual', body.personId, { notFound: 'CUSTOMER.NOT_FOUND', details: { personId: body.personId } });
  assertDates(body.since, body.until);
  return db.transaction(async (tx) => {
    const clash = await tx
      .select({ id: companyPeople.id })
      .from(companyPeople)
      .where(and(eq(companyPeople.companyId, body.companyId), eq(companyPeople.personId, body.personId), eq(companyPeople.role, body.role)))
      .limit(1);
    if (clash.length) throw new AppError('CUSTOMER.LINK_EXISTS', { linkId: clash[0].id });
    const [l] = await tx
      .insert(companyPeople)
      .values({ companyId: body.companyId, personId: body.personId, role: body.role, title: body.title ?? null, since: body.since ?? null, until: body.until ?? null })
      .returning();
    const out = presentPersonLink(l);
    await appendAudit(tx, actorOf(auth), { action: 'customer.link.create', entity: 'company_person', entityId: l.id, nodeId: company.nodeId, after: out });
    return out;
  });
}

async function personLinkOr404(db: DbOrTx, id: number): Promise<PersonLink> {
  const [l] = await db.select().from(companyPeople).where(eq(companyPeople.id, id)).limit(1);
  if (!l) throw new AppError('CUSTOMER.LINK_NOT_FOUND', { linkId: id });
  return l;
}

export async function updatePersonLink(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdatePersonLinkBody>) {
  const before = await personLinkOr404(db, id);
  const company = await companyPath(db, before.companyId);
  assertCustomerAt(auth, 'customer.write', company.path);
  const next = {
    role: body.role ?? before.role,
    title: body.title === undefined ? before.title : body.title,
    since: body.since === undefined ? isoDate(before.since) : body.since,
    until: body.until === undefined ? isoDate(before.until) : body.until,
  };
  assertDates(next.since, next.until);
  return db.transaction(async (tx) => {
    if (next.role !== before.role) {
      const clash = await tx
        .select({ id: companyPeople.id })
        .from(companyPeople)
        .where(and(eq(companyPeople.companyId, before.companyId), eq(companyPeople.personId, before.personId), eq(companyPeople.role, next.role)))
        .limit(1);
      if (clash.length) throw new AppError('CUSTOMER.LINK_EXISTS', { linkId: clash[0].id });
    }
    const [after] = await tx.update(companyPeople).set(next).where(eq(companyPeople.id, id)).returning();
    const out = presentPersonLink(after);
    await appendAudit(tx, actorOf(auth), { action: 'customer.link.update', entity: 'company_person', entityId: id, nodeId: company.nodeId, before: presentPersonLink(before), after: out });
    return out;
  });
}

export async function deletePersonLink(db: Db, auth: AuthContext, id: number) {
  const before = await personLinkOr404(db, id);
  const company = await companyPath(db, before.companyId);
  assertCustomerAt(auth, 'customer.write', company.path);
  await db.transaction(async (tx) => {
    await tx.delete(companyPeople).where(eq(companyPeople.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'customer.link.delete', entity: 'company_person', entityId: id, nodeId: company.nodeId, before: presentPersonLink(before) });
  });
}

// ---- group links ------------------------------------------------------------------------------

type GroupLink = typeof companyLinks.$inferSelect;
const presentGroupLink = (l: GroupLink) => ({ id: l.id, parentId: l.parentId, childId: l.childId, since: isoDate(l.since) });

/** Parent → child; write on the child's node (the subsidiary's AM records its group), read on the parent's. */
export async function createGroupLink(db: Db, auth: AuthContext, body: z.infer<typeof CreateGroupLinkBody>) {
  if (body.parentId === body.childId) throw new AppError('CUSTOMER.SELF_LINK');
  const child = await companyPath(db, body.childId);
  assertCustomerAt(auth, 'customer.write', child.path);
  await assertReference(db, auth, 'company', body.parentId, { notFound: 'CUSTOMER.NOT_FOUND', details: { companyId: body.parentId } });
  return db.transaction(async (tx) => {
    const clash = await tx
      .select({ id: companyLinks.id })
      .from(companyLinks)
      .where(and(eq(companyLinks.parentId, body.parentId), eq(companyLinks.childId, body.childId)))
      .limit(1);
    if (clash.length) throw new AppError('CUSTOMER.LINK_EXISTS', { linkId: clash[0].id });
    // The new parent must not already sit below the child (a group is a tree).
    const [cycle] = await rows<{ hit: boolean }>(
      tx,
      sql`WITH RECURSIVE up(id, depth) AS (SELECT ${body.parentId}::int, 0 UNION SELECT l.parent_id, up.depth + 1 FROM company_links l JOIN up ON l.child_id = up.id WHERE up.depth < 50)
          SELECT EXISTS (SELECT 1 FROM up WHERE id = ${body.childId}) AS hit`,
    );
    if (cycle?.hit) throw new AppError('CUSTOMER.LINK_CYCLE');
    const [l] = await tx
      .insert(companyLinks)
      .values({ parentId: body.parentId, childId: body.childId, since: body.since ?? null })
      .returning();
    const out = presentGroupLink(l);
    await appendAudit(tx, actorOf(auth), { action: 'customer.group.create', entity: 'company_link', entityId: l.id, nodeId: child.nodeId, after: out });
    return out;
  });
}

async function groupLinkOr404(db: DbOrTx, id: number): Promise<GroupLink> {
  const [l] = await db.select().from(companyLinks).where(eq(companyLinks.id, id)).limit(1);
  if (!l) throw new AppError('CUSTOMER.LINK_NOT_FOUND', { linkId: id });
  return l;
}

export async function updateGroupLink(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateGroupLinkBody>) {
  const before = await groupLinkOr404(db, id);
  const child = await companyPath(db, before.childId);
  assertCustomerAt(auth, 'customer.write', child.path);
  return db.transaction(async (tx) => {
    const [after] = await tx
      .update(companyLinks)
      .set({ since: body.since ?? null })
      .where(eq(companyLinks.id, id))
      .returning();
    const out = presentGroupLink(after);
    await appendAudit(tx, actorOf(auth), { action: 'customer.group.update', entity: 'company_link', entityId: id, nodeId: child.nodeId, before: presentGroupLink(before), after: out });
    return out;
  });
}

export async function deleteGroupLink(db: Db, auth: AuthContext, id: number) {
  const before = await groupLinkOr404(db, id);
  const child = await companyPath(db, before.childId);
  assertCustomerAt(auth, 'customer.write', child.path);
  await db.transaction(async (tx) => {
    await tx.delete(companyLinks).where(eq(companyLinks.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'customer.group.delete', entity: 'company_link', entityId: id, nodeId: child.nodeId, before: presentGroupLink(before) });
  });
}
