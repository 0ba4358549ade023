import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.js';
import { databaseOptions, loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES, DEMO_PASSWORD } from '../server/seed/demo-ids.js';
import { completionBoard, drill, rankings, trend } from '../server/modules/dashboards/dashboards.service.js';
import { BoardQuery, DrillQuery, RankingQuery } from '../server/modules/dashboards/dashboards.schemas.js';
import { benchAuth } from './auth.js';
import { seedBranchYear } from './completion.js';
import { compareLoad } from './load.js';
import { freshPg } from './scoring.js';

/**
 * Issue 17 goal 3c (decision 0047): every dashboard of one branch with `sales` sales in its year
 * (佛山分行, 2026-01…10; BENCH_DASH_SALES, the 600,000), read from maintained totals, under
 * `connections` (50) clients for `seconds` with the server's request limits (pool, timeouts): the
 * app through HTTP beside the same service call without HTTP; goal p99 < 100 ms, ratio ≥ 0.8.
 */
export async function benchDashboards(opts: { sales: number; pgBase: string; seconds: number; connections: number }) {
  const setup = await freshPg(opts.pgBase, 'linkage_bench_dashboards');
  let scoreSeconds: number;
  try {
    await migrateDatabase(setup);
    await seedDemoBank(setup.db);
    ({ scoreSeconds } = await seedBranchYear(setup, opts.sales));
  } finally {
    await setup.close();
  }
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none', JOBS_ENABLED: 'false' });
  const database = await openDatabase({ url: setup.url, ...databaseOptions(config) });
  const db = database.db;
  const app = await buildApp(database, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffNo: 'fs_staff', password: DEMO_PASSWORD }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const auth = await benchAuth(db, 'fs_staff');
  const node = String(DEMO_NODES.foshan);
  // The department with the most points: the widest people level of the drill-down.
  const [dept] = await rows<{ id: number }>(
    db,
    sql`SELECT k1 AS id FROM statement_totals WHERE node_id = ${DEMO_NODES.foshan} AND grain = 'D' GROUP BY k1 ORDER BY sum(points_hundredths) DESC LIMIT 1`,
  );
  const boards: Record<string, { path: string; q: Record<string, string>; direct: (q: Record<string, string>) => Promise<unknown> }> = {
    completion: { path: 'completion', q: { nodeId: node, year: '2026' }, direct: (q) => completionBoard(db, auth, BoardQuery.parse(q)) },
    completionLine: { path: 'completion', q: { nodeId: node, year: '2026', lineCode: 'BENCH' }, direct: (q) => completionBoard(db, auth, BoardQuery.parse(q)) },
    rankings: { path: 'rankings', q: { nodeId: node, year: '2026' }, direct: (q) => rankings(db, auth, RankingQuery.parse(q)) },
    rankingsLine: { path: 'rankings', q: { nodeId: node, year: '2026', lineCode: 'BENCH' }, direct: (q) => rankings(db, auth, RankingQuery.parse(q)) },
    trend: { path: 'trend', q: { nodeId: node, year: '2026' }, direct: (q) => trend(db, auth, BoardQuery.parse(q)) },
    trendLine: { path: 'trend', q: { nodeId: node, year: '2026', lineCode: 'BENCH' }, direct: (q) => trend(db, auth, BoardQuery.parse(q)) },
    drillBranches: { path: 'drill', q: { year: '2026' }, direct: (q) => drill(db, auth, DrillQuery.parse(q)) },
    drillDepartments: { path: 'drill', q: { nodeId: node, year: '2026' }, direct: (q) => drill(db, auth, DrillQuery.parse(q)) },
    drillPeople: { path: 'drill', q: { nodeId: node, departmentId: String(dept?.id ?? 0), year: '2026' }, direct: (q) => drill(db, auth, DrillQuery.parse(q)) },
  };
  const out: Record<string, unknown> = {};
  try {
    for (const [key, b] of Object.entries(boards)) {
      const url = `${base}/api/dashboards/${b.path}?${new URLSearchParams(b.q)}`;
      const probe = await fetch(url, { headers: { cookie } });
      if (probe.status !== 200) throw new Error(`dashboard ${key}: ${probe.status} ${await probe.text()}`);
      const bytes = (await probe.arrayBuffer()).byteLength;
      const fig = await compareLoad({ url, headers: { cookie } }, () => b.direct(b.q), { seconds: opts.seconds, connections: opts.connections, goalRatio: 0.8, goalP99Ms: 100 });
      out[key] = { responseBytes: bytes, ...fig };
      console.log(`  dashboards.${key}: ${JSON.stringify(out[key])}`);
    }
  } finally {
    await app.close();
    await database.close();
  }
  return {
    database: 'postgresql',
    salesInBranchYear: opts.sales,
    firstScoringSeconds: Math.round(scoreSeconds * 10) / 10,
    connections: opts.connections,
    seconds: opts.seconds,
    goalP99Ms: 100,
    boards: out,
  };
}
