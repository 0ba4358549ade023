import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { ensureMonths } from '../server/db/partitions.js';
import { attachYear, detachYear } from '../server/ops/archive.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { recomputeAll } from '../server/modules/scoring/ledger.service.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { getNodeOr404 } from '../server/modules/org/org.queries.js';
import { draftStatement } from '../server/modules/statements/statement.service.js';
import { runAssessment } from '../server/modules/assessment/assessment.service.js';
import { benchAuth } from './auth.js';
import { buildWorld, copy, deptLines, freshPg, h, lines, peopleLines, SALE_COLUMNS, saleLine } from './scoring.js';

/**
 * Issue 17 goal 5 (migrations 0048 and 0049, decision 0042): a year of data, `perMonth` sales in each month
 * of 2025 (BENCH_YEAR_SALES, the issue's 1,000,000), loaded month by month as a bank lives it —
 * the month's sales copied, then scored (the ledger and every total written into the month's
 * partitions). Measured:
 * - a month's statement of 佛山分行 (2025-01) right after January was scored, and again with the
 *   whole year in the tables: the ratio says whether history slows a month down (goal < 200 ms);
 * - the year-end assessment of 佛山分行 over the twelve locked months (goal < 30 s);
 * - archiving the year: DETACH of its 60 month partitions — sales, ledger, three totals (a catalogue operation, whatever the rows),
 *   the detached tables still readable; attached again, the statement is the same figure for figure.
 */
const YEAR = 2025;
const round = (x: number) => Math.round(x * 1000) / 1000;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Median and worst of `n` runs (after one warm-up). */
async function repeat(n: number, fn: () => Promise<unknown>): Promise<{ p50Ms: number; maxMs: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return { p50Ms: round(times[Math.floor(n / 2)]), maxMs: round(times[n - 1]) };
}

export async function benchYear(opts: { perMonth: number; pgBase: string }) {
  const N = opts.perMonth;
  const database = await freshPg(opts.pgBase, 'linkage_bench_year');
  const db = database.db;
  const pool = database.pool!;
  try {
    await migrateDatabase(database);
    await seedDemoBank(db);
    await seedSplitRules(db);
    const world = await buildWorld(database);
    // The operator makes the past year's months before loading it (`linkage months`).
    const made = await timed(() => db.transaction((tx) => ensureMonths(tx, `${YEAR}-01-01`, `${YEAR}-12-01`)));
    const node = await getNodeOr404(db, DEMO_NODES.foshan);

    const months: { month: string; copyS: number; scoreS: number; ledgerRows: number }[] = [];
    let statementFirstMonth: { p50Ms: number; maxMs: number } | null = null;
    for (let m = 0; m < 12; m++) {
      const from = m * N;
      const to = from + N;
      const first = Date.UTC(YEAR, m, 1);
      const days = (Date.UTC(YEAR, m + 1, 1) - first) / 86_400_000;
      const day = (i: number) => new Date(first + (h(i, 3) % days) * 86_400_000).toISOString().slice(0, 10);
      const c = await timed(async () => {
        await copy(
          pool,
          `COPY sales (${SALE_COLUMNS}) FROM STDIN`,
          lines(from, to, (i, out) => out.push(saleLine(world, i, day))),
        );
        await copy(
          pool,
          'COPY sale_departments (sale_id, department_id, ratio_bp) FROM STDIN',
          lines(from, to, (i, out) => deptLines(world, i, out)),
        );
        await copy(
          pool,
          'COPY sale_people (sale_id, staff_id, department_id, role, contribution_bp) FROM STDIN',
          lines(from, to, (i, out) => peopleLines(world, i, out)),
        );
      });
      await pool.query(`SELECT setval(pg_get_serial_sequence('sales', 'id'), ${to})`);
      await pool.query('ANALYZE sales, sale_departments, sale_people');
      const s = await timed(() => recomputeAll(db));
      const month = `${YEAR}-${String(m + 1).padStart(2, '0')}`;
      months.push({ month, copyS: round(c.ms / 1000), scoreS: round(s.ms / 1000), ledgerRows: s.value.entries });
      console.log(`  year: ${month} ${N} sales copied ${(c.ms / 1000).toFixed(1)} s, scored ${(s.ms / 1000).toFixed(1)} s (${s.value.entries} ledger rows)`);
      if (m === 0) {
        await pool.query('VACUUM ANALYZE ledger_entries, statement_totals, product_points_totals, completion_totals');
        statementFirstMonth = await repeat(9, () => draftStatement(db, node, `${YEAR}-01`));
      }
    }
    await pool.query('VACUUM ANALYZE ledger_entries, statement_totals, product_points_totals, completion_totals, sale_scoring');
    const statementYear = await repeat(9, () => draftStatement(db, node, `${YEAR}-01`));
    const statementJune = await repeat(9, () => draftStatement(db, node, `${YEAR}-06`));
    const [size] = await rows<{ ledger: number; ledger_bytes: number; partitions: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM ledger_entries) AS ledger,
                 (SELECT sum(pg_total_relation_size(i.inhrelid))::bigint FROM pg_inherits i WHERE i.inhparent = 'ledger_entries'::regclass) AS ledger_bytes,
                 (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent IN ('ledger_entries'::regclass, 'statement_totals'::regclass, 'product_points_totals'::regclass, 'completion_totals'::regclass)) AS partitions`,
    );

    // The year ends: every branch-month locked (as twelve month-ends would leave it), then HR's run.
    await db.execute(sql`INSERT INTO periods (node_id, period, state, locked_at)
      SELECT DISTINCT node_id, period, 'locked', now() FROM statement_totals WHERE period >= ${`${YEAR}-01-01`}::date AND period < ${`${YEAR + 1}-01-01`}::date
      ON CONFLICT (node_id, period) DO UPDATE SET state = 'locked'`);
    const admin = await benchAuth(db, 'admin');
    const assessment = await timed(() => runAssessment(db, admin, node, YEAR, 100_000_000));

    // Archiving the year: DETACH, read a detached month, attach it back, the same statement.
    const before = JSON.stringify(await draftStatement(db, node, `${YEAR}-06`));
    const detached = await timed(() => detachYear(db, { id: null, name: 'bench' }, YEAR));
    const [june] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(`ledger_entries_${YEAR}_06`)}`);
    const [left] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ledger_entries WHERE period >= ${`${YEAR}-01-01`}::date AND period < ${`${YEAR + 1}-01-01`}::date`);
    const attach = await timed(() => attachYear(db, { id: null, name: 'bench' }, YEAR));
    const after = JSON.stringify(await draftStatement(db, node, `${YEAR}-06`));

    return {
      'year.database': 'postgresql',
      'year.sales_per_month': N,
      'year.sales': N * 12,
      'year.ledger_rows': size.ledger,
      'year.ledger_gib': round(Number(size.ledger_bytes) / 2 ** 30),
      'year.partitions': size.partitions,
      'year.make_months_ms': round(made.ms),
      'year.months': months,
      // Goal: < 200 ms; the ratio: the same month's statement with one month loaded over with twelve.
      'year.statement_first_month_ms': statementFirstMonth,
      'year.statement_full_year_ms': statementYear,
      'year.statement_june_ms': statementJune,
      'year.statement_ratio': round(statementFirstMonth!.p50Ms / statementYear.p50Ms),
      'year.statement_goal_ms': 200,
      'year.assessment_s': round(assessment.ms / 1000),
      'year.assessment_goal_s': 30,
      'year.detach_ms': round(detached.ms),
      'year.detached_tables': detached.value.length,
      'year.detached_rows': detached.value.reduce((a, d) => a + d.rows, 0),
      'year.detached_june_ledger_rows': june.n,
      'year.rows_left_after_detach': left.n,
      'year.attach_ms': round(attach.ms),
      'year.statement_same_after_reattach': before === after,
    };
  } finally {
    await database.close();
  }
}
