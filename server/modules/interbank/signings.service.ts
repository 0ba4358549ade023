import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { actorOf, assertInstitution, jurisdictionOn, nodeInScope } from './interbank.access.js';
import { carryGrants, grantFromLocked, lockPoolsFor, lockPoolsForChange } from './pools.service.js';
import type { SigningBody, SigningQuery } from './interbank.schemas.js';

/**
 * 签约登记 (SPEC §11): framework and product agreements, append-only. A correction is a new row
 * superseding the old (status 'superseded') with a required reason; a void keeps the row with its
 * reason. The branch of a signing is the institution's jurisdiction on the signing date. Recording
 * a signing takes the pool locks first, then the time (pools.service.ts, decision 0033).
 */

export interface SigningInput {
  kind: 'framework' | 'product';
  productName: string | null;
  sidedness: 'bilateral' | 'unilateral';
  signedOn: string;
  note: string | null;
  sourceKey?: string | null;
}

/** The branch keeping the institution on `day`, or FI.NO_JURISDICTION. */
async function branchOn(tx: DbOrTx, institutionId: number, day: string): Promise<number> {
  const [j] = await rows<{ nodeId: number }>(tx, sql`SELECT node_id AS "nodeId" FROM (${jurisdictionOn(day)}) j WHERE institution_id = ${institutionId}`);
  if (!j) throw new AppError('FI.NO_JURISDICTION', { institutionId, signedOn: day });
  return j.nodeId;
}

/**
 * Inserts one signing (the API's, the import's and the correction's one path): locks the pools of
 * its quarter, reads the clock, inserts, grants. Returns the new id.
 */
export async function insertSigning(
  tx: DbOrTx,
  actor: Actor,
  institutionId: number,
  b: SigningInput,
  extra: { supersedesId?: number; reason?: string } = {},
): Promise<{ id: number; nodeId: number; grants: number[] }> {
  const nodeId = await branchOn(tx, institutionId, b.signedOn);
  const pools = await lockPoolsFor(tx, b.signedOn);
  // The signing time, after the locks: the order of grants is the order of recorded_at.
  const now = clock.now();
  const [{ id }] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO fi_signings (institution_id, node_id, kind, product_name, sidedness, signed_on, supersedes_id, correction_reason, note, source_key, recorded_by, recorded_at)
        VALUES (${institutionId}, ${nodeId}, ${b.kind}, ${b.kind === 'product' ? b.productName : null}, ${b.sidedness}, ${b.signedOn}, ${extra.supersedesId ?? null}, ${extra.reason ?? null},
                ${b.note}, ${b.sourceKey ?? null}, ${actor.id}, ${now.toISOString()}) RETURNING id`,
  );
  await appendAudit(tx, actor, {
    action: extra.supersedesId ? 'interbank.signing.correct' : 'interbank.signing.create',
    entity: 'fi_signing',
    entityId: id,
    nodeId,
    after: { institutionId, ...b, supersedesId: extra.supersedesId, reason: extra.reason },
  });
  const row = { id, nodeId, kind: b.kind, signedOn: b.signedOn, status: 'active' };
  // A correction carries the old row's grants (carryGrants); a new agreement queues for the pool.
  const grants = extra.supersedesId ? [] : await grantFromLocked(tx, actor, pools, row, now);
  return { id, nodeId, grants };
}

/** POST /signings: the institution kept today by a branch of the caller's scope. */
export async function recordSigning(db: Db, auth: AuthContext, b: SigningBody, today: string) {
  return db.transaction(async (tx) => {
    await assertInstitution(tx, auth, 'interbank.manage', b.institutionId, today);
    const { id } = await insertSigning(tx, actorOf(auth), b.institutionId, b);
    return signingById(tx, auth, id);
  });
}

/** An active signing whose institution is kept today by a branch of the caller's scope, locked. */
async function activeSigning(tx: DbOrTx, auth: AuthContext, id: number, today: string) {
  const [s] = await rows<{ id: number; institutionId: number; nodeId: number; status: string } & SigningInput>(
    tx,
    sql`SELECT id, institution_id AS "institutionId", node_id AS "nodeId", status, kind, product_name AS "productName", sidedness, signed_on::text AS "signedOn", note FROM fi_signings WHERE id = ${id} FOR UPDATE`,
  );
  if (!s) throw new AppError('FI.SIGNING_NOT_FOUND', { id });
  try {
    await assertInstitution(tx, auth, 'interbank.manage', s.institutionId, today);
  } catch {
    throw new AppError('FI.SIGNING_NOT_FOUND', { id });
  }
  if (s.status !== 'active') throw new AppError('FI.SIGNING_NOT_ACTIVE', { id, status: s.status });
  return s;
}

/** POST /signings/:id/correct: a new row with the corrected facts supersedes this one; the grant follows while eligible. */
export async function correctSigning(db: Db, auth: AuthContext, id: number, b: Omit<SigningBody, 'institutionId'> & { reason: string }, today: string) {
  return db.transaction(async (tx) => {
    const old = await activeSigning(tx, auth, id, today);
    const actor = actorOf(auth);
    await lockPoolsForChange(tx, id, b.signedOn);
    await tx.execute(sql`UPDATE fi_signings SET status = 'superseded' WHERE id = ${id}`);
    const next = await insertSigning(tx, actor, old.institutionId, b, { supersedesId: id, reason: b.reason });
    // Documents stay with the agreement: they move to the row in force.
    await tx.execute(sql`UPDATE fi_files SET owner_id = ${next.id} WHERE owner_kind = 'signing' AND owner_id = ${id}`);
    await carryGrants(tx, actor, id, { id: next.id, nodeId: next.nodeId, kind: b.kind, signedOn: b.signedOn, status: 'active' }, b.reason, clock.now());
    return signingById(tx, auth, next.id);
  });
}

/** POST /signings/:id/void: the row stays, void, with its reason; its grants return to their pools. */
export async function voidSigning(db: Db, auth: AuthContext, id: number, reason: string, today: string) {
  return db.transaction(async (tx) => {
    const old = await activeSigning(tx, auth, id, today);
    const actor = actorOf(auth);
    await lockPoolsForChange(tx, id, null);
    await tx.execute(sql`UPDATE fi_signings SET status = 'void', correction_reason = ${reason} WHERE id = ${id}`);
    await appendAudit(tx, actor, { action: 'interbank.signing.void', entity: 'fi_signing', entityId: id, nodeId: old.nodeId, before: { status: 'active' }, after: { status: 'void', reason } });
    await carryGrants(tx, actor, id, null, reason, clock.now());
    return signingById(tx, auth, id);
  });
}

const SIGNING_COLS = sql`s.id, s.institution_id AS "institutionId", i.code AS "institutionCode", i.name AS "institutionName", s.node_id AS "nodeId", n.name AS "nodeName",
  s.kind, s.product_name AS "productName", s.sidedness, s.signed_on::text AS "signedOn", s.status, s.supersedes_id AS "supersedesId", s.correction_reason AS "reason", s.note,
  to_char(s.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt", rb.name AS "recordedByName",
  (SELECT g.amount::float8 FROM fi_grants g WHERE g.signing_id = s.id AND g.returned_at IS NULL ORDER BY g.pool_id LIMIT 1) AS "grantAmount",
  (SELECT count(*)::int FROM fi_files f WHERE f.owner_kind = 'signing' AND f.owner_id = s.id) AS "documents"`;
const SIGNING_FROM = sql`fi_signings s JOIN fi_institutions i ON i.id = s.institution_id JOIN org_nodes n ON n.id = s.node_id LEFT JOIN staff rb ON rb.id = s.recorded_by`;

export interface SigningRow {
  id: number;
  institutionId: number;
  institutionCode: string;
  institutionName: string;
  nodeId: number;
  nodeName: string;
  kind: string;
  productName: string | null;
  sidedness: string;
  signedOn: string;
  status: string;
  supersedesId: number | null;
  reason: string | null;
  note: string | null;
  recordedAt: string;
  recordedByName: string | null;
  grantAmount: number | null;
  documents: number;
}

export async function signingById(db: DbOrTx, auth: AuthContext, id: number): Promise<SigningRow> {
  const [s] = await rows<SigningRow>(db, sql`SELECT ${SIGNING_COLS} FROM ${SIGNING_FROM} WHERE s.id = ${id} AND ${nodeInScope(auth, 'interbank.read', sql`n.path`)}`);
  if (!s) throw new AppError('FI.SIGNING_NOT_FOUND', { id });
  return s;
}

/** GET /signings: the signings of the branches in scope (by the signing's branch), newest first. */
export async function listSignings(db: DbOrTx, auth: AuthContext, q: SigningQuery) {
  const where = sql`${nodeInScope(auth, 'interbank.read', sql`n.path`)}
    ${q.institutionId ? sql`AND s.institution_id = ${q.institutionId}` : sql``}
    ${q.nodeId ? sql`AND s.node_id = ${q.nodeId}` : sql``}
    ${q.kind ? sql`AND s.kind = ${q.kind}` : sql``}
    ${q.status ? sql`AND s.status = ${q.status}` : sql``}
    ${q.from ? sql`AND s.signed_on >= ${q.from}` : sql``}
    ${q.to ? sql`AND s.signed_on <= ${q.to}` : sql``}`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${SIGNING_FROM} WHERE ${where}`);
  const items = await rows<SigningRow>(
    db,
    sql`SELECT ${SIGNING_COLS} FROM ${SIGNING_FROM} WHERE ${where} ORDER BY s.signed_on DESC, s.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}
