import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';

/**
 * Whitelist rows for the performance tests and the demo (written straight to the whitelist tables,
 * as the whitelist module's services would leave them): a batch, and entries given to an outlet and
 * a person with their contacts. The entry's status is its last contact's.
 */

export async function addBatch(db: DbOrTx, opts: { code: string; name: string; ownerNodeId: number; at: string }): Promise<number> {
  const [b] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO whitelist_batches (code, name, owner_node_id, source, created_at, updated_at)
        VALUES (${opts.code}, ${opts.name}, ${opts.ownerNodeId}, 'import', ${opts.at}::timestamptz, ${opts.at}::timestamptz) RETURNING id`,
  );
  return b.id;
}

export interface EntrySpec {
  batchId: number;
  idNo: string;
  clientName: string;
  outletNodeId: number;
  staffId: number | null;
  amountFen: number;
  assignedAt: string;
  expiresOn?: string;
  contacts?: { at: string; statusAfter: 'contacted' | 'interested' | 'applied' | 'drawn' | 'refused' | 'not_contacted'; staffId?: number }[];
}

export async function addEntry(db: DbOrTx, e: EntrySpec): Promise<number> {
  const last = e.contacts?.[e.contacts.length - 1];
  const [r] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO whitelist_entries (batch_id, client_name, id_kind, id_no, amount_fen, product, expires_on, outlet_node_id, staff_id, status, refusal_reason, source,
                                       assigned_at, status_at, created_at, updated_at)
        VALUES (${e.batchId}, ${e.clientName}, 'uscc', ${e.idNo}, ${e.amountFen}, '经营快贷', ${e.expiresOn ?? '2027-06-30'}::date, ${e.outletNodeId}, ${e.staffId},
                ${last?.statusAfter ?? 'not_contacted'}, ${last?.statusAfter === 'refused' ? '暂无资金需求' : null}, 'import',
                ${e.assignedAt}::timestamptz, ${last?.at ?? null}::timestamptz, ${e.assignedAt}::timestamptz, ${e.assignedAt}::timestamptz) RETURNING id`,
  );
  for (const c of e.contacts ?? []) {
    const outcome = c.statusAfter === 'contacted' || c.statusAfter === 'not_contacted' ? 'callback' : c.statusAfter;
    await db.execute(
      sql`INSERT INTO whitelist_contacts (entry_id, staff_id, contacted_at, channel, outcome, status_after, created_at)
          VALUES (${r.id}, ${c.staffId ?? e.staffId}, ${c.at}::timestamptz, 'phone', ${outcome}, ${c.statusAfter}, ${c.at}::timestamptz)`,
    );
  }
  return r.id;
}
