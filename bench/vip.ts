import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { seedDemoScoring } from '../server/seed/scoring.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { nearList, screen } from '../server/modules/vip/vip.screening.js';
import { actorOf, applyTierVersion } from '../server/modules/vip/vip.tiers.js';
import { benchAuth } from './auth.js';
import { freshPg } from './scoring.js';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * VIP identification at province scale (SPEC §5) on PostgreSQL: `people` individuals spread over
 * every outlet of the province with log-uniform AUM (100 元 … 10 M 元) and 0–4 holdings each; one
 * project per branch and `projects` in all, each reaching `reached` people through a salon and
 * leads. Timed as the province administrator (the widest scope): the 临界 list (SQL narrowing by AUM
 * band + the pure rules, ranked) and the live screening of everyone the projects reached. Baseline in
 * the same run: one hand-written count of the individuals inside any band (the least the 临界 list
 * must read).
 */
export async function benchVip(opts: { people: number; projects: number; reached: number; runs: number; pgBase: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_vip');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
    const db = database.db;
    const outlets = (await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'outlet' ORDER BY id`)).map((o) => o.id);
    await db.execute(sql`INSERT INTO individuals (id_number, id_suffix, name, node_id, aum_fen)
                         SELECT '45' || lpad(g::text, 16, '0'), right(lpad(g::text, 16, '0'), 4), '客户' || g, (${`{${outlets.join(',')}}`}::int[])[1 + g % ${outlets.length}],
                                (power(10, 4 + 5 * ((g * 7919) % 100000) / 100000.0))::bigint * 100 / 100
                           FROM generate_series(1, ${opts.people}) g`);
    await db.execute(sql`INSERT INTO holdings (person_id, product_code, product_name, amount_fen, since)
                         SELECT i.id, p.code, p.name, 100000, '2020-01-01' FROM individuals i CROSS JOIN LATERAL (SELECT code, name FROM products ORDER BY code LIMIT (i.id % 5)) p
                          WHERE i.name LIKE '客户%'`);
    await db.execute(sql`INSERT INTO client_types (code, name_zh, name_en) VALUES ('enterprise', '企业', 'Enterprise') ON CONFLICT DO NOTHING`);
    const branches = await rows<{ id: number; outlet: number }>(
      db,
      sql`SELECT b.id, (SELECT o.id FROM org_nodes o WHERE o.level = 'outlet' AND o.path LIKE b.path || '%' ORDER BY o.id LIMIT 1) AS outlet FROM org_nodes b WHERE b.level = 'branch' ORDER BY b.id`,
    );
    const withOutlet = branches.filter((b) => b.outlet);
    const perProject = Math.max(1, Math.floor(opts.reached / opts.projects));
    for (let k = 0; k < opts.projects; k++) {
      const b = withOutlet[k % withOutlet.length];
      const [c] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id) VALUES (${`91440600VIPB${String(k).padStart(6, '0')}`}, ${`基准单位${k}`}, 'enterprise', ${b.id}) RETURNING id`,
      );
      const [p] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO projects (node_id, company_id, name, co_outlet_node_id, created_at) VALUES (${b.id}, ${c.id}, ${`基准项目${k}`}, ${b.outlet}, now()) RETURNING id`,
      );
      const [a] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO activities (project_id, kind, title, starts_at, status, created_at) VALUES (${p.id}, 'salon', '沙龙', now(), 'held', now()) RETURNING id`,
      );
      await db.execute(sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, checkin_code)
                           SELECT ${a.id}, i.id, now(), md5(${a.id}::text || '-' || i.id) FROM individuals i WHERE i.name LIKE '客户%' AND i.id % ${opts.projects} = ${k} ORDER BY i.id LIMIT ${perProject}`);
    }
    await db.execute(sql`ANALYZE`);
    const auth = await benchAuth(db, 'admin');
    const day = '2026-12-01';
    const tiers: [string, string, number, number, number][] = [
      ['GOLD', '金卡客户', 1, 5_000_000, 2],
      ['PLATINUM', '白金客户', 2, 50_000_000, 3],
      ['DIAMOND', '钻石客户', 3, 100_000_000, 4],
      ['PRIVATE', '私人银行客户', 4, 600_000_000, 5],
    ];
    await db.transaction(async (tx) => {
      for (const [code, nameZh, rank, aum, grade] of tiers)
        await applyTierVersion(
          tx,
          actorOf(auth),
          { code, nameZh, nameEn: code, rank, aumThresholdFen: aum, minProducts: rank - 1, requiredProductCode: null, requiredGrade: grade, validFrom: '2026-01-01', validTo: null, note: null },
          '2026-01-01',
          new Date('2026-01-01T00:00:00Z'),
        );
    });
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
    const near = await time(() => nearList(db, auth, day));
    const screening = await time(() => screen(db, auth, 'vip.read', day));
    const bands = tiers.map(([, , , aum]) => sql`(aum_fen >= ${(aum * 80) / 100} AND aum_fen < ${aum})`);
    const baseline = await time(() => rows(db, sql`SELECT count(*) FROM individuals WHERE ${sql.join(bands, sql` OR `)}`));
    const n = await nearList(db, auth, day);
    const s = await screen(db, auth, 'vip.read', day);
    return {
      people: opts.people,
      projects: opts.projects,
      reached: s.length,
      qualifying: s.filter((r) => r.tier).length,
      nearListed: n.rows.length,
      runs: opts.runs,
      near,
      screening,
      baseline,
      ratioNearP50ToBaseline: Math.round((near.p50Ms / Math.max(0.1, baseline.p50Ms)) * 10) / 10,
    };
  } finally {
    await database.close();
  }
}
