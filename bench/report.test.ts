import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paths, render } from './report.js';
import { chartSvg, goalRows, pick, withReadmeBlock, README_END, README_START } from './report.rules.js';

describe('the README performance section', () => {
  it('is what bench/report.ts makes of the committed bench/results/latest.json (run npm run bench:report)', () => {
    const out = render(readFileSync(paths.json, 'utf8'), readFileSync(paths.readme, 'utf8'));
    expect(readFileSync(paths.readme, 'utf8')).toBe(out.readme);
    expect(readFileSync(paths.chart, 'utf8')).toBe(out.chart);
  });

  it('computes each ratio against its same-run baseline and says whether the goal is met', () => {
    const results = {
      scoring: {
        'scoring.sales': 1000,
        'scoring.import_sales_per_s': 80,
        'scoring.copy_baseline_sales_per_s': 100,
        'scoring.import_total_s': 16,
        'scoring.floor_s': 10,
        'scoring.import_peak_rss_mb': 600,
        measuredAt: '2026-12-07T05:00:00Z',
      },
    };
    const [recording, endToEnd, , rss] = goalRows(results);
    expect([recording.ratio, recording.met]).toEqual(['0.80×', true]);
    expect([endToEnd.ratio, endToEnd.met]).toEqual(['1.60×', false]);
    expect([rss.measured, rss.met]).toEqual(['600 MB', false]);
    expect(goalRows({})[0].met).toBeNull();
    expect(pick(results, 'scoring', 'scoring.floor_s')).toBe(10);
    expect(pick(results, 'scoring', 'nothing')).toBeNull();
  });

  it('replaces only its own block and escapes chart labels', () => {
    const readme = `# X\n\n${README_START}\nold\n${README_END}\n\n## Next\n`;
    expect(withReadmeBlock(readme, `${README_START}\nnew\n${README_END}`)).toBe(`# X\n\n${README_START}\nnew\n${README_END}\n\n## Next\n`);
    expect(chartSvg([{ label: 'a<b', value: 5, baseline: true }], 't')).toContain('a&lt;b');
  });
});
