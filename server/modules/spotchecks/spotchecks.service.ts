import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { spotCheckEvidence, spotCheckItems, spotChecks } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import type { OrgNode } from '../org/org.queries.js';
import { periodOfMonth } from '../periods/periods.rules.js';
import { findPeriod } from '../periods/periods.service.js';
import { actorOf } from '../products/products.service.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { pts } from '../scoring/split.service.js';
import { drawSample, type SizeRule, sampleSize } from './sampling.js';
import type { DrawBodyT, MarkBodyT, SpotCheckOutT } from './spotchecks.schemas.js';

type SpotCheckRow = typeof spotChecks.$inferSelect;

/** Spot checks happen while the month is with the committee, before the audit closes (SPEC §9.4). */
async function assertAuditing(tx: DbOrTx, nodeId: number, period: string) {
  const p = await findPeriod(tx, nodeId, period, { forUpdate: true });
  if (p.state !== 'submitted') throw new AppError(p.state === 'locked' ? 'PERIOD.LOCKED' : 'PERIOD.BAD_TRANSITION', { state: p.state });
}

async function findCheck(db: DbOrTx, nodeId: number, period: string, forUpdate = false): Promise<SpotCheckRow | undefined> {
  const q = db
    .select()
    .from(spotChecks)
    .where(and(eq(spotChecks.nodeId, nodeId), eq(spotChecks.period, period)))
    .limit(1);
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

/** The month's live sales in id order: the population a sample is drawn from. */
async function population(tx: DbOrTx, nodeId: number, period: string): Promise<number[]> {
  const r = await rows<{ id: number }>(
    tx,
    sql`SELECT id FROM sales WHERE node_id = ${nodeId} AND struck_at IS NULL
        AND sale_date >= ${period}::date AND sale_date < (${period}::date + interval '1 month')::date ORDER BY id`,
  );
  return r.map((x) => Number(x.id));
}

const sampleOf = async (tx: DbOrTx, checkId: number) =>
  (await tx.select({ saleId: spotCheckItems.saleId }).from(spotCheckItems).where(eq(spotCheckItems.spotCheckId, checkId)).orderBy(spotCheckItems.saleId)).map((r) => r.saleId);

/**
 * Draws the month's sample with a seeded PRNG (sampling.ts) and records the seed, the rule and
 * the population, so the draw can be reproduced. Drawing again (same or another seed) replaces
 * the sample only while nothing has been checked.
 */
export async function drawSpotCheck(db: Db, auth: AuthContext, node: OrgNode, month: string, body: DrawBodyT, now: Date): Promise<void> {
  const period = periodOfMonth(month);
  const rule: SizeRule = body.count !== undefined ? { count: body.count } : { percentBp: body.percent!, minimum: body.minimum ?? 1 };
  const seed = body.seed ?? randomBytes(8).toString('hex');
  await db.transaction(async (tx) => {
    await assertAuditing(tx, node.id, period);
    const existing = await findCheck(tx, node.id, period, true);
    let before: unknown = null;
    if (existing) {
      const [used] = await rows<{ n: number }>(
        tx,
        sql`SELECT (SELECT count(*) FROM spot_check_items WHERE spot_check_id = ${existing.id} AND result <> 'pending')
                 + (SELECT count(*) FROM spot_check_evidence WHERE spot_check_id = ${existing.id}) AS n`,
      );
      if (Number(used.n) > 0) throw new AppError('SPOTCHECK.ALREADY_MARKED');
      before = { seed: existing.seed, sizeRule: existing.sizeRule, sample: await sampleOf(tx, existing.id) };
    }
    const ids = await population(tx, node.id, period);
    if (ids.length === 0) throw new AppError('SPOTCHECK.EMPTY_POPULATION');
    const size = sampleSize(rule, ids.length);
    if (size < 1) throw new AppError('SPOTCHECK.BAD_SIZE');
    const sample = drawSample(ids, size, seed);
    const values = { seed, sizeRule: rule, population: ids, sampleSize: size, drawnBy: auth.staffId, drawnAt: now };
    let checkId: number;
    if (existing) {
      await tx.update(spotChecks).set(values).where(eq(spotChecks.id, existing.id));
      await tx.delete(spotCheckItems).where(eq(spotCheckItems.spotCheckId, existing.id));
      checkId = existing.id;
    } else {
      const [c] = await tx
        .insert(spotChecks)
        .values({ nodeId: node.id, period, ...values })
        .returning({ id: spotChecks.id });
      checkId = c.id;
    }
    for (let i = 0; i < sample.length; i += 2000) {
      await tx.insert(spotCheckItems).values(sample.slice(i, i + 2000).map((saleId) => ({ spotCheckId: checkId, saleId })));
    }
    await appendAudit(tx, actorOf(auth), {
      action: 'spotcheck.draw',
      entity: 'spot_check',
      entityId: `${node.code}/${month}`,
      nodeId: node.id,
      before,
      after: { seed, sizeRule: rule, populationCount: ids.length, sample },
    });
  });
}

/**
 * Records a sampled sale verified or false (SPEC §9.4). False strikes the sale (struck_at, reason)
 * and re-scores it: its ledger lines are reversed, so its net points become zero. A sale found
 * false stays false.
 */
export async function markSample(db: Db, auth: AuthContext, node: OrgNode, month: string, saleId: number, body: MarkBodyT, now: Date): Promise<void> {
  const period = periodOfMonth(month);
  const note = body.note?.trim() || null;
  if (body.result === 'false' && !note) throw new AppError('SPOTCHECK.NOTE_REQUIRED');
  await db.transaction(async (tx) => {
    await assertAuditing(tx, node.id, period);
    const check = await findCheck(tx, node.id, period);
    if (!check) throw new AppError('SPOTCHECK.NOT_FOUND');
    const [item] = await tx
      .select()
      .from(spotCheckItems)
      .where(and(eq(spotCheckItems.spotCheckId, check.id), eq(spotCheckItems.saleId, saleId)))
      .for('update');
    if (!item) throw new AppError('SPOTCHECK.NOT_SAMPLED');
    if (item.result === 'false') throw new AppError('SPOTCHECK.ALREADY_FALSE');
    let ledger: unknown = null;
    if (body.result === 'false') {
      await tx.execute(sql`UPDATE sales SET struck_at = ${now.toISOString()}::timestamptz, struck_reason = ${`抽查认定虚假：${note}`} WHERE id = ${saleId} AND struck_at IS NULL`);
      ledger = await scoreSales(tx, [saleId]);
    }
    const [after] = await tx
      .update(spotCheckItems)
      .set({ result: body.result, note, checkedBy: auth.staffId, checkedAt: now })
      .where(and(eq(spotCheckItems.spotCheckId, check.id), eq(spotCheckItems.saleId, saleId)))
      .returning();
    await appendAudit(tx, actorOf(auth), {
      action: 'spotcheck.mark',
      entity: 'spot_check_item',
      entityId: `${node.code}/${month}/${saleId}`,
      nodeId: node.id,
      before: item,
      after: { ...after, ledger },
    });
  });
}

export interface EvidenceFile {
  fileName: string;
  mime: string;
  bytes: Buffer;
}

/** Stores an evidence file of a sampled sale (bytes, name, type, SHA-256), audited. */
export async function addEvidence(db: Db, auth: AuthContext, node: OrgNode, month: string, saleId: number, file: EvidenceFile, now: Date) {
  const period = periodOfMonth(month);
  return db.transaction(async (tx) => {
    await assertAuditing(tx, node.id, period);
    const check = await findCheck(tx, node.id, period);
    if (!check) throw new AppError('SPOTCHECK.NOT_FOUND');
    const [item] = await tx
      .select()
      .from(spotCheckItems)
      .where(and(eq(spotCheckItems.spotCheckId, check.id), eq(spotCheckItems.saleId, saleId)));
    if (!item) throw new AppError('SPOTCHECK.NOT_SAMPLED');
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const [row] = await tx
      .insert(spotCheckEvidence)
      .values({ spotCheckId: check.id, saleId, fileName: file.fileName, mime: file.mime, size: file.bytes.length, sha256, bytes: file.bytes, uploadedBy: auth.staffId, uploadedAt: now })
      .returning({ id: spotCheckEvidence.id });
    const meta = { id: row.id, fileName: file.fileName, mime: file.mime, size: file.bytes.length, sha256, uploadedAt: now.toISOString() };
    await appendAudit(tx, actorOf(auth), { action: 'spotcheck.evidence', entity: 'spot_check_item', entityId: `${node.code}/${month}/${saleId}`, nodeId: node.id, after: meta });
    return meta;
  });
}

export async function getEvidence(db: DbOrTx, node: OrgNode, month: string, saleId: number, evidenceId: number) {
  const check = await findCheck(db, node.id, periodOfMonth(month));
  if (!check) throw new AppError('SPOTCHECK.EVIDENCE_NOT_FOUND');
  const [r] = await db
    .select()
    .from(spotCheckEvidence)
    .where(and(eq(spotCheckEvidence.id, evidenceId), eq(spotCheckEvidence.spotCheckId, check.id), eq(spotCheckEvidence.saleId, saleId)));
  if (!r) throw new AppError('SPOTCHECK.EVIDENCE_NOT_FOUND');
  return r;
}

const fmtQty = (q: number) => {
  const whole = Math.trunc(q / 10000);
  const frac = String(Math.abs(q) % 10000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
};

/** The month's spot check: seed, rule, summary and every sampled sale with its result. */
export async function spotCheckView(db: DbOrTx, node: OrgNode, month: string): Promise<SpotCheckOutT> {
  const check = await findCheck(db, node.id, periodOfMonth(month));
  if (!check) throw new AppError('SPOTCHECK.NOT_FOUND');
  const items = await rows<{
    sale_id: number;
    source_id: string;
    sale_date: string;
    product_name: string;
    unit: string;
    quantity_1e4: number;
    struck_at: string | Date | null;
    points: number;
    result: 'pending' | 'verified' | 'false';
    note: string | null;
    checked_by: number | null;
    checked_by_name: string | null;
    checked_at: string | Date | null;
  }>(
    db,
    sql`SELECT i.sale_id, s.source_id, s.sale_date::text AS sale_date, p.name AS product_name, p.unit, s.quantity_1e4, s.struck_at,
               (SELECT coalesce(sum(e.points_hundredths) FILTER (WHERE e.kind <> 'void'), 0)::bigint FROM ledger_entries e WHERE e.sale_id = i.sale_id) AS points,
               i.result, i.note, i.checked_by, cb.name AS checked_by_name, i.checked_at
        FROM spot_check_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = s.product_id
        LEFT JOIN staff cb ON cb.id = i.checked_by
        WHERE i.spot_check_id = ${check.id} ORDER BY i.sale_id`,
  );
  const evidence = await db
    .select({
      id: spotCheckEvidence.id,
      saleId: spotCheckEvidence.saleId,
      fileName: spotCheckEvidence.fileName,
      mime: spotCheckEvidence.mime,
      size: spotCheckEvidence.size,
      sha256: spotCheckEvidence.sha256,
      uploadedAt: spotCheckEvidence.uploadedAt,
    })
    .from(spotCheckEvidence)
    .where(eq(spotCheckEvidence.spotCheckId, check.id))
    .orderBy(spotCheckEvidence.id);
  const [drawer] = await rows<{ name: string }>(db, sql`SELECT name FROM staff WHERE id = ${check.drawnBy}`);
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  const count = (r: string) => items.filter((i) => i.result === r).length;
  return {
    id: check.id,
    nodeId: node.id,
    month,
    seed: check.seed,
    sizeRule: check.sizeRule as SizeRule,
    populationCount: check.population.length,
    sampleSize: check.sampleSize,
    drawnBy: { id: check.drawnBy, name: drawer?.name ?? '' },
    drawnAt: check.drawnAt.toISOString(),
    summary: { sampled: items.length, verified: count('verified'), false: count('false'), pending: count('pending') },
    items: items.map((i) => ({
      saleId: i.sale_id,
      sourceId: i.source_id,
      saleDate: i.sale_date,
      productName: i.product_name,
      quantity: fmtQty(Number(i.quantity_1e4)),
      unit: i.unit,
      points: pts(i.points),
      struck: i.struck_at !== null,
      result: i.result,
      note: i.note,
      checkedBy: i.checked_by === null ? null : { id: i.checked_by, name: i.checked_by_name ?? '' },
      checkedAt: iso(i.checked_at),
      evidence: evidence.filter((e) => e.saleId === i.sale_id).map(({ saleId: _s, uploadedAt, ...e }) => ({ ...e, uploadedAt: uploadedAt.toISOString() })),
    })),
  };
}

/** Re-draws with the recorded seed over the recorded population: the sample must come out the same. */
export async function verifySpotCheck(db: DbOrTx, node: OrgNode, month: string) {
  const check = await findCheck(db, node.id, periodOfMonth(month));
  if (!check) throw new AppError('SPOTCHECK.NOT_FOUND');
  const recorded = await sampleOf(db, check.id);
  const redrawn = drawSample(check.population, check.sampleSize, check.seed).sort((a, b) => a - b);
  return { seed: check.seed, reproduced: recorded.length === redrawn.length && recorded.every((id, i) => id === redrawn[i]), recorded, redrawn };
}

/** The audit summary (sampled / verified / false / pending) of every branch in scope for a month. */
export async function spotCheckSummaries(db: DbOrTx, scope: string[], month: string) {
  if (scope.length === 0) return [];
  const period = periodOfMonth(month);
  const inScope = sql.join(
    scope.map((p) => sql`n.path LIKE ${`${p}%`}`),
    sql` OR `,
  );
  const r = await rows<{ node_id: number; code: string; name: string; state: string | null; drawn: boolean; sampled: number; verified: number; falsified: number; pending: number; sales: number }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, p.state, (c.id IS NOT NULL) AS drawn,
               coalesce(x.sampled, 0)::int AS sampled, coalesce(x.verified, 0)::int AS verified,
               coalesce(x.falsified, 0)::int AS falsified, coalesce(x.pending, 0)::int AS pending,
               (SELECT count(*)::int FROM sales s WHERE s.node_id = n.id AND s.sale_date >= ${period}::date
                  AND s.sale_date < (${period}::date + interval '1 month')::date) AS sales
        FROM org_nodes n
        LEFT JOIN periods p ON p.node_id = n.id AND p.period = ${period}::date
        LEFT JOIN spot_checks c ON c.node_id = n.id AND c.period = ${period}::date
        LEFT JOIN LATERAL (
          SELECT count(*) AS sampled, count(*) FILTER (WHERE result = 'verified') AS verified,
                 count(*) FILTER (WHERE result = 'false') AS falsified, count(*) FILTER (WHERE result = 'pending') AS pending
          FROM spot_check_items i WHERE i.spot_check_id = c.id) x ON true
        WHERE n.level IN ('province', 'branch') AND n.active AND (${inScope})
        ORDER BY n.path`,
  );
  return r.map((x) => ({
    nodeId: x.node_id,
    nodeCode: x.code,
    nodeName: x.name,
    month,
    state: (x.state ?? 'draft') as 'draft',
    drawn: Boolean(x.drawn),
    sampled: Number(x.sampled),
    verified: Number(x.verified),
    false: Number(x.falsified),
    pending: Number(x.pending),
    sales: Number(x.sales),
  }));
}
