import { intArray } from '../../db/arrays.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Database, type Db, type DbOrTx, oneAtATime, rows } from '../../db/client.js';
import { liftStatementTimeout } from '../../db/limits.js';
import * as schema from '../../db/schema/index.js';
import { NotUtf8 } from './bulk-csv.js';
import { bulkStages } from './bulk-stages.js';
import { CopyText } from './bulk-copy-text.js';
import { type ResolvedSale, textArray } from './sales.resolve.js';

/**
 * Writing the checked sales of the bulk path (sales.bulk.ts): COPY on PostgreSQL, INSERT … unnest on
 * PGlite, both inside the load's one transaction, with ids drawn from the sales sequence.
 */

/** The load's temporary table of new sale ids, which scoring reads at the end. */
export const NEW_IDS = 'linkage_bulk_new_sales';

/** Thrown inside the transaction to roll it back: 'all' mode met a refused row. */
export class RowErrorsRollback extends Error {}

/** Where the rows go: ids reserved from the sales sequence, then the three tables. */
export interface SalesWriter {
  /** Waits for the previous chunk's write; its failure surfaces here. */
  settle(): Promise<void>;
  /**
   * Runs a chunk's look-ups where they belong. PostgreSQL with lookupsAhead: on a connection of its
   * own (committed rows only), so they run while the transaction's connection COPYs the previous
   * chunk — one statement at a time there, in the order asked, as the chunks' look-ups and id
   * reservations all share it. Otherwise: the transaction.
   */
  lookUp<T>(work: (reader: DbOrTx) => Promise<T>): Promise<T>;
  /** Whether `reader` sees the rows this load has written (PGlite: it is the load's transaction). */
  readerSeesLoad: boolean;
  reserve(n: number): Promise<number[]>;
  /** Starts writing a chunk; may return before PostgreSQL has it (see settle). */
  write(list: ResolvedSale[], ids: number[], createdBy: number | null): Promise<void>;
}

/**
 * The COPY text of a chunk: one Buffer per table (sales, departments, people), rows in order
 * (bulk-copy-text.ts; the same bytes as a template string per row).
 */
export function copyPayload(list: ResolvedSale[], ids: number[], createdBy: number | null, provinces: Map<number, number>) {
  const sales = new CopyText(list.length * 160);
  const depts = new CopyText(list.length * 96);
  const people = new CopyText(list.length * 96);
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const id = ids[i];
    const s = r.input;
    // The province key (decision 0043) sent with the row: the fill trigger then skips it.
    const pv = provinces.get(r.nodeId) ?? null;
    sales.int(id).tab().text(s.sourceId).tab().int(r.productId).tab().intOrNull(r.personId).tab().intOrNull(r.companyId).tab().intOrNull(s.projectId).tab();
    sales.intOrNull(r.developmentId).tab().raw(s.saleDate).tab().int(s.quantity1e4).tab().int(r.hostDepartmentId).tab().int(r.nodeId).tab();
    // The fingerprint is hex: nothing to escape.
    sales.raw(r.fingerprint).tab().intOrNull(createdBy).tab().intOrNull(pv).end();
    for (const d of r.departments) depts.int(id).tab().int(d.departmentId).tab().intOrNull(d.ratioBp).tab().intOrNull(d.weight).tab().intOrNull(pv).end();
    for (const p of r.people) {
      people.int(id).tab().int(p.staffId).tab().int(p.departmentId).tab().text(p.role).tab().intOrNull(p.contributionBp).tab().intOrNull(p.weight).tab().intOrNull(pv).end();
    }
  }
  return { sales: sales.bytes(), depts: depts.bytes(), people: people.bytes() };
}

const SALES_COLUMNS = 'id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id, content_sha256, created_by';

/** Every node's province (the distribution key, decision 0043), read once per load. */
async function provincesOfNodes(tx: DbOrTx): Promise<Map<number, number>> {
  const list = await rows<{ id: number; provinceId: number }>(tx, sql`SELECT id, province_id AS "provinceId" FROM org_nodes`);
  return new Map(list.map((n) => [n.id, n.provinceId]));
}

/** The sales id sequence, named once per load (looking it up per id costs 9× the nextval). */
async function salesSequence(tx: DbOrTx): Promise<string> {
  const [r] = await rows<{ seq: string }>(tx, sql`SELECT pg_get_serial_sequence('sales', 'id') AS seq`);
  return r.seq;
}

async function reserveIds(tx: DbOrTx, seq: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  // The ids are drawn from the sales sequence (so later single inserts never collide) and noted in
  // the load's temporary table, which scoring reads at the end.
  const [r] = await rows<{ ids: string }>(
    tx,
    sql`WITH ins AS (INSERT INTO ${sql.raw(NEW_IDS)} SELECT nextval(${seq}::regclass) FROM generate_series(1, ${n}::int) RETURNING id)
        SELECT string_agg(id::text, ',') AS ids FROM ins`,
  );
  return r.ids.split(',').map(Number);
}

/**
 * PostgreSQL: COPY streams per chunk on the transaction's own connection (the sales, their
 * departments and people). The COPY of a chunk runs while Node parses the next ones. With a
 * `reader` (lookupsAhead, decision 0049) the look-ups and the id reservation run on that second
 * connection, the ids go into NEW_IDS by a fourth COPY, and nothing waits for the COPY but the next
 * COPY (and a chunk naming a source id an earlier chunk wrote, which sales.bulk.ts looks up on `tx`).
 * Without one, everything runs on the transaction in order, as before.
 */
function pgWriter(client: pg.PoolClient, tx: DbOrTx, reader: Db | null, seq: string, provinces: Map<number, number>): SalesWriter {
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const copy = (statement: string, text: Buffer | string) => (text.length ? pipeline(Readable.from([text]), client.query(copyFrom(statement))) : Promise.resolve());
  // The look-ahead connection is asked for by several chunks at once: one statement at a time.
  const onReader = oneAtATime();
  return {
    // Without a reader (lookupsAhead off): everything on the transaction, in order, as before 0049.
    lookUp: (work) => (reader === null ? work(tx) : onReader(() => work(reader))),
    readerSeesLoad: reader === null,
    async settle() {
      await pending;
      if (failure) throw failure;
    },
    // A sequence is outside transactions: ids drawn on the reader are as much the load's; they go
    // into NEW_IDS with the chunk's COPY (only the ids used: the others are gaps, as before).
    reserve: async (n) => {
      if (reader === null) return reserveIds(tx, seq, n);
      if (n === 0) return [];
      const [r] = await onReader(() => rows<{ ids: string }>(reader, sql`SELECT string_agg(id::text, ',') AS ids FROM (SELECT nextval(${seq}::regclass) AS id FROM generate_series(1, ${n}::int)) t`));
      return r.ids.split(',').map(Number);
    },
    async write(list, ids, createdBy) {
      // The text is built before waiting for the previous COPY: Node works while PostgreSQL copies.
      const p = copyPayload(list, ids, createdBy, provinces);
      const newIds = reader !== null && ids.length ? `${ids.join('\n')}\n` : '';
      await this.settle();
      pending = (async () => {
        await bulkStages.time('copy_sales', () => copy(`COPY sales (${SALES_COLUMNS}, province_id) FROM STDIN`, p.sales));
        await bulkStages.time('copy_departments', () => copy('COPY sale_departments (sale_id, department_id, ratio_bp, weight, province_id) FROM STDIN', p.depts));
        await bulkStages.time('copy_people', () => copy('COPY sale_people (sale_id, staff_id, department_id, role, contribution_bp, weight, province_id) FROM STDIN', p.people));
        await bulkStages.time('copy_new_ids', () => copy(`COPY ${NEW_IDS} (id) FROM STDIN`, newIds));
      })().catch((e: unknown) => {
        failure = e;
      });
    },
  };
}

/** A PostgreSQL int[] literal for one parameter (unnest on PGlite; text[] is textArray). */

/**
 * PGlite (one branch, embedded): INSERT … SELECT FROM unnest per chunk, in the same transaction.
 * COPY … FROM '/dev/blob' with the PostgreSQL writer's COPY text was measured as no faster (decision
 * 0048: 9.3 s against 8.3 s of writer time for 30 k sales), so the plain statements stay.
 */
function pgliteWriter(tx: DbOrTx, seq: string): SalesWriter {
  return {
    lookUp: (work) => work(tx),
    readerSeesLoad: true,
    settle: async () => undefined,
    reserve: (n) => reserveIds(tx, seq, n),
    async write(list, ids, createdBy) {
      if (list.length === 0) return;
      const col = <T>(f: (r: ResolvedSale) => T) => list.map(f);
      await tx.execute(sql`INSERT INTO sales (${sql.raw(SALES_COLUMNS)})
        SELECT id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id, content_sha256, ${createdBy}::int
        FROM unnest(${intArray(ids)}::int[], ${textArray(col((r) => r.input.sourceId))}::text[], ${intArray(col((r) => r.productId))}::int[],
                    ${intArray(col((r) => r.personId))}::int[], ${intArray(col((r) => r.companyId))}::int[], ${intArray(col((r) => r.input.projectId))}::int[],
                    ${intArray(col((r) => r.developmentId))}::int[], ${textArray(col((r) => r.input.saleDate))}::date[], ${intArray(col((r) => r.input.quantity1e4))}::bigint[],
                    ${intArray(col((r) => r.hostDepartmentId))}::int[], ${intArray(col((r) => r.nodeId))}::int[],
                    ${textArray(col((r) => r.fingerprint))}::text[])
             AS t(id, source_id, product_id, person_id, company_id, project_id, development_id, sale_date, quantity_1e4, host_department_id, node_id, content_sha256)`);
      const d = list.flatMap((r, i) => r.departments.map((x) => ({ id: ids[i], ...x })));
      if (d.length) {
        await tx.execute(sql`INSERT INTO sale_departments (sale_id, department_id, ratio_bp, weight)
          SELECT * FROM unnest(${intArray(d.map((x) => x.id))}::int[], ${intArray(d.map((x) => x.departmentId))}::int[], ${intArray(d.map((x) => x.ratioBp))}::int[],
                               ${intArray(d.map((x) => x.weight))}::int[])`);
      }
      const p = list.flatMap((r, i) => r.people.map((x) => ({ id: ids[i], ...x })));
      if (p.length) {
        await tx.execute(sql`INSERT INTO sale_people (sale_id, staff_id, department_id, role, contribution_bp, weight)
          SELECT * FROM unnest(${intArray(p.map((x) => x.id))}::int[], ${intArray(p.map((x) => x.staffId))}::int[], ${intArray(p.map((x) => x.departmentId))}::int[],
                               ${textArray(p.map((x) => x.role))}::text[], ${intArray(p.map((x) => x.contributionBp))}::int[],
                               ${intArray(p.map((x) => x.weight))}::int[])`);
      }
    },
  };
}

/**
 * Runs `work` in ONE transaction: on PostgreSQL on a connection of its own (COPY needs the raw
 * client), on PGlite in db.transaction.
 */
export async function inTransaction<T>(database: Database, work: (tx: DbOrTx, writer: SalesWriter) => Promise<T>, opts: { lookupsAhead?: boolean } = {}): Promise<T> {
  if (database.pool) {
    const client = await database.pool.connect();
    let broken = false;
    let readerClient: pg.PoolClient | null = null;
    try {
      // The look-ups' own connection, outside the transaction (decision 0049). No statement limit
      // for the load's duration (a job, not a request): it is closed, not returned, at the end.
      let reader: Db | null = null;
      if (opts.lookupsAhead) {
        readerClient = await database.pool.connect();
        await readerClient.query('SET statement_timeout = 0');
        reader = drizzleNodePg(readerClient, { schema }) as unknown as Db;
      }
      const db = drizzleNodePg(client, { schema }) as unknown as Db;
      return await db.transaction(async (tx) => {
        await liftStatementTimeout(tx); // a bulk load is a job, not a request (decision 0018)
        await tx.execute(sql`CREATE TEMP TABLE ${sql.raw(NEW_IDS)} (id int NOT NULL) ON COMMIT DROP`);
        return work(tx, pgWriter(client, tx, reader, await salesSequence(tx), await provincesOfNodes(tx)));
      });
    } catch (e) {
      // A COPY cut off mid-stream can leave the connection in no state to be reused.
      broken = !(e instanceof RowErrorsRollback || e instanceof NotUtf8);
      throw e;
    } finally {
      client.release(broken);
      readerClient?.release(true);
    }
  }
  return database.db.transaction(async (tx) => {
    await liftStatementTimeout(tx);
    await tx.execute(sql`CREATE TEMP TABLE ${sql.raw(NEW_IDS)} (id int NOT NULL) ON COMMIT DROP`);
    const result = await work(tx, pgliteWriter(tx, await salesSequence(tx)));
    // PGlite runs no autovacuum (one backend, no launcher): without this the planner keeps the
    // statistics of the tables before the load and plans every page over the new month as if it
    // were empty (decision 0048). In the transaction, so it commits — or rolls back — with the rows.
    await tx.execute(sql`ANALYZE`);
    return result;
  });
}
