import { spawn } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { type Database, migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { staff } from '../server/db/schema/index.js';
import { demoDepartmentId } from '../server/seed/demo-bank.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { loadGrants } from '../server/modules/auth/auth.service.js';
import { makeIdNumber } from '../server/modules/customers/ids.rules.js';
import { bulkImportSales } from '../server/modules/sales/sales.bulk.js';
import { bulkStages } from '../server/modules/sales/bulk-stages.js';
import { recomputeAll } from '../server/modules/scoring/ledger.service.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { getNodeOr404 } from '../server/modules/org/org.queries.js';
import { sameShapeTable, scoringFloor } from './scoring-floor.js';
import { copy, freshPg, lineChunks, lines } from './pg-copy.js';

export { copy, freshPg, lines };
import { draftStatement } from '../server/modules/statements/statement.service.js';

/**
 * Scoring at province scale (issue 4 benchmark), on PostgreSQL:
 * - import: N deterministic sales (3 participating departments + 2 people each, a client each)
 *   written as a CSV in the sales template's format and loaded through the product's bulk path
 *   (sales.bulk.ts: streamed, every row parsed and checked, COPY, one transaction, scored) in a
 *   child process, so its peak RSS is its own — beside a raw COPY of the same rows, already
 *   resolved to ids, into bare copies of the three tables;
 * - full recompute of every period (nothing changed → nothing written) beside one hand-written
 *   SQL aggregate over the same rows (points per branch, month and department/person);
 * - one month's statement of 佛山分行.
 */
export async function benchScoring(opts: { sales: number; pgBase: string; dir: string; chunk?: number }) {
  const N = opts.sales;
  // Rows per COPY of the baseline (the import chooses its own chunks).
  const chunk = opts.chunk ?? Math.min(200_000, Math.max(10_000, Math.ceil(N / 20)));
  const database = await freshPg(opts.pgBase, 'linkage_bench_scoring');
  const file = path.join(opts.dir, `bench-sales-${N}${process.env.BENCH_DB_SUFFIX ?? ''}.csv`);
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedSplitRules(database.db);
    const world = await buildWorld(database);
    const pool = database.pool!;
    const g0 = performance.now();
    await writeSalesCsv(world, N, file);
    console.log(`  scoring: ${N} sales as CSV (${Math.round(statSync(file).size / 2 ** 20)} MiB) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    // --- raw COPY baseline: the same rows, resolved, into bare copies of the tables -------------
    // The same shapes as the product's tables: sales partitioned by month with the same partitions
    // (migration 0049), and its source-id keys, which the product writes by trigger, copied here raw.
    await sameShapeTable(database, 'sales', 'bench_sales');
    await sameShapeTable(database, 'sale_keys', 'bench_sale_keys');
    await pool.query(`CREATE TABLE bench_sale_departments (LIKE sale_departments INCLUDING DEFAULTS INCLUDING INDEXES);
      CREATE TABLE bench_sale_people (LIKE sale_people INCLUDING DEFAULTS INCLUDING INDEXES)`);
    // The distribution key (migration 0039) is a column like any other of the raw rows: the bare
    // copies take the bench bank's one province as default, where the real tables fill it by trigger.
    await pool.query(`DO $$ DECLARE p int := (SELECT min(province_id) FROM org_nodes WHERE level = 'province'); BEGIN
      EXECUTE format('ALTER TABLE bench_sales ALTER province_id SET DEFAULT %s', p);
      EXECUTE format('ALTER TABLE bench_sale_keys ALTER province_id SET DEFAULT %s', p);
      EXECUTE format('ALTER TABLE bench_sale_departments ALTER province_id SET DEFAULT %s', p);
      EXECUTE format('ALTER TABLE bench_sale_people ALTER province_id SET DEFAULT %s', p); END $$`);
    let t0 = performance.now();
    for (let from = 0; from < N; from += chunk) {
      const to = Math.min(N, from + chunk);
      await copy(
        pool,
        `COPY bench_sales (${SALE_COLUMNS}) FROM STDIN`,
        lines(from, to, (i, out) => out.push(saleLine(world, i))),
      );
      await copy(
        pool,
        'COPY bench_sale_keys (sale_id, source_id, sale_date) FROM STDIN',
        lines(from, to, (i, out) => out.push(keyLine(i))),
      );
      await copy(
        pool,
        'COPY bench_sale_departments (sale_id, department_id, ratio_bp) FROM STDIN',
        lines(from, to, (i, out) => deptLines(world, i, out)),
      );
      await copy(
        pool,
        'COPY bench_sale_people (sale_id, staff_id, department_id, role, contribution_bp) FROM STDIN',
        lines(from, to, (i, out) => peopleLines(world, i, out)),
      );
    }
    const copySeconds = (performance.now() - t0) / 1000;
    await pool.query('DROP TABLE bench_sales, bench_sale_keys, bench_sale_departments, bench_sale_people');

    // --- the product's bulk path, in a child process --------------------------------------------
    const imp = await importInChild(database.url!, file);
    if (imp.status !== 'done' || imp.inserted !== N) throw new Error(`bulk import: ${imp.status} ${imp.inserted}/${N}: ${imp.message} ${JSON.stringify(imp.firstErrors)}`);
    console.log(
      `  scoring: COPY ${copySeconds.toFixed(1)} s, import ${imp.writeSeconds.toFixed(1)} s + scoring ${imp.scoreSeconds.toFixed(1)} s, ${imp.ledgerEntries} ledger rows, peak RSS ${imp.peakRssMiB} MiB`,
    );
    if (process.env.BENCH_RECORD_ONLY === '1') {
      // Only the recording figures (the floor, recompute and statement skipped): for measuring the bulk path.
      return {
        'scoring.sales': N,
        'scoring.copy_baseline_s': round(copySeconds),
        'scoring.import_write_s': round(imp.writeSeconds),
        'scoring.record_ratio': round(copySeconds / imp.writeSeconds),
        'scoring.record_stages_s': imp.stages,
        'scoring.import_peak_rss_mb': imp.peakRssMiB,
      };
    }
    // The floor (issue 17 goal 1): the COPY above + one hand-written INSERT … SELECT of the same
    // ledger lines and totals, checked row for row against the import's up to BENCH_FLOOR_VERIFY sales.
    const floor = await scoringFloor(database, { sales: N, verifyUpTo: Number(process.env.BENCH_FLOOR_VERIFY ?? 500_000) });
    const floorSeconds = copySeconds + floor.floorInsertSeconds;
    console.log(`  scoring: floor ${floorSeconds.toFixed(1)} s (COPY + INSERT … SELECT ${floor.floorInsertSeconds.toFixed(1)} s${floor.verified ? ', same rows as the import' : ''})`);
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
      'scoring.csv_mib': Math.round(statSync(file).size / 2 ** 20),
      'scoring.import_sales_per_s': Math.round(N / imp.writeSeconds),
      'scoring.import_scored_sales_per_s': Math.round(N / (imp.writeSeconds + imp.scoreSeconds)),
      'scoring.copy_baseline_sales_per_s': Math.round(N / copySeconds),
      // Issue 17 goal 1: recording (read, parse, check, COPY) ≥ 0.8× raw COPY of the same rows, ≤ 512 MB.
      'scoring.record_sales_per_s': Math.round(N / imp.writeSeconds),
      'scoring.record_ratio': round(copySeconds / imp.writeSeconds),
      'scoring.record_ratio_goal': 0.8,
      'scoring.import_peak_rss_goal_mb': 512,
      'scoring.record_stages_s': imp.stages,
      'scoring.copy_baseline_s': round(copySeconds),
      'scoring.import_write_s': round(imp.writeSeconds),
      'scoring.import_score_s': round(imp.scoreSeconds),
      'scoring.import_total_s': round(imp.totalSeconds),
      'scoring.floor_insert_s': round(floor.floorInsertSeconds),
      'scoring.floor_s': round(floorSeconds),
      'scoring.floor_verified': floor.verified,
      'scoring.import_to_floor_ratio': round(imp.totalSeconds / floorSeconds),
      'scoring.import_to_floor_goal': 1.5,
      'scoring.import_peak_rss_mb': imp.peakRssMiB,
      'scoring.ledger_rows': imp.ledgerEntries,
      'scoring.recompute_s': round(recomputeSeconds),
      'scoring.sql_baseline_s': round(baselineSeconds),
      'scoring.statement_ms': round(times[Math.floor(times.length / 2)]),
    };
  } finally {
    await database.close();
    rmSync(file, { force: true });
  }
}

interface ChildResult {
  status: string;
  message: string;
  inserted: number;
  errorRows: number;
  firstErrors: string[];
  writeSeconds: number;
  scoreSeconds: number;
  totalSeconds: number;
  ledgerEntries: number;
  peakRssMiB: number;
  /** Seconds per stage of the recording (bulk-stages.ts). */
  stages: Record<string, number>;
}

/** Runs the bulk import of `file` in a child process (its progress on stderr, its figures on stdout). */
async function importInChild(url: string, file: string): Promise<ChildResult> {
  const env = { ...(process.env as Record<string, string>), DATABASE_URL: url, LOG_LEVEL: 'silent' };
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...profileFlags(), '--import', 'tsx', fileURLToPath(import.meta.url), '--bulk-import-child', file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(buf) : reject(new Error(`bulk import child exited ${code}: ${buf}`))));
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

/** BENCH_CPU_PROF=<dir>: the import child writes a V8 CPU profile there (node refuses --cpu-prof in NODE_OPTIONS). */
const profileFlags = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** The child: the bulk import as the province administrator. */
async function importChild(file: string) {
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 4 });
  const [admin] = await database.db.select().from(staff).where(eq(staff.staffNo, 'admin'));
  const auth = {
    staffId: admin.id,
    staffNo: admin.staffNo,
    name: admin.name,
    nodeId: admin.nodeId,
    sessionId: 'bench',
    csrfToken: 'bench',
    mustChangePassword: false,
    grants: await loadGrants(database.db, admin.id),
  };
  let shown = 0;
  const res = await bulkImportSales({
    database,
    auth,
    file,
    // BENCH_PARSE_WORKER=1: parse in a worker thread (decision 0044: measure it on a quiet machine).
    parseInWorker: process.env.BENCH_PARSE_WORKER === '1',
    // BENCH_LOOKUPS_AHEAD=1: look-ups on a second connection beside the COPY (decision 0049: measure it on a quiet machine).
    lookupsAhead: process.env.BENCH_LOOKUPS_AHEAD === '1',
    onProgress: (p) => {
      if (p.processedRows - shown >= 1_000_000 || (p.phase === 'scoring' && shown >= 0)) {
        shown = p.phase === 'scoring' ? -Infinity : p.processedRows;
        console.error(`  scoring import: ${p.phase} ${p.processedRows} rows, ${p.seconds.toFixed(1)} s`);
      }
    },
  });
  await database.close();
  console.error(`  scoring import stages (s): ${JSON.stringify(bulkStages.snapshot())}`);
  const result: ChildResult = {
    status: res.status,
    message: res.message.zh,
    inserted: res.inserted,
    errorRows: res.errorRows,
    firstErrors: res.errors.slice(0, 5).map((e) => e.zh),
    writeSeconds: res.writeSeconds,
    scoreSeconds: res.scoreSeconds,
    totalSeconds: res.totalSeconds,
    ledgerEntries: res.ledgerEntries,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    stages: bulkStages.snapshot(),
  };
  console.log(JSON.stringify(result));
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

export interface Staff {
  id: number;
  staffNo: string;
}

export interface World {
  branches: { id: number; code: string }[];
  products: { id: number; code: string; host: string; mortgage: boolean }[];
  staffByDept: Map<number, Staff[]>;
  developmentsByBranch: Map<number, { id: number; code: string }[]>;
  /** The clients the sales name (individual k has id CLIENT_BASE + k). */
  clients: number;
  adminId: number;
}

const MARKETING = ['CORP', 'INST', 'RE', 'PF', 'EB', 'CC', 'PB'];
const ROLES = ['营销人员', '介绍人', '产品经理'];
const CLIENTS = 200_000;
const CLIENT_BASE = 1_000_000;

export async function buildWorld(database: Database): Promise<World> {
  const db = database.db;
  const ids = Array.from({ length: 14 }, (_, i) => DEMO_NODES.foshan + i);
  const codes = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM org_nodes WHERE id = ANY(${`{${ids.join(',')}}`}::int[])`);
  const branches = ids.map((id) => ({ id, code: codes.find((c) => c.id === id)!.code }));
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
    const [p] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO products (code, name, line_code, host_department_code, unit, mortgage) VALUES (${code}, ${name}, 'BENCH', ${host}, '件', ${mortgage}) RETURNING id`,
    );
    await db.execute(sql`INSERT INTO product_scores (product_id, score_hundredths, effective_from) VALUES (${p.id}, ${score}, '2020-01-01'), (${p.id}, ${score + 17}, '2026-07-01')`);
    products.push({ id: p.id, code, host, mortgage });
  }
  const staffRows = await rows<{ id: number; staffNo: string; departmentId: number }>(
    db,
    sql`SELECT id, staff_no AS "staffNo", department_id AS "departmentId" FROM staff WHERE department_id IS NOT NULL AND active ORDER BY id`,
  );
  const staffByDept = new Map<number, Staff[]>();
  for (const s of staffRows) staffByDept.set(s.departmentId, [...(staffByDept.get(s.departmentId) ?? []), { id: s.id, staffNo: s.staffNo }]);
  const developmentsByBranch = new Map<number, { id: number; code: string }[]>();
  for (const { id: b } of branches) {
    const list: { id: number; code: string }[] = [];
    for (let k = 0; k < 3; k++) {
      const [c] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id) VALUES (${`BENCH${b}${k}`.padEnd(18, '0')}, ${`基准房地产开发公司${b}-${k}`}, 'BENCH', ${b}) RETURNING id`,
      );
      const code = `BD${b}-${k}`;
      const [d] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO developments (code, name, developer_id, node_id, lender_mode, loan_share_bp) VALUES (${code}, ${`基准楼盘${b}-${k}`}, ${c.id}, ${b}, ${k === 2 ? 'partial' : 'sole'}, ${k === 2 ? 6000 : null}) RETURNING id`,
      );
      // k = 1 sits below 85 %: its mortgage sales are voided.
      await db.execute(sql`INSERT INTO development_figures (development_id, as_of, total_households, bank_households) VALUES (${d.id}, '2025-12-31', 200, ${k === 1 ? 160 : 180})`);
      list.push({ id: d.id, code });
    }
    developmentsByBranch.set(b, list);
  }
  // The buyers: individuals with valid GB 11643 numbers, by COPY, ids fixed so the baseline knows them.
  await copy(
    database.pool!,
    'COPY individuals (id, id_number, id_suffix, name, node_id) FROM STDIN',
    lines(0, CLIENTS, (k, out) => {
      const id = idNumberOf(k);
      out.push(`${CLIENT_BASE + k}\t${id}\t${id.slice(-4)}\t基准客户${k}\t${branches[k % branches.length].id}\n`);
    }),
  );
  await db.execute(sql`SELECT setval(pg_get_serial_sequence('individuals', 'id'), (SELECT max(id) FROM individuals))`);
  await db.execute(sql`ANALYZE individuals`);
  const [admin] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'admin'`);
  return { branches, products, staffByDept, developmentsByBranch, clients: CLIENTS, adminId: admin.id };
}

/** Client k's ID number: birth dates walk the days from 1950, the sequence number the rest. */
function idNumberOf(k: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + (k % 18_000) * 86_400_000).toISOString().slice(0, 10);
  return makeIdNumber('440605', day, Math.floor(k / 18_000));
}

/** A tiny deterministic hash of the sale index (no state: any chunk can be regenerated). */
export function h(i: number, salt: number): number {
  let x = (i + 1) * 2654435761 + salt * 40503;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

const sourceId = (i: number) => `BS${String(i).padStart(9, '0')}`;
// 2026-01-01 … 2026-10-31: never after today in Beijing (the import refuses future dates).
const dayOf = (i: number) => {
  const d = new Date(Date.UTC(2026, 0, 1) + (h(i, 3) % 304) * 86_400_000);
  return d.toISOString().slice(0, 10);
};

/** Everything sale i is, as ids: what the CSV says in codes and the baseline COPYs. */
function shape(w: World, i: number) {
  const branch = w.branches[h(i, 1) % w.branches.length];
  const product = w.products[h(i, 2) % w.products.length];
  const others = MARKETING.filter((c) => c !== product.host);
  const start = h(i, 4) % others.length;
  const parts = [0, 1, 2].map((k) => others[(start + k) % others.length]);
  const ratios = h(i, 8) % 2 === 0 ? [5000, 3000, 2000] : null;
  const qty = product.mortgage ? 10_000 : 10_000 * (1 + (h(i, 5) % 50)) + (h(i, 6) % 4) * 2500;
  const dev = product.mortgage ? w.developmentsByBranch.get(branch.id)![h(i, 7) % 3] : null;
  const client = h(i, 11) % w.clients;
  const people: { staff: Staff; dept: string; role: string }[] = [];
  const seen = new Set<string>();
  for (const [k, code] of [product.host, parts[h(i, 9) % 3]].entries()) {
    const list = w.staffByDept.get(demoDepartmentId(branch.id, code)) ?? [];
    if (list.length === 0) continue;
    const staff = list[h(i, 10 + k) % list.length];
    if (seen.has(`${staff.id}/${code}`)) continue;
    seen.add(`${staff.id}/${code}`);
    people.push({ staff, dept: code, role: ROLES[k] });
  }
  return { branch, product, parts, ratios, qty, dev, client, people };
}

export const SALE_COLUMNS = 'id, source_id, product_id, person_id, sale_date, quantity_1e4, host_department_id, node_id, development_id, created_by';

/** Sale i as a COPY line of SALE_COLUMNS; `day` dates it (bench/year.ts puts each month's sales in their month). */
export function saleLine(w: World, i: number, day: (i: number) => string = dayOf): string {
  const { branch, product, qty, dev, client } = shape(w, i);
  const cols = [i + 1, sourceId(i), product.id, CLIENT_BASE + client, day(i), qty, demoDepartmentId(branch.id, product.host), branch.id, dev ? dev.id : '\\N', w.adminId];
  return `${cols.join('\t')}\n`;
}

/** Sale i's key (sale_keys: id, source id, date) as a COPY line. */
export function keyLine(i: number, day: (i: number) => string = dayOf): string {
  return `${i + 1}\t${sourceId(i)}\t${day(i)}\n`;
}

export function deptLines(w: World, i: number, out: string[]) {
  const { branch, parts, ratios } = shape(w, i);
  parts.forEach((c, k) => out.push(`${i + 1}\t${demoDepartmentId(branch.id, c)}\t${ratios ? ratios[k] : '\\N'}\n`));
}

export function peopleLines(w: World, i: number, out: string[]) {
  const { branch, people } = shape(w, i);
  for (const p of people) out.push(`${i + 1}\t${p.staff.id}\t${demoDepartmentId(branch.id, p.dept)}\t${p.role}\t\\N\n`);
}

const CSV_HEADER = '交易流水号,产品代码,客户身份证号码,楼盘编号,销售日期,数量,参与部门,营销人员,机构号\n';

/** Sale i as a row of the sales template (codes, not ids): what a core-banking extract would hold. */
function csvLine(w: World, i: number): string {
  const { branch, product, parts, ratios, qty, dev, client, people } = shape(w, i);
  const quantity =
    qty % 10_000 === 0
      ? String(qty / 10_000)
      : `${Math.floor(qty / 10_000)}.${String(qty % 10_000)
          .padStart(4, '0')
          .replace(/0+$/, '')}`;
  const depts = ratios ? parts.map((c, k) => `${c}:${ratios[k] / 100}`).join(',') : parts.join(',');
  const who = people.map((p) => `${p.staff.staffNo}@${p.dept}:${p.role}`).join(',');
  return `${sourceId(i)},${product.code},${idNumberOf(client)},${dev ? dev.code : ''},${dayOf(i)},${quantity},"${depts}","${who}",${branch.code}\n`;
}

/** Writes the N sales as a UTF-8 CSV (with BOM, as Excel saves it), streaming. */
export async function writeSalesCsv(w: World, n: number, file: string): Promise<void> {
  await pipeline(
    Readable.from(
      (function* () {
        yield `\ufeff${CSV_HEADER}`;
        yield* lineChunks(0, n, (i, out) => out.push(csvLine(w, i)));
      })(),
    ),
    createWriteStream(file),
  );
}

// `npx tsx bench/scoring.ts [sales]`: run alone, print the figures.
if (process.argv[2] === '--bulk-import-child' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await importChild(process.argv[3]);
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
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
