import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from './client.js';
import { assertOnline, MONTH_PARTITIONED, monthFrom, monthPartitions, PARTITION_COLUMN } from './partitions.js';
import { attachYear, detachYear } from '../ops/archive.js';
import { TestClock, useClock } from '../calendar/index.js';
import { loadInputs } from '../modules/assessment/assessment.inputs.js';
import { getNodeOr404 } from '../modules/org/org.queries.js';
import { draftStatement, drillDown } from '../modules/statements/statement.service.js';
import { runMonthPartitionsJob } from '../jobs/partitions.job.js';
import { SYSTEM_ACTOR, verifyAuditChain } from '../modules/audit/audit.service.js';
import { createTestDatabase } from '../test/harness.js';

/**
 * Issue 17 goal 5 (migrations 0048 and 0049, decision 0042): the sales, the ledger and the totals are
 * partitioned by month; a row of a month without its partition waits in DEFAULT and the job moves it whole into
 * its month; the ledger stays append-only on every partition; a year leaves by DETACH, refused
 * while one of its months is not locked, audited when done.
 */
let database: Database;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);

afterAll(async () => {
  await database?.close();
});

/** A ledger line of `period` copied from an existing line (same sale, node and values). */
async function ledgerLineIn(period: string): Promise<Record<string, unknown>> {
  const [r] = await rows<Record<string, unknown>>(
    db(),
    sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version, role)
        SELECT sale_id, node_id, ${period}::date, kind, department_id, staff_id, points_hundredths, rule_version, role FROM ledger_entries ORDER BY id LIMIT 1
        RETURNING id::text, sale_id, node_id, period::text, kind, department_id, staff_id, points_hundredths::text, rule_version, role, province_id, created_at::text, tableoid::regclass::text AS part`,
  );
  return r;
}

const SALE_COLUMNS = sql.raw('source_id, product_id, person_id, company_id, project_id, development_id, quantity_1e4, host_department_id, node_id, content_sha256');
const SALE_ROW = sql.raw(`id, source_id, product_id, node_id, sale_date::text, quantity_1e4::text, province_id, content_sha256, created_at::text, tableoid::regclass::text AS part`);

/** A sale dated `day` under a new source id, copied from the first ledger line's sale (same product, client, branch). */
async function saleOn(day: string, sourceId: string): Promise<Record<string, unknown>> {
  const [r] = await rows<Record<string, unknown>>(
    db(),
    sql`INSERT INTO sales (${SALE_COLUMNS}, sale_date)
        SELECT ${sourceId}, product_id, person_id, company_id, project_id, development_id, quantity_1e4, host_department_id, node_id, content_sha256, ${day}::date
          FROM sales WHERE id = (SELECT sale_id FROM ledger_entries ORDER BY id LIMIT 1)
        RETURNING ${SALE_ROW}`,
  );
  return r;
}

async function keyOf(saleId: unknown): Promise<Record<string, unknown>[]> {
  return rows(db(), sql`SELECT sale_id, province_id, source_id, sale_date::text, content_sha256 FROM sale_keys WHERE sale_id = ${saleId as number}`);
}

async function partOf(table: string, where: ReturnType<typeof sql>): Promise<string[]> {
  return (await rows<{ part: string }>(db(), sql`SELECT tableoid::regclass::text AS part FROM ${sql.identifier(table)} WHERE ${where}`)).map((r) => r.part);
}

describe('month partitions', () => {
  it('monthFrom counts months across years', () => {
    expect([monthFrom('2026-12-07', -1), monthFrom('2026-12-07', 3), monthFrom('2027-01-31', -1), monthFrom('2026-01-15', -13)]).toEqual(['2026-11-01', '2027-03-01', '2026-12-01', '2024-12-01']);
  });

  it('the sales, the ledger and the totals are partitioned by month: every seeded row is in its month’s partition, DEFAULT is empty', async () => {
    for (const table of MONTH_PARTITIONED) {
      const col = sql.identifier(PARTITION_COLUMN[table]);
      const [kind] = await rows<{ k: string }>(db(), sql`SELECT relkind::text AS k FROM pg_class WHERE oid = ${table}::regclass`);
      expect(kind.k, table).toBe('p');
      const [misplaced] = await rows<{ n: number; all: number }>(
        db(),
        sql`SELECT count(*) FILTER (WHERE tableoid::regclass::text <> ${table} || '_' || to_char(${col}, 'YYYY_MM'))::int AS n, count(*)::int AS all FROM ${sql.identifier(table)}`,
      );
      expect(misplaced.all, table).toBeGreaterThan(0);
      expect(misplaced.n, table).toBe(0);
      const parts = await monthPartitions(db(), table);
      expect(parts.find((p) => p.name === `${table}_default`)).toEqual({ name: `${table}_default`, rows: 0 });
    }
    // Every sale has its key, and no key is without its sale.
    const [keys] = await rows<{ sales: number; keys: number; matched: number }>(
      db(),
      sql`SELECT (SELECT count(*)::int FROM sales) AS sales, (SELECT count(*)::int FROM sale_keys) AS keys,
                 (SELECT count(*)::int FROM sales s JOIN sale_keys k ON k.sale_id = s.id AND k.province_id = s.province_id AND k.source_id = s.source_id
                     AND k.sale_date = s.sale_date AND k.content_sha256 IS NOT DISTINCT FROM s.content_sha256) AS matched`,
    );
    expect(keys.sales).toBeGreaterThan(0);
    expect(keys).toEqual({ sales: keys.sales, keys: keys.sales, matched: keys.sales });
  });

  it('a source id is one sale across every month: the same id dated in another month is refused (23505, sales_source_uq); a sale keeps its date; a deleted sale takes its key with it', async () => {
    const sale = await saleOn('2026-02-14', 'KEYS-0001');
    expect(await keyOf(sale.id)).toEqual([{ sale_id: sale.id, province_id: sale.province_id, source_id: 'KEYS-0001', sale_date: '2026-02-14', content_sha256: sale.content_sha256 }]);
    await expect(saleOn('2026-03-14', 'KEYS-0001')).rejects.toMatchObject({ cause: { code: '23505', constraint: 'sales_source_uq' } });
    const [n] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM sales WHERE source_id = 'KEYS-0001'`);
    expect(n.n).toBe(1);
    // Another month is a strike and a new sale, never an UPDATE that would move it between partitions.
    await expect(db().execute(sql`UPDATE sales SET sale_date = '2026-03-14' WHERE id = ${sale.id as number}`)).rejects.toMatchObject({ cause: { code: '23514' } });
    await expect(db().execute(sql`UPDATE sales SET source_id = 'KEYS-0002' WHERE id = ${sale.id as number}`)).rejects.toMatchObject({ cause: { code: '23514' } });
    await db().execute(sql`UPDATE sales SET quantity_1e4 = quantity_1e4 + 1 WHERE id = ${sale.id as number}`);
    expect(await keyOf(sale.id)).toHaveLength(1);
    // No child rows: it may go, and its source id is free again.
    await db().execute(sql`DELETE FROM sales WHERE id = ${sale.id as number}`);
    expect(await keyOf(sale.id)).toEqual([]);
    const again = await saleOn('2026-03-14', 'KEYS-0001');
    expect(again.part).toBe('sales_2026_03');
    await db().execute(sql`DELETE FROM sales WHERE id = ${again.id as number}`);
    // A child naming a sale that is not there is refused as before.
    await expect(
      db().execute(sql`INSERT INTO sale_departments (sale_id, department_id, ratio_bp) SELECT ${again.id as number}, department_id, ratio_bp FROM sale_departments LIMIT 1`),
    ).rejects.toMatchObject({
      cause: { code: '23503' },
    });
  });

  it('a row of a month without its partition waits in DEFAULT; the job makes the month and moves it whole; the ledger stays append-only', async () => {
    const line = await ledgerLineIn('2031-05-01');
    expect(line.part).toBe('ledger_entries_default');
    const sale = await saleOn('2031-05-20', 'P2031-05-20');
    expect(sale.part).toBe('sales_default');
    await db().execute(sql`INSERT INTO statement_totals (node_id, period, grain, k1, points_hundredths) VALUES (${line.node_id as number}, '2031-05-01', 'B', 0, 12345)`);
    expect(await partOf('statement_totals', sql`period = '2031-05-01'`)).toEqual(['statement_totals_default']);

    const outcome = await runMonthPartitionsJob(db(), new Date('2031-04-10T09:00:00+08:00'));
    expect(outcome.failed).toEqual([]);
    expect(outcome.done).toHaveLength(1);
    for (const table of MONTH_PARTITIONED) {
      const names = (await monthPartitions(db(), table)).map((p) => p.name);
      // March to July 2031: the month before to three months after the job's day.
      for (const m of ['03', '04', '05', '06', '07']) expect(names, table).toContain(`${table}_2031_${m}`);
    }
    const [moved] = await rows<Record<string, unknown>>(
      db(),
      sql`SELECT id::text, sale_id, node_id, period::text, kind, department_id, staff_id, points_hundredths::text, rule_version, role, province_id, created_at::text, tableoid::regclass::text AS part
          FROM ledger_entries WHERE id = ${line.id as string}::bigint`,
    );
    expect(moved).toEqual({ ...line, part: 'ledger_entries_2031_05' });
    const [movedSale] = await rows<Record<string, unknown>>(db(), sql`SELECT ${SALE_ROW} FROM sales WHERE id = ${sale.id as number}`);
    expect(movedSale).toEqual({ ...sale, part: 'sales_2031_05' });
    expect(await keyOf(sale.id)).toEqual([{ sale_id: sale.id, province_id: sale.province_id, source_id: 'P2031-05-20', sale_date: '2031-05-20', content_sha256: sale.content_sha256 }]);
    expect(await partOf('statement_totals', sql`period = '2031-05-01'`)).toEqual(['statement_totals_2031_05']);
    const [dflt] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM ledger_entries_default`);
    expect(dflt.n).toBe(0);

    // Append-only on the new partition and again on DEFAULT (its triggers were off for the move only).
    await expect(db().execute(sql`DELETE FROM ledger_entries WHERE id = ${line.id as string}::bigint`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    await expect(db().execute(sql`TRUNCATE ledger_entries_2031_05`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    const off = await rows(db(), sql`SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger_entries_default'::regclass AND tgenabled = 'D'`);
    expect(off).toEqual([]);
    const again = await ledgerLineIn('2031-08-01');
    expect(again.part).toBe('ledger_entries_default');
    await expect(db().execute(sql`DELETE FROM ledger_entries_default`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });

    // A second round makes only what is missing (August, waiting in DEFAULT), then nothing.
    expect((await runMonthPartitionsJob(db(), new Date('2031-04-10T09:00:00+08:00'))).done).toHaveLength(1);
    expect(await partOf('ledger_entries', sql`id = ${again.id as string}::bigint`)).toEqual(['ledger_entries_2031_08']);
    expect((await runMonthPartitionsJob(db(), new Date('2031-04-10T09:00:00+08:00'))).done).toEqual([]);
  });

  it('a year leaves by DETACH: refused while one of its months is not locked; detached, its rows are out of the tables, kept whole and audited; the archived year answers PERIOD.ARCHIVED; attached again (all or nothing) its rows are back', async () => {
    const [line] = await rows<{ node_id: number; id: string }>(db(), sql`SELECT node_id, id::text FROM ledger_entries WHERE period = '2031-05-01' LIMIT 1`);
    const refused = { cause: { message: expect.stringMatching(/not locked/) } };
    // No periods row: the months are drafts.
    await expect(detachYear(db(), SYSTEM_ACTOR, 2031)).rejects.toMatchObject(refused);
    await db().execute(sql`INSERT INTO periods (node_id, period, state) VALUES (${line.node_id}, '2031-05-01', 'draft')`);
    await expect(detachYear(db(), SYSTEM_ACTOR, 2031)).rejects.toMatchObject(refused);
    await db().execute(sql`UPDATE periods SET state = 'locked' WHERE node_id = ${line.node_id} AND period = '2031-05-01'`);
    // August (a ledger line, no periods row) is still a draft.
    await expect(detachYear(db(), SYSTEM_ACTOR, 2031)).rejects.toMatchObject(refused);
    expect(await partOf('ledger_entries', sql`id = ${line.id}::bigint`)).toEqual(['ledger_entries_2031_05']);

    await db().execute(sql`INSERT INTO periods (node_id, period, state) VALUES (${line.node_id}, '2031-08-01', 'locked')`);
    const detached = await detachYear(db(), SYSTEM_ACTOR, 2031);
    const names = detached.map((d) => d.table);
    for (const table of MONTH_PARTITIONED) for (const m of ['03', '04', '05', '06', '07']) expect(names).toContain(`${table}_2031_${m}`);
    // August was made for the ledger line waiting in DEFAULT only.
    expect(names).toContain('ledger_entries_2031_08');
    expect(names).toHaveLength(5 * 5 + 1);
    expect(detached.find((d) => d.table === 'sales_2031_05')?.rows).toBe(1);
    expect(detached.find((d) => d.table === 'ledger_entries_2031_05')?.rows).toBe(1);
    expect(detached.find((d) => d.table === 'statement_totals_2031_05')?.rows).toBe(1);
    const [left] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM ledger_entries WHERE period >= '2031-01-01'`);
    expect(left.n).toBe(0);
    const [kept] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM ledger_entries_2031_05 WHERE id = ${line.id}::bigint`);
    expect(kept.n).toBe(1);

    const [entry] = await rows<{ after: { year: number; detached: { table: string; rows: number }[] } }>(
      db(),
      sql`SELECT after FROM audit_log WHERE action = 'partitions.detach_year' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry.after.year).toBe(2031);
    expect(entry.after.detached).toEqual(detached);
    expect((await verifyAuditChain(db())).broken).toBeNull();

    // Read in 2032: the archived year's statement, dashboards and assessment say so, not zeros.
    const restore = useClock(new TestClock('2032-02-01T09:00:00+08:00'));
    try {
      const node = await getNodeOr404(db(), line.node_id);
      const archived = { code: 'PERIOD.ARCHIVED', status: 410 };
      await expect(draftStatement(db(), node, '2031-05')).rejects.toMatchObject(archived);
      await expect(drillDown(db(), node, '2031-05', { departmentId: 1 })).rejects.toMatchObject(archived);
      await expect(loadInputs(db(), node, 2031, { poolFen: 0, gateBp: 5000 })).rejects.toMatchObject(archived);
      await expect(assertOnline(db(), 2030, 2031)).rejects.toMatchObject(archived);
      await assertOnline(db(), 2030);

      // A dropped table must be restored first: nothing is attached while one is missing.
      await db().execute(sql`ALTER TABLE completion_totals_2031_07 RENAME TO completion_totals_2031_07_away`);
      await expect(attachYear(db(), SYSTEM_ACTOR, 2031)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/restore it from the archive/) } });
      expect(await partOf('ledger_entries', sql`id = ${line.id}::bigint`)).toEqual([]);
      await db().execute(sql`ALTER TABLE completion_totals_2031_07_away RENAME TO completion_totals_2031_07`);

      const attached = await attachYear(db(), SYSTEM_ACTOR, 2031);
      expect(attached.sort()).toEqual(names.sort());
      expect(await partOf('ledger_entries', sql`id = ${line.id}::bigint`)).toEqual(['ledger_entries_2031_05']);
      const statement = await draftStatement(db(), node, '2031-05');
      expect(statement).toBeDefined();
      const [back] = await rows<{ action: string }>(db(), sql`SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1`);
      expect(back.action).toBe('partitions.attach_year');
      expect(await partOf('sales', sql`source_id = 'P2031-05-20'`)).toEqual(['sales_2031_05']);

      // A line of 2032 adjusting a sale of 2031: detached alone, 2031 would leave that line pointing at nothing.
      const [sale] = await rows<{ id: number }>(db(), sql`SELECT id FROM sales WHERE source_id = 'P2031-05-20'`);
      await db().execute(sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version, role, adjusts_period)
        SELECT ${sale.id}, node_id, '2032-01-01', kind, department_id, staff_id, points_hundredths, rule_version, role, '2031-05-01' FROM ledger_entries ORDER BY id LIMIT 1`);
      await expect(detachYear(db(), SYSTEM_ACTOR, 2031)).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/sales of 2031 are referenced by 1 ledger line\(s\) of another year, written in 2032-01 to 2032-01/) },
      });
      expect(await partOf('sales', sql`id = ${sale.id}`)).toEqual(['sales_2031_05']);
    } finally {
      restore();
    }
  });
});
