import { sql } from 'drizzle-orm';
import { rows } from '../server/db/client.js';
import { migrateDatabase } from '../server/db/client.js';
import { SYSTEM_ACTOR } from '../server/modules/audit/audit.service.js';
import { evaluateDay } from '../server/modules/warnings/warnings.evaluate.js';
import { escalateDue } from '../server/modules/warnings/warnings.escalate.js';
import { SOURCES } from '../server/modules/warnings/warnings.rules.js';
import { seedCustomerReference } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { freshPg } from './scoring.js';

/**
 * SPEC §12's goal: the daily early-warning run over 200,000 loan clients × the 20 default
 * indicators ≤ 60 s on PostgreSQL. Every client has a value for every data item on the day (the
 * dense worst case: 19 items × clients rows) and a base 30 days before for the change rules; about 0.2–1 % of clients hit
 * each indicator (several per cent of clients have some warning). Measured: day 1 (all hits are new warnings: recipients along group links and
 * guarantees, digests), day 2 (the same feed again: every hit merges into its open warning), and
 * the escalation a week later (every unhandled warning goes up to the branch).
 */
export async function benchWarnings(opts: { clients: number; pgBase: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_warnings');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedCustomerReference(database.db);
    const db = database.db;
    const n = opts.clients;
    const t0 = performance.now();
    await db.execute(sql`INSERT INTO corporate_clients (uscc, name, type_code, node_id, account_manager_id, loan_balance_fen)
      SELECT 'B' || lpad(i::text, 17, '0'), '基准客户' || i, (SELECT code FROM client_types ORDER BY sort, code LIMIT 1),
             o.ids[1 + (i % array_length(o.ids, 1))], a.ids[1 + (i % array_length(a.ids, 1))], 100000000 + (i % 1000) * 10000
        FROM generate_series(1, ${n}) i,
             (SELECT array_agg(id ORDER BY id) AS ids FROM org_nodes WHERE level = 'outlet') o,
             (SELECT array_agg(DISTINCT sr.staff_id) AS ids FROM staff_roles sr WHERE sr.role_code IN ('corporate_am', 'personal_am')) a`);
    const [{ lo }] = await rows<{ lo: number }>(db, sql`SELECT min(id)::int AS lo FROM corporate_clients WHERE uscc LIKE 'B%'`);
    await db.execute(sql`INSERT INTO company_links (parent_id, child_id) SELECT ${lo} + i, ${lo} + i + 1 FROM generate_series(0, ${n - 2}, 10) i`);
    await db.execute(sql`INSERT INTO ew_guarantees (client_id, guarantor_company_id, recorded_at) SELECT ${lo} + i + 2, ${lo} + i, now() FROM generate_series(0, ${n - 3}, 10) i`);
    const day = '2026-12-01';
    const base = '2026-11-01';
    // Values by item: hits for ~1–5 % of clients, chosen by the client number.
    const valueOf: Record<string, string> = {
      overdue_days: `CASE WHEN i % 100 = 0 THEN i % 90 + 1 ELSE 0 END`,
      interest_arrears_fen: `CASE WHEN i % 150 = 0 THEN 500000 ELSE 0 END`,
      tax_arrears_fen: `CASE WHEN i % 300 = 0 THEN 1200000 ELSE 0 END`,
      utility_arrears_fen: `CASE WHEN i % 300 = 1 THEN 30000 ELSE 0 END`,
      wage_arrears_fen: `CASE WHEN i % 400 = 0 THEN 8000000 ELSE 0 END`,
      credit_enquiries: `CASE WHEN i % 200 = 0 THEN 6 ELSE i % 4 END`,
      inflow_fen: `CASE WHEN i % 150 = 0 THEN 3000000 ELSE 10000000 END`,
      avg_balance_fen: `CASE WHEN i % 200 = 0 THEN 600000 ELSE 1000000 END`,
      loan_balance_fen: `CASE WHEN i % 250 = 0 THEN 160000000 ELSE 100000000 END`,
      other_bank_loans_fen: `CASE WHEN i % 300 = 0 THEN 140000000 ELSE 100000000 END`,
    };
    // The value 30 days before: what a client without a hit also has today (no change).
    const BASES: Record<string, number> = { inflow_fen: 10000000, avg_balance_fen: 1000000, loan_balance_fen: 100000000, other_bank_loans_fen: 100000000 };
    for (const [source, s] of Object.entries(SOURCES)) {
      const v = valueOf[source] ?? (s.unit === 'flag' ? `CASE WHEN i % 500 = ${source.length % 500} THEN 1 ELSE 0 END` : '0');
      await db.execute(sql`INSERT INTO ew_feed (day, source, client_id, value, recorded_at) SELECT ${day}::date, ${source}, ${lo} + i, ${sql.raw(v)}, now() FROM generate_series(0, ${n - 1}) i`);
      if (source in BASES)
        await db.execute(sql`INSERT INTO ew_feed (day, source, client_id, value, recorded_at) SELECT ${base}::date, ${source}, ${lo} + i, ${BASES[source]}, now() FROM generate_series(0, ${n - 1}) i`);
    }
    await db.execute(sql`ANALYZE`);
    const [{ feedRows }] = await rows<{ feedRows: number }>(db, sql`SELECT count(*)::int AS "feedRows" FROM ew_feed`);
    const loadSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    const day1 = await db.transaction((tx) => evaluateDay(tx, day, SYSTEM_ACTOR, 'bench'));
    const day1Seconds = (performance.now() - t1) / 1000;
    await db.execute(sql`INSERT INTO ew_feed (day, source, client_id, value, recorded_at) SELECT day + 1, source, client_id, value, recorded_at FROM ew_feed WHERE day = ${day}::date`);
    await db.execute(sql`INSERT INTO ew_feed (day, source, client_id, value, recorded_at) SELECT day + 1, source, client_id, value, recorded_at FROM ew_feed WHERE day = ${base}::date`);
    await db.execute(sql`ANALYZE ew_feed`);
    const t2 = performance.now();
    const day2 = await db.transaction((tx) => evaluateDay(tx, '2026-12-02', SYSTEM_ACTOR, 'bench'));
    const day2Seconds = (performance.now() - t2) / 1000;
    const t3 = performance.now();
    const esc = await db.transaction((tx) => escalateDue(tx, '2026-12-08', SYSTEM_ACTOR));
    const escalateSeconds = (performance.now() - t3) / 1000;
    const [{ recipients }] = await rows<{ recipients: number }>(db, sql`SELECT count(*)::int AS recipients FROM ew_recipients`);
    return {
      clients: n,
      indicators: 20,
      feedRows,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      day1: { seconds: Math.round(day1Seconds * 100) / 100, evaluated: day1!.evaluated, hits: day1!.hits, newWarnings: day1!.newWarnings, recipients: day1!.recipients, digests: day1!.digests },
      day2: { seconds: Math.round(day2Seconds * 100) / 100, hits: day2!.hits, merged: day2!.merged, newWarnings: day2!.newWarnings },
      escalation: { seconds: Math.round(escalateSeconds * 100) / 100, escalated: esc.escalated.length, leadersAdded: esc.leaders },
      recipientsTotal: recipients,
      goalSeconds: 60,
      met: day1Seconds <= 60 && day2Seconds <= 60,
    };
  } finally {
    await database.close();
  }
}
