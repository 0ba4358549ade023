import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Database, migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { demoDepartmentId } from '../server/db/seed/demo-bank.js';
import { DEMO_NODES } from '../server/db/seed/demo-ids.js';
import { seedDemoBank } from '../server/db/seed/demo-bank.js';
import { recomputeAll, scoreSalesWhere } from '../server/modules/scoring/ledger.service.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { getNodeOr404 } from '../server/modules/org/org.queries.js';
import { draftStatement } from '../server/modules/statements/statement.service.js';

/**
 * Scoring at province scale (issue 4 benchmark), on PostgreSQL:
 * - import: deterministic sales (3 participating departments + 2 people each) COPYed into staging
 *   tables, then per chunk one transaction: idempotent INSERT … ON CONFLICT (source_id), the
 *   departments and people, and scoreSales (set-based) writing the ledger — beside a raw COPY of
 *   the same rows into bare copies of the three tables;
 * - full recompute of every period (nothing changed → nothing written) beside one hand-written
 *   SQL aggregate over the same rows (points per branch, month and department/person);
 * - one month's statement of 佛山分行.
 * The import runs in this process; its peak RSS is sampled every 50 ms.
 */
export async function benchScoring(opts: { sales: number; pgBase: string; dir: string; chunk?: number }) {
  const N = opts.sales;
  const chunk = opts.chunk ?? Math.min(200_000, Math.max(10_000, Math.ceil(N / 20)));
  const database = await freshPg(opts.pgBase, 'linkage_bench_scoring');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedSplitRules(database.db);
    const world = await buildWorld(database);
    const pool = database.pool!;

    // --- raw COPY baseline: the same rows into bare copies of the tables ----------------------
    await pool.query(`CREATE TABLE bench_sales (LIKE sales INCLUDING DEFAULTS INCLUDING INDEXES);
      CREATE TABLE bench_sale_departments (LIKE sale_departments INCLUDING DEFAULTS INCLUDING INDEXES);
      CREATE TABLE bench_sale_people (LIKE sale_people INCLUDING DEFAULTS INCLUDING INDEXES)`);
    let t0 = performance.now();
    for (let from = 0; from < N; from += chunk) {
      const to = Math.min(N, from + chunk);
      await copy(pool, 'COPY bench_sales (id, source_id, product_id, sale_date, quantity_1e4, host_department_id, node_id, development_id) FROM STDIN', lines(from, to, (i, out) => out.push(saleLine(world, i, true))));
      await copy(pool, 'COPY bench_sale_departments (sale_id, department_id, ratio_bp) FROM STDIN', lines(from, to, (i, out) => deptLines(world, i, String(i + 1), out)));
      await copy(pool, 'COPY bench_sale_people (sale_id, staff_id, department_id, role, contribution_bp) FROM STDIN', lines(from, to, (i, out) => peopleLines(world, i, String(i + 1), out)));
    }
    const copySeconds = (performance.now() - t0) / 1000;
    await pool.query('DROP TABLE bench_sales, bench_sale_departments, bench_sale_people');

    // --- our path: staging COPY → idempotent insert → scoreSales, chunk by chunk ---------------
    await pool.query(`CREATE UNLOGGED TABLE stage_sales (source_id text, product_id int, sale_date date, quantity_1e4 bigint, host_department_id int, node_id int, development_id int);
      CREATE UNLOGGED TABLE stage_departments (source_id text, department_id int, ratio_bp int);
      CREATE UNLOGGED TABLE stage_people (source_id text, staff_id int, department_id int, role text, contribution_bp int);
      CREATE UNLOGGED TABLE stage_new (id int PRIMARY KEY, source_id text)`);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    let ledgerRows = 0;
    let scoringSeconds = 0;
    t0 = performance.now();
    try {
      for (let from = 0; from < N; from += chunk) {
        const to = Math.min(N, from + chunk);
        await pool.query('TRUNCATE stage_sales, stage_departments, stage_people, stage_new');
        await copy(pool, 'COPY stage_sales FROM STDIN', lines(from, to, (i, out) => out.push(saleLine(world, i, false))));
        await copy(pool, 'COPY stage_departments FROM STDIN', lines(from, to, (i, out) => deptLines(world, i, sourceId(i), out)));
        await copy(pool, 'COPY stage_people FROM STDIN', lines(from, to, (i, out) => peopleLines(world, i, sourceId(i), out)));
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`WITH ins AS (
              INSERT INTO sales (source_id, product_id, sale_date, quantity_1e4, host_department_id, node_id, development_id)
              SELECT source_id, product_id, sale_date, quantity_1e4, host_department_id, node_id, development_id FROM stage_sales
              ON CONFLICT (source_id) DO NOTHING RETURNING id, source_id)
            INSERT INTO stage_new SELECT id, source_id FROM ins`);
          await tx.execute(sql`INSERT INTO sale_departments (sale_id, department_id, ratio_bp)
            SELECT n.id, d.department_id, d.ratio_bp FROM stage_departments d JOIN stage_new n ON n.source_id = d.source_id`);
          await tx.execute(sql`INSERT INTO sale_people (sale_id, staff_id, department_id, role, contribution_bp)
            SELECT n.id, p.staff_id, p.department_id, p.role, p.contribution_bp FROM stage_people p JOIN stage_new n ON n.source_id = p.source_id`);
          await tx.execute(sql`ANALYZE stage_new`);
          const s0 = performance.now();
          const r = await scoreSalesWhere(tx, sql`s.id IN (SELECT id FROM stage_new)`);
          scoringSeconds += (performance.now() - s0) / 1000;
          ledgerRows += r.entries;
        });
        if (N >= 1_000_000) console.log(`  scoring import ${to}/${N}`);
      }
    } finally {
      clearInterval(sampler);
    }
    const importSeconds = (performance.now() - t0) / 1000;
    console.log(`  scoring: COPY ${copySeconds.toFixed(1)} s, import ${importSeconds.toFixed(1)} s, ${ledgerRows} ledger rows`);
    await pool.query('DROP TABLE stage_sales, stage_departments, stage_people, stage_new');
    for (const t of ['sales', 'sale_departments', 'sale_people', 'ledger_entries']) await pool.query(`VACUUM ANALYZE ${t}`);

    // --- full recompute vs one hand-written SQL aggregate over the same rows -------------------
    t0 = performance.now();
    const re = await recomputeAll(database.db);
    const recomputeSeconds = (performance.now() - t0) / 1000;
    if (re.entries !== 0) throw new Error(`recompute with nothing changed wrote ${re.entries} entries`);
    t0 = performance.now();
    await rows(database.db, sqlBaseline());
    const baselineSeconds = (performance.now() - t0) / 1000;

    // --- one month's statement of one branch ---------------------------------------------------
    const node = await getNodeOr404(database.db, DEMO_NODES.foshan);
    await draftStatement(database.db, node, '2026-06');
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s0 = performance.now();
      await draftStatement(database.db, node, '2026-06');
      times.push(performance.now() - s0);
    }
    times.sort((a, b) => a - b);

    return {
      'scoring.database': 'postgresql',
      'scoring.sales': N,
      'scoring.import_sales_per_s': Math.round(N / importSeconds),
      'scoring.copy_baseline_sales_per_s': Math.round(N / copySeconds),
      'scoring.import_peak_rss_mb': Math.round(peak / 2 ** 20),
      'scoring.import_s': round(importSeconds),
      'scoring.import_scoring_s': round(scoringSeconds),
      'scoring.ledger_rows': ledgerRows,
      'scoring.recompute_s': round(recomputeSeconds),
      'scoring.sql_baseline_s': round(baselineSeconds),
      'scoring.statement_ms': round(times[Math.floor(times.length / 2)]),
    };
  } finally {
    await database.close();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The lower bound: points per branch, month and department (and per person) straight from the
 * sales, the score in force and the split — one GROUP BY, no largest remainder, no ledger.
 */
function sqlBaseline() {
  return sql`
WITH sv AS (SELECT id, product_id, score_hundredths, effective_from, lead(effective_from) OVER (PARTITION BY product_id ORDER BY effective_from) AS until FROM product_scores),
s AS (
  SELECT s.id, s.node_id, date_trunc('month', s.sale_date) AS period, s.host_department_id, (s.quantity_1e4 * sv.score_hundredths + 5000) / 10000 AS pts
  FROM sales s JOIN sv ON sv.product_id = s.product_id AND sv.effective_from <= s.sale_date AND (sv.until IS NULL OR s.sale_date < sv.until)
),
n AS (SELECT sale_id, count(*) AS n FROM sale_departments GROUP BY sale_id)
SELECT node_id, period, department_id, staff_id, sum(x) FROM (
  SELECT s.node_id, s.period, s.host_department_id AS department_id, NULL::int AS staff_id, s.pts * 2000 / 10000 AS x FROM s
  UNION ALL
  SELECT s.node_id, s.period, sd.department_id, NULL, s.pts * 8000 / 10000 / n.n FROM s JOIN sale_departments sd ON sd.sale_id = s.id JOIN n ON n.sale_id = s.id
  UNION ALL
  SELECT s.node_id, s.period, sp.department_id, sp.staff_id, s.pts * 8000 / 10000 / n.n FROM s JOIN sale_people sp ON sp.sale_id = s.id JOIN n ON n.sale_id = s.id
) x GROUP BY node_id, period, department_id, staff_id`;
}

// ------------------------------------------------------------------------------------------------
// Deterministic data

interface World {
  branches: number[];
  products: { id: number; host: string; mortgage: boolean }[];
  staffByDept: Map<number, number[]>;
  developmentsByBranch: Map<number, number[]>;
}

const MARKETING = ['CORP', 'INST', 'RE', 'PF', 'EB', 'CC', 'PB'];
const ROLES = ['营销人员', '介绍人', '产品经理'];

async function buildWorld(database: Database): Promise<World> {
  const db = database.db;
  const branches = Array.from({ length: 14 }, (_, i) => DEMO_NODES.foshan + i);
  await db.execute(sql`INSERT INTO product_lines (code, name_zh, name_en) VALUES ('BENCH', '基准测试', 'Bench') ON CONFLICT DO NOTHING`);
  await db.execute(sql`INSERT INTO client_types (code, name_zh, name_en) VALUES ('BENCH', '基准测试', 'Bench') ON CONFLICT DO NOTHING`);
  const defs = [
    ['B-WM', '理财', 'PF', false, 1000],
    ['B-FUND', '基金', 'PF', false, 1200],
    ['B-INS', '保险', 'PF', false, 1500],
    ['B-DEBIT', '借记卡', 'PF', false, 200],
    ['B-CARD', '信用卡', 'CC', false, 333],
    ['B-MOBILE', '手机银行', 'EB', false, 150],
    ['B-PAYROLL', '代发工资', 'CORP', false, 800],
    ['B-MORT', '个人住房贷款', 'RE', true, 5000],
  ] as const;
  const products: World['products'] = [];
  for (const [code, name, host, mortgage, score] of defs) {
    const [p] = await rows<{ id: number }>(db, sql`INSERT INTO products (code, name, line_code, host_department_code, unit, mortgage) VALUES (${code}, ${name}, 'BENCH', ${host}, '件', ${mortgage}) RETURNING id`);
    await db.execute(sql`INSERT INTO product_scores (product_id, score_hundredths, effective_from) VALUES (${p.id}, ${score}, '2020-01-01'), (${p.id}, ${score + 17}, '2026-07-01')`);
    products.push({ id: p.id, host, mortgage });
  }
  const staffRows = await rows<{ id: number; department_id: number }>(db, sql`SELECT id, department_id FROM staff WHERE department_id IS NOT NULL ORDER BY id`);
  const staffByDept = new Map<number, number[]>();
  for (const s of staffRows) staffByDept.set(s.department_id, [...(staffByDept.get(s.department_id) ?? []), s.id]);
  const developmentsByBranch = new Map<number, number[]>();
  for (const b of branches) {
    const ids: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [c] = await rows<{ id: number }>(db, sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id) VALUES (${`BENCH${b}${k}`.padEnd(18, '0')}, ${`基准房地产开发公司${b}-${k}`}, 'BENCH', ${b}) RETURNING id`);
      const [d] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO developments (code, name, developer_id, node_id, lender_mode, loan_share_bp) VALUES (${`BD${b}-${k}`}, ${`基准楼盘${b}-${k}`}, ${c.id}, ${b}, ${k === 2 ? 'partial' : 'sole'}, ${k === 2 ? 6000 : null}) RETURNING id`,
      );
      // k = 1 sits below 85 %: its mortgage sales are voided.
      await db.execute(sql`INSERT INTO development_figures (development_id, as_of, total_households, bank_households) VALUES (${d.id}, '2025-12-31', 200, ${k === 1 ? 160 : 180})`);
      ids.push(d.id);
    }
    developmentsByBranch.set(b, ids);
  }
  return { branches, products, staffByDept, developmentsByBranch };
}

/** A tiny deterministic hash of the sale index (no state: any chunk can be regenerated). */
function h(i: number, salt: number): number {
  let x = (i + 1) * 2654435761 + salt * 40503;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

const sourceId = (i: number) => `BS${String(i).padStart(9, '0')}`;
const dayOf = (i: number) => {
  const d = new Date(Date.UTC(2026, 0, 1) + (h(i, 3) % 365) * 86_400_000);
  return d.toISOString().slice(0, 10);
};

function shape(w: World, i: number) {
  const branch = w.branches[h(i, 1) % w.branches.length];
  const product = w.products[h(i, 2) % w.products.length];
  const others = MARKETING.filter((c) => c !== product.host);
  const start = h(i, 4) % others.length;
  const parts = [0, 1, 2].map((k) => others[(start + k) % others.length]);
  return { branch, product, parts };
}

function saleLine(w: World, i: number, withId: boolean): string {
  const { branch, product } = shape(w, i);
  const qty = product.mortgage ? 10_000 : 10_000 * (1 + (h(i, 5) % 50)) + (h(i, 6) % 4) * 2500;
  const dev = product.mortgage ? String(w.developmentsByBranch.get(branch)![h(i, 7) % 3]) : '\\N';
  const cols = [sourceId(i), product.id, dayOf(i), qty, demoDepartmentId(branch, product.host), branch, dev];
  return `${withId ? `${i + 1}\t` : ''}${cols.join('\t')}\n`;
}

function deptLines(w: World, i: number, key: string, out: string[]) {
  const { branch, parts } = shape(w, i);
  const ratios = h(i, 8) % 2 === 0 ? [5000, 3000, 2000] : null;
  parts.forEach((c, k) => out.push(`${key}\t${demoDepartmentId(branch, c)}\t${ratios ? ratios[k] : '\\N'}\n`));
}

function peopleLines(w: World, i: number, key: string, out: string[]) {
  const { branch, product, parts } = shape(w, i);
  const seen = new Set<string>();
  for (const [k, code] of [product.host, parts[h(i, 9) % 3]].entries()) {
    const dept = demoDepartmentId(branch, code);
    const list = w.staffByDept.get(dept) ?? [];
    if (list.length === 0) continue;
    const staffId = list[h(i, 10 + k) % list.length];
    if (seen.has(`${staffId}/${dept}`)) continue;
    seen.add(`${staffId}/${dept}`);
    out.push(`${key}\t${staffId}\t${dept}\t${ROLES[k]}\t\\N\n`);
  }
}

/** Lines for sales [from, to) in ~1 MB string chunks. */
function lines(from: number, to: number, emit: (i: number, out: string[]) => void): Readable {
  return Readable.from(
    (function* () {
      let buf: string[] = [];
      for (let i = from; i < to; i++) {
        emit(i, buf);
        if (buf.length >= 8192) {
          yield buf.join('');
          buf = [];
        }
      }
      if (buf.length) yield buf.join('');
    })(),
  );
}

async function copy(pool: pg.Pool, statement: string, source: Readable): Promise<void> {
  const client = await pool.connect();
  try {
    await pipeline(source, client.query(copyFrom(statement)));
  } finally {
    client.release();
  }
}

async function freshPg(base: string, name: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return openDatabase({ url: u.toString(), poolSize: 4 });
}

// `npx tsx bench/scoring.ts [sales]`: run alone, print the figures.
if (import.meta.url === `file://${process.argv[1]}`) {
  const sales = Number(process.argv[2] ?? process.env.BENCH_SALES ?? 100_000);
  const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  benchScoring({ sales, pgBase, dir: '/tmp' })
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
