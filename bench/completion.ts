import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.js';
import { databaseOptions, loadConfig } from '../server/config.js';
import { type Database, migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { demoDepartmentId, seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES, DEMO_PASSWORD } from '../server/seed/demo-ids.js';
import { rankings } from '../server/modules/dashboards/dashboards.service.js';
import { getNodeOr404 } from '../server/modules/org/org.queries.js';
import { completionFacts, type CompletionQuery } from '../server/modules/quotas/completion.js';
import { completionOracle } from '../server/modules/quotas/completion.oracle.js';
import { recomputeAll } from '../server/modules/scoring/ledger.service.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { buildWorld, copy, freshPg, lines, type World } from './scoring.js';

/**
 * Issue 10, finding 5: the completion dashboard of one branch-year with many sales (all N in
 * 佛山分行, 2026-01…10), on PostgreSQL, BEFORE (the on-read statement, completion.oracle.ts) and
 * AFTER (completion_totals, decision 0018):
 * - one read, median of 7, department grain alone and with every person and outlet of the branch;
 *   and the rankings filtered by line, from the ledger (before) and product_points_totals (after);
 * - the dashboard route under `connections` clients for `seconds` with the server's request
 *   limits (pool 10, acquire 5 s, statement 15 s), each way — and /api/health probed every
 *   200 ms meanwhile (answered from memory: it must stay fast whatever the load).
 */
export async function benchCompletion(opts: { sales: number; pgBase: string; seconds: number; connections: number }) {
  const N = opts.sales;
  const setup = await freshPg(opts.pgBase, 'linkage_bench_completion');
  try {
    await migrateDatabase(setup);
    await seedDemoBank(setup.db);
    const { scoreSeconds } = await seedBranchYear(setup, N);

    // --- one read, before and after -------------------------------------------------------------
    const staffIds = (await rows<{ id: number }>(setup.db, sql`SELECT id FROM staff WHERE department_id IN (SELECT id FROM departments WHERE node_id = ${DEMO_NODES.foshan})`)).map((r) => r.id);
    const outletIds = (await rows<{ id: number }>(setup.db, sql`SELECT id FROM org_nodes WHERE path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} AND id <> ${DEMO_NODES.foshan}`)).map((r) => r.id);
    const year: CompletionQuery = { nodeId: DEMO_NODES.foshan, from: '2026-01-01', to: '2027-01-01' };
    const withPeople = { ...year, staffIds, outletIds };
    const same = JSON.stringify(sorted(await completionFacts(setup.db, withPeople))) === JSON.stringify(sorted(await completionOracle(setup.db, withPeople)));
    if (!same) throw new Error('completion totals differ from the on-read computation');
    const node = await getNodeOr404(setup.db, DEMO_NODES.foshan);
    const rankingsOnRead = () =>
      rows(
        setup.db,
        sql`SELECT e.department_id, e.staff_id, sum(e.points_hundredths)::bigint AS pts
            FROM ledger_entries e JOIN sales s ON s.id = e.sale_id JOIN products p ON p.id = s.product_id
            WHERE e.node_id = ${DEMO_NODES.foshan} AND e.period >= '2026-01-01' AND e.period <= '2026-12-01' AND e.kind <> 'void' AND p.line_code = 'BENCH'
            GROUP BY e.department_id, e.staff_id`,
      );
    const reads = {
      'completion.rankings_by_line_ledger_ms': await median(rankingsOnRead),
      'completion.rankings_by_line_totals_ms': await median(() => rankings(setup.db, node, { nodeId: node.id, year: 2026, lineCode: 'BENCH' })),
      'completion.read_on_read_ms': await median(() => completionOracle(setup.db, year)),
      'completion.read_totals_ms': await median(() => completionFacts(setup.db, year)),
      'completion.read_people_on_read_ms': await median(() => completionOracle(setup.db, withPeople)),
      'completion.read_people_totals_ms': await median(() => completionFacts(setup.db, withPeople)),
    };
    console.log(`  completion: ${JSON.stringify(reads)}`);

    // --- the dashboard under load, with the server's request limits -----------------------------
    const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none', JOBS_ENABLED: 'false' });
    const database = await openDatabase({ url: setup.url, ...databaseOptions(config) });
    const app = await buildApp(database, config);
    // BEFORE: the same board as it was (quotas of the year + the on-read statement), same pool.
    app.get('/bench/completion-on-read', { config: { access: 'public' } }, async () => ({ rows: (await completionOracle(database.db, year)).length }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffNo: 'fs_staff', password: DEMO_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const board = `${base}/api/dashboards/completion?nodeId=${DEMO_NODES.foshan}&year=2026`;
    const boardMs = await median(async () => {
      const res = await fetch(board, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`completion board: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });
    const after = await underLoad(board, { cookie }, base, opts);
    const before = await underLoad(`${base}/bench/completion-on-read`, {}, base, opts);
    await app.close();
    await database.close();
    return {
      'completion.database': 'postgresql',
      'completion.sales_in_branch_year': N,
      'completion.first_scoring_s': round(scoreSeconds),
      ...reads,
      'completion.board_http_ms': boardMs,
      'completion.load_seconds': opts.seconds,
      'completion.load_connections': opts.connections,
      'completion.load_on_read': before,
      'completion.load_totals': after,
    };
  } finally {
    await setup.close();
  }
}

/**
 * N sales of one branch-year (all in 佛山分行, 2026-01…10) copied into a migrated demo bank and
 * scored by the set-based recompute (ledger, statement totals, completion and product totals).
 * Shared with the dashboards bench.
 */
export async function seedBranchYear(setup: Database, N: number): Promise<{ scoreSeconds: number }> {
  await seedSplitRules(setup.db);
  const world = await buildWorld(setup);
  const pool = setup.pool!;
  let t0 = performance.now();
  await copy(
    pool,
    'COPY sales (id, source_id, product_id, person_id, sale_date, quantity_1e4, host_department_id, node_id, development_id, created_by) FROM STDIN',
    lines(0, N, (i, out) => out.push(saleLine(world, i))),
  );
  await copy(
    pool,
    'COPY sale_departments (sale_id, department_id, ratio_bp) FROM STDIN',
    lines(0, N, (i, out) => deptLines(world, i, out)),
  );
  await copy(
    pool,
    'COPY sale_people (sale_id, staff_id, department_id, role, contribution_bp) FROM STDIN',
    lines(0, N, (i, out) => peopleLines(world, i, out)),
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('sales', 'id'), ${N})`);
  for (const t of ['sales', 'sale_departments', 'sale_people']) await pool.query(`ANALYZE ${t}`);
  console.log(`  ${N} sales of one branch copied in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // First scoring: the ledger, statement totals and completion totals in the one statement.
  t0 = performance.now();
  const scored = await recomputeAll(setup.db);
  const scoreSeconds = (performance.now() - t0) / 1000;
  for (const t of ['ledger_entries', 'statement_totals', 'completion_totals', 'product_points_totals', 'sale_scoring']) await pool.query(`VACUUM ANALYZE ${t}`);
  console.log(`  scored ${scored.sales} sales (${scored.entries} ledger rows) in ${scoreSeconds.toFixed(1)} s`);
  return { scoreSeconds };
}

/** `connections` clients on `url` for `seconds`, and /api/health every 200 ms meanwhile. */
async function underLoad(url: string, headers: Record<string, string>, base: string, opts: { seconds: number; connections: number }) {
  const health: number[] = [];
  let healthFailures = 0;
  let running = true;
  const prober = (async () => {
    while (running) {
      const h0 = performance.now();
      const res = await fetch(`${base}/api/health`).catch(() => null);
      if (!res || res.status !== 200) healthFailures++;
      await res?.arrayBuffer();
      health.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const codes: Record<string, number> = {};
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, duration: opts.seconds, connections: opts.connections, pipelining: 1, timeout: 60 }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, status) => void (codes[status] = (codes[status] ?? 0) + 1));
  });
  running = false;
  await prober;
  health.sort((a, b) => a - b);
  return {
    requestsPerSec: Math.round(r.requests.average * 10) / 10,
    ok: codes['200'] ?? 0,
    status503: codes['503'] ?? 0,
    timeouts: r.timeouts,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    healthProbes: health.length,
    healthFailures,
    healthP50Ms: round(health[Math.floor(health.length / 2)] ?? 0),
    healthMaxMs: round(health[health.length - 1] ?? 0),
  };
}

async function median(f: () => Promise<unknown>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return round(times[3]);
}

const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
const round = (x: number) => Math.round(x * 1000) / 1000;

// ---- one branch's year of sales, deterministic ------------------------------------------------

const MARKETING = ['CORP', 'INST', 'RE', 'PF', 'EB', 'CC', 'PB'];
function h(i: number, salt: number): number {
  let x = (i + 1) * 2654435761 + salt * 40503;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}
function shape(w: World, i: number) {
  const branch = DEMO_NODES.foshan;
  const product = w.products[h(i, 2) % w.products.length];
  const others = MARKETING.filter((c) => c !== product.host);
  const parts = [0, 1].map((k) => others[(h(i, 4) + k) % others.length]);
  const dev = product.mortgage ? w.developmentsByBranch.get(branch)![h(i, 7) % 3] : null;
  const people = [product.host, parts[h(i, 9) % 2]].flatMap((code, k) => {
    const list = w.staffByDept.get(demoDepartmentId(branch, code)) ?? [];
    return list.length ? [{ id: list[h(i, 10 + k) % list.length].id, dept: code }] : [];
  });
  const day = new Date(Date.UTC(2026, 0, 1) + (h(i, 3) % 300) * 86_400_000).toISOString().slice(0, 10);
  return { branch, product, parts, dev, people: [...new Map(people.map((p) => [`${p.id}/${p.dept}`, p])).values()], day, qty: 10_000 * (1 + (h(i, 5) % 20)) };
}
function saleLine(w: World, i: number): string {
  const s = shape(w, i);
  return `${[i + 1, `BC${i}`, s.product.id, 1_000_000 + (h(i, 11) % w.clients), s.day, s.qty, demoDepartmentId(s.branch, s.product.host), s.branch, s.dev ? s.dev.id : '\\N', w.adminId].join('\t')}\n`;
}
function deptLines(w: World, i: number, out: string[]) {
  const s = shape(w, i);
  for (const c of s.parts) out.push(`${i + 1}\t${demoDepartmentId(s.branch, c)}\t\\N\n`);
}
function peopleLines(w: World, i: number, out: string[]) {
  const s = shape(w, i);
  for (const p of s.people) out.push(`${i + 1}\t${p.id}\t${demoDepartmentId(s.branch, p.dept)}\t营销人员\t\\N\n`);
}
