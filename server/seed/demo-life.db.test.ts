import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { type Database, rows } from '../db/client.js';
import { now } from '../calendar/index.js';
import { draftStatement, statementNode } from '../modules/statements/statement.service.js';
import { DEMO_AM, DEMO_LATE_SALE, DEMO_LIFE, DEMO_LOCKED_OCTOBER, seedDemoLife } from './demo-life.js';
import { demoDepartmentId } from './demo-bank.js';
import { DEMO_NODES } from './demo-ids.js';

/**
 * The demo's autumn (issue 12, "Demo data"), run on a fresh copy of the test bank as the first
 * start runs it: every page has something true to show, and it got there through the rules.
 */
const FS = DEMO_NODES.foshan;
let database: Database;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);
const one = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0].n);
let summary: Awaited<ReturnType<typeof seedDemoLife>>;
let wallBefore: number;

beforeAll(async () => {
  database = await createTestDatabase();
  wallBefore = Date.now();
  summary = await seedDemoLife(database.db);
}, 300_000);
afterAll(async () => {
  await database?.close();
});

describe('the demo autumn (seedDemoLife)', () => {
  it('runs once, and puts the clock back', async () => {
    expect(summary).not.toBeNull();
    expect(await seedDemoLife(database.db)).toBeNull();
    expect(Math.abs(now().getTime() - wallBefore)).toBeLessThan(600_000);
    expect(await one(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'seed.demo_life'`)).toBe(1);
  });

  it('every tier-2 branch has sales in October and in November', async () => {
    const perBranch = await q<{ name: string; oct: number; nov: number }>(
      sql`SELECT n.name, count(s.id) FILTER (WHERE s.sale_date < '2026-11-01')::int AS oct,
                 count(s.id) FILTER (WHERE s.sale_date >= '2026-11-01' AND s.sale_date < '2026-12-01')::int AS nov
          FROM org_nodes n LEFT JOIN sales s ON s.node_id = n.id WHERE n.level = 'branch' GROUP BY n.id, n.name ORDER BY n.id`,
    );
    expect(perBranch.length).toBeGreaterThanOrEqual(14);
    for (const b of perBranch) {
      expect(b.oct, b.name).toBeGreaterThan(0);
      expect(b.nov, b.name).toBeGreaterThan(0);
    }
    // Scored through the ledger, like every recorded sale.
    expect(await one(sql`SELECT count(*)::int AS n FROM sales s WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.sale_id = s.id)`)).toBe(0);
  });

  it('October is locked in 佛山, 河源 and 汕头 after a spot check with every verdict; published elsewhere', async () => {
    const oct = await q<{ name: string; state: string; checked: number; pending: number }>(
      sql`SELECT n.name, p.state,
                 (SELECT count(*)::int FROM spot_check_items i JOIN spot_checks c ON c.id = i.spot_check_id WHERE c.node_id = n.id AND c.period = p.period) AS checked,
                 (SELECT count(*)::int FROM spot_check_items i JOIN spot_checks c ON c.id = i.spot_check_id WHERE c.node_id = n.id AND c.period = p.period AND i.result IS NULL) AS pending
          FROM periods p JOIN org_nodes n ON n.id = p.node_id WHERE p.period = '2026-10-01' AND n.level = 'branch' ORDER BY n.id`,
    );
    expect(oct.filter((p) => p.state === 'locked').map((p) => p.name)).toEqual([...DEMO_LOCKED_OCTOBER]);
    for (const p of oct.filter((x) => x.state === 'locked')) expect([p.checked, p.pending], p.name).toEqual([3, 0]);
    expect(oct.filter((p) => p.state !== 'locked').every((p) => p.state === 'published')).toBe(true);
    // The lock was done by people, on the days of the story, in the audit chain.
    const [approve] = await q<{ at: Date; actor: string }>(sql`SELECT at, actor_name AS actor FROM audit_log WHERE action = 'period.approve' AND node_id = ${FS}`);
    expect(new Date(approve.at).toISOString()).toBe(new Date(DEMO_LIFE.approveOctober).toISOString());
    expect(approve.actor).not.toBe('system');
    // 佛山's spot check is the demo compliance account's own work.
    const [audited] = await q<{ staffNo: string }>(sql`SELECT s.staff_no AS "staffNo" FROM audit_log a JOIN staff s ON s.id = a.actor_id WHERE a.action = 'period.audit' AND a.node_id = ${FS}`);
    expect(audited.staffNo).toBe('fs_compliance');
  });

  it('a sale dated in the locked October and recorded later is November’s adjustment, listed on the statement', async () => {
    const [sale] = await q<{ id: number; sale_date: string }>(sql`SELECT id, sale_date::text FROM sales WHERE source_id = ${DEMO_LATE_SALE}`);
    expect(sale.sale_date).toBe('2026-10-28');
    const lines = await q<{ period: string; adjusts: string | null }>(sql`SELECT period::text, adjusts_period::text AS adjusts FROM ledger_entries WHERE sale_id = ${sale.id}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.period === '2026-11-01' && l.adjusts === '2026-10-01')).toBe(true);
    const nov = await draftStatement(database.db, await statementNode(database.db, FS), '2026-11');
    expect(nov.adjustments.some((a) => a.saleId === sale.id)).toBe(true);
  });

  it('November is published on 1 December; 佛山’s notice is in version 2 with its change list', async () => {
    const nov = await q<{ state: string; published_at: Date }>(sql`SELECT state, published_at FROM periods WHERE node_id = ${FS} AND period = '2026-11-01'`);
    expect(nov[0].state).toBe('published');
    expect(new Date(nov[0].published_at).toISOString()).toBe(new Date(DEMO_LIFE.publishNovember).toISOString());
    const versions = await q<{ version: number; objection_id: number | null; changes: { saleId: number; before: unknown; after: unknown }[] }>(
      sql`SELECT version, objection_id, changes FROM notice_versions WHERE node_id = ${FS} AND period = '2026-11-01' ORDER BY version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1].objection_id).not.toBeNull();
    expect(versions[1].changes.length).toBeGreaterThan(0);
    expect(versions[1].changes[0]).toMatchObject({ saleId: expect.any(Number), before: expect.anything(), after: expect.anything() });
  });

  it('objections: one upheld with a correction, one dismissed, one still open raised by 44110014', async () => {
    const list = await q<{ status: string; raised_by: string; correction: unknown }>(
      sql`SELECT o.status, s.staff_no AS raised_by, o.correction FROM objections o JOIN staff s ON s.id = o.raised_by WHERE o.node_id = ${FS} AND o.period = '2026-11-01' ORDER BY o.id`,
    );
    expect(list.map((o) => o.status).sort()).toEqual(['dismissed', 'open', 'upheld']);
    expect(list.find((o) => o.status === 'open')!.raised_by).toBe(DEMO_AM);
    expect(list.find((o) => o.status === 'upheld')!.correction).not.toBeNull();
    // The objector was told; the office was told of each new objection.
    expect(await one(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'objection.answered'`)).toBe(2);
    expect(await one(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'notice.version'`)).toBeGreaterThan(0);
  });

  it('佛山公司业务部’s target list has versions 1 and 2, and nominations await review', async () => {
    const corp = demoDepartmentId(FS, 'CORP');
    const versions = await q<{ version_no: number; entries: number }>(
      sql`SELECT v.version_no, (SELECT count(*)::int FROM target_list_entries e WHERE e.version_id = v.id) AS entries
          FROM target_list_versions v WHERE v.node_id = ${FS} AND v.department_id = ${corp} ORDER BY v.version_no`,
    );
    expect(versions).toEqual([
      { version_no: 1, entries: 3 },
      { version_no: 2, entries: 4 },
    ]);
    const statuses = await q<{ status: string; n: number }>(sql`SELECT status, count(*)::int AS n FROM target_nominations WHERE node_id = ${FS} GROUP BY status ORDER BY status`);
    expect(statuses).toEqual([
      { status: 'approved', n: 6 },
      { status: 'nominated', n: 3 },
      { status: 'rejected', n: 1 },
    ]);
    // Stamped with the story's days (the one clock), not the day the seed ran.
    const [first] = await q<{ at: Date }>(sql`SELECT min(nominated_at) AS at FROM target_nominations`);
    expect(new Date(first.at).toISOString()).toBe(new Date(DEMO_LIFE.nominate1).toISOString());
  });

  it('44110014 has points in November and in December', async () => {
    const points = await q<{ period: string; pts: number }>(
      sql`SELECT e.period::text AS period, sum(e.points_hundredths)::int AS pts FROM ledger_entries e JOIN staff s ON s.id = e.staff_id
          WHERE s.staff_no = ${DEMO_AM} GROUP BY e.period ORDER BY e.period`,
    );
    const of = (p: string) => points.find((x) => x.period === p)?.pts ?? 0;
    expect(of('2026-11-01')).toBeGreaterThan(0);
    expect(of('2026-12-01')).toBeGreaterThan(0);
    const [sales] = await q<{ n: number }>(
      sql`SELECT count(DISTINCT sp.sale_id)::int AS n FROM sale_people sp JOIN staff s ON s.id = sp.staff_id JOIN sales x ON x.id = sp.sale_id
          WHERE s.staff_no = ${DEMO_AM} AND x.sale_date >= '2026-12-01'`,
    );
    expect(sales.n).toBeGreaterThanOrEqual(3);
  });

  it('佛山 has a marketing project: team, a salon with two checked in, a won sale from the team, a hand-over and a plan', async () => {
    expect(summary?.projects).toBe(1);
    const [p] = await q<{ id: number; team: number; attended: number; won: number; handovers: number; plans: number; points: number }>(
      sql`SELECT p.id, (SELECT count(*)::int FROM project_members m WHERE m.project_id = p.id) AS team,
                 (SELECT count(*)::int FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id = p.id AND v.checked_in_at IS NOT NULL) AS attended,
                 (SELECT count(*)::int FROM leads l WHERE l.project_id = p.id AND l.stage = 'won') AS won,
                 (SELECT count(*)::int FROM handovers h WHERE h.project_id = p.id) AS handovers,
                 (SELECT count(*)::int FROM marketing_plans m WHERE m.project_id = p.id) AS plans,
                 (SELECT coalesce(sum(t.points_hundredths), 0)::int FROM statement_totals t WHERE t.grain = 'J' AND t.k1 = p.id) AS points
            FROM projects p`,
    );
    // 基金 × 10 万元 at 3.00 = 30.00 points on the project.
    expect(p).toMatchObject({ team: 3, attended: 2, won: 1, handovers: 1, plans: 1, points: 3000 });
    // 金融需求调查表: two guests answered; the one who agreed to be called made mortgage, wealth and insurance leads.
    const [sv] = await q<{ responses: number; leads: number }>(
      sql`SELECT (SELECT count(*)::int FROM survey_responses WHERE project_id = ${p.id}) AS responses,
                 (SELECT count(*)::int FROM leads WHERE project_id = ${p.id} AND source = 'survey' AND owner_staff_id IS NOT NULL) AS leads`,
    );
    expect(sv).toEqual({ responses: 2, leads: 3 });
  });

  it('佛山 has VIPs: tiers in force with a future version, two registered through the project and signed, one with an AM of matching grade, and 临界 clients', async () => {
    expect(summary?.vips).toBe(2);
    const regs = await q<{ tier: string; signed: boolean; am: string | null; grade: number | null; required: number }>(
      sql`SELECT r.tier_code AS tier, r.signed_at IS NOT NULL AS signed, s.staff_no AS am, g.grade, t.required_grade AS required
            FROM vip_registrations r JOIN vip_tiers t ON t.id = r.tier_id LEFT JOIN staff s ON s.id = r.am_staff_id
            LEFT JOIN am_grades g ON g.staff_id = r.am_staff_id ORDER BY r.id`,
    );
    expect(regs.map((r) => r.signed)).toEqual([true, true]);
    expect(regs[0].am).toBe(DEMO_AM);
    expect(regs[0].grade).toBeGreaterThanOrEqual(regs[0].required);
    const [{ versions }] = await q<{ versions: number }>(sql`SELECT count(*)::int AS versions FROM vip_tiers WHERE code = 'GOLD'`);
    expect(versions).toBe(2);
    const [{ near }] = await q<{ near: number }>(
      sql`SELECT count(*)::int AS near FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE '/1/2/11/%' AND i.aum_fen >= 4000000 AND i.aum_fen < 5000000`,
    );
    expect(near).toBeGreaterThan(0);
  });

  it('the inter-bank registry: the association and 38 institutions, branches above and below 60 % framework coverage, the pool granted first come first served', async () => {
    expect(summary).toMatchObject({ institutions: 39, interbankSignings: 22 });
    const cover = await q<{ node: number; total: number; signed: number }>(
      sql`SELECT j.node_id AS node, count(*)::int AS total,
                 count(*) FILTER (WHERE EXISTS (SELECT 1 FROM fi_signings s WHERE s.institution_id = j.institution_id AND s.status = 'active' AND s.kind = 'framework'))::int AS signed
            FROM fi_jurisdictions j JOIN fi_institutions i ON i.id = j.institution_id WHERE j.valid_to IS NULL AND i.kind <> 'association' GROUP BY j.node_id ORDER BY j.node_id`,
    );
    expect(cover).toHaveLength(14);
    expect(cover.some((c) => c.signed * 100 >= c.total * 60)).toBe(true);
    expect(cover.some((c) => c.signed * 100 < c.total * 60)).toBe(true);
    const [pool] = await q<{ granted: number; grants: number; firsts: boolean }>(
      sql`SELECT p.granted_amount::int AS granted, (SELECT count(*)::int FROM fi_grants g WHERE g.pool_id = p.id) AS grants,
                 (SELECT bool_and(g.signing_id IN (SELECT id FROM fi_signings WHERE kind = 'framework' ORDER BY recorded_at, id LIMIT 10)) FROM fi_grants g WHERE g.pool_id = p.id) AS firsts
            FROM fi_pools p WHERE p.quarter = '2026Q4'`,
    );
    expect(pool).toEqual({ granted: 50, grants: 10, firsts: true });
    const [{ moves }] = await q<{ moves: number }>(sql`SELECT count(*)::int AS moves FROM fi_jurisdictions WHERE valid_to IS NOT NULL`);
    expect(moves).toBe(1);
  });
});
