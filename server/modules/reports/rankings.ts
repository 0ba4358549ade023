import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt } from '../access/context.js';
import { currentDefinition } from './definitions.service.js';
import { rankTrend } from './rankings.rules.js';
import { isLedgerView, LEDGER_LEVELS, LEDGER_MEASURES, ledgerLinesAt, type RankLevel } from './rankings.levels.js';
import type { RankingOut } from './subscriptions.schemas.js';
import { measuresForDefinition } from './subscriptions.service.js';
import { type AnyData, isData } from './subscriptions.rules.js';

/**
 * Rankings and PK (销售PK, issue 16): a report's last N produced periods (each period's newest
 * version), the org nodes its lines name ranked on a measure in each, with the trend. The ranks
 * are over every node of the issue — a place in the whole bank — but a reader receives only the
 * rows of the nodes inside their report.read subtrees: a branch sees its own place and figure
 * ("第 3 名 / 共 12"), never another branch's figures; the province sees the whole table.
 * Reports made from the ledger (sales, points) also rank sub-branches, outlets and people
 * (rankings.levels.ts): each issue's period recomputed at that level from the ledger.
 */
export async function rankings(db: DbOrTx, auth: AuthContext, code: string, q: { measure?: string; n: number; level?: RankLevel }): Promise<z.infer<typeof RankingOut>> {
  const d = await currentDefinition(db, code);
  if (!d) throw new AppError('REPORT.NOT_FOUND');
  const ledger = d.sourceKind === 'own' && isLedgerView(d.source);
  const level = q.level ?? 'branch';
  const levels = ledger ? [...LEDGER_LEVELS] : ['branch' as const];
  if (!levels.includes(level)) throw new AppError('REPORT.BAD_LEVEL');
  // The points view's snapshot has no branch measure of its own: every level of it is ranked from the ledger.
  const fromLedger = ledger && (level !== 'branch' || d.source === 'points');
  const measures = fromLedger ? LEDGER_MEASURES : measuresForDefinition(d);
  const measure = q.measure ?? measures[0]?.key ?? null;
  if (measure !== null && !measures.some((m) => m.key === measure)) throw new AppError('REPORT.BAD_MEASURE');
  if (measure === null) return { code, level, levels, measure, measures, periods: [], rows: [] };
  const issues = (
    await rows<{ id: number; period_key: string; period_label: string; period_from: string; period_to: string; version: number; data: unknown }>(
      db,
      sql`SELECT * FROM (
            SELECT DISTINCT ON (period_key) id, period_key, period_label, period_from::text, period_to::text, version, data FROM report_issues
             WHERE definition_code = ${code} AND status = 'produced' ORDER BY period_key, version DESC) x
          ORDER BY period_from DESC LIMIT ${q.n}`,
    )
  )
    .filter((i) => isData(i.data))
    .reverse();
  const data: AnyData[] = [];
  for (const i of issues) data.push(fromLedger ? await ledgerLinesAt(db, level, i.period_from, i.period_to) : (i.data as AnyData));
  const trend = rankTrend(data, measure);
  return {
    code,
    level,
    levels,
    measure,
    measures,
    periods: issues.map((i, k) => ({ issueId: Number(i.id), periodKey: i.period_key, periodLabel: i.period_label, version: Number(i.version), of: trend.of[k] })),
    rows: trend.rows.filter((r) => canAt(auth, 'report.read', r.path)).map((r) => ({ nodeId: r.nodeId, nodeName: r.nodeName, points: r.points, change: r.change })),
  };
}
