import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import type { WhitelistStatus } from '../../db/schema/whitelists.js';
import type { AuthContext } from '../access/context.js';
import { maskIdNo, maskPhone } from './whitelists.rules.js';
import { assertBatch, assertEntry, inScope } from './whitelists.access.js';

/**
 * Reading whitelists: batches with their progress, entries of the outlets in scope, "my whitelist
 * clients", one entry with its contacts. Identifiers and phones leave the server masked; the
 * staff member an entry is assigned to sees the whole phone (he has to call).
 */

export interface EntryRow {
  id: number;
  batchId: number;
  batchCode: string;
  clientName: string;
  idKind: 'uscc' | 'id_card';
  idNo: string;
  phone: string | null;
  amountFen: number;
  product: string;
  expiresOn: string;
  settlementCode: string | null;
  nodeId: number | null;
  nodeName: string | null;
  staffId: number | null;
  staffName: string | null;
  status: WhitelistStatus;
  refusalReason: string | null;
  source: string;
  lastContactAt: string | null;
  contacts: number;
}

const ENTRY_COLS = sql`e.id, e.batch_id AS "batchId", b.code AS "batchCode", e.client_name AS "clientName", e.id_kind AS "idKind", e.id_no AS "idNo", e.phone,
  e.amount_fen AS "amountFen", e.product, to_char(e.expires_on, 'YYYY-MM-DD') AS "expiresOn", e.settlement_code AS "settlementCode",
  e.outlet_node_id AS "nodeId", n.name AS "nodeName", e.staff_id AS "staffId", s.name AS "staffName", e.status, e.refusal_reason AS "refusalReason", e.source,
  to_char(lc.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastContactAt", coalesce(lc.n, 0)::int AS contacts`;

const ENTRY_FROM = sql`FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id JOIN org_nodes n ON n.id = coalesce(e.outlet_node_id, b.owner_node_id)
  LEFT JOIN staff s ON s.id = e.staff_id
  LEFT JOIN LATERAL (SELECT max(contacted_at) AS at, count(*) AS n FROM whitelist_contacts c WHERE c.entry_id = e.id) lc ON true`;

function present(r: EntryRow, auth: AuthContext): EntryRow {
  const mine = r.staffId === auth.staffId;
  return { ...r, amountFen: Number(r.amountFen), idNo: maskIdNo(r.idNo), phone: mine ? r.phone : r.phone ? maskPhone(r.phone) : null };
}

export interface EntryQuery {
  batchId?: number;
  nodeId?: number;
  staffId?: number;
  status?: WhitelistStatus;
  unassigned?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

async function page(db: DbOrTx, auth: AuthContext, where: SQL, q: { page: number; pageSize: number }) {
  const [{ total }] = await rows<{ total: number }>(
    db,
    sql`SELECT count(*)::int AS total FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id JOIN org_nodes n ON n.id = coalesce(e.outlet_node_id, b.owner_node_id) WHERE ${where}`,
  );
  const items = await rows<EntryRow>(db, sql`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE ${where} ORDER BY e.amount_fen DESC, e.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`);
  return { total, items: items.map((r) => present(r, auth)) };
}

function filters(q: Omit<EntryQuery, 'page' | 'pageSize'>): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.batchId) parts.push(sql`e.batch_id = ${q.batchId}`);
  if (q.nodeId) parts.push(sql`n.path LIKE (SELECT path FROM org_nodes WHERE id = ${q.nodeId}) || '%'`);
  if (q.staffId) parts.push(sql`e.staff_id = ${q.staffId}`);
  if (q.status) parts.push(sql`e.status = ${q.status}`);
  if (q.unassigned) parts.push(sql`e.staff_id IS NULL`);
  if (q.q) parts.push(sql`(e.client_name LIKE ${`%${q.q}%`} OR e.id_no = ${q.q.toUpperCase()})`);
  return sql.join(parts, sql` AND `);
}

/** Entries at nodes in the caller's whitelist.read scope. */
export async function listEntries(db: DbOrTx, auth: AuthContext, q: EntryQuery) {
  return page(db, auth, sql`${inScope(auth, 'whitelist.read', sql`n.path`)} AND ${filters(q)}`, q);
}

/** 我的白名单客户: the entries assigned to the caller, open ones first. */
export async function listMine(db: DbOrTx, auth: AuthContext, q: { status?: WhitelistStatus; q?: string; page: number; pageSize: number }) {
  const where = sql`e.staff_id = ${auth.staffId} AND ${filters(q)}`;
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM whitelist_entries e WHERE ${where}`);
  const items = await rows<EntryRow>(
    db,
    sql`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE ${where}
         ORDER BY CASE e.status WHEN 'not_contacted' THEN 0 WHEN 'interested' THEN 1 WHEN 'contacted' THEN 2 WHEN 'applied' THEN 3 ELSE 4 END, e.expires_on, e.amount_fen DESC, e.id
         LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const counts = await rows<{ status: WhitelistStatus; n: number }>(db, sql`SELECT status, count(*)::int AS n FROM whitelist_entries WHERE staff_id = ${auth.staffId} GROUP BY status`);
  return { total, items: items.map((r) => present(r, auth)), counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<WhitelistStatus, number>> };
}

export interface ContactRow {
  id: number;
  staffId: number;
  staffName: string;
  contactedAt: string;
  channel: string;
  outcome: string;
  statusAfter: WhitelistStatus;
  note: string | null;
}

/** One entry (assigned to the caller or in his read scope) with its contact history. */
export async function entryDetail(db: DbOrTx, auth: AuthContext, id: number) {
  await assertEntry(db, auth, 'whitelist.read', id);
  const [r] = await rows<EntryRow>(db, sql`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE e.id = ${id}`);
  const contacts = await rows<ContactRow>(
    db,
    sql`SELECT c.id, c.staff_id AS "staffId", s.name AS "staffName", to_char(c.contacted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "contactedAt",
               c.channel, c.outcome, c.status_after AS "statusAfter", c.note
          FROM whitelist_contacts c JOIN staff s ON s.id = c.staff_id WHERE c.entry_id = ${id} ORDER BY c.contacted_at DESC, c.id DESC`,
  );
  return { ...present(r, auth), contactList: contacts };
}

export interface BatchRow {
  id: number;
  code: string;
  name: string;
  ownerNodeId: number;
  ownerName: string;
  source: string;
  createdAt: string;
  entries: number;
  amountFen: number;
  unassigned: number;
  byStatus: Record<string, number>;
}

/** Batches with entries (or an owner) in the caller's read scope; counts over the entries he reaches. */
export async function listBatches(db: DbOrTx, auth: AuthContext, batchId?: number) {
  if (batchId) await assertBatch(db, auth, 'whitelist.read', batchId);
  const list = await rows<BatchRow>(
    db,
    sql`SELECT b.id, b.code, b.name, b.owner_node_id AS "ownerNodeId", o.name AS "ownerName", b.source,
               to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
               count(e.id)::int AS entries, coalesce(sum(e.amount_fen), 0)::bigint AS "amountFen", count(e.id) FILTER (WHERE e.staff_id IS NULL)::int AS unassigned
          FROM whitelist_batches b JOIN org_nodes o ON o.id = b.owner_node_id
          LEFT JOIN (whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id) ON e.batch_id = b.id AND ${inScope(auth, 'whitelist.read', sql`n.path`)}
         WHERE (${inScope(auth, 'whitelist.read', sql`o.path`)} OR e.id IS NOT NULL) ${batchId ? sql`AND b.id = ${batchId}` : sql``}
         GROUP BY b.id, o.name ORDER BY b.created_at DESC, b.id DESC`,
  );
  if (!list.length) return [];
  const status = await rows<{ batchId: number; status: string; n: number }>(
    db,
    sql`SELECT e.batch_id AS "batchId", e.status, count(*)::int AS n FROM whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id
         WHERE e.batch_id = ANY(${`{${list.map((b) => b.id).join(',')}}`}::int[]) AND ${inScope(auth, 'whitelist.read', sql`n.path`)} GROUP BY 1, 2`,
  );
  return list.map((b) => ({ ...b, amountFen: Number(b.amountFen), byStatus: Object.fromEntries(status.filter((s) => s.batchId === b.id).map((s) => [s.status, s.n])) }));
}

/** Per node of a batch: entries, amount, assigned, and the funnel — the outlet-level view. */
export async function batchOutlets(db: DbOrTx, auth: AuthContext, batchId: number) {
  await assertBatch(db, auth, 'whitelist.read', batchId);
  const list = await rows<{ nodeId: number; code: string; name: string; level: string; entries: number; amountFen: number; assigned: number; contacted: number; drawn: number }>(
    db,
    sql`SELECT n.id AS "nodeId", n.code, n.name, n.level, count(*)::int AS entries, sum(e.amount_fen)::bigint AS "amountFen",
               count(e.staff_id)::int AS assigned, count(*) FILTER (WHERE e.status <> 'not_contacted')::int AS contacted, count(*) FILTER (WHERE e.status = 'drawn')::int AS drawn
          FROM whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id
         WHERE e.batch_id = ${batchId} AND ${inScope(auth, 'whitelist.read', sql`n.path`)} GROUP BY n.id ORDER BY n.sort, n.id`,
  );
  return list.map((r) => ({ ...r, amountFen: Number(r.amountFen) }));
}
