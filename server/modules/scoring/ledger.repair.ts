import { inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orgNodes } from '../../db/schema/index.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { LEDGER_LOCK, scoreSales } from './ledger.service.js';
import { diffLedger, type LedgerReport, type LedgerScope, type TotalsDiff, totalsDiffs } from './ledger.verify.js';

export interface RepairResult {
  /** What the verifier found first. */
  before: LedgerReport;
  /** The same check after the repair, in the same transaction (clean unless a month is locked). */
  after: LedgerReport;
  /** Ledger rows appended (reversals of the wrong nets, the lines as they should be). */
  entries: number;
  /** statement_totals rows set to what the ledger sums to. */
  totals: number;
  /** Totals of locked months that differ: a locked month is never rewritten (SPEC §9.5). */
  lockedTotals: TotalsDiff[];
}

// The audit entry lists differences up to this many; the counts are always whole.
const LISTED = 200;

/**
 * Repairs what verifyLedger reports, in ONE transaction under the ledger lock, audited: the sales
 * with a wrong line are re-scored the normal way (a reversal of the ledger's net plus the lines as
 * they should be — never an UPDATE; a locked month's correction lands in the open month as an
 * adjustment), then every statement total of an open month is set to what the ledger sums to.
 * One `ledger.repair` entry per branch concerned, on its node.
 */
export async function repairLedger(db: DbOrTx, actor: Actor, scope: LedgerScope & { label: string; today?: string }): Promise<RepairResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
    const before = await diffLedger(tx, scope);
    if (before.ok) return { before, after: before, entries: 0, totals: 0, lockedTotals: [] };

    const scored = await scoreSales(
      tx,
      before.lines.map((l) => l.saleId),
      { today: scope.today },
    );
    // Re-scoring moved the kept totals by the lines it wrote; whatever they lacked before (a line
    // raised behind the triggers never reached them) is now the difference to the ledger.
    const wrong = await totalsDiffs(tx, scope);
    const open = wrong.filter((d) => !d.locked);
    for (let i = 0; i < open.length; i += 500) {
      const slice = open.slice(i, i + 500).map((d) => sql`(${d.nodeId}, ${d.period}::date, ${d.grain}, ${d.k1}, ${d.k2}, ${d.role}, ${d.ledger.points}, ${d.ledger.voided}, ${d.ledger.sales})`);
      await tx.execute(sql`
        INSERT INTO statement_totals AS t (node_id, period, grain, k1, k2, role, points_hundredths, voided_hundredths, sales)
        VALUES ${sql.join(slice, sql`, `)}
        ON CONFLICT (node_id, period, grain, k1, k2, role, province_id) DO UPDATE
          SET points_hundredths = excluded.points_hundredths, voided_hundredths = excluded.voided_hundredths, sales = excluded.sales`);
    }
    const after = await diffLedger(tx, scope);
    const lockedTotals = after.totals.filter((d) => d.locked);

    // One entry per branch, naming it: what was wrong (listed up to LISTED) and what was written.
    const nodeIds = [...new Set([...before.lines.map((l) => l.nodeId), ...before.totals.map((d) => d.nodeId), ...open.map((d) => d.nodeId)])].sort((a, b) => a - b);
    const codes = new Map((await tx.select({ id: orgNodes.id, code: orgNodes.code }).from(orgNodes).where(inArray(orgNodes.id, nodeIds))).map((n) => [n.id, n.code]));
    await appendAudit(
      tx,
      actor,
      nodeIds.map((nodeId) => {
        const lines = before.lines.filter((l) => l.nodeId === nodeId);
        const totals = before.totals.filter((d) => d.nodeId === nodeId);
        return {
          action: 'ledger.repair',
          entity: 'ledger',
          entityId: scope.nodeId === nodeId ? scope.label : `${codes.get(nodeId) ?? nodeId}`,
          nodeId,
          before: { lines: lines.slice(0, LISTED), totals: totals.slice(0, LISTED), lineCount: lines.length, totalsCount: totals.length },
          after: {
            lines: lines.length,
            sales: new Set(lines.map((l) => l.saleId)).size,
            totals: open.filter((d) => d.nodeId === nodeId).length,
            lockedTotals: lockedTotals.filter((d) => d.nodeId === nodeId).length,
          },
        };
      }),
    );
    return { before, after, entries: scored.entries, totals: open.length, lockedTotals };
  });
}
