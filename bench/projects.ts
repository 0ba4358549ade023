import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { projectBoard } from '../server/modules/projects/board.service.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoScoring } from '../server/seed/scoring.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { benchAuth } from './auth.js';
import { freshPg } from './scoring.js';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Issue 13's goal: the project board for a unit with 5,000 people loads < 300 ms. On PostgreSQL, a
 * unit with `people` employees (each holding 0–4 product lines), a team, `activities` activities
 * inviting a fifth of the unit each (half checked in) and a lead per 20 people; the board read
 * `runs` times through the service, as 佛山分行's administrator. Baseline in the same run: one
 * hand-written count over the unit's people (the least any board must read), so the figure reads
 * as a ratio too.
 */
export async function benchProjects(opts: { people: number; activities: number; runs: number; pgBase: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_projects');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
    const db = database.db;
    const FS = DEMO_NODES.foshan;
    await db.execute(sql`INSERT INTO client_types (code, name_zh, name_en) VALUES ('enterprise', '企业', 'Enterprise') ON CONFLICT DO NOTHING`);
    const [c] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id) VALUES ('91440600BENCH00001', '基准测试集团有限公司', 'enterprise', ${FS}) RETURNING id`,
    );
    await db.execute(sql`INSERT INTO individuals (id_number, id_suffix, name, node_id, phone, phone_suffix)
                         SELECT '4406' || lpad(g::text, 14, '0'), right(lpad(g::text, 14, '0'), 4), '员工' || g, ${FS}, '138' || lpad(g::text, 8, '0'), right(lpad(g::text, 8, '0'), 4)
                           FROM generate_series(1, ${opts.people}) g`);
    await db.execute(sql`INSERT INTO company_people (company_id, person_id, role, title) SELECT ${c.id}, id, 'employee', '员工' FROM individuals WHERE name LIKE '员工%'`);
    await db.execute(sql`INSERT INTO holdings (person_id, product_code, product_name, amount_fen)
                         SELECT i.id, p.code, p.name, 100000 FROM individuals i CROSS JOIN LATERAL (SELECT code, name FROM products ORDER BY code LIMIT (i.id % 5)) p
                          WHERE i.name LIKE '员工%'`);
    const [admin] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'fs_admin'`);
    const [outlet] = await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${FS}/%`} ORDER BY id LIMIT 1`);
    const [p] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO projects (node_id, company_id, name, co_outlet_node_id, created_by, created_at) VALUES (${FS}, ${c.id}, '基准项目', ${outlet.id}, ${admin.id}, now()) RETURNING id`,
    );
    await db.execute(sql`INSERT INTO project_members (project_id, staff_id, role, joined_at)
                         SELECT ${p.id}, s.id, 'personal_am', now() FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 6`);
    for (let a = 0; a < opts.activities; a++) {
      const [act] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO activities (project_id, kind, title, starts_at, status, created_at) VALUES (${p.id}, 'salon', ${`沙龙${a + 1}`}, now(), 'held', now()) RETURNING id`,
      );
      await db.execute(sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, checkin_code, checked_in_at, check_in_method)
                           SELECT ${act.id}, cp.person_id, now(), md5(${act.id}::text || '-' || cp.person_id), CASE WHEN cp.person_id % 2 = 0 THEN now() END, CASE WHEN cp.person_id % 2 = 0 THEN 'manual' END
                             FROM company_people cp WHERE cp.company_id = ${c.id} AND cp.person_id % 5 = ${a % 5}`);
    }
    const [dept] = await rows<{ id: number }>(db, sql`SELECT id FROM departments WHERE node_id = ${FS} AND code = 'PF'`);
    await db.execute(sql`INSERT INTO leads (node_id, department_id, person_id, contact_name, source, stage, project_id, created_at, touched_at)
                         SELECT ${FS}, ${dept.id}, cp.person_id, '员工', 'activity', CASE WHEN cp.person_id % 3 = 0 THEN 'won' ELSE 'new' END, ${p.id}, now(), now()
                           FROM company_people cp WHERE cp.company_id = ${c.id} AND cp.person_id % 20 = 0`);
    await db.execute(sql`ANALYZE`);
    const auth = await benchAuth(db, 'fs_admin');
    const time = async (fn: () => Promise<unknown>) => {
      await fn(); // warm
      const ms: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const t0 = performance.now();
        await fn();
        ms.push(performance.now() - t0);
      }
      ms.sort((x, y) => x - y);
      return { p50Ms: round1(pct(ms, 50)), p99Ms: round1(pct(ms, 99)), maxMs: round1(ms[ms.length - 1]) };
    };
    const board = await time(() => projectBoard(db, auth, p.id));
    const baseline = await time(() => rows(db, sql`SELECT count(DISTINCT person_id) FROM company_people WHERE company_id = ${c.id}`));
    const b = await projectBoard(db, auth, p.id);
    return {
      people: opts.people,
      activities: opts.activities,
      runs: opts.runs,
      board,
      baseline,
      ratioP50ToBaseline: Math.round((board.p50Ms / Math.max(0.1, baseline.p50Ms)) * 10) / 10,
      funnel: Object.fromEntries(b.funnel.map((f) => [f.stage, f.count])),
      goalMet: board.p99Ms < 300,
    };
  } finally {
    await database.close();
  }
}
