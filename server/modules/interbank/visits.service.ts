import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { actorOf, assertInstitution, nodeInScope } from './interbank.access.js';
import { checkDocument, preparePhoto } from './images.js';
import type { VisitBody, VisitQuery } from './interbank.schemas.js';

/**
 * 拜访记录 with photos, and the files of signings and visits (fi_files). A visit belongs to the
 * institution's branch on the day it is recorded; at most MAX_PHOTOS photos, each checked by its
 * bytes, downscaled and stored with its EXIF time (images.ts). Agreement documents are PDF or
 * images, kept as sent within the size limit.
 */

export const MAX_PHOTOS = 10;

export interface VisitInput {
  visitedOn: string;
  peopleMet: string;
  ourPeople: string | null;
  summary: string;
  sourceKey?: string | null;
}

export async function insertVisit(tx: DbOrTx, actor: Actor, institutionId: number, nodeId: number, b: VisitInput, now: Date): Promise<number> {
  const [{ id }] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO fi_visits (institution_id, node_id, visited_on, people_met, our_people, summary, source_key, recorded_by, recorded_at)
        VALUES (${institutionId}, ${nodeId}, ${b.visitedOn}, ${b.peopleMet}, ${b.ourPeople}, ${b.summary}, ${b.sourceKey ?? null}, ${actor.id}, ${now.toISOString()}) RETURNING id`,
  );
  await appendAudit(tx, actor, { action: 'interbank.visit.create', entity: 'fi_visit', entityId: id, nodeId, after: { institutionId, ...b } });
  return id;
}

/** POST /visits */
export async function recordVisit(db: Db, auth: AuthContext, b: VisitBody, today: string, now: Date) {
  return db.transaction(async (tx) => {
    const inst = await assertInstitution(tx, auth, 'interbank.manage', b.institutionId, today);
    const id = await insertVisit(tx, actorOf(auth), b.institutionId, inst.nodeId, b, now);
    return (await listVisits(tx, auth, { id, page: 1, pageSize: 1 })).items[0];
  });
}

/** A visit whose branch is in the caller's scope for `perm`, or 404. */
async function visitInScope(db: DbOrTx, auth: AuthContext, id: number, perm: 'interbank.read' | 'interbank.manage') {
  const [v] = await rows<{ id: number; nodeId: number }>(
    db,
    sql`SELECT v.id, v.node_id AS "nodeId" FROM fi_visits v JOIN org_nodes n ON n.id = v.node_id WHERE v.id = ${id} AND ${nodeInScope(auth, perm, sql`n.path`)}`,
  );
  if (!v) throw new AppError('FI.VISIT_NOT_FOUND', { id });
  return v;
}

export interface FileMeta {
  id: number;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  uploadedAt: string;
}

const FILE_COLS = sql`id, owner_id AS "ownerId", file_name AS "fileName", mime, size, sha256, width, height, to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "takenAt", to_char(uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "uploadedAt"`;

async function storeFile(
  tx: DbOrTx,
  auth: AuthContext,
  owner: { kind: 'signing' | 'visit'; id: number; nodeId: number },
  f: { fileName: string; mime: string; bytes: Buffer; width?: number; height?: number; takenAt?: string | null },
  now: Date,
) {
  const sha256 = createHash('sha256').update(f.bytes).digest('hex');
  const [meta] = await rows<FileMeta>(
    tx,
    sql`INSERT INTO fi_files (owner_kind, owner_id, file_name, mime, bytes, size, sha256, width, height, taken_at, uploaded_by, uploaded_at)
        VALUES (${owner.kind}, ${owner.id}, ${f.fileName}, ${f.mime}, ${f.bytes}, ${f.bytes.length}, ${sha256}, ${f.width ?? null}, ${f.height ?? null}, ${f.takenAt ?? null}, ${auth.staffId}, ${now.toISOString()})
        RETURNING ${FILE_COLS}`,
  );
  await appendAudit(tx, actorOf(auth), {
    action: `interbank.${owner.kind}.file`,
    entity: `fi_${owner.kind}`,
    entityId: owner.id,
    nodeId: owner.nodeId,
    after: { fileId: meta.id, fileName: f.fileName, sha256, size: f.bytes.length },
  });
  return meta;
}

/** POST /visits/:id/photos: one photo, checked and downscaled; the eleventh is refused. */
export async function addPhoto(db: Db, auth: AuthContext, visitId: number, f: { fileName: string; bytes: Buffer }, now: Date) {
  const photo = preparePhoto(f.bytes);
  return db.transaction(async (tx) => {
    const v = await visitInScope(tx, auth, visitId, 'interbank.manage');
    await tx.execute(sql`SELECT id FROM fi_visits WHERE id = ${visitId} FOR UPDATE`);
    const [{ n }] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM fi_files WHERE owner_kind = 'visit' AND owner_id = ${visitId}`);
    if (n >= MAX_PHOTOS) throw new AppError('FI.TOO_MANY_PHOTOS', { max: MAX_PHOTOS });
    const name = f.fileName.replace(/\.[^.]*$/, '') + '.jpg';
    return storeFile(
      tx,
      auth,
      { kind: 'visit', id: visitId, nodeId: v.nodeId },
      { fileName: name, mime: photo.mime, bytes: photo.bytes, width: photo.width, height: photo.height, takenAt: photo.takenAt },
      now,
    );
  });
}

/** POST /signings/:id/documents: a PDF or image of the agreement (active or not: the paper trail). */
export async function addDocument(db: Db, auth: AuthContext, signingId: number, f: { fileName: string; bytes: Buffer }, today: string, now: Date) {
  const mime = checkDocument(f.bytes);
  return db.transaction(async (tx) => {
    const [s] = await rows<{ institutionId: number; nodeId: number }>(tx, sql`SELECT institution_id AS "institutionId", node_id AS "nodeId" FROM fi_signings WHERE id = ${signingId}`);
    if (!s) throw new AppError('FI.SIGNING_NOT_FOUND', { id: signingId });
    await assertInstitution(tx, auth, 'interbank.manage', s.institutionId, today).catch(() => {
      throw new AppError('FI.SIGNING_NOT_FOUND', { id: signingId });
    });
    return storeFile(tx, auth, { kind: 'signing', id: signingId, nodeId: s.nodeId }, { fileName: f.fileName, mime, bytes: f.bytes }, now);
  });
}

/** The files of a signing or visit the caller may read (metadata). */
export async function listFiles(db: DbOrTx, auth: AuthContext, kind: 'signing' | 'visit', ownerId: number): Promise<FileMeta[]> {
  const table = kind === 'signing' ? sql`fi_signings` : sql`fi_visits`;
  return rows<FileMeta>(
    db,
    sql`SELECT ${FILE_COLS} FROM fi_files f WHERE owner_kind = ${kind} AND owner_id = ${ownerId}
          AND EXISTS (SELECT 1 FROM ${table} o JOIN org_nodes n ON n.id = o.node_id WHERE o.id = ${ownerId} AND ${nodeInScope(auth, 'interbank.read', sql`n.path`)}) ORDER BY id`,
  );
}

/** GET /files/:id: the bytes, when the owning signing or visit is in the caller's scope. */
export async function getFile(db: DbOrTx, auth: AuthContext, id: number) {
  const [f] = await rows<FileMeta & { bytes: Buffer; ownerKind: string }>(
    db,
    sql`SELECT f.id, f.file_name AS "fileName", f.mime, f.size, f.sha256, f.bytes, f.owner_kind AS "ownerKind" FROM fi_files f
          LEFT JOIN fi_signings s ON f.owner_kind = 'signing' AND s.id = f.owner_id LEFT JOIN fi_visits v ON f.owner_kind = 'visit' AND v.id = f.owner_id
          JOIN org_nodes n ON n.id = coalesce(s.node_id, v.node_id)
         WHERE f.id = ${id} AND f.owner_kind IN ('signing', 'visit') AND ${nodeInScope(auth, 'interbank.read', sql`n.path`)}`,
  );
  if (!f) throw new AppError('FI.FILE_NOT_FOUND', { id });
  return f;
}

/** GET /visits: visits of the branches in scope, newest first, with their photos' metadata. */
export async function listVisits(db: DbOrTx, auth: AuthContext, q: VisitQuery & { id?: number }) {
  const where = sql`${nodeInScope(auth, 'interbank.read', sql`n.path`)}
    ${q.id ? sql`AND v.id = ${q.id}` : sql``} ${q.nodeId ? sql`AND v.node_id = ${q.nodeId}` : sql``} ${q.institutionId ? sql`AND v.institution_id = ${q.institutionId}` : sql``}`;
  const from = sql`fi_visits v JOIN fi_institutions i ON i.id = v.institution_id JOIN org_nodes n ON n.id = v.node_id LEFT JOIN staff rb ON rb.id = v.recorded_by`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`);
  const items = await rows<{
    id: number;
    institutionId: number;
    institutionName: string;
    nodeId: number;
    nodeName: string;
    visitedOn: string;
    peopleMet: string;
    ourPeople: string | null;
    summary: string;
    recordedAt: string;
    recordedByName: string | null;
  }>(
    db,
    sql`SELECT v.id, v.institution_id AS "institutionId", i.name AS "institutionName", v.node_id AS "nodeId", n.name AS "nodeName", v.visited_on::text AS "visitedOn",
               v.people_met AS "peopleMet", v.our_people AS "ourPeople", v.summary, to_char(v.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt", rb.name AS "recordedByName"
          FROM ${from} WHERE ${where} ORDER BY v.visited_on DESC, v.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const ids = items.map((v) => v.id);
  const photos = ids.length
    ? await rows<FileMeta & { ownerId: number }>(db, sql`SELECT ${FILE_COLS} FROM fi_files WHERE owner_kind = 'visit' AND owner_id IN (${sql.join(ids, sql`, `)}) ORDER BY id`)
    : [];
  return { items: items.map((v) => ({ ...v, photos: photos.filter((p) => p.ownerId === v.id).map(({ ownerId: _o, ...p }) => p) })), total, page: q.page, pageSize: q.pageSize };
}
