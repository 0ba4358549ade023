import { describe, expect, it } from 'vitest';
import { cellText, issueTable, scaledText, totalRow } from './export.columns.js';
import { issueLayout } from './export.pdf.js';

describe('an issue as a table (issue 16 part B)', () => {
  it('prints integers by digits: points and 元 with two decimals, rates as %, quantities trimmed', () => {
    expect(scaledText(123_456, 2)).toBe('1,234.56');
    expect(scaledText(-5, 2)).toBe('-0.05');
    expect(cellText('hundredths', 1_000)).toBe('10.00');
    expect(cellText('fen', 50_000_000)).toBe('500,000.00');
    expect(cellText('bp', 4_000)).toBe('40.00%');
    expect(cellText('e4', 1_234_500)).toBe('123.45');
    expect(cellText('e4', 100_000)).toBe('10');
    expect(cellText('count', 12_345)).toBe('12,345');
    expect(cellText('count', null)).toBe('—');
  });

  it('a feed snapshot: its measures as columns; a sales snapshot: the view’s columns, totals summed exactly', () => {
    const feed = issueTable({
      view: 'feed',
      feed: 'reception-day',
      measures: [{ key: 'sessions', zh: '接待日场次', en: 'Sessions', unit: 'count' }],
      lines: [{ nodeId: 12, nodeCode: '44200', nodeName: '河源分行', path: '/1/2/12/', values: { sessions: 4 } }],
    })!;
    expect(feed.columns.map((c) => c.zh)).toEqual(['机构号', '机构', '接待日场次']);
    expect(feed.rows).toEqual([{ nodeId: 12, path: '/1/2/12/', nodeCode: '44200', nodeName: '河源分行', 'm.sessions': 4 }]);
    const line = (nodeName: string, sales: number, pts: number) => ({
      nodeId: 1,
      nodeCode: 'x',
      nodeName,
      path: '/',
      productCode: 'C',
      productName: '卡',
      unit: '张',
      sales,
      quantity1e4: 10_000,
      pointsHundredths: pts,
    });
    const sales = issueTable({ view: 'sales', lines: [line('佛山分行', 1, 1_000), line('河源分行', 2, 10_001)] })!;
    expect(totalRow(sales)).toMatchObject({ sales: 3, pointsHundredths: 11_001, quantity1e4: null, nodeName: null });
    expect(issueTable({ view: 'unknown', lines: [] })).toBeNull();
    expect(issueTable(null)).toBeNull();
    const layout = issueLayout(
      {
        bankName: '某银行',
        nameZh: '日通报',
        periodLabel: '2025年3月5日',
        periodFrom: '2025-03-05',
        periodTo: '2025-03-05',
        version: 2,
        producedAt: null,
        reason: '更正',
        scopeName: '广东省分行',
        table: sales,
        waitingOn: null,
      },
      new Date('2025-03-06T02:00:00Z'),
    );
    expect(layout.title).toBe('某银行日通报');
    expect(layout.lines).toContain('重新生成原因：更正');
    expect(layout.tables[0].rows.at(-1)).toEqual(['合计', '', '', '', '', '3', '', '110.01']);
    expect(layout.tables[0].rows[0]).toEqual(['x', '佛山分行', 'C', '卡', '张', '1', '1', '10.00']);
  });
});
