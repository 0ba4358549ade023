import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { type AuthContext, isBankWide } from '../access/context.js';
import { lineFilter } from './coverage.service.js';

interface LineRow {
  weekEnd: string;
  nodeId: number;
  nodeName: string;
  institutions: number;
  signed: number;
  coverageBp: number;
  scoreBp: number | null;
  flagged: boolean;
}

/** Competition ranks (1, 1, 3) by a value, highest first; nulls last and unranked. */
export function rankBy<T>(list: readonly T[], value: (t: T) => number | null): (T & { rank: number | null })[] {
  const sorted = [...list].sort((a, b) => (value(b) ?? -Infinity) - (value(a) ?? -Infinity));
  let lastValue: number | null = null;
  let lastRank = 0;
  return sorted.map((t, i) => {
    const v = value(t);
    if (v === null) return { ...t, rank: null };
    if (v !== lastValue) {
      lastRank = i + 1;
      lastValue = v;
    }
    return { ...t, rank: lastRank };
  });
}

/**
 * 排名 (SPEC §11): tier-2 branches of a stored week by coverage and by weighted score, and each
 * branch's trend over the last `weeks` snapshots — all read from fi_snapshot_lines, so a ranking
 * never moves after its week. A branch with no institution and no signing that week is not ranked. A
 * tier-2 branch reads its own lines with their rank among all.
 */
export async function rankings(db: DbOrTx, auth: AuthContext, q: { weekEnd?: string; weeks: number }) {
  const weeks = (
    await rows<{ weekEnd: string }>(
      db,
      sql`SELECT week_end::text AS "weekEnd" FROM fi_weekly_snapshots ${q.weekEnd ? sql`WHERE week_end <= ${q.weekEnd}::date` : sql``} ORDER BY week_end DESC LIMIT ${q.weeks}`,
    )
  )
    .map((w) => w.weekEnd)
    .reverse();
  const sees = await lineFilter(db, auth);
  const provinceLevel = isBankWide(auth, 'interbank.read');
  if (weeks.length === 0) return { weekEnd: null, weeks, total: 0, provinceLevel, byCoverage: [], byScore: [], series: [] };
  const lines = await rows<LineRow>(
    db,
    sql`SELECT l.week_end::text AS "weekEnd", l.node_id AS "nodeId", n.name AS "nodeName", l.institutions, l.signed, l.coverage_bp AS "coverageBp", l.score_bp AS "scoreBp", l.flagged
          FROM fi_snapshot_lines l JOIN org_nodes n ON n.id = l.node_id
         WHERE l.week_end >= ${weeks[0]}::date AND l.week_end <= ${weeks.at(-1)!}::date AND (l.institutions > 0 OR l.signed > 0) ORDER BY n.path`,
  );
  const weekEnd = weeks.at(-1)!;
  const last = lines.filter((l) => l.weekEnd === weekEnd);
  const byCoverage = rankBy(last, (l) => (l.institutions > 0 ? l.coverageBp : null)).filter((l) => sees(l.nodeId));
  const byScore = rankBy(last, (l) => l.scoreBp).filter((l) => sees(l.nodeId));
  const nodes = new Map<number, string>();
  for (const l of lines) if (sees(l.nodeId)) nodes.set(l.nodeId, l.nodeName);
  const at = new Map(lines.map((l) => [`${l.nodeId}@${l.weekEnd}`, l]));
  const series = [...nodes].map(([nodeId, nodeName]) => ({
    nodeId,
    nodeName,
    coverageBp: weeks.map((w) => at.get(`${nodeId}@${w}`)?.coverageBp ?? null),
    scoreBp: weeks.map((w) => at.get(`${nodeId}@${w}`)?.scoreBp ?? null),
  }));
  return { weekEnd, weeks, total: last.length, provinceLevel, byCoverage, byScore, series };
}
