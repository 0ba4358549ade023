import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { Database } from '../server/db/client.js';
import { DEMO_PASSWORD } from '../server/seed/demo-ids.js';
import { listStaff } from '../server/modules/staff/staff.service.js';
import { StaffQuery } from '../server/modules/staff/staff.schemas.js';
import { benchAuth } from './auth.js';
import { compareLoad, httpLoad } from './load.js';

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
 * The 50-row staff page through the whole stack (session, scope, count, roles, masking) beside the
 * same service call without HTTP (decision 0047: the ratio, goal ≥ 0.8, and the app's p99), and
 * beside one hand-written SQL statement returning the same 50 rows served over HTTP (the lower bound
 * of issue 10: no scope, no presenter), under the same load in the same run.
 */
export async function benchStaffPage(database: Database, opts: { seconds: number; connections: number }) {
  const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none' }));
  app.get('/bench/raw-staff', { config: { access: 'public' } }, async () => {
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
  const auth = await benchAuth(database.db, 'admin');
  const query = { page: '3', pageSize: '50' };
  const page = await compareLoad({ url: `${base}/api/staff?${new URLSearchParams(query)}`, headers: { cookie } }, () => listStaff(database.db, auth, StaffQuery.parse(query)), {
    ...opts,
    goalRatio: 0.8,
    goalP99Ms: 50,
  });
  await httpLoad(`${base}/bench/raw-staff`, {}, 1, 4);
  const handWritten = await httpLoad(`${base}/bench/raw-staff`, {}, opts.seconds, opts.connections);
  await app.close();
  return { ...page, handWritten, ratioHandWritten: Math.round((page.app.requestsPerSec / Math.max(1, handWritten.requestsPerSec)) * 100) / 100 };
}
