import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { saleDepartments, salePeople, sales } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { OrgLevel } from '../../db/schema/org.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { recountCompletion } from '../quotas/completion.js';
import { type ScoreResult, scoreSales } from '../scoring/ledger.service.js';
import { resolveSales } from './sales.resolve.js';
import type { ParticipantInput, PersonInput, SaleInput } from './sales.rules.js';

/**
 * What a correction changes (an upheld objection, SPEC §9.2): the participating departments with
 * their ratios, the people with their roles and contributions, the quantity. What is left out
 * stays as recorded. Product, client, date, branch and host are the sale's identity: not here.
 */
export interface SaleCorrection {
  quantity1e4?: number;
  departments?: ParticipantInput[];
  people?: PersonInput[];
}

/** A sale's correctable content, as the audit trail and the objection keep it. */
export interface SaleContent {
  quantity1e4: number;
  departments: { code: string; departmentId: number; ratioBp: number | null; weight: number | null }[];
  people: { staffNo: string; staffId: number; departmentCode: string; departmentId: number; role: string; contributionBp: number | null; weight: number | null }[];
}

export interface CorrectionResult {
  saleId: number;
  before: SaleContent;
  after: SaleContent;
  score: ScoreResult;
}

interface SaleHead {
  id: number;
  source_id: string;
  sale_date: string;
  quantity_1e4: number;
  project_id: number | null;
  struck_at: string | Date | null;
  node_id: number;
  node_code: string;
  node_path: string;
  node_level: OrgLevel;
  product_code: string;
  host_code: string;
  id_number: string | null;
  uscc: string | null;
  development_code: string | null;
}

async function content(tx: DbOrTx, saleId: number, quantity1e4: number): Promise<SaleContent> {
  // One after the other: `tx` is one connection.
  const depts = await rows<{ code: string; department_id: number; ratio_bp: number | null; weight: number | null }>(
    tx,
    sql`SELECT d.code, sd.department_id, sd.ratio_bp, sd.weight FROM sale_departments sd JOIN departments d ON d.id = sd.department_id
        WHERE sd.sale_id = ${saleId} ORDER BY d.code`,
  );
  const people = await rows<{ staff_no: string; staff_id: number; code: string; department_id: number; role: string; contribution_bp: number | null; weight: number | null }>(
    tx,
    sql`SELECT st.staff_no, sp.staff_id, d.code, sp.department_id, sp.role, sp.contribution_bp, sp.weight
        FROM sale_people sp JOIN staff st ON st.id = sp.staff_id JOIN departments d ON d.id = sp.department_id
        WHERE sp.sale_id = ${saleId} ORDER BY d.code, st.staff_no`,
  );
  return {
    quantity1e4: Number(quantity1e4),
    departments: depts.map((d) => ({ code: d.code, departmentId: d.department_id, ratioBp: d.ratio_bp, weight: d.weight })),
    people: people.map((p) => ({ staffNo: p.staff_no, staffId: p.staff_id, departmentCode: p.code, departmentId: p.department_id, role: p.role, contributionBp: p.contribution_bp, weight: p.weight })),
  };
}

/**
 * Rewrites a sale's participants, people and/or quantity in the caller's transaction, with the
 * same checks as recording a sale (sales.resolve.ts over sales.rules.ts), then re-scores it: the
 * ledger gets a reversal of the old lines and the new ones (never an edit). Audited before/after.
 * Authorisation is the caller's (an objection answer over the sale's branch).
 */
export async function correctSale(tx: DbOrTx, actor: Actor, saleId: number, c: SaleCorrection, opts: { today: string; reason?: string; upheldObjection?: boolean }): Promise<CorrectionResult> {
  if (c.quantity1e4 === undefined && c.departments === undefined && c.people === undefined) throw new AppError('SALE.CORRECTION_EMPTY');
  const [head] = await rows<SaleHead>(
    tx,
    sql`SELECT s.id, s.source_id, s.sale_date::text AS sale_date, s.quantity_1e4, s.project_id, s.struck_at, s.node_id,
               n.code AS node_code, n.path AS node_path, n.level AS node_level, p.code AS product_code, h.code AS host_code,
               i.id_number, c.uscc, dv.code AS development_code
        FROM sales s JOIN org_nodes n ON n.id = s.node_id JOIN products p ON p.id = s.product_id
        JOIN departments h ON h.id = s.host_department_id
        LEFT JOIN individuals i ON i.id = s.person_id LEFT JOIN corporate_clients c ON c.id = s.company_id
        LEFT JOIN developments dv ON dv.id = s.development_id
        WHERE s.id = ${saleId} FOR UPDATE OF s`,
  );
  if (!head) throw new AppError('SALE.NOT_FOUND');
  if (head.struck_at) throw new AppError('SALE.STRUCK');
  const before = await content(tx, saleId, head.quantity_1e4);

  // The corrected sale as a recording would see it. A fresh source id: the recorded one would
  // resolve as a duplicate and skip the checks.
  const input: SaleInput = {
    sourceId: `correction-${saleId}-${randomUUID()}`,
    productCode: head.product_code,
    idNumber: head.id_number,
    uscc: head.uscc,
    projectId: head.project_id,
    developmentCode: head.development_code,
    saleDate: head.sale_date,
    quantity1e4: c.quantity1e4 ?? Number(head.quantity_1e4),
    branchCode: head.node_code,
    hostDepartmentCode: head.host_code,
    departments: c.departments ?? before.departments.map((d) => ({ code: d.code, ratioBp: d.ratioBp, weight: d.weight })),
    people: c.people ?? before.people.map((p) => ({ staffNo: p.staffNo, departmentCode: p.departmentCode, role: p.role, contributionBp: p.contributionBp, weight: p.weight })),
  };
  // The checks read the caller's scope for sale.write: the correction acts for the sale's branch,
  // whose client it re-reads (customer.read) without changing it.
  const scope: AuthContext = {
    staffId: actor.id ?? 0,
    staffNo: '',
    name: actor.name,
    nodeId: head.node_id,
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
    grants: [{ role: 'sale.correct', permissions: new Set(['sale.write', 'customer.read']), scopeNodeId: head.node_id, scopePath: head.node_path, scopeLevel: head.node_level }],
  };
  const today = opts.today > head.sale_date ? opts.today : head.sale_date;
  const { resolved, issues } = await resolveSales(tx, scope, [input], { today });
  const errs = issues.get(0);
  if (errs) {
    const first = errs[0];
    throw new AppError(first.code, { field: first.field, issues: errs.map((e) => ({ code: e.code, field: e.field, zh: e.zh, en: e.en })) }, { zh: first.zh, en: first.en });
  }
  const r = resolved[0]!;

  // Completion counts the sale's quantity for its departments and people: out before, back after.
  await recountCompletion(tx, sql`SELECT ${saleId}::int`, async () => {
    await tx.delete(saleDepartments).where(eq(saleDepartments.saleId, saleId));
    await tx.delete(salePeople).where(eq(salePeople.saleId, saleId));
    if (r.departments.length) await tx.insert(saleDepartments).values(r.departments.map((d) => ({ saleId, departmentId: d.departmentId, ratioBp: d.ratioBp, weight: d.weight })));
    if (r.people.length)
      await tx.insert(salePeople).values(r.people.map((p) => ({ saleId, staffId: p.staffId, departmentId: p.departmentId, role: p.role, contributionBp: p.contributionBp, weight: p.weight })));
    if (input.quantity1e4 !== Number(head.quantity_1e4)) await tx.update(sales).set({ quantity1e4: input.quantity1e4 }).where(eq(sales.id, saleId));
  });

  // An upheld objection corrects the published month itself; any other correction of a published
  // (or later) month is written into the open month as an adjustment (issue 12 rule 2).
  const score = await scoreSales(tx, [saleId], { today: opts.today, upheldObjection: opts.upheldObjection });
  const after = await content(tx, saleId, input.quantity1e4);
  await appendAudit(tx, actor, {
    action: 'sale.correct',
    entity: 'sale',
    entityId: saleId,
    nodeId: head.node_id,
    before,
    after: { ...after, reason: opts.reason ?? null, ledger: score },
  });
  return { saleId, before, after, score };
}
