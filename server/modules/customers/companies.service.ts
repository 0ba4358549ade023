import { eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { clientTypes, corporateClients, departments, industries } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { canReach, READS } from '../access/references.js';
import { appendAudit } from '../audit/audit.service.js';
import { branchOf, getNodeOr404 } from '../org/org.queries.js';
import { PERSON_ROLE_ZH, type CompanyFilter, type CreateCompanyBody, type UpdateCompanyBody } from './customers.schemas.js';
import { bigramContains, containsUnindexed, likePrefix } from '../../db/like.js';
import { actorOf, assertCustomerAt, type CappedPageQuery, pageWithCappedCount, readableSubtree, inScope, nodePath } from './customers.policy.js';
import { fenToYuan, isoDate, presentIdNumber } from './customers.presenter.js';
import { parseFacts } from './facts.js';
import { isValidUscc, normaliseUscc } from './ids.rules.js';
import { clock } from '../../calendar/index.js';

/** A corporate_clients row joined with the names the console shows. */
interface CompanyRow {
  id: number;
  uscc: string;
  name: string;
  typeCode: string;
  typeName: string;
  industryCode: string | null;
  industryName: string | null;
  nodeId: number;
  nodeName: string;
  nodePath: string;
  departmentId: number | null;
  departmentName: string | null;
  accountManagerId: number | null;
  accountManagerName: string | null;
  legalRepresentative: string | null;
  address: string | null;
  creditLineFen: number | string | null;
  loanBalanceFen: number | string | null;
  annualSalesFen: number | string | null;
  provincialTaxRank: number | null;
  listed: boolean;
  facts: Record<string, unknown> | string;
  createdAt: string | Date;
  updatedAt: string | Date;
  total?: number;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** A company as the API lists it. */
export function presentCompany(r: CompanyRow) {
  const creditLineFen = num(r.creditLineFen);
  const loanBalanceFen = num(r.loanBalanceFen);
  const annualSalesFen = num(r.annualSalesFen);
  return {
    id: r.id,
    uscc: r.uscc,
    name: r.name,
    typeCode: r.typeCode,
    typeName: r.typeName,
    industryCode: r.industryCode,
    industryName: r.industryName,
    nodeId: r.nodeId,
    nodeName: r.nodeName,
    departmentId: r.departmentId,
    departmentName: r.departmentName,
    accountManagerId: r.accountManagerId,
    accountManagerName: r.accountManagerName,
    legalRepresentative: r.legalRepresentative,
    creditLineFen,
    creditLine: fenToYuan(creditLineFen),
    loanBalanceFen,
    loanBalance: fenToYuan(loanBalanceFen),
    annualSalesFen,
    annualSales: fenToYuan(annualSalesFen),
    provincialTaxRank: r.provincialTaxRank,
    listed: r.listed,
  };
}

const SELECT_COMPANY = sql`
  SELECT c.id, c.uscc, c.name, c.type_code AS "typeCode", t.name_zh AS "typeName", c.industry_code AS "industryCode",
         i.name_zh AS "industryName", c.node_id AS "nodeId", n.name AS "nodeName", n.path AS "nodePath",
         c.department_id AS "departmentId", d.name AS "departmentName", c.account_manager_id AS "accountManagerId",
         s.name AS "accountManagerName", c.legal_representative AS "legalRepresentative", c.address,
         c.credit_line_fen AS "creditLineFen", c.loan_balance_fen AS "loanBalanceFen", c.annual_sales_fen AS "annualSalesFen",
         c.provincial_tax_rank AS "provincialTaxRank", c.listed, c.facts, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
const FROM_COMPANY = sql`
  FROM corporate_clients c
  JOIN org_nodes n ON n.id = c.node_id
  JOIN client_types t ON t.code = c.type_code
  LEFT JOIN industries i ON i.code = c.industry_code
  LEFT JOIN departments d ON d.id = c.department_id
  LEFT JOIN staff s ON s.id = c.account_manager_id`;

/** The filter of a company list; `walk`: a name fragment no index serves (the page of a common fragment, decision 0051). */
function filterSql(auth: AuthContext, f: Partial<CompanyFilter>, subtreePath?: string, walk = false): SQL {
  const conds: SQL[] = [inScope(auth, sql`n.path`)];
  if (subtreePath) conds.push(sql`n.path LIKE ${`${subtreePath}%`}`);
  if (f.q) {
    const code = normaliseUscc(f.q);
    // A code-like query (letters and digits with a digit, 6+ characters) is a USCC prefix: the
    // unique index answers it. Anything else is a name fragment, two characters included (电器):
    // the bigram index serves it (decision 0047).
    if (/^[0-9A-Z]{6,18}$/.test(code) && /\d/.test(code)) conds.push(sql`c.uscc LIKE ${likePrefix(code)}`);
    else conds.push(walk ? containsUnindexed(sql`c.name`, f.q) : bigramContains(sql`c.name`, f.q));
  }
  if (f.typeCode) conds.push(sql`c.type_code = ${f.typeCode}`);
  if (f.industryCode) conds.push(sql`c.industry_code = ${f.industryCode}`);
  if (f.accountManagerId) conds.push(sql`c.account_manager_id = ${f.accountManagerId}`);
  if (f.departmentId) conds.push(sql`c.department_id = ${f.departmentId}`);
  return sql.join(conds, sql` AND `);
}

/** The capped page statement of the company list (exported for the plan test). */
export function companyPageQuery(auth: AuthContext, f: CompanyFilter, subtree?: string): CappedPageQuery {
  return {
    filterFrom: sql`corporate_clients c JOIN org_nodes n ON n.id = c.node_id`,
    where: filterSql(auth, f, subtree),
    walkWhere: filterSql(auth, f, subtree, true),
    id: sql`c.id`,
    select: SELECT_COMPANY,
    from: FROM_COMPANY,
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
  };
}

/** One page of corporate clients in the caller's scope, with a capped count. */
export async function listCompanies(db: Db, auth: AuthContext, f: CompanyFilter) {
  // Page and capped count in one statement, served by the filter's index (decision 0051).
  const { rows: page, ...count } = await pageWithCappedCount<CompanyRow>(db, companyPageQuery(auth, f, await readableSubtree(db, auth, f.nodeId)));
  return { items: page.map(presentCompany), ...count, page: f.page, pageSize: f.pageSize };
}

/** Every matching company (exports), in batches. */
export async function* allCompanies(db: Db, auth: AuthContext, f: Partial<CompanyFilter>) {
  const where = filterSql(auth, f, await readableSubtree(db, auth, f.nodeId));
  for (let after = 0; ;) {
    const page = await rows<CompanyRow>(db, sql`${SELECT_COMPANY} ${FROM_COMPANY} WHERE ${where} AND c.id > ${after} ORDER BY c.id LIMIT 2000`);
    for (const r of page) yield presentCompany(r);
    if (page.length < 2000) return;
    after = page[page.length - 1].id;
  }
}

export async function getCompanyRow(db: DbOrTx, id: number): Promise<CompanyRow> {
  const [r] = await rows<CompanyRow>(db, sql`${SELECT_COMPANY} ${FROM_COMPANY} WHERE c.id = ${id}`);
  if (!r) throw new AppError('CUSTOMER.NOT_FOUND', { companyId: id });
  return r;
}

/** Client 360 (SPEC §2): facts, managers, group parent/children and the people with what they hold. */
export async function getCompany360(db: Db, auth: AuthContext, id: number) {
  const r = await getCompanyRow(db, id);
  assertCustomerAt(auth, 'customer.read', r.nodePath);
  const groups = await rows<{ linkId: number; id: number; name: string; uscc: string; since: string | null; side: 'parent' | 'child' }>(
    db,
    sql`SELECT l.id AS "linkId", o.id, o.name, o.uscc, l.since, CASE WHEN l.child_id = ${id} THEN 'parent' ELSE 'child' END AS side
        FROM company_links l
        JOIN corporate_clients o ON o.id = CASE WHEN l.child_id = ${id} THEN l.parent_id ELSE l.child_id END
        JOIN org_nodes n ON n.id = o.node_id
        WHERE (l.parent_id = ${id} OR l.child_id = ${id}) AND ${inScope(auth, sql`n.path`)}
        ORDER BY o.name`,
  );
  const people = await rows<{
    linkId: number;
    personId: number;
    name: string;
    role: keyof typeof PERSON_ROLE_ZH;
    title: string | null;
    since: string | null;
    until: string | null;
    idNumber: string;
    vipTier: string | null;
    aumFen: number | string;
    holdingsCount: number;
  }>(
    db,
    sql`SELECT cp.id AS "linkId", p.id AS "personId", p.name, cp.role, cp.title, cp.since, cp.until, p.id_number AS "idNumber",
               p.vip_tier AS "vipTier", p.aum_fen AS "aumFen",
               (SELECT count(*) FROM holdings h WHERE h.person_id = p.id)::int AS "holdingsCount"
        FROM company_people cp
        JOIN individuals p ON p.id = cp.person_id
        JOIN org_nodes n ON n.id = p.node_id
        WHERE cp.company_id = ${id} AND ${inScope(auth, sql`n.path`)}
        ORDER BY CASE cp.role WHEN 'legal_rep' THEN 0 WHEN 'shareholder' THEN 1 WHEN 'executive' THEN 2 WHEN 'middle' THEN 3 ELSE 4 END,
                 p.aum_fen DESC, p.id`,
  );
  const link = (g: (typeof groups)[number]) => ({ linkId: g.linkId, id: g.id, name: g.name, uscc: g.uscc, since: isoDate(g.since) });
  return {
    ...presentCompany(r),
    address: r.address,
    facts: typeof r.facts === 'string' ? (JSON.parse(r.facts) as Record<string, unknown>) : r.facts,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    parents: groups.filter((g) => g.side === 'parent').map(link),
    children: groups.filter((g) => g.side === 'child').map(link),
    people: people.map((p) => ({
      linkId: p.linkId,
      personId: p.personId,
      name: p.name,
      role: p.role,
      roleName: PERSON_ROLE_ZH[p.role],
      title: p.title,
      since: isoDate(p.since),
      until: isoDate(p.until),
      idNumber: presentIdNumber(p.idNumber),
      vipTier: p.vipTier,
      aumFen: Number(p.aumFen),
      aum: fenToYuan(Number(p.aumFen))!,
      holdingsCount: p.holdingsCount,
    })),
  };
}

type CompanyFields = z.infer<typeof CreateCompanyBody>;

/** Type, industry, department and AM must exist, and the last two belong to the client's branch. */
async function assertReferences(db: DbOrTx, v: Pick<CompanyFields, 'typeCode' | 'industryCode' | 'nodeId' | 'departmentId' | 'accountManagerId'>) {
  const [t] = await db.select({ code: clientTypes.code }).from(clientTypes).where(eq(clientTypes.code, v.typeCode)).limit(1);
  if (!t) throw new AppError('CUSTOMER.UNKNOWN_TYPE', { typeCode: v.typeCode });
  if (v.industryCode) {
    const [i] = await db.select({ code: industries.code }).from(industries).where(eq(industries.code, v.industryCode)).limit(1);
    if (!i) throw new AppError('CUSTOMER.UNKNOWN_INDUSTRY', { industryCode: v.industryCode });
  }
  if (!v.departmentId && !v.accountManagerId) return;
  const branch = await branchOf(db, await getNodeOr404(db, v.nodeId));
  if (v.departmentId) {
    const [d] = await db.select({ nodeId: departments.nodeId }).from(departments).where(eq(departments.id, v.departmentId)).limit(1);
    if (!d || d.nodeId !== branch.id) throw new AppError('CUSTOMER.BAD_MANAGER', { departmentId: v.departmentId });
  }
  if (v.accountManagerId) {
    const [s] = await rows<{ path: string }>(db, sql`SELECT n.path FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${v.accountManagerId}`);
    if (!s || !s.path.startsWith(branch.path)) throw new AppError('CUSTOMER.BAD_MANAGER', { accountManagerId: v.accountManagerId });
  }
}

function checkedUscc(raw: string): string {
  const uscc = normaliseUscc(raw);
  if (!isValidUscc(uscc)) throw new AppError('CUSTOMER.BAD_USCC', { uscc });
  return uscc;
}

function checkedFacts(raw: unknown): Record<string, unknown> {
  const r = parseFacts(raw);
  if (!r.ok) throw new AppError('CUSTOMER.BAD_FACTS', { message: r.message });
  return r.facts;
}

/** The code is unique bank-wide; the holder's id is named only to a caller who reads it (finding 11). */
async function assertUsccFree(db: DbOrTx, auth: AuthContext, uscc: string, exceptId?: number) {
  const [c] = await rows<{ id: number; path: string }>(db, sql`SELECT c.id, n.path FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE c.uscc = ${uscc} LIMIT 1`);
  if (c && c.id !== exceptId) throw new AppError('CUSTOMER.USCC_TAKEN', canReach(auth, READS.company, c.path) ? { uscc, id: c.id } : { uscc });
}

/** What the audit log keeps of a company. */
export const auditableCompany = (
  r: Omit<CompanyRow, 'typeName' | 'industryName' | 'nodeName' | 'nodePath' | 'departmentName' | 'accountManagerName' | 'createdAt' | 'updatedAt'> | typeof corporateClients.$inferSelect,
) => ({
  uscc: r.uscc,
  name: r.name,
  typeCode: r.typeCode,
  industryCode: r.industryCode,
  nodeId: r.nodeId,
  departmentId: r.departmentId,
  accountManagerId: r.accountManagerId,
  legalRepresentative: r.legalRepresentative,
  address: r.address,
  creditLineFen: num(r.creditLineFen),
  loanBalanceFen: num(r.loanBalanceFen),
  annualSalesFen: num(r.annualSalesFen),
  provincialTaxRank: r.provincialTaxRank,
  listed: r.listed,
  facts: typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts,
});

export async function createCompany(db: Db, auth: AuthContext, body: CompanyFields) {
  const uscc = checkedUscc(body.uscc);
  assertCustomerAt(auth, 'customer.write', await nodePath(db, body.nodeId));
  const facts = checkedFacts(body.facts ?? {});
  await assertReferences(db, body);
  const id = await db.transaction(async (tx) => {
    await assertUsccFree(tx, auth, uscc);
    const [created] = await tx
      .insert(corporateClients)
      .values({
        ...body,
        uscc,
        industryCode: body.industryCode ?? null,
        departmentId: body.departmentId ?? null,
        accountManagerId: body.accountManagerId ?? null,
        listed: body.listed ?? false,
        facts,
      })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'customer.company.create', entity: 'corporate_client', entityId: created.id, nodeId: created.nodeId, after: auditableCompany(created) });
    return created.id;
  });
  return getCompany360(db, auth, id);
}

export async function updateCompany(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateCompanyBody>) {
  const before = await getCompanyRow(db, id);
  assertCustomerAt(auth, 'customer.write', before.nodePath);
  if (body.nodeId && body.nodeId !== before.nodeId) assertCustomerAt(auth, 'customer.write', await nodePath(db, body.nodeId));
  const uscc = body.uscc === undefined ? before.uscc : checkedUscc(body.uscc);
  const facts = body.facts === undefined ? undefined : checkedFacts(body.facts);
  const merged = {
    typeCode: body.typeCode ?? before.typeCode,
    industryCode: body.industryCode === undefined ? before.industryCode : body.industryCode,
    nodeId: body.nodeId ?? before.nodeId,
    departmentId: body.departmentId === undefined ? before.departmentId : body.departmentId,
    accountManagerId: body.accountManagerId === undefined ? before.accountManagerId : body.accountManagerId,
  };
  await assertReferences(db, merged);
  await db.transaction(async (tx) => {
    if (uscc !== before.uscc) await assertUsccFree(tx, auth, uscc, id);
    const [after] = await tx
      .update(corporateClients)
      .set({ ...body, ...merged, uscc, ...(facts ? { facts } : {}), updatedAt: clock.now() })
      .where(eq(corporateClients.id, id))
      .returning();
    await appendAudit(tx, actorOf(auth), {
      action: 'customer.company.update',
      entity: 'corporate_client',
      entityId: id,
      nodeId: after.nodeId,
      before: auditableCompany(before),
      after: auditableCompany(after),
    });
  });
  return getCompany360(db, auth, id);
}

/** Client types and industries (reference data, SPEC §2). */
export async function clientTypeList(db: Db) {
  return db.select({ code: clientTypes.code, nameZh: clientTypes.nameZh, nameEn: clientTypes.nameEn }).from(clientTypes).orderBy(clientTypes.sort, clientTypes.code);
}
export async function industryList(db: Db) {
  return db.select({ code: industries.code, nameZh: industries.nameZh, nameEn: industries.nameEn }).from(industries).orderBy(industries.sort, industries.code);
}
