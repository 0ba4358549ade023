import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { useTestClock } from '../../calendar/index.js';
import { runWarningsJob } from './warnings.job.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * The worked example (SPEC §12): a feed for a few clients → which warnings; who receives them
 * along the company ↔ people graph; the next day's hit merges; unhandled, it escalates to the
 * sub-branch after 3 days and the branch after 7; the AM acknowledges, visits and closes; a
 * stranger in another branch gets 404.
 */
let t: TestApp;
let admin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
interface Staff {
  id: number;
  staffNo: string;
}
const ids: Record<string, number> = {};
const usccOf: Record<string, string> = {};
let am1: Staff, am2: Staff, pam: Staff, gam: Staff, subLeader: Staff;
let restore: () => void = () => undefined;

async function firstStaff(where: ReturnType<typeof sql>): Promise<Staff> {
  const [s] = await q<Staff>(
    sql`SELECT s.id, s.staff_no AS "staffNo" FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = sr.scope_node_id WHERE s.active AND ${where} ORDER BY s.id LIMIT 1`,
  );
  return s;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  // A Foshan sub-branch with an outlet, its leader (outlet_manager at the sub-branch), and AMs.
  const [sub] = await q<{ id: number; path: string }>(
    sql`SELECT n.id, n.path FROM org_nodes n JOIN org_nodes b ON b.id = ${DEMO_NODES.foshan} WHERE n.level = 'subbranch' AND n.path LIKE b.path || '%'
         AND EXISTS (SELECT 1 FROM staff_roles sr WHERE sr.scope_node_id = n.id AND sr.role_code = 'outlet_manager')
         AND EXISTS (SELECT 1 FROM staff_roles sr JOIN org_nodes x ON x.id = sr.scope_node_id WHERE x.path LIKE n.path || '%' AND sr.role_code = 'corporate_am') ORDER BY n.id LIMIT 1`,
  );
  const [outlet] = await q<{ id: number }>(sql`SELECT id FROM org_nodes WHERE parent_id = ${sub.id} AND level = 'outlet' ORDER BY id LIMIT 1`);
  subLeader = await firstStaff(sql`sr.role_code = 'outlet_manager' AND n.id = ${sub.id}`);
  am1 = await firstStaff(sql`sr.role_code = 'corporate_am' AND n.path LIKE ${`${sub.path}%`}`);
  am2 = await firstStaff(sql`sr.role_code = 'corporate_am' AND n.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.heyuan}) || '%'`);
  pam = await firstStaff(sql`sr.role_code = 'personal_am' AND n.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) || '%'`);
  gam = await firstStaff(sql`sr.role_code = 'corporate_am' AND s.id NOT IN (${am1.id}, ${am2.id}) AND n.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) || '%'`);
  // Five companies: A the borrower (AM1, at the outlet), B its group parent (AM2, Heyuan), G a guarantor company (GAM), C and D other borrowers.
  const cos = await q<{ id: number; uscc: string }>(sql`SELECT id, uscc FROM corporate_clients ORDER BY id LIMIT 5`);
  ['A', 'B', 'G', 'C', 'D'].forEach((k, i) => {
    ids[k] = cos[i].id;
    usccOf[k] = cos[i].uscc;
  });
  await q(sql`UPDATE corporate_clients SET node_id = ${outlet.id}, account_manager_id = ${am1.id} WHERE id IN (${ids.A}, ${ids.C}, ${ids.D})`);
  await q(sql`UPDATE corporate_clients SET node_id = ${DEMO_NODES.heyuan}, account_manager_id = ${am2.id} WHERE id = ${ids.B}`);
  await q(sql`UPDATE corporate_clients SET account_manager_id = ${gam.id} WHERE id = ${ids.G}`);
  await q(sql`DELETE FROM company_links WHERE ${ids.A} IN (parent_id, child_id)`);
  await q(sql`INSERT INTO company_links (parent_id, child_id) VALUES (${ids.B}, ${ids.A})`);
  // P owns A (dedicated AM: PAM); Q guarantees A's loan personally (dedicated AM: GAM).
  const people = await q<{ id: number }>(sql`SELECT id FROM individuals ORDER BY id LIMIT 2`);
  ids.P = people[0].id;
  ids.Q = people[1].id;
  await q(sql`DELETE FROM company_people WHERE company_id = ${ids.A}`);
  await q(sql`UPDATE individuals SET dedicated_am_id = ${pam.id} WHERE id = ${ids.P}`);
  await q(sql`UPDATE individuals SET dedicated_am_id = ${gam.id} WHERE id = ${ids.Q}`);
  await q(sql`INSERT INTO company_people (company_id, person_id, role) VALUES (${ids.A}, ${ids.P}, 'shareholder')`);
  await q(sql`INSERT INTO ew_guarantees (client_id, guarantor_person_id, recorded_at) VALUES (${ids.A}, ${ids.Q}, now())`);
  await q(sql`INSERT INTO ew_guarantees (client_id, guarantor_company_id, recorded_at) VALUES (${ids.A}, ${ids.G}, now())`);
  restore = useTestClock('2026-12-02T01:00:00Z').restore;
});
afterAll(async () => {
  restore();
  await t?.close();
});

const feed = (day: string, items: [string, string, number][]) => admin.post('/api/warnings/feed', { day, items: items.map(([k, source, value]) => ({ uscc: usccOf[k], source, value })) });
const warningsOf = (k: string) =>
  q<{ id: number; indicatorCode: string; occurrences: number; lastDay: string; status: string; escalationLevel: number }>(
    sql`SELECT id, indicator_code AS "indicatorCode", occurrences, last_day::text AS "lastDay", status, escalation_level AS "escalationLevel" FROM ew_warnings WHERE client_id = ${ids[k]} ORDER BY indicator_code`,
  );

describe('early warning, worked example', () => {
  it('refuses a feed naming an unknown client or data item, writing nothing', async () => {
    const res = await admin.post('/api/warnings/feed', { day: '2026-12-01', items: [{ uscc: '91440000000000000X', source: 'overdue_days', value: 3 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('WARNING.UNKNOWN_CLIENT');
    expect((await feed('2026-12-01', [['A', 'no_such_item', 1]])).json().error.code).toBe('WARNING.UNKNOWN_SOURCE');
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ew_feed`))[0].n).toBe(0);
    const am = await t.login(am1.staffNo);
    expect((await am.post('/api/warnings/feed', { day: '2026-12-01', items: [{ uscc: usccOf.A, source: 'overdue_days', value: 3 }] })).statusCode).toBe(403);
  });

  it('day 1: the feed gives exactly the warnings the rules say, with their inputs', async () => {
    expect((await feed('2026-11-01', [['D', 'inflow_fen', 100_000_00]])).json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const day1: [string, string, number][] = [
      ['A', 'overdue_days', 5],
      ['A', 'litigation_new', 1],
      ['C', 'overdue_days', 0],
      ['C', 'litigation_new', 0],
      ['D', 'inflow_fen', 40_000_00],
    ];
    expect((await feed('2026-12-01', day1)).json()).toEqual({ inserted: 5, updated: 0, unchanged: 0 });
    expect((await feed('2026-12-01', day1)).json()).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    const run = await admin.post('/api/warnings/runs', { day: '2026-12-01' });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json()).toMatchObject({ hits: 3, newWarnings: 3, merged: 0 });
    expect((await admin.post('/api/warnings/runs', { day: '2026-12-01' })).json().error.code).toBe('WARNING.ALREADY_RUN');
    expect((await warningsOf('A')).map((w) => w.indicatorCode)).toEqual(['EW01', 'EW10']); // 5 days: EW01 (≥ 1), not EW02 (> 30)
    expect(await warningsOf('C')).toEqual([]);
    expect((await warningsOf('D')).map((w) => w.indicatorCode)).toEqual(['EW04']); // inflow −60 % over 30 days
    const [w] = (await warningsOf('D')).filter((x) => x.indicatorCode === 'EW04');
    const detail = (await admin.get(`/api/warnings/${w.id}`)).json();
    expect(detail.hits[0]).toMatchObject({ day: '2026-12-01', value: 40_000_00, baseValue: 100_000_00, baseDay: '2026-11-01' });
    expect(detail.hits[0].explanation.zh).toContain('变动-60%');
  });

  it('a warning reaches the managing AM and the AMs along the graph; each gets one digest', async () => {
    const [ew01] = (await warningsOf('A')).filter((w) => w.indicatorCode === 'EW01');
    const rec = await q<{ staffId: number; reason: string }>(sql`SELECT staff_id AS "staffId", reason FROM ew_recipients WHERE warning_id = ${ew01.id} ORDER BY reason, staff_id`);
    expect(rec).toEqual(
      [
        { staffId: gam.id, reason: 'guarantor' }, // G's AM and Q's dedicated AM are the same person: one row per reason
        { staffId: am1.id, reason: 'manager' },
        { staffId: pam.id, reason: 'owner' },
        { staffId: am2.id, reason: 'related_company' },
      ].sort((a, b) => a.reason.localeCompare(b.reason) || a.staffId - b.staffId),
    );
    const digest = await q<{ title: string }>(sql`SELECT title_zh AS title FROM notifications WHERE staff_id = ${am1.id} AND kind = 'warning.digest'`);
    expect(digest.map((d) => d.title)).toEqual(['贷后预警日报：新增3条，重复触发0条，待处理共3条']);
    // AM2 sits in Heyuan: sees A's warning (a recipient) but nothing else of Foshan.
    const am2c = await t.login(am2.staffNo);
    expect((await am2c.get(`/api/warnings/${ew01.id}`)).statusCode).toBe(200);
    const [d] = await warningsOf('D');
    expect((await am2c.get(`/api/warnings/${d.id}`)).statusCode).toBe(404);
    expect((await (await t.login('hy_admin')).get(`/api/warnings/${ew01.id}`)).statusCode).toBe(404);
    const mine = (await (await t.login(am1.staffNo)).get('/api/warnings?mine=true')).json();
    expect(mine.total).toBe(3);
  });

  it('day 2: the same hit merges into the open warning (occurrences, last seen), not a new one', async () => {
    await feed('2026-12-02', [
      ['A', 'overdue_days', 6],
      ['A', 'litigation_new', 0],
    ]);
    const out = await runWarningsJob(t.database.db, new Date('2026-12-03T01:00:00Z'));
    expect(out.failed).toEqual([]);
    expect(out.done.map((d) => d.period)).toContain('2026-12-02');
    expect((await runWarningsJob(t.database.db, new Date('2026-12-03T02:00:00Z'))).done).toEqual([]); // claimed once
    const a = await warningsOf('A');
    expect(a.find((w) => w.indicatorCode === 'EW01')).toMatchObject({ occurrences: 2, lastDay: '2026-12-02', status: 'open' });
    expect(a.find((w) => w.indicatorCode === 'EW10')).toMatchObject({ occurrences: 1, lastDay: '2026-12-01' });
    expect(a).toHaveLength(2);
    const digest = await q<{ title: string }>(sql`SELECT title_zh AS title FROM notifications WHERE staff_id = ${am1.id} AND kind = 'warning.digest' ORDER BY id`);
    expect(digest.at(-1)!.title).toBe('贷后预警日报：新增0条，重复触发1条，待处理共3条');
  });

  it('the AM acknowledges and closes one after a visit; the others escalate after 3 and 7 days', async () => {
    const am = await t.login(am1.staffNo);
    const [, ew10] = await warningsOf('A');
    expect((await am.post(`/api/warnings/${ew10.id}/acknowledge`, { note: null })).json().status).toBe('acknowledged');
    expect((await am.post(`/api/warnings/${ew10.id}/close`, { note: '已核实' })).json().error.code).toBe('WARNING.NEEDS_VISIT');
    expect((await am.post(`/api/warnings/${ew10.id}/visits`, { visitedOn: '2026-12-02', note: '诉讼为合同纠纷，金额小，不影响还款' })).json().status).toBe('visited');
    const closed = (await am.post(`/api/warnings/${ew10.id}/close`, { note: '风险可控，办结' })).json();
    expect(closed.status).toBe('closed');
    expect(closed.actions.map((a: { kind: string }) => a.kind)).toEqual(['acknowledge', 'visit', 'close']);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'ew_warning' AND entity_id = ${String(ew10.id)}`);
    expect(n).toBe(3);

    await runWarningsJob(t.database.db, new Date('2026-12-04T01:00:00Z')); // 3 days after 12-01
    const [ew01] = await warningsOf('A');
    expect(ew01.escalationLevel).toBe(1);
    expect((await warningsOf('A'))[1].escalationLevel).toBe(0); // closed: not escalated
    const lv1 = await q<{ staffId: number }>(sql`SELECT staff_id AS "staffId" FROM ew_recipients WHERE warning_id = ${ew01.id} AND reason = 'escalation'`);
    expect(lv1.map((r) => r.staffId)).toContain(subLeader.id);
    await runWarningsJob(t.database.db, new Date('2026-12-08T01:00:00Z'));
    expect((await warningsOf('A'))[0].escalationLevel).toBe(2);
    const lv2 = await q<{ staffNo: string }>(sql`SELECT s.staff_no AS "staffNo" FROM ew_recipients r JOIN staff s ON s.id = r.staff_id WHERE r.warning_id = ${ew01.id} AND r.reason = 'escalation'`);
    expect(lv2.map((r) => r.staffNo)).toContain('fs_president');
    const leader = await t.login('fs_president');
    const statusRow = async () => (await leader.get('/api/warnings/status?by=am')).json().items.find((i: { groupId: number }) => i.groupId === am1.id);
    expect(await statusRow()).toMatchObject({ total: 3, closed: 1, escalated: 2, overdue: 0 }); // the clock still says 12-02
    const { restore: back } = useTestClock('2026-12-08T02:00:00Z');
    try {
      expect(await statusRow()).toMatchObject({ total: 3, closed: 1, escalated: 2, overdue: 2 });
      const outlets = (await leader.get('/api/warnings/status?by=outlet')).json().items;
      expect(outlets.reduce((n: number, i: { total: number }) => n + i.total, 0)).toBe(3);
      expect((await leader.get('/api/warnings?overdue=true')).json().total).toBe(2);
    } finally {
      back();
    }
    // Heyuan's leaders see nothing of Foshan's warnings in their status.
    expect((await (await t.login('hy_admin')).get('/api/warnings/status?by=branch')).json().items).toEqual([]);
  });

  it('indicators are versions: a new threshold from a date, last month counted per indicator', async () => {
    const res = await admin.post('/api/warnings/indicators/EW01/versions', {
      nameZh: '贷款逾期3天以上',
      nameEn: 'Loan overdue 3+ days',
      source: 'overdue_days',
      kind: 'threshold',
      op: 'gte',
      threshold: 3,
      severity: 'medium',
      validFrom: '2026-12-10',
      reason: '减少短期逾期误报',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: 2, threshold: 3 });
    const hist = (await admin.get('/api/warnings/indicators?history=true')).json().items.filter((i: { code: string }) => i.code === 'EW01');
    expect(hist.map((i: { version: number; validTo: string | null }) => [i.version, i.validTo])).toEqual([
      [2, null],
      [1, '2026-12-09'],
    ]);
    const bad = await admin.post('/api/warnings/indicators/EW01/versions', {
      nameZh: 'x',
      nameEn: 'x',
      source: 'overdue_days',
      kind: 'change',
      op: 'gte',
      threshold: 3,
      severity: 'low',
      validFrom: '2026-12-20',
      reason: 'x',
    });
    expect(bad.json().error.code).toBe('WARNING.BAD_RULE');
    expect((await (await t.login('fs_president')).post('/api/warnings/indicators/EW01/versions', { ...(res.json() as object), validFrom: '2027-01-01' })).statusCode).toBe(403);
    const { restore: back } = useTestClock('2027-01-05T01:00:00Z');
    try {
      const list = (await admin.get('/api/warnings/indicators')).json().items as { code: string; lastMonth: number; version: number }[];
      expect(list).toHaveLength(20);
      expect(list.find((i) => i.code === 'EW01')).toMatchObject({ version: 2, lastMonth: 1 });
      expect(list.find((i) => i.code === 'EW04')).toMatchObject({ lastMonth: 1 });
      expect(list.find((i) => i.code === 'EW02')).toMatchObject({ lastMonth: 0 });
    } finally {
      back();
    }
  });
});
