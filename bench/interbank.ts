import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { addDays } from '../server/calendar/index.js';
import { SYSTEM_ACTOR } from '../server/modules/audit/audit.service.js';
import { briefingLayout, briefingParagraphs, readBriefing } from '../server/modules/interbank/briefing.service.js';
import { coverageAsOf } from '../server/modules/interbank/coverage.service.js';
import { takeSnapshot } from '../server/modules/interbank/snapshots.service.js';
import { rankings } from '../server/modules/interbank/snapshots.rankings.js';
import { renderNoticePdf } from '../server/modules/periods/notice.pdf.js';
import { benchAuth } from './auth.js';
import { freshPg } from './scoring.js';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const round1 = (v: number) => Math.round(v * 10) / 10;
const FONT = { fontPath: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', fontFace: 'NotoSansCJKsc-Regular' };

/**
 * The inter-bank weekly briefing at province scale (SPEC §11) on PostgreSQL: `institutions`
 * financial institutions over `branches` tier-2 branches (the demo bank's, topped up), signed over
 * three years (about 70 %, a tenth with a product agreement too, some moved between branches), one
 * 省联社 with its members, interested clients and landings; `weeks` weekly snapshots taken the
 * way the job takes them. Timed as the province administrator: a stored week's briefing as the page
 * reads it (goal p99 < 300 ms), its PDF (goal < 3 s), the rankings with the whole trend, and the
 * live coverage as of a day. Baseline in the same run: reading the snapshot row alone.
 */
export async function benchInterbank(opts: { institutions: number; branches: number; weeks: number; runs: number; pdfRuns: number; pgBase: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_interbank');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    const db = database.db;
    const [prov] = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM org_nodes WHERE level = 'province' ORDER BY id LIMIT 1`);
    const have = (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM org_nodes WHERE level = 'branch'`))[0].n;
    for (let k = have; k < opts.branches; k++) {
      const [n] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO org_nodes (code, name, level, parent_id, path, sort) VALUES (${`BENCHB${k}`}, ${`基准分行${k}`}, 'branch', ${prov.id}, 'x', ${100 + k}) RETURNING id`,
      );
      await db.execute(sql`UPDATE org_nodes SET path = ${`${prov.path}${n.id}/`} WHERE id = ${n.id}`);
    }
    const branchIds = (await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'branch' ORDER BY id LIMIT ${opts.branches}`)).map((b) => b.id);
    const nodes = `{${branchIds.join(',')}}`;
    const lastWeek = '2026-11-29';
    const firstWeek = addDays(lastWeek, -7 * (opts.weeks - 1));
    const start = addDays(firstWeek, -180);
    const span = 7 * opts.weeks + 180;
    const g0 = performance.now();
    await db.execute(sql`INSERT INTO fi_institutions (code, name, kind, created_at, updated_at) VALUES ('ASSOC', '广东省农村信用社联合社', 'association', now(), now())`);
    await db.execute(sql`INSERT INTO fi_institutions (code, name, kind, parent_id, created_at, updated_at)
                         SELECT 'FI' || g, '金融机构' || g, CASE WHEN g % 5 = 0 THEN 'rural_credit_coop' ELSE 'rural_commercial' END,
                                CASE WHEN g % 5 = 0 THEN (SELECT id FROM fi_institutions WHERE code = 'ASSOC') END, now(), now()
                           FROM generate_series(1, ${opts.institutions}) g`);
    // Jurisdictions: every institution from the start; one in 50 moves to the next branch half-way.
    await db.execute(sql`INSERT INTO fi_jurisdictions (institution_id, node_id, valid_from, valid_to, set_at)
                         SELECT i.id, (${nodes}::int[])[1 + i.id % ${branchIds.length}], ${start}::date,
                                CASE WHEN i.id % 50 = 0 THEN ${addDays(start, Math.floor(span / 2))}::date - 1 END, now()
                           FROM fi_institutions i`);
    await db.execute(sql`INSERT INTO fi_jurisdictions (institution_id, node_id, valid_from, set_at)
                         SELECT i.id, (${nodes}::int[])[1 + (i.id + 1) % ${branchIds.length}], ${addDays(start, Math.floor(span / 2))}::date, now() FROM fi_institutions i WHERE i.id % 50 = 0`);
    // About 70 % signed, spread over the span; a tenth product-only, a tenth framework plus product.
    await db.execute(sql`INSERT INTO fi_signings (institution_id, node_id, kind, product_name, signed_on, recorded_at)
                         SELECT j.institution_id, j.node_id, CASE WHEN j.institution_id % 10 = 3 THEN 'product' ELSE 'framework' END,
                                CASE WHEN j.institution_id % 10 = 3 THEN '同业竞价APP' END,
                                ${start}::date + ((j.institution_id * 7919) % ${span}), ${start}::timestamptz + ((j.institution_id * 7919) % ${span}) * interval '1 day'
                           FROM fi_jurisdictions j WHERE j.valid_to IS NULL AND j.institution_id % 10 < 7`);
    await db.execute(sql`INSERT INTO fi_signings (institution_id, node_id, kind, product_name, signed_on, recorded_at)
                         SELECT institution_id, node_id, 'product', '零售智能风控', signed_on + 30, recorded_at + interval '30 days' FROM fi_signings WHERE institution_id % 10 = 1`);
    await db.execute(sql`INSERT INTO fi_prospects (institution_id, node_id, stage, next_step, updated_at, created_at)
                         SELECT j.institution_id, j.node_id, (ARRAY['contacted','negotiating','approving','ready'])[1 + j.institution_id % 4], '拜访', now(), ${start}::timestamptz
                           FROM fi_jurisdictions j WHERE j.valid_to IS NULL AND j.institution_id % 10 IN (7, 8) AND j.institution_id % 7 = 0`);
    await db.execute(sql`INSERT INTO fi_landings (institution_id, node_id, product, stage, stage_on, updated_at, created_at)
                         SELECT institution_id, node_id, '零售智能风控', (ARRAY['intent','testing','contracting','landed'])[1 + institution_id % 4], signed_on + 60, now(), now()
                           FROM fi_signings WHERE kind = 'framework' AND institution_id % 40 = 0`);
    await db.execute(sql`ANALYZE`);
    const seedMs = performance.now() - g0;
    const s0 = performance.now();
    const weeks: string[] = [];
    for (let w = firstWeek; w <= lastWeek; w = addDays(w, 7)) {
      weeks.push(w);
      await db.transaction((tx) => takeSnapshot(tx, { ...SYSTEM_ACTOR, name: 'bench' }, w, new Date(`${addDays(w, 1)}T02:00:00Z`)));
    }
    const snapshotMs = performance.now() - s0;
    const auth = await benchAuth(db, 'admin');
    const pick = (i: number) => weeks[(i * 37) % weeks.length];
    const time = async (runs: number, fn: (i: number) => Promise<unknown>) => {
      await fn(0); // warm
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn(i + 1);
        ms.push(performance.now() - t0);
      }
      ms.sort((x, y) => x - y);
      return { p50Ms: round1(pct(ms, 50)), p99Ms: round1(pct(ms, 99)), maxMs: round1(ms[ms.length - 1]) };
    };
    const page = await time(opts.runs, async (i) => {
      const b = await readBriefing(db, auth, pick(i));
      return JSON.stringify({ ...b, paragraphs: briefingParagraphs(b) });
    });
    let pdfBytes = 0;
    const pdf = await time(opts.pdfRuns, async (i) => {
      const b = await readBriefing(db, auth, pick(i));
      pdfBytes = (await renderNoticePdf(briefingLayout(b, '示范商业银行'), FONT)).length;
    });
    const rank = await time(opts.runs, () => rankings(db, auth, { weeks: opts.weeks }));
    const live = await time(Math.min(opts.runs, 20), (i) => coverageAsOf(db, pick(i)));
    const baseline = await time(opts.runs, (i) => rows(db, sql`SELECT data FROM fi_weekly_snapshots WHERE week_end = ${pick(i)}::date`));
    const [last] = await rows<{ signed: number; institutions: number; prospects: number }>(
      db,
      sql`SELECT (data->'province'->>'signed')::int AS signed, (data->'province'->>'institutions')::int AS institutions, jsonb_array_length(data->'prospects') AS prospects FROM fi_weekly_snapshots WHERE week_end = ${lastWeek}::date`,
    );
    return {
      institutions: opts.institutions,
      branches: branchIds.length,
      weeks: weeks.length,
      lastWeek: last,
      seedSeconds: round1(seedMs / 1000),
      snapshotsSeconds: round1(snapshotMs / 1000),
      snapshotEachMs: round1(snapshotMs / weeks.length),
      runs: opts.runs,
      briefingPage: page,
      briefingPdf: { ...pdf, bytes: pdfBytes },
      rankingsWithTrend: rank,
      liveCoverage: live,
      baseline,
      goals: { briefingPageP99Ms: 300, briefingPdfMs: 3000 },
    };
  } finally {
    await database.close();
  }
}
