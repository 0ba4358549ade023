import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../db/client.js';
import { type Actor, appendAudit, BANK_WIDE } from '../modules/audit/audit.service.js';

/**
 * Archiving a year of the month-partitioned ledger and totals (migration 0048, decision 0042):
 * the SQL functions do the catalogue work under one advisory key; this writes the audit entry in
 * the same transaction, so the chain says who took a year out or put it back, and what it held.
 */
/**
 * Detaches a year's months from the ledger and the totals (every month of the year locked, else
 * LK002 and nothing detached), in one transaction with an audit entry that names each detached
 * table and its row count: the archive is provably complete, and the chain says who took it out.
 * The detached tables stay in the database, ordinary and readable, until an operator dumps and
 * drops them (docs/deploy/single-server.md); `ATTACH PARTITION` puts one back.
 */
export async function detachYear(db: DbOrTx, actor: Actor, year: number): Promise<{ table: string; rows: number }[]> {
  return db.transaction(async (tx) => {
    const [r] = await rows<{ parts: string[] }>(tx, sql`SELECT linkage_detach_year(${year}::int) AS parts`);
    const out: { table: string; rows: number }[] = [];
    for (const table of r.parts) {
      const [n] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
      out.push({ table, rows: n.n });
    }
    await appendAudit(tx, actor, { action: 'partitions.detach_year', entity: 'system', entityId: year, nodeId: BANK_WIDE, after: { year, detached: out } });
    return out;
  });
}

/**
 * Puts an archived year back on line: every table detached for it (restored from its dump if it was
 * dropped) attached again, the year no longer archived — all or nothing, audited.
 */
export async function attachYear(db: DbOrTx, actor: Actor, year: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [r] = await rows<{ parts: string[] }>(tx, sql`SELECT linkage_attach_year(${year}::int) AS parts`);
    await appendAudit(tx, actor, { action: 'partitions.attach_year', entity: 'system', entityId: year, nodeId: BANK_WIDE, after: { year, attached: r.parts } });
    return r.parts;
  });
}
