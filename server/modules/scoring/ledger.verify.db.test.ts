import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../cli/settle.command.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { totalsFromLedgerStatement } from './ledger.sql.js';
import { verifyLedger } from './ledger.verify.js';

const FS = DEMO_NODES.foshan;
const MONTH = '2026-10';
const PERIOD = '2026-10-01';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
const db = () => t.database.db;

/** What an insider with table rights does: the table's triggers off, the statement, back on. */
async function bypassing(table: string, q: ReturnType<typeof sql>) {
  await db().execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`));
  try {
    await db().execute(q);
  } finally {
    await db().execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER USER`));
  }
}

/** Row counts and sums that any write would move. */
async function footprint() {
  const [r] = await rows<Record<string, number>>(
    db(),
    sql`SELECT (SELECT count(*) FROM ledger_entries)::int AS ledger, (SELECT count(*) FROM audit_log)::int AS audit,
               (SELECT count(*) FROM statement_totals)::int AS totals, (SELECT coalesce(sum(points_hundredths), 0) FROM statement_totals)::bigint AS total_points,
               (SELECT count(*) FROM sale_scoring)::int AS keys`,
  );
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
}

type Total = { node_id: number; period: string; grain: string; k1: number; k2: number; role: string; points: number; voided: number; sales: number };
const norm = (l: Total[]) => l.map((r) => `${r.node_id}|${r.period}|${r.grain}|${r.k1}|${r.k2}|${r.role}|${Number(r.points)}|${Number(r.voided)}|${Number(r.sales)}`).sort();
const kept = async () =>
  norm(
    await rows<Total>(
      db(),
      sql`SELECT node_id, period::text AS period, grain, k1, k2, role, points_hundredths AS points, voided_hundredths AS voided, sales FROM statement_totals
          WHERE points_hundredths <> 0 OR voided_hundredths <> 0 OR sales <> 0`,
    ),
  );
const fromLedger = async () => norm(await rows<Total>(db(), totalsFromLedgerStatement()));

describe('ledger verification (finding 10)', () => {
  let line: { id: number; sale_id: number; department_id: number; staff_id: number; points_hundredths: number };

  it('an untouched ledger verifies clean', async () => {
    const report = await verifyLedger(db(), { nodeId: FS, period: PERIOD });
    expect(report.sales).toBeGreaterThan(0);
    expect(report.lines).toEqual([]);
    expect(report.totals).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('1,000 points added to a ledger line behind the triggers: settle --verify reports it by sale and level, and writes nothing', async () => {
    [line] = await rows<typeof line>(
      db(),
      sql`SELECT id, sale_id, department_id, staff_id, points_hundredths FROM ledger_entries
          WHERE node_id = ${FS} AND period = ${PERIOD}::date AND kind = 'allocation' AND staff_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await bypassing('ledger_entries', sql`UPDATE ledger_entries SET points_hundredths = points_hundredths + 100000 WHERE id = ${line.id}`);
    const before = await footprint();

    const out: string[] = [];
    await expect(settle(db(), { branch: '44100', month: MONTH, verify: true }, (l) => out.push(l))).rejects.toMatchObject({ code: 'LEDGER.MISMATCH' });
    expect(await footprint()).toEqual(before);
    const [sale] = await rows<{ source_id: string }>(db(), sql`SELECT source_id FROM sales WHERE id = ${line.sale_id}`);
    expect(out.join('\n')).toContain(sale.source_id);

    const report = await verifyLedger(db(), { nodeId: FS, period: PERIOD });
    expect(report.ok).toBe(false);
    const net = Number(line.points_hundredths);
    expect(report.lines).toEqual([
      expect.objectContaining({
        saleId: line.sale_id,
        sourceId: sale.source_id,
        level: 'person',
        departmentId: line.department_id,
        staffId: line.staff_id,
        kind: 'points',
        ledger: net + 100000,
        expected: net,
        stale: false,
      }),
    ]);
    // The kept totals were never told: branch, department and person each lag the ledger by 1,000.00.
    const lag = (grain: string) => report.totals.filter((d) => d.grain === grain).map((d) => d.ledger.points - d.kept.points);
    expect(lag('B')).toEqual([100000]);
    expect(lag('D')).toEqual([100000]);
    expect(lag('P')).toEqual([100000]);
    expect(report.totals.every((d) => d.nodeId === FS && d.period === PERIOD)).toBe(true);

    // The audit console asks the same through the API, within its audit.read scope.
    const api = await (await t.login('fs_compliance')).get(`/api/audit/ledger?nodeId=${FS}&month=${MONTH}`);
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json()).toEqual(report);
    const other = await (await t.login('hy_admin')).get(`/api/audit/ledger?nodeId=${FS}&month=${MONTH}`);
    expect(other.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect(await footprint()).toEqual(before);
  });

  it('--repair writes correcting entries and totals in one audited transaction; then it verifies clean', async () => {
    const before = await footprint();
    // As the normal recompute does: every live line of the sale reversed, its lines written anew.
    const [{ n: live }] = await rows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ledger_entries WHERE sale_id = ${line.sale_id}
          GROUP BY department_id, staff_id, role, kind = 'void' HAVING sum(points_hundredths) <> 0) x`,
    );
    const out: string[] = [];
    await settle(db(), { branch: '44100', month: MONTH, verify: true, repair: true }, (l) => out.push(l));
    const after = await footprint();
    expect(after.ledger).toBe(before.ledger + 2 * Number(live));
    expect(after.audit).toBe(before.audit + 1);
    const [entry] = await rows<{ node_id: number; entity_id: string; after: { lines: number; totals: number } }>(
      db(),
      sql`SELECT node_id, entity_id, after FROM audit_log WHERE action = 'ledger.repair' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({ node_id: FS, entity_id: `44100/${MONTH}`, after: { lines: 1 } });
    expect(entry.after.totals).toBeGreaterThanOrEqual(3);

    const report = await verifyLedger(db(), { nodeId: FS, period: PERIOD });
    expect(report).toMatchObject({ ok: true, lines: [], totals: [] });
    expect(await kept()).toEqual(await fromLedger());
    const [net] = await rows<{ net: number }>(
      db(),
      sql`SELECT sum(points_hundredths)::bigint AS net FROM ledger_entries WHERE sale_id = ${line.sale_id} AND department_id = ${line.department_id} AND staff_id = ${line.staff_id} AND kind <> 'void'`,
    );
    expect(Number(net.net)).toBe(Number(line.points_hundredths));
  });

  it('statement totals tampered alone are reported (the ledger lines agree)', async () => {
    await db().execute(sql`UPDATE statement_totals SET points_hundredths = points_hundredths - 777 WHERE node_id = ${FS} AND period = ${PERIOD}::date AND grain = 'B'`);
    const report = await verifyLedger(db(), { nodeId: FS, period: PERIOD });
    expect(report.lines).toEqual([]);
    expect(report.totals).toEqual([expect.objectContaining({ grain: 'B', k1: 0, kept: expect.objectContaining({ points: expect.any(Number) }) })]);
    expect(report.totals[0].ledger.points - report.totals[0].kept.points).toBe(777);
    // The whole ledger (no branch) sees it too.
    expect((await verifyLedger(db(), {})).totals).toHaveLength(1);
  });
});
