import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase, rows } from '../server/db/client.js';
import { signToken } from '../server/modules/surveys/surveys.rules.js';
import { surveySecret } from '../server/modules/surveys/surveys.tokens.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoScoring } from '../server/seed/scoring.js';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const round1 = (v: number) => Math.round(v * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 13's salon: 500 people scanning their survey codes at once. On PostgreSQL, a unit with
 * `rate × seconds` invited people spread over salons of 500, one personal token each; the answers
 * arrive open-loop at `rate` a second for `seconds` (latency from the scheduled send, so a stall
 * is not hidden), each from one of 500 phone addresses, through the whole HTTP stack in-process
 * (`inject`: validation, rate limits, the service, leads, audit). A third want a mortgage soon and
 * agree to be called (three leads each, assigned by capacity); 2 % of phones send their answer a
 * second time. Afterwards: every 200 has exactly one response, no token has two, every repeat got 409.
 */
export async function benchSurvey(opts: { rate: number; seconds: number; pgBase: string; poolSize: number }) {
  const name = `linkage_bench_survey${process.env.BENCH_DB_SUFFIX ?? ''}`;
  const admin = new pg.Client({ connectionString: opts.pgBase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(opts.pgBase);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), poolSize: opts.poolSize });
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
    const db = database.db;
    const FS = DEMO_NODES.foshan;
    const total = opts.rate * opts.seconds;
    const salons = Math.ceil(total / 500);
    await db.execute(sql`INSERT INTO client_types (code, name_zh, name_en) VALUES ('enterprise', '企业', 'Enterprise') ON CONFLICT DO NOTHING`);
    const [c] = await rows<{ id: number }>(db, sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id) VALUES ('91440600BENCHSV001', '问卷基准集团', 'enterprise', ${FS}) RETURNING id`);
    await db.execute(sql`INSERT INTO individuals (id_number, id_suffix, name, node_id, phone, phone_suffix)
                         SELECT '4407' || lpad(g::text, 14, '0'), right(lpad(g::text, 14, '0'), 4), '来宾' || g, ${FS}, '139' || lpad(g::text, 8, '0'), right(lpad(g::text, 8, '0'), 4)
                           FROM generate_series(1, ${total}) g`);
    await db.execute(sql`INSERT INTO company_people (company_id, person_id, role) SELECT ${c.id}, id, 'staff' FROM individuals WHERE name LIKE '来宾%'`);
    const [outlet] = await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${FS}/%`} ORDER BY id LIMIT 1`);
    const [p] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO projects (node_id, company_id, name, co_outlet_node_id, created_at) VALUES (${FS}, ${c.id}, '问卷基准项目', ${outlet.id}, now()) RETURNING id`,
    );
    await db.execute(
      sql`INSERT INTO activities (project_id, kind, title, starts_at, status, created_at) SELECT ${p.id}, 'salon', '沙龙' || g, now(), 'held', now() FROM generate_series(1, ${salons}) g`,
    );
    await db.execute(sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, checkin_code)
                         SELECT a.id, x.id, now(), md5('sv' || x.id) FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM individuals WHERE name LIKE '来宾%') x
                           JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM activities WHERE project_id = ${p.id}) a ON a.k = x.k / 500`);
    await db.execute(sql`INSERT INTO survey_tokens (activity_id, kind, person_id, issued_at, expires_at)
                         SELECT activity_id, 'personal', person_id, now(), date_trunc('second', now()) + interval '14 days' FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id = ${p.id}`);
    await db.execute(sql`ANALYZE`);
    const secret = await surveySecret(db, new Date(Date.now()));
    const tokens = (await rows<{ id: number; expiresAt: Date | string }>(db, sql`SELECT id, expires_at AS "expiresAt" FROM survey_tokens ORDER BY id`)).map((t) =>
      signToken(secret, t.id, new Date(t.expiresAt)),
    );
    const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: './none', DB_POOL_SIZE: String(opts.poolSize) }));
    await app.ready();
    const body = (i: number) =>
      i % 3 === 0
        ? { answers: { interests: ['FUND', 'INS'], loanIntent: 'mortgage', loanHorizon: '3m', investBand: '50to100', contactTime: 'weekend', note: null }, consent: true }
        : { answers: { interests: ['MBANK'], loanIntent: 'none', loanHorizon: null, investBand: 'lt10', contactTime: 'any', note: null }, consent: i % 2 === 0 };
    const lat: number[] = [];
    const status = new Map<number, number>();
    let ok = 0;
    let repeats = 0;
    let repeat409 = 0;
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const ip = `10.50.${Math.floor((i % 500) / 250)}.${i % 250}`;
      inflight.push(
        (async () => {
          const res = await app.inject({ method: 'POST', url: `/api/public/survey/${tokens[i]}`, payload: body(i), remoteAddress: ip });
          lat.push(performance.now() - due);
          status.set(res.statusCode, (status.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 200) ok++;
          if (i % 50 === 7) {
            repeats++;
            const again = await app.inject({ method: 'POST', url: `/api/public/survey/${tokens[i]}`, payload: body(i), remoteAddress: ip });
            if (again.statusCode === 409) repeat409++;
          }
        })(),
      );
    }
    const sendSeconds = (performance.now() - start) / 1000;
    await Promise.all(inflight);
    const wall = (performance.now() - start) / 1000;
    await app.close();
    lat.sort((a, b) => a - b);
    const [check] = await rows<{ responses: number; tokens: number; used: number; leads: number; assigned: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM survey_responses) AS responses, (SELECT count(DISTINCT token_id)::int FROM survey_responses) AS tokens,
                 (SELECT count(*)::int FROM survey_tokens WHERE used_at IS NOT NULL) AS used,
                 (SELECT count(*)::int FROM leads WHERE source = 'survey') AS leads, (SELECT count(*)::int FROM leads WHERE source = 'survey' AND owner_staff_id IS NOT NULL) AS assigned`,
    );
    const lost = ok - check.responses;
    const doubleCounted = check.responses - check.tokens + (check.used - check.tokens);
    return {
      rate: opts.rate,
      seconds: opts.seconds,
      submissions: total,
      poolSize: opts.poolSize,
      sendSeconds: round1(sendSeconds),
      wallSeconds: round1(wall),
      achievedPerSecond: round1(ok / wall),
      statuses: Object.fromEntries(status),
      latency: { p50Ms: round1(pct(lat, 50)), p95Ms: round1(pct(lat, 95)), p99Ms: round1(pct(lat, 99)), maxMs: round1(lat[lat.length - 1]) },
      stored: check,
      lost,
      doubleCounted,
      repeats: { sent: repeats, refused409: repeat409 },
      goalMet: ok === total && lost === 0 && doubleCounted === 0 && repeat409 === repeats && pct(lat, 99) < 200 && ok / wall >= opts.rate * 0.98,
    };
  } finally {
    await database.close();
  }
}
