import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { developmentFigures, developments } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { assertReference } from '../access/references.js';
import { appendAudit } from '../audit/audit.service.js';
import { getNodeOr404 } from '../org/org.queries.js';
import { actorOf } from '../products/products.service.js';
import { formatHundredths, parseFixed } from '../products/products.rules.js';
import { likeContains } from '../../db/like.js';
import { assertBranch, CLIENT_REACH, inSaleScope } from '../sales/sales.policy.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { meetsThreshold, ratioBp, thresholdBp } from './developments.rules.js';
import type { CreateDevelopmentBody, FigureBody, UpdateDevelopmentBody } from './developments.schemas.js';
import { clock } from '../../calendar/index.js';

interface DevRow {
  id: number;
  code: string;
  name: string;
  developerId: number;
  developerName: string;
  nodeId: number;
  nodeName: string;
  nodePath: string;
  lenderMode: 'sole' | 'partial';
  loanShareBp: number | null;
  createdAt: string | Date;
  figure: { id: number; asOf: string; totalHouseholds: number; bankHouseholds: number; createdBy: number | null; createdAt: string } | string | null;
}

type Figure = { id: number; asOf: string; totalHouseholds: number; bankHouseholds: number; createdBy: number | null; createdAt: string | Date };

function presentFigure(f: Figure, threshold: number) {
  const r = ratioBp(f.bankHouseholds, f.totalHouseholds);
  return {
    id: f.id,
    asOf: f.asOf,
    totalHouseholds: f.totalHouseholds,
    bankHouseholds: f.bankHouseholds,
    ratio: r === null ? null : formatHundredths(r),
    meetsThreshold: meetsThreshold(f.bankHouseholds, f.totalHouseholds, threshold),
    createdBy: f.createdBy,
    createdAt: new Date(f.createdAt),
  };
}

function present(r: DevRow) {
  const t = thresholdBp(r.lenderMode, r.loanShareBp);
  const figure = typeof r.figure === 'string' ? (JSON.parse(r.figure) as Figure) : r.figure;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    developerId: r.developerId,
    developerName: r.developerName,
    nodeId: r.nodeId,
    nodeName: r.nodeName,
    lenderMode: r.lenderMode,
    loanShare: r.loanShareBp === null ? null : formatHundredths(r.loanShareBp),
    loanShareBp: r.loanShareBp,
    threshold: formatHundredths(t),
    thresholdBp: t,
    latest: figure ? presentFigure(figure, t) : null,
    createdAt: new Date(r.createdAt),
  };
}

async function queryDevelopments(db: DbOrTx, where: SQL, page?: { limit: number; offset: number }) {
  const list = await rows<DevRow>(
    db,
    sql`SELECT d.id, d.code, d.name, d.developer_id AS "developerId", c.name AS "developerName", d.node_id AS "nodeId",
               n.name AS "nodeName", n.path AS "nodePath", d.lender_mode AS "lenderMode", d.loan_share_bp AS "loanShareBp",
               d.created_at AS "createdAt",
               (SELECT json_build_object('id', f.id, 'asOf', f.as_of, 'totalHouseholds', f.total_households, 'bankHouseholds', f.bank_households,
                                         'createdBy', f.created_by, 'createdAt', f.created_at)
                FROM development_figures f WHERE f.development_id = d.id ORDER BY f.as_of DESC LIMIT 1) AS figure
        FROM developments d JOIN corporate_clients c ON c.id = d.developer_id JOIN org_nodes n ON n.id = d.node_id
        WHERE ${where}
        ORDER BY d.code
        ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`,
  );
  return list;
}

async function getRow(db: DbOrTx, id: number) {
  const [r] = await queryDevelopments(db, sql`d.id = ${id}`);
  if (!r) throw new AppError('DEVELOPMENT.NOT_FOUND');
  return r;
}

/** Developments in the caller's scope (sale.read, widened to the branch). */
export async function listDevelopments(db: Db, auth: AuthContext, f: { page: number; pageSize: number; q?: string; nodeId?: number; developerId?: number }) {
  const conds: SQL[] = [inSaleScope(auth, 'sale.read', sql`n.path`)];
  if (f.q) conds.push(sql`(d.code ILIKE ${likeContains(f.q)} OR d.name ILIKE ${likeContains(f.q)})`);
  if (f.nodeId) conds.push(sql`d.node_id = ${f.nodeId}`);
  if (f.developerId) conds.push(sql`d.developer_id = ${f.developerId}`);
  const where = and(...conds)!;
  const list = await queryDevelopments(db, where, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM developments d JOIN org_nodes n ON n.id = d.node_id WHERE ${where}`);
  return { items: list.map(present), total: Number(total), page: f.page, pageSize: f.pageSize };
}

export async function getDevelopment(db: DbOrTx, auth: AuthContext, id: number) {
  const r = await getRow(db, id);
  assertBranch(auth, 'sale.read', r.nodePath);
  return present(r);
}

/** Lender mode and loan share → the stored basis points (SPEC §8). */
function shareBp(mode: 'sole' | 'partial', share: string | number | null | undefined): number | null {
  if (mode === 'sole') {
    if (share !== null && share !== undefined && parseFixed(share, 2) !== 10_000) throw new AppError('DEVELOPMENT.BAD_SHARE', { loanShare: share });
    return null;
  }
  const bp = share === null || share === undefined ? undefined : parseFixed(share, 2);
  if (bp === undefined || bp <= 0 || bp >= 10_000) throw new AppError('DEVELOPMENT.BAD_SHARE', { loanShare: share ?? null });
  return bp;
}

/**
 * The developer must be a corporate client the caller reads (issue 10, finding 11): a 佛山
 * development cannot name — and so show to all of 佛山 — a 河源 company.
 */
async function assertDeveloper(db: DbOrTx, auth: AuthContext, developerId: number) {
  await assertReference(db, auth, 'company', developerId, { notFound: 'DEVELOPMENT.NOT_CORPORATE_CLIENT', details: { developerId }, reach: CLIENT_REACH });
}

const auditable = (d: { code: string; name: string; developerId: number; nodeId: number; lenderMode: string; loanShareBp: number | null }) => ({
  code: d.code,
  name: d.name,
  developerId: d.developerId,
  nodeId: d.nodeId,
  lenderMode: d.lenderMode,
  loanShareBp: d.loanShareBp,
});

export async function createDevelopment(db: Db, auth: AuthContext, body: z.infer<typeof CreateDevelopmentBody>) {
  const node = await getNodeOr404(db, body.nodeId);
  assertBranch(auth, 'development.write', node.path);
  if (node.level !== 'province' && node.level !== 'branch') throw new AppError('DEVELOPMENT.NOT_A_BRANCH', { nodeId: node.id });
  await assertDeveloper(db, auth, body.developerId);
  const loanShareBp = shareBp(body.lenderMode, body.loanShare);
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: developments.id }).from(developments).where(eq(developments.code, body.code));
    if (clash) throw new AppError('DEVELOPMENT.CODE_TAKEN', { code: body.code });
    const values = { code: body.code, name: body.name, developerId: body.developerId, nodeId: node.id, lenderMode: body.lenderMode, loanShareBp };
    const [d] = await tx.insert(developments).values(values).returning({ id: developments.id });
    await appendAudit(tx, actorOf(auth), { action: 'development.create', entity: 'development', entityId: d.id, nodeId: node.id, after: auditable(values) });
    return present(await getRow(tx, d.id));
  });
}

/** Re-scores the development's sales from `fromDay` on: its mortgage verdict may have changed. */
async function rescoreDevelopment(tx: DbOrTx, developmentId: number, fromDay: string) {
  const ids = (await rows<{ id: number }>(tx, sql`SELECT id FROM sales WHERE development_id = ${developmentId} AND sale_date >= ${fromDay}::date ORDER BY id`)).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) await scoreSales(tx, ids.slice(i, i + 5000));
  return ids.length;
}

export async function updateDevelopment(db: Db, auth: AuthContext, id: number, body: z.infer<typeof UpdateDevelopmentBody>) {
  const before = await getRow(db, id);
  assertBranch(auth, 'development.write', before.nodePath);
  if (body.developerId && body.developerId !== before.developerId) await assertDeveloper(db, auth, body.developerId);
  const lenderMode = body.lenderMode ?? before.lenderMode;
  const loanShareBp =
    body.loanShare !== undefined || body.lenderMode !== undefined
      ? shareBp(lenderMode, body.loanShare === undefined ? (before.loanShareBp === null ? null : formatHundredths(before.loanShareBp)) : body.loanShare)
      : before.loanShareBp;
  const after = { ...before, name: body.name ?? before.name, developerId: body.developerId ?? before.developerId, lenderMode, loanShareBp };
  if (JSON.stringify(auditable(before)) === JSON.stringify(auditable(after))) return present(before);
  return db.transaction(async (tx) => {
    await tx.update(developments).set({ name: after.name, developerId: after.developerId, lenderMode, loanShareBp }).where(eq(developments.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'development.update', entity: 'development', entityId: id, nodeId: before.nodeId, before: auditable(before), after: auditable(after) });
    if (lenderMode !== before.lenderMode || loanShareBp !== before.loanShareBp) await rescoreDevelopment(tx, id, '1900-01-01');
    return present(await getRow(tx, id));
  });
}

/** Deletes a development nobody has used yet (no sales, no figures). */
export async function deleteDevelopment(db: Db, auth: AuthContext, id: number) {
  const before = await getRow(db, id);
  assertBranch(auth, 'development.write', before.nodePath);
  await db.transaction(async (tx) => {
    const [used] = await rows<{ n: number }>(
      tx,
      sql`SELECT ((SELECT count(*) FROM sales WHERE development_id = ${id}) + (SELECT count(*) FROM development_figures WHERE development_id = ${id}))::int AS n`,
    );
    if (used.n > 0) throw new AppError('DEVELOPMENT.IN_USE');
    await tx.delete(developments).where(eq(developments.id, id));
    await appendAudit(tx, actorOf(auth), { action: 'development.delete', entity: 'development', entityId: id, nodeId: before.nodeId, before: auditable(before) });
  });
}

/** Cumulative figures of a development, newest first. */
export async function listFigures(db: DbOrTx, auth: AuthContext, id: number) {
  const d = await getDevelopment(db, auth, id);
  const list = await db.select().from(developmentFigures).where(eq(developmentFigures.developmentId, id));
  return list.sort((a, b) => b.asOf.localeCompare(a.asOf)).map((f) => presentFigure(f, d.thresholdBp));
}

/**
 * Adds the cumulative mortgage households as of a day (SPEC §8): rows are added over time, never
 * edited. The development's sales from that month on are scored again in the same transaction.
 */
export async function addFigures(db: Db, auth: AuthContext, id: number, body: z.infer<typeof FigureBody>, opts: { today?: string } = {}) {
  const d = await getRow(db, id);
  assertBranch(auth, 'development.write', d.nodePath);
  if (body.bankHouseholds > body.totalHouseholds) throw new AppError('DEVELOPMENT.BANK_EXCEEDS_TOTAL', body);
  if (body.asOf > (opts.today ?? clock.today())) throw new AppError('DEVELOPMENT.FUTURE_DATE', { asOf: body.asOf });
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: developmentFigures.id })
      .from(developmentFigures)
      .where(and(eq(developmentFigures.developmentId, id), eq(developmentFigures.asOf, body.asOf)));
    if (taken) throw new AppError('DEVELOPMENT.FIGURE_DATE_TAKEN', { asOf: body.asOf });
    const [f] = await tx
      .insert(developmentFigures)
      .values({ developmentId: id, ...body, createdBy: auth.staffId })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'development.figures', entity: 'development', entityId: id, nodeId: d.nodeId, after: { code: d.code, ...body } });
    await rescoreDevelopment(tx, id, `${body.asOf.slice(0, 7)}-01`);
    return presentFigure(f, thresholdBp(d.lenderMode, d.loanShareBp));
  });
}
