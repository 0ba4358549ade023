import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { createTestDatabase } from '../../test/harness.js';
import { REPORT_CATALOGUE } from './catalogue.js';
import { OWN_VIEWS } from './views.js';
import { assessmentView, leadsView, pointsView, projectsView, vipView } from './views-own.js';

/**
 * The own-data views of issue 16 part B, each on a worked example whose figures are derived by hand
 * below. 佛山分行's 2025 (quotas/testing.ts) gives the points; leads, projects, VIP registrations and
 * an assessment run are written here. 2025 holds none of the demo seed's leads, projects or VIP.
 *
 * Points (ledger, live lines of standing sales by sale day):
 *   March: s1 CARD ×10 = 10.00 → PF 2.00 on the outlet AM, CORP 8.00 on corp0; 河源分行 100.00 on
 *          department lines only (no people).
 *   June:  s2 = 5.00 → CC 1.00 (department line), CORP 2.00 (corp0), INST 2.00 (department line);
 *          s3 struck → nothing.
 *   Sept.: s4 voided (void lines left out: no points), s5 = 20.00 → RE 4.00, PF 16.00 (department lines).
 */
describe('own-data views, part B (issue 16)', () => {
  let database: Database;
  let y: Awaited<ReturnType<typeof seedQuotaYear>>;
  const at = (s: string) => sql`${s}::timestamptz`;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    y = await seedQuotaYear(db);
    const PF = y.dept('PF');
    // Leads (佛山分行, PF):
    //   L1 created 3-02, won 3-20; L2 created 3-05, lost 4-02; L3 created 2-27, open, escalated;
    //   L4 created 2025-03-31T16:30Z = 4-01 00:30 Beijing (an April lead), open.
    const lead = (name: string, created: string, stage: string, closed: string | null, escalation = 0) =>
      db.execute(sql`INSERT INTO leads (node_id, department_id, contact_name, source, stage, lost_reason, escalation_level, created_at, touched_at, closed_at)
        VALUES (${y.FS}, ${PF}, ${name}, 'manual', ${stage}, ${stage === 'lost' ? '客户已在他行办理' : null}, ${escalation}, ${at(created)}, ${at(created)}, ${closed === null ? null : at(closed)})`);
    await lead('L1', '2025-03-02T10:00:00+08:00', 'won', '2025-03-20T15:00:00+08:00');
    await lead('L2', '2025-03-05T10:00:00+08:00', 'lost', '2025-04-02T09:00:00+08:00');
    await lead('L3', '2025-02-27T23:30:00+08:00', 'contacted', null, 1);
    await lead('L4', '2025-03-31T16:30:00Z', 'new', null);

    // Projects: P1 started 3-03 (active); P2 started 1-10, closed 3-15. Activities: A1 P1 held 3-10,
    // A2 P1 planned 3-28, A3 P2 cancelled 3-12 (not counted), A4 P1 planned 4-05 (April).
    const companies = await rows<{ id: number }>(
      db,
      sql`SELECT c.id FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE n.path LIKE ${`/1/2/${y.FS}/%`} OR n.id = ${y.FS} ORDER BY c.id LIMIT 2`,
    );
    const project = async (company: number, created: string, closed: string | null) =>
      (
        await rows<{ id: number }>(
          db,
          sql`INSERT INTO projects (node_id, company_id, name, co_outlet_node_id, status, created_at, closed_at)
              VALUES (${y.FS}, ${company}, '测试项目', ${y.outlet.id}, ${closed ? 'closed' : 'active'}, ${at(created)}, ${closed === null ? null : at(closed)}) RETURNING id`,
        )
      )[0].id;
    const p1 = await project(companies[0].id, '2025-03-03T09:00:00+08:00', null);
    const p2 = await project(companies[1].id, '2025-01-10T09:00:00+08:00', '2025-03-15T09:00:00+08:00');
    const activity = (p: number, startsAt: string, status: string) =>
      db.execute(sql`INSERT INTO activities (project_id, kind, title, starts_at, status, created_at) VALUES (${p}, 'salon', '理财沙龙', ${at(startsAt)}, ${status}, ${at('2025-01-01T00:00:00Z')})`);
    await activity(p1, '2025-03-10T14:00:00+08:00', 'held');
    await activity(p1, '2025-03-28T14:00:00+08:00', 'planned');
    await activity(p2, '2025-03-12T14:00:00+08:00', 'cancelled');
    await activity(p1, '2025-04-05T14:00:00+08:00', 'planned');

    // VIP: V1 GOLD reg. 3-04, signed and given corp0 as AM 3-06, 50万元; V2 GOLD reg. 2-10, ended 3-20,
    // 60万元; V3 PLAT reg. 3-25, signed 4-02, 600万元.
    const tier = async (code: string, threshold: number) =>
      (
        await rows<{ id: number }>(
          db,
          sql`INSERT INTO vip_tiers (code, name_zh, name_en, rank, aum_threshold_fen, required_grade, valid_from, created_at)
              VALUES (${code}, ${code}, ${code}, ${code === 'GOLD' ? 1 : 2}, ${threshold}, 1, '2025-01-01', now()) RETURNING id`,
        )
      )[0].id;
    const gold = await tier('GOLD', 30_000_000);
    const plat = await tier('PLAT', 500_000_000);
    const people = await rows<{ id: number }>(db, sql`SELECT id FROM individuals ORDER BY id LIMIT 3`);
    const vip = (person: number, tierId: number, code: string, aum: number, reg: string, signed: string | null, am: boolean, ended: string | null) =>
      db.execute(sql`INSERT INTO vip_registrations (person_id, tier_id, tier_code, project_id, node_id, aum_fen, registered_at, registered_by, signed_at, signed_by,
                       am_staff_id, am_assigned_at, am_assigned_by, status, ended_at, ended_by, end_reason)
        VALUES (${person}, ${tierId}, ${code}, ${p1}, ${y.FS}, ${aum}, ${at(reg)}, ${y.corp0}, ${signed === null ? null : at(signed)}, ${signed === null ? null : y.corp0},
                ${am ? y.corp0 : null}, ${am ? at(signed!) : null}, ${am ? y.corp0 : null}, ${ended ? 'ended' : 'active'}, ${ended === null ? null : at(ended)},
                ${ended ? y.corp0 : null}, ${ended ? '客户资产下降' : null})`);
    await vip(people[0].id, gold, 'GOLD', 50_000_000, '2025-03-04T10:00:00+08:00', '2025-03-06T10:00:00+08:00', true, null);
    await vip(people[1].id, gold, 'GOLD', 60_000_000, '2025-02-10T10:00:00+08:00', null, false, '2025-03-20T10:00:00+08:00');
    await vip(people[2].id, plat, 'PLAT', 600_000_000, '2025-03-25T10:00:00+08:00', '2025-04-02T10:00:00+08:00', false, null);

    // Assessment 2025: a draft run (ignored) and the approved run of 12-20 with lines
    //   PF department 18.00/18.00/3,000元; PF outlet AM 2.00/2.00/500元 + 100元 special; CORP corp0 10.00/0/0.
    const run = async (state: string, approvedAt: string | null) =>
      (
        await rows<{ id: number }>(
          db,
          sql`INSERT INTO assessment_runs (node_id, year, state, pool_fen, gate_bp, inputs_hash, inputs, result, created_by, approved_by, approved_at)
              VALUES (${y.FS}, 2025, ${state}, 1000000, 6000, 'h', '{}'::jsonb, '{}'::jsonb, ${y.corp0}, ${approvedAt ? y.corp0 : null}, ${approvedAt === null ? null : at(approvedAt)}) RETURNING id`,
        )
      )[0].id;
    const draft = await run('draft', null);
    const final = await run('approved', '2025-12-20T10:00:00+08:00');
    const line = (r: number, dept: string, staff: number | null, pts: number, counted: number, reward: number, special = 0) =>
      db.execute(
        sql`INSERT INTO assessment_run_lines (run_id, department_id, staff_id, points_hundredths, counted_hundredths, reward_fen, special_fen) VALUES (${r}, ${y.dept(dept)}, ${staff}, ${pts}, ${counted}, ${reward}, ${special})`,
      );
    await line(draft, 'PF', null, 99_900, 99_900, 99_900_000);
    await line(final, 'PF', null, 1_800, 1_800, 300_000);
    await line(final, 'PF', y.outletAm.id, 200, 200, 50_000, 10_000);
    await line(final, 'CORP', y.corp0, 1_000, 0, 0);
  });
  afterAll(async () => database?.close());

  it('every own source of the catalogue has a view; the rest of the 41 are feeds', () => {
    const own = REPORT_CATALOGUE.filter((d) => d.source.kind === 'own');
    for (const d of own) expect(OWN_VIEWS[(d.source as { source: string }).source], d.code).toBeTypeOf('function');
    expect(own).toHaveLength(19);
    expect(REPORT_CATALOGUE.length - own.length).toBe(22);
  });

  it('points: per branch and department, people’s points apart, struck and void lines left out', async () => {
    const march = await pointsView(database.db, '2025-03-01', '2025-03-31');
    const fs = march.lines.filter((l) => l.nodeId === y.FS);
    expect(fs.map((l) => [l.departmentCode, l.pointsHundredths, l.peoplePointsHundredths, l.sales, l.people])).toEqual([
      ['CORP', 800, 800, 1, 1],
      ['PF', 200, 200, 1, 1],
    ]);
    const hy = march.lines.filter((l) => l.nodeId === DEMO_NODES.heyuan);
    expect(hy.reduce((s, l) => s + l.pointsHundredths, 0)).toBe(10_000);
    expect(hy.every((l) => l.peoplePointsHundredths === 0 && l.people === 0)).toBe(true);
    const june = await pointsView(database.db, '2025-06-01', '2025-06-30');
    expect(june.lines.map((l) => [l.departmentCode, l.pointsHundredths, l.peoplePointsHundredths])).toEqual([
      ['CC', 100, 0],
      ['CORP', 200, 200],
      ['INST', 200, 0],
    ]);
    const sept = await pointsView(database.db, '2025-09-01', '2025-09-30');
    expect(sept.lines.map((l) => [l.departmentCode, l.pointsHundredths, l.sales])).toEqual([
      ['PF', 1_600, 1],
      ['RE', 400, 1],
    ]);
  });

  it('leads: created, won, lost in the period by Beijing day; open and escalated at its end', async () => {
    const march = await leadsView(database.db, '2025-03-01', '2025-03-31');
    // created L1, L2 (L4 is 1 April in Beijing); won L1; lost none (L2 in April); open L2, L3; escalated L3.
    expect(march.lines).toEqual([expect.objectContaining({ nodeId: y.FS, created: 2, won: 1, lost: 0, open: 2, escalated: 1, winBp: 10_000 })]);
    const april = await leadsView(database.db, '2025-04-01', '2025-04-30');
    expect(april.lines).toEqual([expect.objectContaining({ nodeId: y.FS, created: 1, won: 0, lost: 1, open: 2, escalated: 1, winBp: 0 })]);
    expect((await leadsView(database.db, '2025-01-01', '2025-01-31')).lines).toEqual([]);
  });

  it('projects: started, closed, active at the end; activities held and still planned in the period', async () => {
    const march = await projectsView(database.db, '2025-03-01', '2025-03-31');
    expect(march.lines).toEqual([expect.objectContaining({ nodeId: y.FS, started: 1, closed: 1, active: 1, activitiesHeld: 1, activitiesPlanned: 1 })]);
    const jan = await projectsView(database.db, '2025-01-01', '2025-01-31');
    expect(jan.lines).toEqual([expect.objectContaining({ started: 1, closed: 0, active: 1, activitiesHeld: 0, activitiesPlanned: 0 })]);
  });

  it('vip: per tier, registrations, signings and endings of the period; in force at its end with their AUM', async () => {
    const march = await vipView(database.db, '2025-03-01', '2025-03-31');
    expect(march.lines.map((l) => [l.tierCode, l.registered, l.signed, l.ended, l.active, l.withManager, l.activeAumFen])).toEqual([
      ['GOLD', 1, 1, 1, 1, 1, 50_000_000],
      ['PLAT', 1, 0, 0, 1, 0, 600_000_000],
    ]);
    const feb = await vipView(database.db, '2025-02-01', '2025-02-28');
    // V2 only: registered in February, in force at its end.
    expect(feb.lines.map((l) => [l.tierCode, l.registered, l.active, l.activeAumFen])).toEqual([['GOLD', 1, 1, 60_000_000]]);
  });

  it('assessment: the branch’s final run approved by the period’s end, people summed into departments', async () => {
    const q4 = await assessmentView(database.db, '2025-10-01', '2025-12-31');
    expect(q4.lines.map((l) => [l.departmentCode, l.state, l.pointsHundredths, l.countedHundredths, l.rewardFen, l.specialFen])).toEqual([
      ['CORP', 'approved', 1_000, 0, 0, 0],
      ['PF', 'approved', 2_000, 2_000, 350_000, 10_000],
    ]);
    // Approved on 20 December: not in a quarter that ended before it; the draft never counts.
    expect((await assessmentView(database.db, '2025-07-01', '2025-09-30')).lines).toEqual([]);
  });
});
