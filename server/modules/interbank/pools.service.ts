import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { actorOf, assertPoolWriter, nodeInScope } from './interbank.access.js';
import { eligible, grantable, poolQuarter } from './interbank.rules.js';
import type { PoolBody, PoolPatch } from './interbank.schemas.js';

/**
 * 激励资源池 (SPEC §11, decision 0033): a quarter's resource granted per signing, first come first
 * served. A signing's time is `recorded_at`, read from the one clock AFTER the locks of every pool
 * it may draw on are held (SELECT … FOR UPDATE, in pool id order), and the signing row is inserted
 * under those locks too — so the order of grants is the order of (recorded_at, id), ties at the
 * same instant going to the lower id. A grant is whole or nothing; the pool never goes over.
 */

interface PoolRow {
  id: number;
  quarter: string;
  totalAmount: number;
  grantAmount: number;
  grantedAmount: number;
  signingKinds: string;
}

const POOL_COLS = sql`id, quarter, total_amount::float8 AS "totalAmount", grant_amount::float8 AS "grantAmount", granted_amount::float8 AS "grantedAmount", signing_kinds AS "signingKinds"`;

/** Locks the pools of the quarter of `signedOn` (id order: no deadlock between two signings). */
export async function lockPoolsFor(tx: DbOrTx, signedOn: string): Promise<PoolRow[]> {
  return rows<PoolRow>(tx, sql`SELECT ${POOL_COLS} FROM fi_pools WHERE quarter = ${poolQuarter(signedOn)} ORDER BY id FOR UPDATE`);
}

/**
 * Before a correction or a void writes anything (the audit chain's lock included), the pools it
 * touches are locked in id order: those of the row's grants and those of the quarter of the new
 * date — the same order a new signing takes them, so the two never wait on each other in a loop.
 */
export async function lockPoolsForChange(tx: DbOrTx, signingId: number, newSignedOn: string | null): Promise<void> {
  await tx.execute(
    sql`SELECT id FROM fi_pools WHERE id IN (SELECT pool_id FROM fi_grants WHERE signing_id = ${signingId})
          ${newSignedOn ? sql`OR quarter = ${poolQuarter(newSignedOn)}` : sql``} ORDER BY id FOR UPDATE`,
  );
}

/**
 * Grants to a just-recorded signing from the pools already locked by the caller: a full grant
 * from each eligible pool whose remainder covers it, seq = the pool's next number. Audited.
 */
export async function grantFromLocked(tx: DbOrTx, actor: Actor, pools: PoolRow[], s: { id: number; nodeId: number; kind: string; signedOn: string; status: string }, now: Date): Promise<number[]> {
  const granted: number[] = [];
  for (const p of pools) {
    if (!eligible(p, s) || !grantable(p)) continue;
    const [{ seq }] = await rows<{ seq: number }>(tx, sql`SELECT coalesce(max(seq), 0) + 1 AS seq FROM fi_grants WHERE pool_id = ${p.id}`);
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_grants (pool_id, signing_id, node_id, amount, seq, granted_at) VALUES (${p.id}, ${s.id}, ${s.nodeId}, ${p.grantAmount}, ${seq}, ${now.toISOString()}) RETURNING id`,
    );
    await tx.execute(sql`UPDATE fi_pools SET granted_amount = granted_amount + grant_amount WHERE id = ${p.id}`);
    p.grantedAmount += p.grantAmount;
    await appendAudit(tx, actor, { action: 'interbank.grant.create', entity: 'fi_grant', entityId: id, nodeId: s.nodeId, after: { poolId: p.id, signingId: s.id, amount: p.grantAmount, seq } });
    granted.push(id);
  }
  return granted;
}

/**
 * A correction: the grants of the old row follow the new one while it stays eligible for the
 * pool; one it no longer qualifies for is returned. A void returns every grant of the row.
 */
export async function carryGrants(tx: DbOrTx, actor: Actor, oldId: number, next: { id: number; nodeId: number; kind: string; signedOn: string; status: string } | null, reason: string, now: Date) {
  const grants = await rows<{ id: number; poolId: number; amount: number }>(
    tx,
    sql`SELECT id, pool_id AS "poolId", amount::float8 AS amount FROM fi_grants WHERE signing_id = ${oldId} AND returned_at IS NULL ORDER BY pool_id`,
  );
  for (const g of grants) {
    const [pool] = await rows<PoolRow>(tx, sql`SELECT ${POOL_COLS} FROM fi_pools WHERE id = ${g.poolId} FOR UPDATE`);
    if (next && eligible(pool, next)) {
      await tx.execute(sql`UPDATE fi_grants SET signing_id = ${next.id}, node_id = ${next.nodeId} WHERE id = ${g.id}`);
      await appendAudit(tx, actor, { action: 'interbank.grant.carry', entity: 'fi_grant', entityId: g.id, nodeId: next.nodeId, before: { signingId: oldId }, after: { signingId: next.id } });
    } else {
      await tx.execute(sql`UPDATE fi_grants SET returned_at = ${now.toISOString()}, returned_by = ${actor.id}, return_reason = ${reason} WHERE id = ${g.id}`);
      await tx.execute(sql`UPDATE fi_pools SET granted_amount = granted_amount - ${g.amount} WHERE id = ${g.poolId}`);
      const [{ nodeId }] = await rows<{ nodeId: number }>(tx, sql`SELECT node_id AS "nodeId" FROM fi_grants WHERE id = ${g.id}`);
      await appendAudit(tx, actor, { action: 'interbank.grant.return', entity: 'fi_grant', entityId: g.id, nodeId, after: { poolId: g.poolId, signingId: oldId, amount: g.amount, reason } });
    }
  }
}

/** POST /pools: a quarter's pool (bank-wide configuration). */
export async function createPool(db: Db, auth: AuthContext, b: PoolBody) {
  assertPoolWriter(auth);
  return db.transaction(async (tx) => {
    const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM fi_pools WHERE quarter = ${b.quarter} AND resource = ${b.resource} AND name = ${b.name}`);
    if (dup) throw new AppError('FI.POOL_EXISTS', { quarter: b.quarter });
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_pools (quarter, resource, name, unit, total_amount, grant_amount, signing_kinds, created_by, created_at)
          VALUES (${b.quarter}, ${b.resource}, ${b.name}, ${b.unit}, ${b.totalAmount}, ${b.grantAmount}, ${b.signingKinds.join(',')}, ${auth.staffId}, ${clock.now().toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'interbank.pool.create', entity: 'fi_pool', entityId: id, nodeId: BANK_WIDE, after: b });
    return (await listPools(tx, auth)).items.find((p) => p.id === id)!;
  });
}

/** PATCH /pools/:id: the total (never below what was granted) or the per-signing grant. No retroactive grants. */
export async function updatePool(db: Db, auth: AuthContext, id: number, b: PoolPatch) {
  assertPoolWriter(auth);
  return db.transaction(async (tx) => {
    const [p] = await rows<PoolRow>(tx, sql`SELECT ${POOL_COLS} FROM fi_pools WHERE id = ${id} FOR UPDATE`);
    if (!p) throw new AppError('FI.POOL_NOT_FOUND', { id });
    const total = b.totalAmount ?? p.totalAmount;
    if (total < p.grantedAmount) throw new AppError('FI.POOL_BELOW_GRANTED', { id, grantedAmount: p.grantedAmount });
    await tx.execute(sql`UPDATE fi_pools SET total_amount = ${total}, grant_amount = ${b.grantAmount ?? p.grantAmount} WHERE id = ${id}`);
    await appendAudit(tx, actorOf(auth), { action: 'interbank.pool.update', entity: 'fi_pool', entityId: id, nodeId: BANK_WIDE, before: p, after: b });
    return (await listPools(tx, auth)).items.find((x) => x.id === id)!;
  });
}

/** Every pool (bank-wide facts), newest quarter first, with what the caller's branches drew. */
export async function listPools(db: DbOrTx, auth: AuthContext) {
  const items = await rows<{
    id: number;
    quarter: string;
    resource: string;
    name: string;
    unit: string;
    totalAmount: number;
    grantAmount: number;
    grantedAmount: number;
    remainingAmount: number;
    signingKinds: string;
    grants: number;
  }>(
    db,
    sql`SELECT p.id, p.quarter, p.resource, p.name, p.unit, p.total_amount::float8 AS "totalAmount", p.grant_amount::float8 AS "grantAmount", p.granted_amount::float8 AS "grantedAmount",
               (p.total_amount - p.granted_amount)::float8 AS "remainingAmount", p.signing_kinds AS "signingKinds",
               (SELECT count(*)::int FROM fi_grants g WHERE g.pool_id = p.id AND g.returned_at IS NULL) AS grants
          FROM fi_pools p ORDER BY p.quarter DESC, p.id`,
  );
  void auth;
  return { items };
}

/** A pool's grants in order (seq), those of the caller's branches only; returned ones marked. */
export async function listGrants(db: DbOrTx, auth: AuthContext, poolId: number) {
  const [p] = await rows<{ id: number }>(db, sql`SELECT id FROM fi_pools WHERE id = ${poolId}`);
  if (!p) throw new AppError('FI.POOL_NOT_FOUND', { id: poolId });
  const items = await rows<{
    id: number;
    seq: number;
    amount: number;
    grantedAt: string;
    signingId: number;
    recordedAt: string;
    signedOn: string;
    kind: string;
    productName: string | null;
    institutionId: number;
    institutionName: string;
    nodeId: number;
    nodeName: string;
    returnedAt: string | null;
    returnReason: string | null;
  }>(
    db,
    sql`SELECT g.id, g.seq, g.amount::float8 AS amount, to_char(g.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "grantedAt", s.id AS "signingId", to_char(s.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt", s.signed_on::text AS "signedOn", s.kind,
               s.product_name AS "productName", i.id AS "institutionId", i.name AS "institutionName", g.node_id AS "nodeId", n.name AS "nodeName", to_char(g.returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "returnedAt", g.return_reason AS "returnReason"
          FROM fi_grants g JOIN fi_signings s ON s.id = g.signing_id JOIN fi_institutions i ON i.id = s.institution_id JOIN org_nodes n ON n.id = g.node_id
         WHERE g.pool_id = ${poolId} AND ${nodeInScope(auth, 'interbank.read', sql`n.path`)} ORDER BY g.seq`,
  );
  return { items };
}
