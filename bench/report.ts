import { readFileSync, writeFileSync } from 'node:fs';
import { chartBars, chartSvg, machineText, readmeBlock, type Results, withReadmeBlock } from './report.rules.js';

/**
 * `npm run bench:report`: rewrites README's performance table and docs/images/bench-throughput.svg
 * from bench/results/latest.json (run it after `npm run bench`; report.test.ts fails when they differ).
 */
export const paths = { json: 'bench/results/latest.json', readme: 'README.md', chart: 'docs/images/bench-throughput.svg' };

export function render(jsonText: string, readme: string): { readme: string; chart: string } {
  const doc = JSON.parse(jsonText) as { machine?: Record<string, unknown>; results?: Results };
  const results = doc.results ?? {};
  return {
    readme: withReadmeBlock(readme, readmeBlock(results, machineText(doc.machine))),
    chart: chartSvg(chartBars(results), 'Rows per second by stage (npm run bench, same-run baselines in grey)'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = render(readFileSync(paths.json, 'utf8'), readFileSync(paths.readme, 'utf8'));
  writeFileSync(paths.readme, out.readme);
  writeFileSync(paths.chart, out.chart);
  console.log(`wrote ${paths.readme} (performance section) and ${paths.chart}`);
}
