import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { likeContains } from '../../db/like.js';
import { departments, productLines, products, productScores, sales } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertBankWide } from '../access/context.js';
import { BANK_WIDE, type Actor, appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { dayBefore, formatHundredths, parseScore } from './products.rules.js';
import type { CreateProductBody, ProductFilter, ProductOutT, PutLineBody, ScoreBody, UpdateProductBody } from './products.schemas.js';
import { clock } from '../../calendar/index.js';

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });
/**
 * The catalogue is bank-wide (SPEC §6): changing it needs product.write held at the province or
 * above, so a tier-2 branch cannot change the scores of its siblings.
 */
export function assertCatalogueWriter(auth: AuthContext): void {
  assertBankWide(auth, 'product.write', 'PRODUCT.WRITE_SCOPE');
}

// ---- product lines ------------------------------------------------------------------------------

export async function listLines(db: DbOrTx) {
  return db.select().from(productLines).orderBy(asc(productLines.sort), asc(productLines.code));
}

/** Creates or renames a product line (lines are data). */
export async function putLine(db: Db, auth: AuthContext, code: string, body: z.infer<typeof PutLineBody>) {
  assertCatalogueWriter(auth);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(productLines).where(eq(productLines.code, code));
    const after = { code, ...body };
    if (before && before.nameZh === after.nameZh && before.nameEn === after.nameEn && before.retail === after.retail && before.sort === after.sort) return before;
    await tx.insert(productLines).values(after).onConflictDoUpdate({ target: productLines.code, set: body });
    await appendAudit(tx, actorOf(auth), {
      action: before ? 'product_line.update' : 'product_line.create',
      entity: 'product_line',
      nodeId: BANK_WIDE,
      entityId: code,
      before: before ?? undefined,
      after,
    });
    return after;
  });
}

// ---- products -----------------------------------------------------------------------------------

interface ProductRow {
  id: number;
  code: string;
  name: string;
  lineCode: string;
  lineName: string;
  hostDepartmentCode: string;
  hostDepartmentName: string | null;
  unit: string;
  mortgage: boolean;
  active: boolean;
  scoreHundredths: number | null;
  scoreFrom: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** Products with the score version in force on `day`, in one statement. */
async function queryProducts(db: DbOrTx, where: SQL, day: string, page?: { limit: number; offset: number }): Promise<ProductOutT[]> {
  const list = await rows<ProductRow>(
    db,
    sql`SELECT p.id, p.code, p.name, p.line_code AS "lineCode", l.name_zh AS "lineName", p.host_department_code AS "hostDepartmentCode",
               hd.name AS "hostDepartmentName", p.unit, p.mortgage, p.active, s.score_hundredths AS "scoreHundredths", s.effective_from::text AS "scoreFrom",
               p.created_at AS "createdAt", p.updated_at AS "updatedAt"
        FROM products p JOIN product_lines l ON l.code = p.line_code
        LEFT JOIN LATERAL (SELECT score_hundredths, effective_from FROM product_scores ps
                           WHERE ps.product_id = p.id AND ps.effective_from <= ${day}::date
                           ORDER BY ps.effective_from DESC LIMIT 1) s ON true
        -- The name the branches give the code (PF → 个人金融部): the most common one.
        LEFT JOIN LATERAL (SELECT d.name FROM departments d WHERE d.code = p.host_department_code AND d.active
                           GROUP BY d.name ORDER BY count(*) DESC, d.name LIMIT 1) hd ON true
        WHERE ${where}
        ORDER BY l.sort, p.line_code, p.code
        ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`,
  );
  return list.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    lineCode: r.lineCode,
    lineName: r.lineName,
    hostDepartmentCode: r.hostDepartmentCode,
    hostDepartmentName: r.hostDepartmentName,
    unit: r.unit,
    mortgage: r.mortgage,
    active: r.active,
    score: r.scoreHundredths === null ? null : formatHundredths(Number(r.scoreHundredths)),
    scoreFrom: r.scoreFrom,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  }));
}

function filterSql(f: Partial<ProductFilter>): SQL {
  const conds: SQL[] = [sql`true`];
  if (f.q) {
    const like = likeContains(f.q);
    conds.push(sql`(p.code ILIKE ${like} OR p.name ILIKE ${like})`);
  }
  if (f.lineCode) conds.push(sql`p.line_code = ${f.lineCode}`);
  if (f.active !== undefined) conds.push(sql`p.active = ${f.active}`);
  return and(...conds)!;
}

/** One page of the catalogue, each product with its score in force on the day asked. */
export async function listProducts(db: Db, f: ProductFilter) {
  const where = filterSql(f);
  const items = await queryProducts(db, where, f.date ?? clock.today(), { limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM products p WHERE ${where}`);
  return { items, total: Number(total), page: f.page, pageSize: f.pageSize };
}

/** Every product matching (for export). */
export async function allProducts(db: Db, f: Partial<ProductFilter>) {
  return queryProducts(db, filterSql(f), f.date ?? clock.today());
}

export async function getProduct(db: DbOrTx, id: number, day = clock.today()): Promise<ProductOutT> {
  const [p] = await queryProducts(db, sql`p.id = ${id}`, day);
  if (!p) throw new AppError('PRODUCT.NOT_FOUND');
  return p;
}

async function assertLine(db: DbOrTx, lineCode: string) {
  const [l] = await db.select({ code: productLines.code }).from(productLines).where(eq(productLines.code, lineCode));
  if (!l) throw new AppError('PRODUCT.UNKNOWN_LINE', { lineCode });
}

/** A host department code must name a department somewhere (it is resolved per branch). */
async function assertHostCode(db: DbOrTx, code: string) {
  const [d] = await db.select({ id: departments.id }).from(departments).where(eq(departments.code, code)).limit(1);
  if (!d) throw new AppError('PRODUCT.UNKNOWN_HOST_DEPARTMENT', { hostDepartmentCode: code });
}

const auditable = (p: Pick<ProductOutT, 'code' | 'name' | 'lineCode' | 'hostDepartmentCode' | 'unit' | 'mortgage' | 'active'>) => ({
  code: p.code,
  name: p.name,
  lineCode: p.lineCode,
  hostDepartmentCode: p.hostDepartmentCode,
  unit: p.unit,
  mortgage: p.mortgage,
  active: p.active,
});

export async function createProduct(db: Db, auth: AuthContext, body: z.infer<typeof CreateProductBody>) {
  assertCatalogueWriter(auth);
  await assertLine(db, body.lineCode);
  await assertHostCode(db, body.hostDepartmentCode);
  const first = body.score ? parseScore(body.score.score) : undefined;
  if (body.score && first === undefined) throw new AppError('PRODUCT.BAD_SCORE', { score: body.score.score });
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: products.id }).from(products).where(eq(products.code, body.code));
    if (clash) throw new AppError('PRODUCT.CODE_TAKEN', { code: body.code });
    const { score, ...fields } = body;
    const [created] = await tx.insert(products).values(fields).returning({ id: products.id });
    const audit: AuditEntryInput[] = [{ action: 'product.create', entity: 'product', nodeId: BANK_WIDE, entityId: created.id, after: auditable({ ...fields, active: true }) }];
    if (score && first !== undefined) {
      const [v] = await tx
        .insert(productScores)
        .values({ productId: created.id, scoreHundredths: first, effectiveFrom: score.effectiveFrom, note: score.note ?? null, createdBy: auth.staffId })
        .returning({ id: productScores.id });
      audit.push({
        action: 'product.score',
        entity: 'product_score',
        nodeId: BANK_WIDE,
        entityId: v.id,
        after: { product: body.code, score: formatHundredths(first), effectiveFrom: score.effectiveFrom },
      });
    }
    await appendAudit(tx, actorOf(auth), audit);
    return getProduct(tx, created.id);
  });
}

export async function updateProduct(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateProductBody>) {
  assertCatalogueWriter(auth);
  const before = await getProduct(db, id);
  if (body.lineCode) await assertLine(db, body.lineCode);
  if (body.hostDepartmentCode) await assertHostCode(db, body.hostDepartmentCode);
  const after = { ...before, ...body };
  if (JSON.stringify(auditable(before)) === JSON.stringify(auditable(after))) return before;
  return db.transaction(async (tx) => {
    await tx
      .update(products)
      .set({ ...body, updatedAt: clock.now() })
      .where(eq(products.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'product.update', entity: 'product', nodeId: BANK_WIDE, entityId: id, before: auditable(before), after: auditable(after) });
    // A changed mortgage flag changes how the product's sales score (SPEC §8).
    if (body.mortgage !== undefined && body.mortgage !== before.mortgage) await rescore(tx, sql`product_id = ${id}`);
    return getProduct(tx, id);
  });
}

// ---- unit score versions (SPEC §6) ---------------------------------------------------------------

type ScoreRow = typeof productScores.$inferSelect;

function presentScores(list: ScoreRow[]) {
  const asc_ = [...list].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return asc_
    .map((v, i) => ({
      id: v.id,
      productId: v.productId,
      score: formatHundredths(v.scoreHundredths),
      scoreHundredths: v.scoreHundredths,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: asc_[i + 1] ? dayBefore(asc_[i + 1].effectiveFrom) : null,
      note: v.note,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    }))
    .reverse();
}

/** Every version of a product's unit score, newest first. */
export async function scoreHistory(db: DbOrTx, productId: number) {
  await getProduct(db, productId);
  return presentScores(await db.select().from(productScores).where(eq(productScores.productId, productId)));
}

/** The version in force on `day`, or PRODUCT.NO_SCORE. */
export async function scoreInForce(db: DbOrTx, productId: number, day: string) {
  const history = await scoreHistory(db, productId);
  const v = history.find((h) => h.effectiveFrom <= day);
  if (!v) throw new AppError('PRODUCT.NO_SCORE', { productId, date: day });
  return v;
}

/** Scores again, in the caller's transaction, the sales matching `where` (idempotent in the ledger). */
async function rescore(tx: DbOrTx, where: SQL): Promise<number> {
  const ids = (await rows<{ id: number }>(tx, sql`SELECT id FROM sales WHERE ${where} ORDER BY id`)).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) await scoreSales(tx, ids.slice(i, i + 5000));
  return ids.length;
}

/**
 * Adds a version (never edits one). A version starting in the past re-scores, in the same
 * transaction, the sales already recorded in its days — the ledger then holds a reversal and a
 * new entry for each sale whose points changed.
 */
export async function addScore(db: Db, auth: AuthContext, productId: number, body: z.infer<typeof ScoreBody>) {
  assertCatalogueWriter(auth);
  const product = await getProduct(db, productId);
  const h = parseScore(body.score);
  if (h === undefined) throw new AppError('PRODUCT.BAD_SCORE', { score: body.score });
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: productScores.id })
      .from(productScores)
      .where(and(eq(productScores.productId, productId), eq(productScores.effectiveFrom, body.effectiveFrom)));
    if (taken) throw new AppError('PRODUCT.SCORE_DATE_TAKEN', { effectiveFrom: body.effectiveFrom });
    const before = await tx.select().from(productScores).where(eq(productScores.productId, productId));
    const previous = presentScores(before).find((v) => v.effectiveFrom < body.effectiveFrom);
    const next = [...before].filter((v) => v.effectiveFrom > body.effectiveFrom).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
    const [v] = await tx
      .insert(productScores)
      .values({ productId, scoreHundredths: h, effectiveFrom: body.effectiveFrom, note: body.note ?? null, createdBy: auth.staffId })
      .returning();
    await appendAudit(tx, actorOf(auth), {
      action: 'product.score',
      entity: 'product_score',
      nodeId: BANK_WIDE,
      entityId: v.id,
      before: previous ? { product: product.code, score: previous.score, effectiveFrom: previous.effectiveFrom } : undefined,
      after: { product: product.code, score: formatHundredths(h), effectiveFrom: body.effectiveFrom, note: body.note ?? null },
    });
    const rescoredSales = await rescore(tx, and(eq(sales.productId, productId), sql`sale_date >= ${body.effectiveFrom}::date`, next ? sql`sale_date < ${next.effectiveFrom}::date` : sql`true`)!);
    const out = presentScores([...before, v]).find((x) => x.id === v.id)!;
    return { ...out, rescoredSales };
  });
}
