import { type AnyData, type AnyLine, measureValue } from './subscriptions.rules.js';

/**
 * Rankings and PK (销售PK, issue 16): an issue's lines grouped by the org node they name, a measure
 * per node, ranked highest first (ties share a rank: 1, 2, 2, 4); over several issues, each node's
 * rank per period is its trend. Pure.
 */

export interface NodeFigure {
  nodeId: number;
  nodeName: string;
  path: string;
  value: number;
  rank: number;
}

/** One issue's nodes ranked on a measure (nodes where the measure has no value — no quota — are left out). */
export function rankIssue(data: AnyData, measure: string): NodeFigure[] {
  const groups = new Map<number, AnyLine[]>();
  for (const l of data.lines) {
    if (!groups.has(l.nodeId)) groups.set(l.nodeId, []);
    groups.get(l.nodeId)!.push(l);
  }
  const figures: Omit<NodeFigure, 'rank'>[] = [];
  for (const [nodeId, lines] of groups) {
    const value = measureValue(data.view, lines, measure, data.measures);
    if (value !== null) figures.push({ nodeId, nodeName: lines[0].nodeName, path: lines[0].path, value });
  }
  figures.sort((a, b) => b.value - a.value || a.path.localeCompare(b.path));
  const out: NodeFigure[] = [];
  figures.forEach((f, i) => out.push({ ...f, rank: i > 0 && f.value === figures[i - 1].value ? out[i - 1].rank : i + 1 }));
  return out;
}

export interface TrendRow {
  nodeId: number;
  nodeName: string;
  path: string;
  /** Per period (oldest first): the value and rank, or null where the node had no line. */
  points: ({ value: number; rank: number } | null)[];
  /** The latest period's rank minus the one before (negative: climbed), null without both. */
  change: number | null;
}

/** Nodes ranked over several issues (oldest first), ordered by the latest period's rank. */
export function rankTrend(issues: readonly AnyData[], measure: string): { rows: TrendRow[]; of: number[] } {
  const ranked = issues.map((d) => rankIssue(d, measure));
  const nodes = new Map<number, { nodeName: string; path: string }>();
  for (const r of ranked) for (const f of r) nodes.set(f.nodeId, { nodeName: f.nodeName, path: f.path });
  const rows: TrendRow[] = [...nodes].map(([nodeId, n]) => {
    const points = ranked.map((r) => {
      const f = r.find((x) => x.nodeId === nodeId);
      return f ? { value: f.value, rank: f.rank } : null;
    });
    const last = points.at(-1);
    const before = points.at(-2);
    return { nodeId, ...n, points, change: last && before ? last.rank - before.rank : null };
  });
  const key = (r: TrendRow) => r.points.at(-1)?.rank ?? Number.MAX_SAFE_INTEGER;
  rows.sort((a, b) => key(a) - key(b) || a.path.localeCompare(b.path));
  return { rows, of: ranked.map((r) => r.length) };
}
