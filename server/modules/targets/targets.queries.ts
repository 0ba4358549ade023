import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { corporateClients, departments, orgNodes, TARGET_DEPT_KINDS, targetListEntries, targetListVersions, targetNominations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type ClientFacts, type ClientFactsRow, clientFacts } from '../customers/facts.js';
import type { TargetDeptKind } from './criteria.service.js';

/** A corporate client with what the target list needs: its facts and the path of its node. */
export interface ClientRef {
  id: number;
  uscc: string;
  name: string;
  nodeId: number;
  nodePath: string;
  departmentId: number | null;
  accountManagerId: number | null;
  facts: ClientFacts;
}

const clientColumns = {
  id: corporateClients.id,
  uscc: corporateClients.uscc,
  name: corporateClients.name,
  typeCode: corporateClients.typeCode,
  industryCode: corporateClients.industryCode,
  nodeId: corporateClients.nodeId,
  departmentId: corporateClients.departmentId,
  accountManagerId: corporateClients.accountManagerId,
  creditLineFen: corporateClients.creditLineFen,
  loanBalanceFen: corporateClients.loanBalanceFen,
  annualSalesFen: corporateClients.annualSalesFen,
  provincialTaxRank: corporateClients.provincialTaxRank,
  listed: corporateClients.listed,
  facts: corporateClients.facts,
  nodePath: orgNodes.path,
};

const toRef = (r: ClientFactsRow & { accountManagerId: number | null; nodePath: string }): ClientRef => ({
  id: r.id,
  uscc: r.uscc,
  name: r.name,
  nodeId: r.nodeId,
  nodePath: r.nodePath,
  departmentId: r.departmentId,
  accountManagerId: r.accountManagerId,
  facts: clientFacts(r),
});

/** Clients by id or by 统一社会信用代码. */
export async function findClients(db: DbOrTx, by: { ids?: number[]; usccs?: string[] }): Promise<ClientRef[]> {
  const where = by.ids ? inArray(corporateClients.id, by.ids) : inArray(corporateClients.uscc, by.usccs ?? []);
  if ((by.ids ?? by.usccs ?? []).length === 0) return [];
  const found = await db.select(clientColumns).from(corporateClients).innerJoin(orgNodes, eq(orgNodes.id, corporateClients.nodeId)).where(where);
  return found.map(toRef);
}

export async function getClientOr404(db: DbOrTx, id: number): Promise<ClientRef> {
  const [c] = await findClients(db, { ids: [id] });
  if (!c) throw new AppError('CUSTOMER.NOT_FOUND', { companyId: id });
  return c;
}

/** A department that keeps a target list, with its branch. */
export interface ListDept {
  id: number;
  code: string;
  name: string;
  kind: TargetDeptKind;
  nodeId: number;
  nodeName: string;
  nodePath: string;
}

const isTargetKind = (k: string): k is TargetDeptKind => (TARGET_DEPT_KINDS as readonly string[]).includes(k);

/** The department (404 when missing, 400 when its kind keeps no target list). */
export async function getListDeptOr404(db: DbOrTx, id: number): Promise<ListDept> {
  const [d] = await db
    .select({ id: departments.id, code: departments.code, name: departments.name, kind: departments.kind, nodeId: departments.nodeId, nodeName: orgNodes.name, nodePath: orgNodes.path })
    .from(departments)
    .innerJoin(orgNodes, eq(orgNodes.id, departments.nodeId))
    .where(eq(departments.id, id))
    .limit(1);
  if (!d) throw new AppError('DEPT.NOT_FOUND');
  if (!isTargetKind(d.kind)) throw new AppError('TARGET.DEPT_NOT_ELIGIBLE', { kind: d.kind });
  return { ...d, kind: d.kind };
}

/** Serialises changes to one list (nominations, decisions, cuts) across processes. */
export async function lockList(tx: DbOrTx, departmentId: number): Promise<void> {
  await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId)).for('update');
}

export type VersionRow = typeof targetListVersions.$inferSelect;

export async function latestVersion(db: DbOrTx, nodeId: number, departmentId: number): Promise<VersionRow | null> {
  const [v] = await db
    .select()
    .from(targetListVersions)
    .where(and(eq(targetListVersions.nodeId, nodeId), eq(targetListVersions.departmentId, departmentId)))
    .orderBy(desc(targetListVersions.versionNo))
    .limit(1);
  return v ?? null;
}

export async function entriesOf(db: DbOrTx, versionId: number) {
  return db.select().from(targetListEntries).where(eq(targetListEntries.versionId, versionId)).orderBy(targetListEntries.companyId);
}

/** Where each client stands on one list: on the current version, and/or with a pending nomination. */
export interface ListState {
  latest: VersionRow | null;
  onList: Set<number>;
  /** Clients with a nomination awaiting decision, or approved and not yet in a version. */
  pending: Set<number>;
}

export async function listState(db: DbOrTx, nodeId: number, departmentId: number): Promise<ListState> {
  const latest = await latestVersion(db, nodeId, departmentId);
  const onList = new Set(latest ? (await entriesOf(db, latest.id)).map((e) => e.companyId) : []);
  const open = await db
    .select({ companyId: targetNominations.companyId })
    .from(targetNominations)
    .where(
      and(
        eq(targetNominations.nodeId, nodeId),
        eq(targetNominations.departmentId, departmentId),
        or(eq(targetNominations.status, 'nominated'), and(eq(targetNominations.status, 'approved'), isNull(targetNominations.versionId))),
      ),
    );
  return { latest, onList, pending: new Set(open.map((o) => o.companyId)) };
}
