import { describe, expect, it } from 'vitest';
import { rankIssue, rankTrend } from './rankings.rules.js';
import { type AnyData, crosses, describeCondition, formatMeasure, linesWithin, measuresOf, measureValue } from './subscriptions.rules.js';

const line = (nodeId: number, path: string, quota1e4: number, done1e4: number) => ({ nodeId, nodeName: `N${nodeId}`, path, quota1e4, done1e4, completionBp: 0 });
const completion = (lines: ReturnType<typeof line>[]): AnyData => ({ view: 'completion', lines });

describe('subscription rules', () => {
  it('keeps only the lines inside the subscriber’s subtrees', () => {
    const lines = [line(11, '/1/11/', 1, 1), line(12, '/1/12/', 1, 1), line(111, '/1/11/111/', 1, 1)];
    expect(linesWithin(lines, ['/1/11/']).map((l) => l.nodeId)).toEqual([11, 111]);
    expect(linesWithin(lines, ['/1/']).length).toBe(3);
    expect(linesWithin(lines, [])).toEqual([]);
  });

  it('recomputes a completion rate from its parts, floored, and sums other measures', () => {
    const ls = [line(11, '/1/11/', 30_000, 10_000), line(11, '/1/11/', 10_000, 19_999)];
    expect(measureValue('completion', ls, 'completionBp')).toBe(7499);
    expect(measureValue('completion', ls, 'done1e4')).toBe(29_999);
    expect(measureValue('completion', [], 'completionBp')).toBeNull();
    expect(measureValue('completion', ls, 'nope')).toBeNull();
    const feed = [{ nodeId: 1, nodeName: 'a', path: '/1/', values: { own: 500, icbc: 7 } }];
    expect(measureValue('feed', feed, 'own', [{ key: 'own', zh: '本行', en: 'own', unit: 'fen' }])).toBe(500);
    expect(measuresOf('sales').map((m) => m.key)).toEqual(['sales', 'quantity1e4', 'pointsHundredths']);
  });

  it('sends a conditional issue only when the figure strictly crosses the threshold', () => {
    const below = { measure: 'completionBp', comparator: 'lt' as const, threshold: 8000 };
    expect(crosses(below, 7999)).toBe(true);
    expect(crosses(below, 8000)).toBe(false);
    expect(crosses(below, null)).toBe(false);
    const above = { ...below, comparator: 'gt' as const };
    expect(crosses(above, 8001)).toBe(true);
    expect(crosses(above, 8000)).toBe(false);
    expect(describeCondition(below, measuresOf('completion')[0])).toBe('完成率 < 80.00%');
    expect(formatMeasure(-5, 'fen')).toBe('-0.05');
    expect(formatMeasure(12_345, 'qty1e4')).toBe('1.2345');
  });
});

describe('ranking rules', () => {
  it('ranks nodes on a measure with shared ranks for ties, and a trend over issues', () => {
    const a = completion([line(11, '/1/11/', 10_000, 5_000), line(12, '/1/12/', 10_000, 9_000), line(13, '/1/13/', 10_000, 5_000), line(14, '/1/14/', 0, 0)]);
    expect(rankIssue(a, 'completionBp').map((f) => [f.nodeId, f.value, f.rank])).toEqual([
      [12, 9000, 1],
      [11, 5000, 2],
      [13, 5000, 2],
    ]);
    const b = completion([line(11, '/1/11/', 10_000, 9_500), line(12, '/1/12/', 10_000, 9_000)]);
    const t = rankTrend([a, b], 'completionBp');
    expect(t.of).toEqual([3, 2]);
    expect(t.rows.map((r) => [r.nodeId, r.points.map((p) => p?.rank ?? null), r.change])).toEqual([
      [11, [2, 1], -1],
      [12, [1, 2], 1],
      [13, [2, null], null],
    ]);
  });
});
