import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { Database } from '../server/db/client.js';
import { DEMO_PASSWORD } from '../server/seed/demo-ids.js';

export interface LoadFigure {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<LoadFigure> {
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  return {
    requestsPerSec: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** Adds generated staff so a page is read from a realistically sized table. */
export async function padStaff(database: Database, total: number) {
  await database.db.execute(sql`
    INSERT INTO staff (staff_no, name, node_id, title, phone, active, must_change_password)
    SELECT 'B' || lpad(g::text, 8, '0'), '基准员工' || g, n.id, '综合柜员', '139' || lpad((g % 100000000)::text, 8, '0'), true, true
    FROM generate_series(1, ${total}) g
    JOIN LATERAL (SELECT id FROM org_nodes WHERE level = 'outlet' ORDER BY id OFFSET (g % 50) LIMIT 1) n ON true`);
  await database.db.execute(sql`ANALYZE`);
}

/**
 * The 50-row staff page through the whole stack (session, scope, count, roles, masking) beside
 * one hand-written SQL statement returning the same 50 rows, under the same load in the same run.
 */
export async function benchStaffPage(database: Database, opts: { seconds: number; connections: number }) {
  const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none' }));
  // The lower bound: the same page (rows, their roles, the total) in one hand-written statement,
  // with no session, no scope check, no validation and no presenter.
  app.get('/bench/raw-staff', async () => {
    const res = (await database.db.execute(sql`
      WITH page AS (
        SELECT s.id, s.staff_no, s.name, s.node_id, n.name AS node_name, s.department_id, d.name AS department_name,
               s.title, s.phone, s.email, s.active, s.last_login_at, s.locked_until
        FROM staff s JOIN org_nodes n ON n.id = s.node_id LEFT JOIN departments d ON d.id = s.department_id
        ORDER BY s.staff_no LIMIT 50 OFFSET 100)
      SELECT page.*,
             (SELECT json_agg(json_build_object('role', r.role_code, 'roleZh', ro.name_zh, 'roleEn', ro.name_en,
                                                'scopeNodeId', r.scope_node_id, 'scopeName', sn.name))
              FROM staff_roles r JOIN roles ro ON ro.code = r.role_code JOIN org_nodes sn ON sn.id = r.scope_node_id
              WHERE r.staff_id = page.id) AS roles,
             (SELECT count(*) FROM staff) AS total
      FROM page ORDER BY page.staff_no`)) as unknown as { rows: { total: number }[] };
    return { items: res.rows, total: res.rows[0]?.total ?? 0 };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ staffNo: 'admin', password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  // Warm both paths before measuring.
  await load(`${base}/api/staff?page=3&pageSize=50`, { cookie }, 1, 4);
  await load(`${base}/bench/raw-staff`, {}, 1, 4);
  const appFig = await load(`${base}/api/staff?page=3&pageSize=50`, { cookie }, opts.seconds, opts.connections);
  const rawFig = await load(`${base}/bench/raw-staff`, {}, opts.seconds, opts.connections);
  await app.close();
  return { app: appFig, raw: rawFig, ratio: Math.round((appFig.requestsPerSec / Math.max(1, rawFig.requestsPerSec)) * 100) / 100 };
}
