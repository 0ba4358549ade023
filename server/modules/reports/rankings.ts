import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt } from '../access/context.js';
import { currentDefinition } from './definitions.service.js';
import { rankTrend } from './rankings.rules.js';
import type { RankingOut } from './subscriptions.schemas.js';
import { measuresForDefinition } from './subscriptions.service.js';
import { type AnyData, isData } from './subscriptions.rules.js';

/**
 * Rankings and PK (销售PK, issue 16): a report's last N produced periods (each period's newest
 * version), the org nodes its lines name ranked on a measure in each, with the trend. The ranks
 * are over every node of the issue — a place in the whole bank — but a reader receives only the
 * rows of the nodes inside their report.read subtrees: a branch sees its own place and figure
 * ("第 3 名 / 共 12"), never another branch's figures; the province sees the whole table.
 */
export async function rankings(db: DbOrTx, auth: AuthContext, code: string, q: { measure?: string; n: number }): Promise<z.infer<typeof RankingOut>> {
  const d = await currentDefinition(db, code);
  if (!d) throw new AppError('REPORT.NOT_FOUND');
  const measures = measuresForDefinition(d);
  const measure = q.measure ?? measures[0]?.key ?? null;
  if (measure !== null && !measures.some((m) => m.key === measure)) throw new AppError('REPORT.BAD_MEASURE');
  if (measure === null) return { code, measure, measures, periods: [], rows: [] };
  const issues = (
    await rows<{ id: number; period_key: string; period_label: string; version: number; data: unknown }>(
      db,
      sql`SELECT * FROM (
            SELECT DISTINCT ON (period_key) id, period_key, period_label, period_from, version, data FROM report_issues
             WHERE definition_code = ${code} AND status = 'produced' ORDER BY period_key, version DESC) x
          ORDER BY period_from DESC LIMIT ${q.n}`,
    )
  )
    .filter((i) => isData(i.data))
    .reverse();
  const trend = rankTrend(
    issues.map((i) => i.data as AnyData),
    measure,
  );
  return {
    code,
    measure,
    measures,
    periods: issues.map((i, k) => ({ issueId: Number(i.id), periodKey: i.period_key, periodLabel: i.period_label, version: Number(i.version), of: trend.of[k] })),
    rows: trend.rows.filter((r) => canAt(auth, 'report.read', r.path)).map((r) => ({ nodeId: r.nodeId, nodeName: r.nodeName, points: r.points, change: r.change })),
  };
}
