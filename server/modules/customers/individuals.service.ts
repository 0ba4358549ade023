import { eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { individuals } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { canReach, READS } from '../access/references.js';
import { appendAudit } from '../audit/audit.service.js';
import { branchOf, getNodeOr404 } from '../org/org.queries.js';
import { actorOf, assertCustomerAt, pageWithCappedCount, readableSubtree, inScope, nodePath, personNameMatch } from './customers.policy.js';
import { auditablePerson, fenToYuan, isoDate, presentPerson } from './customers.presenter.js';
import { type CreatePersonBody, PERSON_ROLE_ZH, type PersonFilter, type RevealBody, type UpdatePersonBody } from './customers.schemas.js';
import { ID_PROBLEM_TEXT, parseIdNumber } from './ids.rules.js';
import { withRevealLimit } from './reveal-limit.js';
import { clock } from '../../calendar/index.js';

interface PersonRow {
  id: number;
  name: string;
  gender: 'M' | 'F' | null;
  birthDate: string | Date | null;
  idNumber: string;
  phone: string | null;
  nodeId: number;
  nodeName: string;
  nodePath: string;
  dedicatedAmId: number | null;
  dedicatedAmName: string | null;
  aumFen: number | string;
  vipTier: string | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  total?: number;
}

const SELECT_PERSON = sql`
  SELECT p.id, p.name, p.gender, p.birth_date AS "birthDate", p.id_number AS "idNumber", p.phone, p.node_id AS "nodeId",
         n.name AS "nodeName", n.path AS "nodePath", p.dedicated_am_id AS "dedicatedAmId", s.name AS "dedicatedAmName",
         p.aum_fen AS "aumFen", p.vip_tier AS "vipTier", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const FROM_PERSON = sql`
  FROM individuals p
  JOIN org_nodes n ON n.id = p.node_id
  LEFT JOIN staff s ON s.id = p.dedicated_am_id`;

function filterSql(auth: AuthContext, f: Partial<PersonFilter>, subtreePath?: string): SQL {
  const conds: SQL[] = [inScope(auth, sql`n.path`)];
  if (subtreePath) conds.push(sql`n.path LIKE ${`${subtreePath}%`}`);
  if (f.q) conds.push(personNameMatch(sql`p.name`, f.q));
  if (f.idSuffix) conds.push(sql`p.id_suffix = ${f.idSuffix.toUpperCase()}`);
  if (f.phoneSuffix) conds.push(sql`p.phone_suffix = ${f.phoneSuffix}`);
  if (f.idNumber) conds.push(sql`p.id_number = ${f.idNumber.toUpperCase()}`);
  if (f.dedicatedAmId) conds.push(sql`p.dedicated_am_id = ${f.dedicatedAmId}`);
  if (f.vipTier) conds.push(sql`p.vip_tier = ${f.vipTier}`);
  return sql.join(conds, sql` AND `);
}

/** One page of individuals in the caller's scope: search by name, ID suffix, phone suffix. */
export async function listPeople(db: Db, auth: AuthContext, f: PersonFilter) {
  const where = filterSql(auth, f, await readableSubtree(db, auth, f.nodeId));
  // No count(*) OVER (): a common surname matches tens of thousands; the count stops at a cap.
  const { rows: page, ...count } = await pageWithCappedCount<PersonRow>(db, {
    filterFrom: sql`individuals p JOIN org_nodes n ON n.id = p.node_id`,
    where,
    id: sql`p.id`,
    select: SELECT_PERSON,
    from: FROM_PERSON,
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
  });
  return { items: page.map(presentPerson), ...count, page: f.page, pageSize: f.pageSize };
}

/** Every matching individual (exports, masked), in batches. */
export async function* allPeople(db: Db, auth: AuthContext, f: Partial<PersonFilter>) {
  const where = filterSql(auth, f, await readableSubtree(db, auth, f.nodeId));
  for (let after = 0; ;) {
    const page = await rows<PersonRow>(db, sql`${SELECT_PERSON} ${FROM_PERSON} WHERE ${where} AND p.id > ${after} ORDER BY p.id LIMIT 2000`);
    for (const r of page) yield presentPerson(r);
    if (page.length < 2000) return;
    after = page[page.length - 1].id;
  }
}

export async function getPersonRow(db: DbOrTx, id: number): Promise<PersonRow> {
  const [r] = await rows<PersonRow>(db, sql`${SELECT_PERSON} ${FROM_PERSON} WHERE p.id = ${id}`);
  if (!r) throw new AppError('CUSTOMER.NOT_FOUND', { personId: id });
  return r;
}

/** Person 360 (SPEC §2): every company the person links to (in scope) and what they hold. */
export async function getPerson360(db: Db, auth: AuthContext, id: number) {
  const r = await getPersonRow(db, id);
  assertCustomerAt(auth, 'customer.read', r.nodePath);
  const companies = await rows<{
    linkId: number;
    companyId: number;
    companyName: string;
    uscc: string;
    role: keyof typeof PERSON_ROLE_ZH;
    title: string | null;
    since: string | null;
    until: string | null;
  }>(
    db,
    sql`SELECT cp.id AS "linkId", c.id AS "companyId", c.name AS "companyName", c.uscc, cp.role, cp.title, cp.since, cp.until
        FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
        WHERE cp.person_id = ${id} AND ${inScope(auth, sql`n.path`)}
        ORDER BY cp.until DESC NULLS FIRST, cp.since DESC NULLS LAST, c.id`,
  );
  const held = await rows<{ id: number; productCode: string; productName: string; amountFen: number | string | null; quantity: number | null; since: string | null }>(
    db,
    sql`SELECT id, product_code AS "productCode", product_name AS "productName", amount_fen AS "amountFen", quantity, since
        FROM holdings WHERE person_id = ${id} ORDER BY product_code`,
  );
  return {
    ...presentPerson(r),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    companies: companies.map((c) => ({ ...c, roleName: PERSON_ROLE_ZH[c.role], since: isoDate(c.since), until: isoDate(c.until) })),
    holdings: held.map((h) => {
      const amountFen = h.amountFen === null ? null : Number(h.amountFen);
      return { ...h, amountFen, amount: fenToYuan(amountFen), since: isoDate(h.since) };
    }),
  };
}

/** GB 11643 check, or CUSTOMER.BAD_ID_NUMBER naming the problem. */
export function checkedIdNumber(raw: string) {
  const r = parseIdNumber(raw, clock.today());
  if (!r.ok) throw new AppError('CUSTOMER.BAD_ID_NUMBER', { problem: r.problem }, ID_PROBLEM_TEXT[r.problem]);
  return r.info;
}

async function assertAmFits(db: DbOrTx, nodeId: number, amId: number | null | undefined) {
  if (!amId) return;
  const branch = await branchOf(db, await getNodeOr404(db, nodeId));
  const [s] = await rows<{ path: string }>(db, sql`SELECT n.path FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${amId}`);
  if (!s || !s.path.startsWith(branch.path)) throw new AppError('CUSTOMER.BAD_MANAGER', { dedicatedAmId: amId });
}

/** The ID number is unique bank-wide; the holder's id is named only to a caller who reads it (finding 11). */
async function assertIdFree(db: DbOrTx, auth: AuthContext, idNumber: string, exceptId?: number) {
  const [p] = await rows<{ id: number; path: string }>(db, sql`SELECT p.id, n.path FROM individuals p JOIN org_nodes n ON n.id = p.node_id WHERE p.id_number = ${idNumber} LIMIT 1`);
  if (p && p.id !== exceptId) throw new AppError('CUSTOMER.ID_NUMBER_TAKEN', canReach(auth, READS.individual, p.path) ? { id: p.id } : undefined);
}

export async function createPerson(db: Db, auth: AuthContext, body: z.infer<typeof CreatePersonBody>) {
  const info = checkedIdNumber(body.idNumber);
  assertCustomerAt(auth, 'customer.write', await nodePath(db, body.nodeId));
  await assertAmFits(db, body.nodeId, body.dedicatedAmId);
  const id = await db.transaction(async (tx) => {
    await assertIdFree(tx, auth, info.idNumber);
    const [created] = await tx
      .insert(individuals)
      .values({
        idNumber: info.idNumber,
        idSuffix: info.idNumber.slice(-4),
        name: body.name,
        gender: info.gender,
        birthDate: info.birthDate,
        phone: body.phone ?? null,
        phoneSuffix: body.phone ? body.phone.slice(-4) : null,
        nodeId: body.nodeId,
        dedicatedAmId: body.dedicatedAmId ?? null,
        aumFen: body.aumFen ?? 0,
        vipTier: body.vipTier ?? null,
      })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'customer.person.create', entity: 'individual', entityId: created.id, nodeId: created.nodeId, after: auditablePerson(created) });
    return created.id;
  });
  return getPerson360(db, auth, id);
}

export async function updatePerson(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdatePersonBody>) {
  const [before] = await db.select().from(individuals).where(eq(individuals.id, id)).limit(1);
  if (!before) throw new AppError('CUSTOMER.NOT_FOUND', { personId: id });
  assertCustomerAt(auth, 'customer.write', await nodePath(db, before.nodeId));
  const nodeId = body.nodeId ?? before.nodeId;
  if (nodeId !== before.nodeId) assertCustomerAt(auth, 'customer.write', await nodePath(db, nodeId));
  const info = body.idNumber === undefined ? null : checkedIdNumber(body.idNumber);
  const dedicatedAmId = body.dedicatedAmId === undefined ? before.dedicatedAmId : body.dedicatedAmId;
  await assertAmFits(db, nodeId, dedicatedAmId);
  const phone = body.phone === undefined ? before.phone : body.phone;
  await db.transaction(async (tx) => {
    if (info && info.idNumber !== before.idNumber) await assertIdFree(tx, auth, info.idNumber, id);
    const [after] = await tx
      .update(individuals)
      .set({
        ...(info ? { idNumber: info.idNumber, idSuffix: info.idNumber.slice(-4), gender: info.gender, birthDate: info.birthDate } : {}),
        name: body.name ?? before.name,
        phone,
        phoneSuffix: phone ? phone.slice(-4) : null,
        nodeId,
        dedicatedAmId,
        aumFen: body.aumFen ?? before.aumFen,
        vipTier: body.vipTier === undefined ? before.vipTier : body.vipTier,
        updatedAt: clock.now(),
      })
      .where(eq(individuals.id, id))
      .returning();
    await appendAudit(tx, actorOf(auth), {
      action: 'customer.person.update',
      entity: 'individual',
      entityId: id,
      nodeId: after.nodeId,
      before: auditablePerson(before),
      after: auditablePerson(after),
    });
  });
  return getPerson360(db, auth, id);
}

/**
 * SPEC §1: the full ID or phone number, for a stated reason, to a role that may reveal at the
 * person's node, at most `pii.revealsPerHour` times an hour per person (reveal-limit.ts). The
 * reveal and its reason go to the audit log in the same transaction.
 */
export async function revealPerson(db: Db, auth: AuthContext, id: number, body: z.infer<typeof RevealBody>) {
  const r = await getPersonRow(db, id);
  assertCustomerAt(auth, 'customer.reveal', r.nodePath);
  const value = body.field === 'idNumber' ? r.idNumber : r.phone;
  if (!value) throw new AppError('CUSTOMER.NO_VALUE', { field: body.field });
  await withRevealLimit(db, auth, { field: body.field, individualId: id }, async (tx) => {
    await appendAudit(tx, actorOf(auth), {
      action: 'pii.reveal',
      entity: 'individual',
      entityId: id,
      nodeId: r.nodeId,
      after: { field: body.field, reason: body.reason },
    });
  });
  return { field: body.field, value };
}
