import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import { addDays, clock } from '../calendar/index.js';
import type { AuthContext } from '../modules/access/context.js';
import { type Actor, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { writeFeed } from '../modules/warnings/config.service.js';
import { evaluateDay } from '../modules/warnings/warnings.evaluate.js';
import { escalateDue } from '../modules/warnings/warnings.escalate.js';
import { act } from '../modules/warnings/warnings.service.js';
import { DEMO_NODES } from './demo-ids.js';

const FEEDER: Actor = { ...SYSTEM_ACTOR, name: 'demo-feed' };

async function actAs(db: Db, staffId: number): Promise<AuthContext> {
  const [s] = await rows<{ name: string; nodeId: number; staffNo: string }>(db, sql`SELECT name, node_id AS "nodeId", staff_no AS "staffNo" FROM staff WHERE id = ${staffId}`);
  return { staffId, staffNo: s.staffNo, name: s.name, nodeId: s.nodeId, sessionId: 'demo-warnings', csrfToken: 'demo-warnings', mustChangePassword: false, grants: await loadGrants(db, staffId) };
}

/**
 * 贷后监测预警 demo (SPEC §12): a dozen Foshan loan clients with nine days of feed — overdue
 * loans, interest arrears, an inflow drop, litigation, a legal-representative change — evaluated on
 * three days (so some warnings merged), escalated today (the oldest ones overdue), one handled to
 * the end and one acknowledged by the managing AM; a guarantee and a group link so a warning also
 * reaches other AMs. Returns the managing AM's staff number and the warnings made. Idempotent: a
 * database that already has warnings is left alone.
 */
export async function seedDemoWarnings(db: Db, today: string = clock.today()): Promise<{ amStaffNo: string | null; warnings: number }> {
  const [had] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ew_warnings`);
  if (had.n > 0) return { amStaffNo: null, warnings: had.n };
  const clients = await rows<{ id: number; am: number | null }>(
    db,
    sql`SELECT c.id, c.account_manager_id AS am FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id
         WHERE n.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) || '%'
         ORDER BY (c.account_manager_id IS NULL), c.id LIMIT 12`,
  );
  if (clients.length < 6) return { amStaffNo: null, warnings: 0 };
  let am = clients.find((c) => c.am !== null)?.am ?? null;
  if (am === null) {
    const [s] = await rows<{ id: number }>(
      db,
      sql`SELECT sr.staff_id AS id FROM staff_roles sr JOIN org_nodes n ON n.id = sr.scope_node_id JOIN staff s ON s.id = sr.staff_id
           WHERE sr.role_code = 'corporate_am' AND s.active AND n.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) || '%' ORDER BY s.id LIMIT 1`,
    );
    if (!s) return { amStaffNo: null, warnings: 0 };
    am = s.id;
  }
  // The first six share the managing AM (her book); the others keep theirs.
  await db.execute(
    sql`UPDATE corporate_clients SET account_manager_id = ${am} WHERE id IN (${sql.join(
      clients.slice(0, 6).map((c) => sql`${c.id}`),
      sql`, `,
    )})`,
  );
  const [a, b, c, d, e, f] = clients.map((x) => x.id);
  // A guarantees B's loan; E is F's group parent: warnings travel to those AMs too.
  await db.execute(sql`INSERT INTO ew_guarantees (client_id, guarantor_company_id, contract_no, since, recorded_at)
    VALUES (${b}, ${a}, 'DB-FS-2026-001', ${addDays(today, -200)}::date, ${clock.now().toISOString()}::timestamptz) ON CONFLICT DO NOTHING`);
  await db.execute(sql`INSERT INTO company_links (parent_id, child_id) VALUES (${e}, ${f}) ON CONFLICT DO NOTHING`);

  const d0 = addDays(today, -9);
  const days = [d0, addDays(today, -8), addDays(today, -1)];
  const feeds: Record<string, { clientId: number; source: string; value: number }[]> = {
    [addDays(d0, -30)]: [
      { clientId: c, source: 'inflow_fen', value: 860_000_00 },
      { clientId: f, source: 'avg_balance_fen', value: 120_000_00 },
    ],
    [days[0]]: [
      { clientId: a, source: 'overdue_days', value: 12 },
      { clientId: a, source: 'interest_arrears_fen', value: 18_650_00 },
      { clientId: b, source: 'litigation_new', value: 1 },
      { clientId: c, source: 'inflow_fen', value: 310_000_00 },
      { clientId: d, source: 'overdue_days', value: 0 },
    ],
    [days[1]]: [
      { clientId: a, source: 'overdue_days', value: 13 },
      { clientId: a, source: 'interest_arrears_fen', value: 18_650_00 },
      { clientId: d, source: 'legal_rep_change', value: 1 },
    ],
    [days[2]]: [
      { clientId: a, source: 'overdue_days', value: 20 },
      { clientId: e, source: 'tax_arrears_fen', value: 45_300_00 },
      { clientId: f, source: 'avg_balance_fen', value: 70_000_00 },
      { clientId: clients[6]?.id ?? f, source: 'enforcement', value: 1 },
      { clientId: clients[7]?.id ?? e, source: 'wage_arrears_fen', value: 126_000_00 },
      { clientId: b, source: 'guarantee_trouble', value: 1 },
    ],
  };
  // avg balance of F 30 days before the last day, for its change rule
  feeds[addDays(days[2], -30)] = [...(feeds[addDays(days[2], -30)] ?? []), { clientId: f, source: 'avg_balance_fen', value: 120_000_00 }];
  for (const [day, items] of Object.entries(feeds)) await db.transaction((tx) => writeFeed(tx, FEEDER, day, items));
  for (const day of days) await db.transaction((tx) => evaluateDay(tx, day, SYSTEM_ACTOR, 'demo'));
  await db.transaction((tx) => escalateDue(tx, today, SYSTEM_ACTOR));

  // The AM handles two: B's litigation closed after a visit; D's legal-representative change acknowledged.
  const auth = await actAs(db, am);
  const [lit] = await rows<{ id: number }>(db, sql`SELECT id FROM ew_warnings WHERE client_id = ${b} AND indicator_code = 'EW10'`);
  if (lit) {
    await act(db, auth, lit.id, 'acknowledge', { note: null });
    await act(db, auth, lit.id, 'visit', { visitedOn: addDays(today, -7), note: '走访企业，诉讼系与供应商的货款纠纷，金额12万元，企业经营正常，不影响我行贷款偿还' });
    await act(db, auth, lit.id, 'close', { note: '风险可控，办结' });
  }
  const [rep] = await rows<{ id: number }>(db, sql`SELECT id FROM ew_warnings WHERE client_id = ${d} AND indicator_code = 'EW14'`);
  if (rep) await act(db, auth, rep.id, 'acknowledge', { note: '已联系企业财务，约定下周走访' });
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ew_warnings`);
  const [s] = await rows<{ staffNo: string }>(db, sql`SELECT staff_no AS "staffNo" FROM staff WHERE id = ${am}`);
  return { amStaffNo: s.staffNo, warnings: n };
}
