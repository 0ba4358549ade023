import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type DbOrTx, rows } from '../../db/client.js';
import { COPY_NULL, copyClient, copyLines, copyText } from '../../db/copy.js';

/** Rows per statement: one JSON parameter each, so the count is bounded by memory, not by parameters. */
const SLICE = 10_000;

/**
 * Inserts records (drizzle field names, as `.values()` takes them) and returns their new ids in the
 * records' order. On PostgreSQL inside a transaction: ids from the table's sequence, then ONE COPY
 * on the transaction's connection (decision 0050). Otherwise (PGlite): one statement per 10,000
 * rows with ONE parameter — the rows as JSON, expanded by json_populate_recordset inside the
 * caller's transaction — instead of drizzle's multi-row VALUES, whose parameter building cost more
 * than the database's insert on a 100,000-row import (decision 0046). Columns absent from every
 * record keep their defaults.
 */
export async function insertRecords<T extends PgTable>(tx: DbOrTx, table: T, records: readonly T['$inferInsert'][]): Promise<number[]> {
  if (records.length === 0) return [];
  const present = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) present.add(k);
  const used = Object.entries(getTableColumns(table)).filter(([field]) => present.has(field));
  const name = `"${getTableName(table)}"`;
  const list = used.map(([, c]) => `"${c.name}"`).join(', ');
  // PostgreSQL: ids drawn from the table's sequence, then COPY on the transaction's connection.
  const client = copyClient(tx);
  if (client && !present.has('id') && getTableColumns(table).id) {
    const [r] = await rows<{ ids: string | null }>(
      tx,
      sql`SELECT string_agg(id::text, ',') AS ids FROM (SELECT nextval(pg_get_serial_sequence(${getTableName(table)}, 'id')::regclass) AS id FROM generate_series(1, ${records.length}::int)) s`,
    );
    const ids = (r.ids ?? '').split(',').map(Number);
    const lines = records.map((rec, i) => {
      let line = String(ids[i]);
      for (const [field, c] of used) {
        const v = (rec as Record<string, unknown>)[field];
        line += '\t';
        if (v === undefined || v === null) {
          line += COPY_NULL;
          continue;
        }
        const d: unknown = c.columnType === 'PgJsonb' || c.columnType === 'PgJson' ? JSON.stringify(v) : c.mapToDriverValue(v as never);
        line += d === null || d === undefined ? COPY_NULL : typeof d === 'string' ? copyText(d) : d instanceof Date ? d.toISOString() : copyText(String(d));
      }
      return `${line}\n`;
    });
    await copyLines(client, `COPY ${name} ("id", ${list}) FROM STDIN`, lines);
    return ids;
  }
  const ids: number[] = [];
  for (let i = 0; i < records.length; i += SLICE) {
    const json = JSON.stringify(
      records.slice(i, i + SLICE).map((r) => {
        const o: Record<string, unknown> = {};
        for (const [field, c] of used) {
          const v = (r as Record<string, unknown>)[field];
          // json/jsonb stay objects inside the JSON; the rest as the driver would send them.
          o[c.name] = v === undefined || v === null ? null : c.columnType === 'PgJsonb' || c.columnType === 'PgJson' ? v : c.mapToDriverValue(v as never);
        }
        return o;
      }),
    );
    const got = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO ${sql.raw(name)} (${sql.raw(list)})
          SELECT ${sql.raw(list)} FROM json_populate_recordset(NULL::${sql.raw(name)}, ${json}::json) WITH ORDINALITY AS r
          ORDER BY r.ordinality
          RETURNING id`,
    );
    // RETURNING of an INSERT … SELECT … ORDER BY comes back in insertion order (PostgreSQL and PGlite).
    for (const g of got) ids.push(Number(g.id));
  }
  return ids;
}
