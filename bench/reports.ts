import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { demoDepartmentId, seedDemoBank } from '../server/seed/demo-bank.js';
import { seedReportCatalogue } from '../server/modules/reports/definitions.service.js';
import { runReportJob } from '../server/modules/reports/produce.js';
import { getIssue } from '../server/modules/reports/reports.service.js';
import { OWN_VIEWS } from '../server/modules/reports/views.js';
import { makeProduct } from '../server/modules/scoring/testing.js';
import { benchAuth } from './auth.js';
import { freshPg } from './pg-copy.js';

/**
 * The reporting calendar's own-data reports at province scale (issue 16 part B), on PostgreSQL:
 * - `sales` sales spread over 2026 across every tier-2 branch (one person at an outlet or branch
 *   and two department lines in the ledger per sale, written by SQL, not scored), then every own
 *   view for one day (each daily report's production) and the job producing that day's issues;
 * - reading a stored issue (the page) as the province administrator, median of `runs`;
 * - the streamed Excel export of `exportRows` detail rows in a child process: its peak RSS.
 * Limits (issue 16): a daily report in ≤ 5 s, the page < 300 ms, 1,000,000 rows within 300 MB.
 */
const ms = (t0: number) => Math.round(performance.now() - t0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchExport(opts: { rows: number; dir: string }) {
  const file = path.join(opts.dir, 'bench-report-export.xlsx');
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/reports-export-child.ts', file, String(opts.rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(buf) : reject(new Error(`export child exited ${code}: ${buf}`))));
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { maxRssMiB: number };
  return { ...r, limitMiB: 300, withinLimit: r.maxRssMiB <= 300 };
}

export async function benchReports(opts: { sales: number; runs: number; exportRows: number; pgBase: string; dir: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_reports', 10);
  const db = database.db;
  try {
    await migrateDatabase(database);
    await seedDemoBank(db);
    const product = await makeProduct(db, { score: 100, unit: '张', name: '个人信用卡' });
    const branches = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM org_nodes WHERE level = 'branch' ORDER BY id`);
    const g0 = performance.now();
    const per = Math.ceil(opts.sales / branches.length);
    for (const b of branches) {
      const people = (await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE node_id IN (SELECT id FROM org_nodes WHERE path LIKE ${`${b.path}%`}) ORDER BY id`)).map((p) => Number(p.id));
      const [pf, corp] = [demoDepartmentId(b.id, 'PF'), demoDepartmentId(b.id, 'CORP')];
      await db.execute(sql`INSERT INTO sales (source_id, product_id, sale_date, quantity_1e4, host_department_id, node_id)
        SELECT 'B-' || ${b.id} || '-' || g, ${product.id}, DATE '2026-01-01' + (g % 365), 10000 * (1 + g % 5), ${pf}, ${b.id} FROM generate_series(1, ${per}) g`);
      await db.execute(sql`INSERT INTO ledger_entries (sale_id, node_id, period, kind, department_id, staff_id, points_hundredths, rule_version)
        SELECT s.id, s.node_id, date_trunc('month', s.sale_date)::date, 'allocation', d.dept, CASE WHEN d.n = 1 THEN (${`{${people.join(',')}}`}::int[])[1 + s.id % ${people.length}] END, d.pts, 'bench'
          FROM sales s CROSS JOIN (VALUES (1, ${pf}::int, 40), (2, ${pf}::int, 20), (3, ${corp}::int, 40)) AS d(n, dept, pts)
         WHERE s.node_id = ${b.id}`);
    }
    await db.execute(sql`ANALYZE`);
    const generateSeconds = Math.round((performance.now() - g0) / 100) / 10;
    const day = '2026-11-20';
    const views: Record<string, number> = {};
    for (const [name, view] of Object.entries(OWN_VIEWS)) {
      const t0 = performance.now();
      await view!(db, day, day);
      views[name] = ms(t0);
    }
    await seedReportCatalogue(db, { validFrom: day });
    const j0 = performance.now();
    const run = await runReportJob(db, new Date('2026-11-21T09:00:00+08:00'));
    const jobMs = ms(j0);
    const [issue] = await rows<{ id: number }>(db, sql`SELECT id FROM report_issues WHERE definition_code = 'PRD-SALES-D' AND period_key = ${day}`);
    const auth = await benchAuth(db, 'admin');
    const reads: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      await getIssue(db, auth, issue.id, new Date('2026-11-21T12:00:00+08:00'));
      reads.push(performance.now() - t0);
    }
    return {
      sales: per * branches.length,
      ledgerLines: per * branches.length * 3,
      branches: branches.length,
      generateSeconds,
      dailyViewMs: views,
      dailyViewMaxMs: Math.max(...Object.values(views)),
      dailyLimitMs: 5_000,
      jobMs,
      jobIssues: run.done.length,
      jobFailed: run.failed.length,
      pageMedianMs: Math.round(median(reads) * 10) / 10,
      pageLimitMs: 300,
      export: await benchExport({ rows: opts.exportRows, dir: opts.dir }),
    };
  } finally {
    await database.close();
  }
}
