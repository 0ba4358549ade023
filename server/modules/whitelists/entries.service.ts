import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { intArray, textArray } from '../../db/arrays.js';
import { type DbOrTx, rows } from '../../db/client.js';
import type { WhitelistSource } from '../../db/schema/whitelists.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { isValidIdNumber, isValidUscc, normaliseUscc } from '../customers/ids.rules.js';
import { outletFor } from './distribution.rules.js';
import { actorOf, assertNode } from './whitelists.access.js';
import { checkEntry, type EntryProblem, idKindOf } from './whitelists.rules.js';

/**
 * Adding clients to a whitelist, wherever they come from: the Excel import (`whitelists.import.ts`),
 * the supply-chain programme admitting a core enterprise's downstream clients, or the API. One
 * path: every entry validated (identifier checksum, amount, expiry, settlement outlet code), the
 * batch created or found by its code, entries upserted by (batch, identifier) — a re-run changes
 * nothing — matched to existing customers, and routed to an outlet at once (outletFor). Staff
 * assignment inside the outlet is the separate preview/apply step (distribution.service.ts).
 */

export interface WhitelistEntryInput {
  clientName: string;
  /** 统一社会信用代码 or 身份证号. */
  idNo: string;
  phone?: string | null;
  amountFen: number;
  product: string;
  expiresOn: string;
  /** 结算网点机构号: the org node code of the outlet where the client settles. */
  settlementCode?: string | null;
  sourceRef?: string | null;
}

export interface WhitelistBatchInput {
  code: string;
  name?: string | null;
  /** The sub-branch (or higher) that owns the batch and keeps what no outlet takes. */
  ownerNodeId: number;
  source: WhitelistSource;
  sourceRef?: string | null;
  note?: string | null;
  entries: WhitelistEntryInput[];
}

export interface AddResult {
  batchId: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface EntryError extends EntryProblem {
  index: number;
}

/** Normalised identifier: upper case, no spaces. */
export const normaliseIdNo = (raw: string): string => normaliseUscc(raw);

/** Validates entries without touching the database beyond the settlement-code look-up; returns the problems per entry index. */
export async function validateEntries(db: DbOrTx, entries: readonly WhitelistEntryInput[], today: string): Promise<{ errors: EntryError[]; nodes: Map<string, SettlementNode> }> {
  const errors: EntryError[] = [];
  const codes = [...new Set(entries.map((e) => e.settlementCode?.trim()).filter((c): c is string => !!c))];
  const nodes = await settlementNodes(db, codes);
  const seen = new Map<string, number>();
  entries.forEach((e, index) => {
    const idNo = normaliseIdNo(e.idNo);
    const kind = idKindOf(
      idNo,
      (s) => isValidIdNumber(s, today),
      (s) => isValidUscc(s),
    );
    for (const p of checkEntry({ ...e, idNo }, today, kind)) errors.push({ ...p, index });
    if (!e.product.trim()) errors.push({ index, field: 'product', zh: '产品不能为空', en: 'The product is required' });
    const code = e.settlementCode?.trim();
    if (code && !nodes.has(code)) errors.push({ index, field: 'settlementCode', zh: `结算网点机构号 ${code} 不存在`, en: `No org node ${code}` });
    const first = seen.get(idNo);
    if (first !== undefined) errors.push({ index, field: 'idNo', zh: `与第 ${first + 1} 条重复`, en: `Duplicates entry ${first + 1}` });
    else seen.set(idNo, index);
  });
  return { errors, nodes };
}

export interface SettlementNode {
  id: number;
  code: string;
  level: string;
  path: string;
  active: boolean;
}

async function settlementNodes(db: DbOrTx, codes: string[]): Promise<Map<string, SettlementNode>> {
  if (!codes.length) return new Map();
  const list = await rows<SettlementNode>(db, sql`SELECT id, code, level, path, active FROM org_nodes WHERE code = ANY(${textArray(codes)}::text[])`);
  return new Map(list.map((n) => [n.code, n]));
}

/**
 * Adds (or re-adds) a batch of entries for `auth`, who must hold whitelist.manage over the owner
 * node. Throws WL.INVALID_ENTRY with every problem (index, field, text) when any entry is wrong:
 * all or nothing. Runs in the caller's transaction; audited once per batch with the counts and a
 * digest of the identifiers.
 */
export async function addWhitelistEntries(tx: DbOrTx, auth: AuthContext, input: WhitelistBatchInput): Promise<AddResult> {
  const owner = await assertNode(tx, auth, 'whitelist.manage', input.ownerNodeId);
  const today = clock.today();
  const { errors, nodes } = await validateEntries(tx, input.entries, today);
  if (errors.length) throw new AppError('WL.INVALID_ENTRY', { errors: errors.slice(0, 200) });
  return writeEntries(tx, auth, { ...input, ownerPath: owner.path }, nodes);
}

/** The write half of addWhitelistEntries, for callers (the import) that validated already. */
export async function writeEntries(tx: DbOrTx, auth: AuthContext, input: WhitelistBatchInput & { ownerPath: string }, nodes: Map<string, SettlementNode>): Promise<AddResult> {
  const now = clock.now().toISOString();
  const today = clock.today();
  const code = input.code.trim();
  const [existing] = await rows<{ id: number; ownerNodeId: number }>(tx, sql`SELECT id, owner_node_id AS "ownerNodeId" FROM whitelist_batches WHERE code = ${code} FOR UPDATE`);
  if (existing && existing.ownerNodeId !== input.ownerNodeId) throw new AppError('WL.BATCH_OWNER', { code });
  const batchId =
    existing?.id ??
    (
      await rows<{ id: number }>(
        tx,
        sql`INSERT INTO whitelist_batches (code, name, owner_node_id, source, source_ref, note, created_by, created_at, updated_at)
            VALUES (${code}, ${input.name?.trim() || code}, ${input.ownerNodeId}, ${input.source}, ${input.sourceRef ?? null}, ${input.note ?? null}, ${auth.staffId}, ${now}, ${now}) RETURNING id`,
      )
    )[0].id;
  const owner = { id: input.ownerNodeId, path: input.ownerPath };
  const list = input.entries.map((e) => {
    const idNo = normaliseIdNo(e.idNo);
    const s = e.settlementCode?.trim() ? nodes.get(e.settlementCode.trim()) : undefined;
    return {
      clientName: e.clientName.trim(),
      idNo,
      idKind: idKindOf(idNo, (x) => isValidIdNumber(x, today), isValidUscc) ?? 'uscc',
      phone: e.phone?.trim() || null,
      amountFen: e.amountFen,
      product: e.product.trim(),
      expiresOn: e.expiresOn,
      settlementNodeId: s?.id ?? null,
      settlementCode: e.settlementCode?.trim() || null,
      outletNodeId: outletFor({ settlementNodeId: s?.id ?? null, settlementLevel: s?.level ?? null, settlementPath: s?.path ?? null, settlementActive: s?.active ?? null }, owner),
      sourceRef: e.sourceRef ?? input.sourceRef ?? null,
    };
  });
  const col = <T>(f: (r: (typeof list)[number]) => T) => list.map(f);
  // One statement: new rows inserted, changed rows updated (a changed outlet clears the assignment
  // of an entry nobody has contacted yet), identical rows left alone — the counts come back.
  const [counts] = await rows<{ inserted: number; updated: number }>(
    tx,
    sql`WITH input AS (
          SELECT * FROM unnest(${textArray(col((r) => r.clientName))}::text[], ${textArray(col((r) => r.idNo))}::text[], ${textArray(col((r) => r.idKind))}::text[],
                               ${textArray(col((r) => r.phone))}::text[], ${intArray(col((r) => r.amountFen))}::bigint[], ${textArray(col((r) => r.product))}::text[],
                               ${textArray(col((r) => r.expiresOn))}::date[], ${intArray(col((r) => r.settlementNodeId))}::int[], ${textArray(col((r) => r.settlementCode))}::text[],
                               ${intArray(col((r) => r.outletNodeId))}::int[], ${textArray(col((r) => r.sourceRef))}::text[])
            AS t(client_name, id_no, id_kind, phone, amount_fen, product, expires_on, settlement_node_id, settlement_code, outlet_node_id, source_ref)
        ), matched AS (
          SELECT i.*, c.id AS corporate_client_id, p.id AS individual_id FROM input i
            LEFT JOIN corporate_clients c ON i.id_kind = 'uscc' AND c.uscc = i.id_no
            LEFT JOIN individuals p ON i.id_kind = 'id_card' AND p.id_number = i.id_no
        ), up AS (
          INSERT INTO whitelist_entries AS e (batch_id, client_name, id_kind, id_no, corporate_client_id, individual_id, phone, amount_fen, product, expires_on,
                                              settlement_node_id, settlement_code, outlet_node_id, source, source_ref, created_at, updated_at)
          SELECT ${batchId}, client_name, id_kind, id_no, corporate_client_id, individual_id, phone, amount_fen, product, expires_on,
                 settlement_node_id, settlement_code, outlet_node_id, ${input.source}, source_ref, ${now}::timestamptz, ${now}::timestamptz FROM matched
          ON CONFLICT (batch_id, id_no) DO UPDATE SET
            client_name = excluded.client_name, phone = excluded.phone, amount_fen = excluded.amount_fen, product = excluded.product, expires_on = excluded.expires_on,
            settlement_node_id = excluded.settlement_node_id, settlement_code = excluded.settlement_code,
            corporate_client_id = excluded.corporate_client_id, individual_id = excluded.individual_id,
            outlet_node_id = CASE WHEN e.status = 'not_contacted' THEN excluded.outlet_node_id ELSE e.outlet_node_id END,
            staff_id = CASE WHEN e.status = 'not_contacted' AND e.outlet_node_id IS DISTINCT FROM excluded.outlet_node_id THEN NULL ELSE e.staff_id END,
            updated_at = excluded.updated_at
          WHERE (e.client_name, e.phone, e.amount_fen, e.product, e.expires_on, e.settlement_code, e.corporate_client_id, e.individual_id)
                IS DISTINCT FROM (excluded.client_name, excluded.phone, excluded.amount_fen, excluded.product, excluded.expires_on, excluded.settlement_code, excluded.corporate_client_id, excluded.individual_id)
             OR (e.status = 'not_contacted' AND e.outlet_node_id IS DISTINCT FROM excluded.outlet_node_id)
          RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
  );
  const result: AddResult = { batchId, inserted: counts.inserted, updated: counts.updated, unchanged: list.length - counts.inserted - counts.updated };
  if (result.inserted || result.updated || !existing) {
    const digest = createHash('sha256')
      .update(
        list
          .map((r) => `${r.idNo}|${r.amountFen}|${r.expiresOn}`)
          .sort()
          .join('\n'),
      )
      .digest('hex');
    await tx.execute(sql`UPDATE whitelist_batches SET updated_at = ${now} WHERE id = ${batchId}`);
    const total = list.reduce((s, r) => s + r.amountFen, 0);
    await appendAudit(tx, actorOf(auth), {
      action: existing ? 'whitelist.batch.update' : 'whitelist.batch.create',
      entity: 'whitelist_batch',
      entityId: batchId,
      nodeId: input.ownerNodeId,
      after: { code, source: input.source, rows: list.length, inserted: result.inserted, updated: result.updated, amountFen: total, sha256: digest },
    });
  }
  return result;
}
