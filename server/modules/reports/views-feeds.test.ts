import { describe, expect, it } from 'vitest';
import { REPORT_CATALOGUE } from './catalogue.js';
import { parseFeedPeriod, parseMeasure, TYPED_FEEDS } from './views-feeds.js';

describe('typed feeds (issue 16 part B)', () => {
  it('cover every feed of the catalogue but the four-bank deposits, with the cadences of the reports that read them', () => {
    const byFeed = new Map<string, Set<string>>();
    for (const d of REPORT_CATALOGUE) if (d.source.kind === 'feed') byFeed.set(d.source.feed, (byFeed.get(d.source.feed) ?? new Set()).add(d.cadence));
    byFeed.delete('four-bank-deposits');
    expect(TYPED_FEEDS.map((f) => f.name).sort()).toEqual([...byFeed.keys()].sort());
    for (const f of TYPED_FEEDS) expect(new Set(f.cadences), f.name).toEqual(byFeed.get(f.name));
    expect(TYPED_FEEDS).toHaveLength(20);
  });

  it('reads a period as the bank writes it or as the system keys it, of the feed’s cadences only', () => {
    const p = (t: string, ...c: Parameters<typeof parseFeedPeriod>[1]) => parseFeedPeriod(t, c)?.key;
    expect(p('2026年11月30日', 'daily')).toBe('2026-11-30');
    expect(p('2026-11-30', 'daily')).toBe('2026-11-30');
    expect(p('2026年2月30日', 'daily')).toBeUndefined();
    expect(p('2026年第48周', 'weekly')).toBe('2026-W48');
    expect(parseFeedPeriod('2026-W48', ['weekly'])).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    // 2026 has 53 ISO weeks; week 1 of 2027 starts on 4 January 2027.
    expect(p('2026年第53周', 'weekly')).toBe('2026-W53');
    expect(p('2027年第1周', 'weekly')).toBe('2027-W01');
    expect(p('2027年第53周', 'weekly')).toBeUndefined();
    expect(p('2026年11月下旬', 'ten_day')).toBe('2026-11-T3');
    expect(p('2026-11-T2', 'ten_day')).toBe('2026-11-T2');
    expect(p('2026年11月', 'monthly')).toBe('2026-11');
    expect(p('2026-13', 'monthly')).toBeUndefined();
    expect(p('2026年3季度', 'quarterly')).toBe('2026-Q3');
    expect(p('2026年第4季度', 'quarterly')).toBe('2026-Q4');
    expect(parseFeedPeriod('2026年3季度下半季', ['twice_quarterly'])).toMatchObject({ key: '2026-Q3-H2', from: '2026-08-16', to: '2026-09-30' });
    expect(parseFeedPeriod('2026-Q3-H1', ['twice_quarterly'])).toMatchObject({ from: '2026-07-01', to: '2026-08-15' });
    // A month where a quarter is expected, or a day for a monthly feed: refused.
    expect(p('2026年11月', 'quarterly')).toBeUndefined();
    expect(p('2026-11-30', 'monthly')).toBeUndefined();
    // A feed of two cadences takes either.
    expect(p('2026年11月', 'monthly', 'quarterly')).toBe('2026-11');
    expect(p('2026年4季度', 'monthly', 'quarterly')).toBe('2026-Q4');
    expect(p('', 'daily')).toBeUndefined();
  });

  it('reads measures as integers: 元 to 分, percentages to basis points, counts whole', () => {
    expect(parseMeasure('1,234,567.89', 'fen')).toBe(123_456_789);
    expect(parseMeasure('100元', 'fen')).toBe(10_000);
    expect(parseMeasure(98.5, 'bp')).toBe(9_850);
    expect(parseMeasure('99.99%', 'bp')).toBe(9_999);
    expect(parseMeasure('98.555', 'bp')).toBeUndefined();
    expect(parseMeasure('12', 'count')).toBe(12);
    expect(parseMeasure('12.5', 'count')).toBeUndefined();
    expect(parseMeasure('-3', 'count')).toBeUndefined();
    expect(parseMeasure('-1500.5', 'fen', true)).toBe(-150_050);
    expect(parseMeasure('-0.25', 'bp', true)).toBe(-25);
    expect(parseMeasure('abc', 'fen')).toBeUndefined();
    expect(parseMeasure(null, 'count')).toBeUndefined();
  });
});
