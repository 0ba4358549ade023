import { and, eq, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/sqlstate.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { saleDepartments, saleKeys, salePeople, sales } from '../../db/schema/index.js';
import { intArray } from '../../db/arrays.js';
import { AppError, messageOf } from '../../errors.js';
import type { Lang } from '../../../shared/errors.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { maskIdNumber } from '../customers/ids.rules.js';
import { chunks } from '../imports/import-spec.js';
import { formatHundredths, formatScaled } from '../products/products.rules.js';
import { actorOf } from '../products/products.service.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { likeContains } from '../../db/like.js';
import { assertCanReadSale, saleListScope } from './sales.policy.js';
import { type ResolvedSale, resolveSales, type SaleIssue, textArray } from './sales.resolve.js';
import { conflictSummary, conflictText, type ContentField, contentOf, differingFields, loadStoredSales, takenElsewhereText } from './sales.content.js';
import { monthRange, type SaleInput, salePoints } from './sales.rules.js';
import type { SaleFilter } from './sales.schemas.js';
import { clock } from '../../calendar/index.js';
import { maxOf, minOf } from '../../../shared/numbers.js';

/** Most sales one API call may carry (SPEC §7 batch). */
export const MAX_BATCH = 5000;

export type RecordResult = { status: 'created' | 'duplicate'; saleId: number; sourceId: string };

/**
 * Inserts checked sales in the caller's transaction and scores them there (SPEC §7): the sale,
 * its departments and people, its ledger entries and one audit entry commit together.
 * Duplicates (by source id, also one racing in from another request) are reported, not written.
 */
export async function insertResolved(tx: DbOrTx, actor: Actor, list: ResolvedSale[], opts: { auditAction?: string } = {}): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const createdIds: number[] = [];
  const nodeOfSale = new Map<number, number>();
  for (const r of list) if (r.duplicateOf !== undefined) results.push({ status: 'duplicate', saleId: r.duplicateOf, sourceId: r.input.sourceId });
  const fresh = list.filter((r) => r.duplicateOf === undefined);
  for (const slice of chunks(fresh, 1000)) {
    const { inserted, onFile } = await writeNewSales(tx, actor, slice);
    const idOf = new Map(inserted.map((i) => [i.sourceId, i.id]));
    const depts: (typeof saleDepartments.$inferInsert)[] = [];
    const people: (typeof salePeople.$inferInsert)[] = [];
    const raced: string[] = [];
    for (const r of slice) {
      const id = idOf.get(r.input.sourceId);
      if (id === undefined) {
        raced.push(r.input.sourceId);
        continue;
      }
      createdIds.push(id);
      nodeOfSale.set(id, r.nodeId);
      results.push({ status: 'created', saleId: id, sourceId: r.input.sourceId });
      for (const d of r.departments) depts.push({ saleId: id, departmentId: d.departmentId, ratioBp: d.ratioBp, weight: d.weight });
      for (const p of r.people) people.push({ saleId: id, staffId: p.staffId, departmentId: p.departmentId, role: p.role, contributionBp: p.contributionBp, weight: p.weight });
    }
    if (raced.length) {
      // Recorded by a request that raced this one: a duplicate only if it says the same.
      const fpOf = new Map(slice.map((r) => [r.input.sourceId, r]));
      const got = onFile;
      const stored = await loadStoredSales(
        tx,
        got.filter((g) => g.fp !== fpOf.get(g.sourceId)!.fingerprint).map((g) => g.id),
      );
      for (const g of got) {
        const r = fpOf.get(g.sourceId)!;
        // Recorded at another branch (or in an archived year): the source id is taken, and nothing of
        // that sale is shown — the caller may not read it (the same answer as resolveSale's).
        if (g.nodeId !== r.nodeId) {
          throw new AppError('AUTH.OUT_OF_SCOPE', { sourceId: g.sourceId }, takenElsewhereText(g.sourceId));
        }
        const st = stored.get(g.id);
        const sent = contentOf(r.input);
        const fields = st ? differingFields(sent, st.content) : [];
        if (fields.length) {
          throw conflictError(
            g.sourceId,
            g.id,
            fields.map((f) => ({ code: 'SALE.CONFLICT', field: f, ...conflictText(g.sourceId, g.id, f, sent, st!.content) })),
          );
        }
        results.push({ status: 'duplicate', saleId: g.id, sourceId: g.sourceId });
      }
    }
    for (const c of chunks(depts, 2000)) await tx.insert(saleDepartments).values(c);
    for (const c of chunks(people, 2000)) await tx.insert(salePeople).values(c);
  }
  if (createdIds.length) {
    for (const c of chunks(createdIds, 5000)) await scoreSales(tx, c);
    // One entry per call and branch: single sales name the sale, batches and imports list the ids.
    // Each entry names the branch it affects, so that branch's auditors see it and no other's do.
    const byNode = new Map<number, number[]>();
    for (const id of createdIds) {
      const nodeId = nodeOfSale.get(id)!;
      const list = byNode.get(nodeId);
      if (list) list.push(id);
      else byNode.set(nodeId, [id]);
    }
    await appendAudit(
      tx,
      actor,
      [...byNode].map(([nodeId, ids]) => ({
        action: opts.auditAction ?? (createdIds.length === 1 ? 'sale.record' : 'sale.batch'),
        entity: 'sale',
        entityId: ids.length === 1 ? ids[0] : `${minOf(ids)}..${maxOf(ids)}`,
        nodeId,
        after: createdIds.length === 1 ? auditable(fresh[0]) : { count: ids.length, saleIds: ids.length <= MAX_BATCH ? ids : undefined },
      })),
    );
  }
  return results;
}

const auditable = (r: ResolvedSale) => ({
  sourceId: r.input.sourceId,
  productId: r.productId,
  personId: r.personId,
  companyId: r.companyId,
  developmentId: r.developmentId,
  saleDate: r.input.saleDate,
  quantity1e4: r.input.quantity1e4,
  hostDepartmentId: r.hostDepartmentId,
  nodeId: r.nodeId,
  departments: r.departments,
  people: r.people,
});

/**
 * A refused sale: the first issue's code and message, and every issue as a field error the form
 * puts on its field (`path` body.<field>, web/src/forms/serverErrors.ts) in the caller's language.
 */
function issueError(errs: SaleIssue[], lang: Lang = 'zh-CN'): AppError {
  const [i] = errs;
  return new AppError(
    i.code,
    errs.map((e) => ({ path: `body.${e.field}`, field: e.field, code: e.code, message: lang === 'en' ? e.en : e.zh })),
    { zh: i.zh, en: i.en },
  );
}

/** A source id on file with other content (409): the differing fields, each with what is on file and what was sent. */
function conflictError(sourceId: string, saleId: number, errs: SaleIssue[]): AppError {
  const fields = errs.map((e) => e.field as ContentField);
  return new AppError('SALE.CONFLICT', { sourceId, saleId, fields, differences: errs.map((e) => ({ field: e.field, zh: e.zh, en: e.en })) }, conflictSummary(sourceId, fields));
}

/** Records one sale, or says it is a duplicate (200, not an error). */
export async function recordSale(db: Db, auth: AuthContext, input: SaleInput, opts: { today?: string; lang?: Lang } = {}): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    const { resolved, issues } = await resolveSales(tx, auth, [input], { today: opts.today ?? clock.today() });
    const errs = issues.get(0);
    if (errs?.[0].code === 'SALE.CONFLICT') throw conflictError(input.sourceId, (await existingId(tx, input.sourceId))!, errs);
    if (errs) throw issueError(errs, opts.lang);
    const [r] = await insertResolved(tx, actorOf(auth), [resolved[0]!]);
    return r;
  });
}

/** Records up to 5,000 sales all-or-nothing: any invalid sale refuses the whole batch, listing each. */
export async function recordBatch(db: Db, auth: AuthContext, inputs: SaleInput[], lang: Lang, opts: { today?: string; actor?: Actor } = {}) {
  const seen = new Map<string, number>();
  inputs.forEach((s, i) => {
    const first = seen.get(s.sourceId);
    if (first !== undefined)
      throw new AppError(
        'SALE.DUPLICATE_SOURCE',
        { index: i, firstIndex: first, sourceId: s.sourceId },
        {
          zh: `第 ${i + 1} 笔与第 ${first + 1} 笔的交易流水号 ${s.sourceId} 重复`,
          en: `sales ${first + 1} and ${i + 1} share the source id ${s.sourceId}`,
        },
      );
    seen.set(s.sourceId, i);
  });
  return db.transaction(async (tx) => {
    const { resolved, issues } = await resolveSales(tx, auth, inputs, { today: opts.today ?? clock.today() });
    if (issues.size) {
      const details = [...issues].map(([index, errs]) => ({
        index,
        sourceId: inputs[index].sourceId,
        errors: errs.map((e) => ({ code: e.code, field: e.field, message: lang === 'en' ? e.en : e.zh })),
      }));
      throw new AppError('SALE.BATCH_INVALID', details, {
        zh: `${messageOf('SALE.BATCH_INVALID', 'zh-CN')}（${issues.size} 笔有误）`,
        en: `${messageOf('SALE.BATCH_INVALID', 'en')} (${issues.size} invalid)`,
      });
    }
    const results = await insertResolved(tx, opts.actor ?? actorOf(auth), resolved as ResolvedSale[]);
    const order = new Map(inputs.map((s, i) => [s.sourceId, i]));
    results.sort((a, b) => order.get(a.sourceId)! - order.get(b.sourceId)!);
    return { created: results.filter((r) => r.status === 'created').length, duplicates: results.filter((r) => r.status === 'duplicate').length, results };
  });
}

async function existingId(tx: DbOrTx, sourceId: string): Promise<number | undefined> {
  const [r] = await tx.select({ id: saleKeys.saleId }).from(saleKeys).where(eq(saleKeys.sourceId, sourceId));
  return r?.id;
}

/** A sale already recorded under its source id in its branch's province (sale_keys, migration 0049). */
type OnFile = { id: number; sourceId: string; fp: string | null; nodeId: number | null };

async function onFileOf(tx: DbOrTx, list: ResolvedSale[]): Promise<OnFile[]> {
  return rows<OnFile>(
    tx,
    sql`SELECT k.sale_id AS id, k.source_id AS "sourceId", k.content_sha256 AS fp, s.node_id AS "nodeId"
          FROM unnest(${textArray(list.map((r) => r.input.sourceId))}::text[], ${intArray(list.map((r) => r.nodeId))}::int[]) AS v(source_id, node_id)
          JOIN org_nodes o ON o.id = v.node_id
          JOIN sale_keys k ON k.source_id = v.source_id AND k.province_id = o.province_id
          LEFT JOIN sales s ON s.id = k.sale_id AND s.province_id = k.province_id AND s.sale_date = k.sale_date`,
  );
}

/**
 * Writes the sales of `slice` not yet on file and says which were. The source-id key lives in
 * sale_keys (sales is partitioned by month, migration 0049), so there is no ON CONFLICT to lean on:
 * the slice is read against the keys first, and a request that commits the same source id between
 * that read and the write makes the write fail with 23505 — rolled back to its savepoint and done
 * again, when the read sees it, as the ON CONFLICT DO NOTHING of before did.
 */
async function writeNewSales(tx: DbOrTx, actor: Actor, slice: ResolvedSale[]): Promise<{ inserted: { id: number; sourceId: string }[]; onFile: OnFile[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tx.transaction(async (sp) => {
        const onFile = await onFileOf(sp, slice);
        const known = new Set(onFile.map((f) => f.sourceId));
        const toWrite = slice.filter((r) => !known.has(r.input.sourceId));
        const inserted = toWrite.length
          ? await sp
              .insert(sales)
              .values(
                toWrite.map((r) => ({
                  sourceId: r.input.sourceId,
                  productId: r.productId,
                  personId: r.personId,
                  companyId: r.companyId,
                  projectId: r.input.projectId,
                  developmentId: r.developmentId,
                  saleDate: r.input.saleDate,
                  quantity1e4: r.input.quantity1e4,
                  hostDepartmentId: r.hostDepartmentId,
                  nodeId: r.nodeId,
                  contentSha256: r.fingerprint,
                  createdBy: actor.id,
                  createdAt: clock.now(),
                })),
              )
              .returning({ id: sales.id, sourceId: sales.sourceId })
          : [];
        return { inserted, onFile };
      });
    } catch (e) {
      if (attempt < 3 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

// ---- reading ------------------------------------------------------------------------------------

interface SaleRow {
  id: number;
  sourceId: string;
  saleDate: string;
  productId: number;
  productCode: string;
  productName: string;
  unit: string;
  mortgage: boolean;
  quantity1e4: number;
  personId: number | null;
  personName: string | null;
  personIdNumber: string | null;
  companyId: number | null;
  companyName: string | null;
  companyUscc: string | null;
  projectId: number | null;
  developmentId: number | null;
  developmentCode: string | null;
  developmentName: string | null;
  hostDepartmentId: number;
  hostDepartmentCode: string;
  hostDepartmentName: string;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  nodePath: string;
  scoreHundredths: number | null;
  participants: { departmentId: number; code: string; name: string; ratioBp: number | null; weight: number | null }[] | string;
  people:
    | { staffId: number; staffNo: string; name: string; departmentId: number; departmentCode: string; departmentName: string; role: string; contributionBp: number | null; weight: number | null }[]
    | string;
  createdBy: number | null;
  createdAt: string | Date;
}

function filterSql(auth: AuthContext, f: Partial<SaleFilter>): SQL {
  const conds: SQL[] = [saleListScope(auth, f.mine ?? false, sql`n.path`, sql`s.id`)];
  if (f.month) {
    const [from, to] = monthRange(f.month);
    conds.push(sql`s.sale_date >= ${from}::date AND s.sale_date < ${to}::date`);
  }
  if (f.dateFrom) conds.push(sql`s.sale_date >= ${f.dateFrom}::date`);
  if (f.dateTo) conds.push(sql`s.sale_date <= ${f.dateTo}::date`);
  if (f.nodeId) conds.push(sql`s.node_id = ${f.nodeId}`);
  if (f.productId) conds.push(sql`s.product_id = ${f.productId}`);
  if (f.productCode) conds.push(sql`s.product_id = (SELECT id FROM products WHERE code = ${f.productCode})`);
  if (f.developmentId) conds.push(sql`s.development_id = ${f.developmentId}`);
  if (f.departmentId) conds.push(sql`(s.host_department_id = ${f.departmentId} OR EXISTS (SELECT 1 FROM sale_departments sd WHERE sd.sale_id = s.id AND sd.department_id = ${f.departmentId}))`);
  if (f.staffId) conds.push(sql`EXISTS (SELECT 1 FROM sale_people sp WHERE sp.sale_id = s.id AND sp.staff_id = ${f.staffId})`);
  if (f.q) conds.push(sql`s.source_id ILIKE ${likeContains(f.q)}`);
  return and(...conds)!;
}

const FROM = sql`FROM sales s JOIN org_nodes n ON n.id = s.node_id`;

/** Sales with names, participants and people in one statement; the page is cut first. */
async function querySales(db: DbOrTx, where: SQL, page?: { limit: number; offset: number }, afterId?: number): Promise<SaleRow[]> {
  const list = await rows<SaleRow>(
    db,
    sql`WITH page AS (
          SELECT s.* ${FROM} WHERE ${where} ${afterId !== undefined ? sql`AND s.id > ${afterId}` : sql``}
          ORDER BY ${afterId !== undefined ? sql`s.id` : sql`s.sale_date DESC, s.id DESC`}
          ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``})
        SELECT s.id, s.source_id AS "sourceId", s.sale_date::text AS "saleDate", s.product_id AS "productId", p.code AS "productCode",
               p.name AS "productName", p.unit, p.mortgage, s.quantity_1e4 AS "quantity1e4", s.person_id AS "personId", i.name AS "personName",
               i.id_number AS "personIdNumber", s.company_id AS "companyId", c.name AS "companyName", c.uscc AS "companyUscc",
               s.project_id AS "projectId", s.development_id AS "developmentId", dv.code AS "developmentCode", dv.name AS "developmentName",
               s.host_department_id AS "hostDepartmentId", h.code AS "hostDepartmentCode", h.name AS "hostDepartmentName",
               s.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", n.path AS "nodePath",
               (SELECT ps.score_hundredths FROM product_scores ps WHERE ps.product_id = s.product_id AND ps.effective_from <= s.sale_date
                ORDER BY ps.effective_from DESC LIMIT 1) AS "scoreHundredths",
               COALESCE((SELECT json_agg(json_build_object('departmentId', d.id, 'code', d.code, 'name', d.name, 'ratioBp', sd.ratio_bp, 'weight', sd.weight) ORDER BY d.code)
                         FROM sale_departments sd JOIN departments d ON d.id = sd.department_id WHERE sd.sale_id = s.id), '[]'::json) AS participants,
               COALESCE((SELECT json_agg(json_build_object('staffId', st.id, 'staffNo', st.staff_no, 'name', st.name, 'departmentId', d.id,
                                                           'departmentCode', d.code, 'departmentName', d.name, 'role', sp.role,
                                                           'contributionBp', sp.contribution_bp, 'weight', sp.weight) ORDER BY d.code, st.staff_no)
                         FROM sale_people sp JOIN staff st ON st.id = sp.staff_id JOIN departments d ON d.id = sp.department_id
                         WHERE sp.sale_id = s.id), '[]'::json) AS people,
               s.created_by AS "createdBy", s.created_at AS "createdAt"
        FROM page s JOIN org_nodes n ON n.id = s.node_id JOIN products p ON p.id = s.product_id
        JOIN departments h ON h.id = s.host_department_id
        LEFT JOIN individuals i ON i.id = s.person_id LEFT JOIN corporate_clients c ON c.id = s.company_id
        LEFT JOIN developments dv ON dv.id = s.development_id
        ORDER BY ${afterId !== undefined ? sql`s.id` : sql`s.sale_date DESC, s.id DESC`}`,
  );
  return list;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** What leaves the server: ID numbers masked (SPEC §1), amounts as exact decimals. */
function present(r: SaleRow) {
  const participants = json(r.participants);
  const people = json(r.people);
  return {
    id: r.id,
    sourceId: r.sourceId,
    saleDate: r.saleDate,
    productId: r.productId,
    productCode: r.productCode,
    productName: r.productName,
    unit: r.unit,
    mortgage: r.mortgage,
    quantity: formatScaled(Number(r.quantity1e4), 4),
    quantity1e4: Number(r.quantity1e4),
    personId: r.personId,
    personName: r.personName,
    personIdNumber: maskIdNumber(r.personIdNumber),
    companyId: r.companyId,
    companyName: r.companyName,
    companyUscc: r.companyUscc,
    projectId: r.projectId,
    developmentId: r.developmentId,
    developmentCode: r.developmentCode,
    developmentName: r.developmentName,
    hostDepartmentId: r.hostDepartmentId,
    hostDepartmentCode: r.hostDepartmentCode,
    hostDepartmentName: r.hostDepartmentName,
    nodeId: r.nodeId,
    nodeCode: r.nodeCode,
    nodeName: r.nodeName,
    /** The unit score in force on the sale date, and quantity × score (exact). */
    unitScore: r.scoreHundredths === null ? null : formatHundredths(Number(r.scoreHundredths)),
    points: r.scoreHundredths === null ? null : salePoints(Number(r.quantity1e4), Number(r.scoreHundredths)),
    departments: participants.map((d) => ({ ...d, ratio: d.ratioBp === null ? null : formatHundredths(d.ratioBp) })),
    people: people.map((p) => ({ ...p, contribution: p.contributionBp === null ? null : formatHundredths(p.contributionBp) })),
    createdBy: r.createdBy,
    createdAt: new Date(r.createdAt),
  };
}
export type SaleView = ReturnType<typeof present>;

/** One page of sales in the caller's scope, newest first. */
export async function listSales(db: Db, auth: AuthContext, f: SaleFilter) {
  const where = filterSql(auth, f);
  const items = await querySales(db, where, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total ${FROM} WHERE ${where}`);
  return { items: items.map(present), total: Number(total), page: f.page, pageSize: f.pageSize };
}

/** Every matching sale (exports), by id in batches. */
export async function* allSales(db: Db, auth: AuthContext, f: Partial<SaleFilter>) {
  const where = filterSql(auth, f);
  let after = 0;
  for (;;) {
    const batch = await querySales(db, where, { limit: 2000, offset: 0 }, after);
    for (const r of batch) yield present(r);
    if (batch.length < 2000) return;
    after = batch[batch.length - 1].id;
  }
}

/** One sale with its departments, ratios, people and contributions: its branch's readers and its participants. */
export async function getSale(db: DbOrTx, auth: AuthContext, id: number) {
  const [r] = await querySales(db, sql`s.id = ${id}`);
  if (!r) throw new AppError('SALE.NOT_FOUND');
  const out = present(r);
  assertCanReadSale(auth, { nodePath: r.nodePath, staffIds: out.people.map((p) => p.staffId) });
  return out;
}
