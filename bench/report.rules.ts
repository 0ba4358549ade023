/**
 * The README's performance section, generated from bench/results/latest.json (issue 17: "a table
 * (goal, baseline, measured, ratio) and a chart image generated from the JSON"). Pure: JSON in,
 * Markdown and SVG text out; bench/report.ts writes them and report.test.ts checks the committed
 * README and chart are what this code makes of the committed JSON, so they cannot drift apart.
 */

export type Results = Record<string, Record<string, unknown> | undefined>;

/** Reads a dotted path below one result section; keys themselves may contain dots. */
export function pick(results: Results, section: string, ...path: string[]): number | null {
  let v: unknown = results[section];
  for (const k of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export interface GoalRow {
  goal: string;
  /** The target in words, e.g. "≥ 0.8× raw COPY". */
  target: string;
  baseline: string;
  measured: string;
  /** measured ÷ baseline (or the figure itself against an absolute limit), as the goal states it. */
  ratio: string;
  met: boolean | null;
  at: string;
}

export interface Bar {
  label: string;
  value: number;
  /** A baseline bar is drawn grey, the product's own bars blue. */
  baseline: boolean;
}

const fmt = (x: number | null, unit = ''): string => (x === null ? '—' : `${x >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100)}${unit}`);
const ratioText = (x: number | null) => (x === null ? '—' : `${(Math.round(x * 100) / 100).toFixed(2)}×`);
const dateOf = (results: Results, section: string) => {
  const at = results[section]?.measuredAt;
  return typeof at === 'string' ? at.slice(0, 10) : '—';
};

/** A goal "product / baseline ≥ (or ≤) limit". */
function ratioGoal(results: Results, o: { section: string; goal: string; target: string; measured: number | null; baseline: number | null; unit: string; atLeast?: number; atMost?: number }): GoalRow {
  const ratio = o.measured !== null && o.baseline !== null && o.baseline > 0 ? o.measured / o.baseline : null;
  const met = ratio === null ? null : o.atLeast !== undefined ? ratio >= o.atLeast : ratio <= (o.atMost ?? Infinity);
  return { goal: o.goal, target: o.target, baseline: fmt(o.baseline, o.unit), measured: fmt(o.measured, o.unit), ratio: ratioText(ratio), met, at: dateOf(results, o.section) };
}

/** A goal "figure ≤ limit" (latency, seconds, memory): the ratio is figure ÷ limit. */
function limitGoal(results: Results, o: { section: string; goal: string; measured: number | null; limit: number; unit: string; baseline?: number | null }): GoalRow {
  // Latency goals read "p99 < limit" (issue 17); sizes and durations "≤ limit".
  const strict = o.unit === ' ms';
  const met = o.measured === null ? null : strict ? o.measured < o.limit : o.measured <= o.limit;
  return {
    goal: o.goal,
    target: `${o.unit === ' ms' ? '<' : '≤'} ${fmt(o.limit, o.unit)}`,
    baseline: o.baseline === undefined ? '—' : fmt(o.baseline, o.unit),
    measured: fmt(o.measured, o.unit),
    ratio: o.measured === null ? '—' : `${ratioText(o.measured / o.limit)} of limit`,
    met,
    at: dateOf(results, o.section),
  };
}

/** Issue 17's goals, each beside the baseline measured in the same run. */
export function goalRows(r: Results): GoalRow[] {
  const s = (k: string) => pick(r, 'scoring', `scoring.${k}`);
  const out: GoalRow[] = [
    ratioGoal(r, {
      section: 'scoring',
      goal: `Sales recording (${fmt(s('sales'))} sales), sales/s`,
      target: '≥ 0.8× raw COPY',
      measured: s('import_sales_per_s'),
      baseline: s('copy_baseline_sales_per_s'),
      unit: '',
      atLeast: 0.8,
    }),
    ratioGoal(r, {
      section: 'scoring',
      goal: 'Sales import end to end (check, record, score, ledger, totals), s',
      target: '≤ 1.5× the floor (COPY + INSERT…SELECT)',
      measured: s('import_total_s'),
      baseline: s('floor_s'),
      unit: ' s',
      atMost: 1.5,
    }),
    ratioGoal(r, {
      section: 'scoring',
      goal: 'First scoring of the import vs the floor statement, s',
      target: 'same work, ≈ 1×',
      measured: s('import_score_s'),
      baseline: s('floor_insert_s'),
      unit: ' s',
      atMost: 1.5,
    }),
    limitGoal(r, { section: 'scoring', goal: 'Sales import peak RSS', measured: s('import_peak_rss_mb'), limit: 512, unit: ' MB' }),
  ];
  for (const kind of ['staff', 'corporate-clients', 'individuals', 'company-people', 'holdings']) {
    const k = (...p: string[]) => pick(r, 'refImports', 'kinds', kind, ...p);
    const rows = k('rows');
    if (rows === null) continue;
    out.push(
      ratioGoal(r, {
        section: 'refImports',
        goal: `Reference import: ${kind} (${fmt(rows)} rows), rows/s`,
        target: '≥ 0.5× raw COPY',
        measured: k('import', 'rowsPerSec'),
        baseline: k('copy', 'rowsPerSec'),
        unit: '',
        atLeast: 0.5,
      }),
      limitGoal(r, { section: 'refImports', goal: `Reference import: ${kind}, seconds`, measured: k('import', 'seconds'), limit: (5 * rows) / 100_000, unit: ' s' }),
    );
  }
  const staff = (p: string) => pick(r, 'staffPage.pg', p, 'requestsPerSec');
  out.push(
    ratioGoal(r, { section: 'staffPage.pg', goal: 'Staff page, req/s (HTTP vs the same call without HTTP)', target: '≥ 0.8×', measured: staff('app'), baseline: staff('raw'), unit: '', atLeast: 0.8 }),
  );
  const searches = r['clientSearch.pg']?.searches;
  for (const key of Object.keys(searches && typeof searches === 'object' ? searches : {})) {
    const f = (...p: string[]) => pick(r, 'clientSearch.pg', 'searches', key, ...p);
    out.push(
      ratioGoal(r, {
        section: 'clientSearch.pg',
        goal: `Search ${key}, req/s (20 concurrent)`,
        target: '≥ 0.8×',
        measured: f('app', 'requestsPerSec'),
        baseline: f('raw', 'requestsPerSec'),
        unit: '',
        atLeast: 0.8,
      }),
      limitGoal(r, { section: 'clientSearch.pg', goal: `Search ${key}, p99`, measured: f('app', 'latencyP99Ms'), baseline: f('raw', 'latencyP99Ms'), limit: 50, unit: ' ms' }),
    );
  }
  const boards = r.dashboards?.boards;
  for (const key of Object.keys(boards && typeof boards === 'object' ? boards : {})) {
    const f = (...p: string[]) => pick(r, 'dashboards', 'boards', key, ...p);
    out.push(limitGoal(r, { section: 'dashboards', goal: `Dashboard ${key}, p99 (50 concurrent)`, measured: f('app', 'latencyP99Ms'), baseline: f('raw', 'latencyP99Ms'), limit: 100, unit: ' ms' }));
  }
  out.push(
    limitGoal(r, {
      section: 'pglite',
      goal: `PGlite: 10 users on the main pages${pick(r, 'pglite', 'pages', 'clientsInWorker') === 1 ? ' (clients in a worker thread)' : ''}, p99`,
      measured: pick(r, 'pglite', 'pages', 'p99Ms'),
      limit: 300,
      unit: ' ms',
    }),
    ratioGoal(r, {
      section: 'pglite',
      goal: `PGlite: branch month import (${fmt(pick(r, 'pglite', 'import', 'pg', 'inserted'))} sales), s`,
      target: '≤ 3× PostgreSQL',
      measured: pick(r, 'pglite', 'import', 'pglite', 'totalSeconds'),
      baseline: pick(r, 'pglite', 'import', 'pg', 'totalSeconds'),
      unit: ' s',
      atMost: 3,
    }),
  );
  // Goal 5: a year of data in month partitions (bench/year.ts).
  const y = (...p: string[]) => pick(r, 'year', ...p);
  const yearSales = fmt(y('year.sales'));
  out.push(
    limitGoal(r, {
      section: 'year',
      goal: `A year (${yearSales} sales): a month's statement with the whole year loaded, median`,
      measured: y('year.statement_full_year_ms', 'p50Ms'),
      baseline: y('year.statement_first_month_ms', 'p50Ms'),
      limit: 200,
      unit: ' ms',
    }),
    limitGoal(r, { section: 'year', goal: `A year (${yearSales} sales): year-end assessment of a branch`, measured: y('year.assessment_s'), limit: 30, unit: ' s' }),
  );
  // Archiving: the issue asks for "a partition operation", not a time: met when the year left the
  // tables whole (its rows in the detached tables) and came back with the same statement.
  const detachMs = y('year.detach_ms');
  const sameFlag = (r.year as Record<string, unknown> | undefined)?.['year.statement_same_after_reattach'];
  out.push({
    goal: `A year (${fmt(y('year.detached_rows'))} rows): archiving it — lock check, exact row counts for the audit, DETACH of ${fmt(y('year.detached_tables'))} month partitions`,
    target: 'a partition operation: no row moved or deleted; attached back, the same statement',
    baseline: '—',
    measured: detachMs === null ? '—' : `${fmt(detachMs / 1000)} s (attach back ${fmt((y('year.attach_ms') ?? 0) / 1000)} s)`,
    ratio: '—',
    met: detachMs === null ? null : y('year.rows_left_after_detach') === 0 && sameFlag === true,
    at: dateOf(r, 'year'),
  });
  return out;
}

export function chartBars(r: Results): Bar[] {
  const s = (k: string) => pick(r, 'scoring', `scoring.${k}`);
  const bars: Bar[] = [
    { label: 'Sales: raw COPY (baseline)', value: s('copy_baseline_sales_per_s') ?? 0, baseline: true },
    { label: 'Sales: recording (read, check, COPY)', value: s('import_sales_per_s') ?? 0, baseline: false },
    { label: 'Sales: floor incl. scoring (baseline)', value: (s('sales') ?? 0) / (s('floor_s') ?? Infinity), baseline: true },
    { label: 'Sales: import incl. first scoring', value: s('import_scored_sales_per_s') ?? 0, baseline: false },
  ];
  for (const kind of ['staff', 'corporate-clients', 'individuals', 'company-people', 'holdings']) {
    const k = (...p: string[]) => pick(r, 'refImports', 'kinds', kind, ...p);
    bars.push({ label: `${kind}: raw COPY (baseline)`, value: k('copy', 'rowsPerSec') ?? 0, baseline: true }, { label: `${kind}: import`, value: k('import', 'rowsPerSec') ?? 0, baseline: false });
  }
  return bars.filter((b) => b.value > 0);
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart (rows/s by stage), plain SVG: no chart library, readable on GitHub. */
export function chartSvg(bars: Bar[], title: string): string {
  const width = 900;
  const left = 330;
  const barH = 22;
  const gap = 10;
  const top = 44;
  const height = top + bars.length * (barH + gap) + 20;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    const w = Math.max(1, Math.round(((width - left - 110) * b.value) / max));
    parts.push(
      `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${left}" y="${y}" width="${w}" height="${barH}" fill="${b.baseline ? '#9aa5b1' : '#2f6fb3'}"/>`,
      `<text x="${left + w + 6}" y="${y + 16}">${esc(fmt(b.value))}/s</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export const README_START = '<!-- bench:start (generated by `npm run bench:report` from bench/results/latest.json) -->';
export const README_END = '<!-- bench:end -->';

export function readmeBlock(r: Results, machine: string): string {
  const rows = goalRows(r);
  const lines = [
    README_START,
    '',
    `Measured by \`npm run bench\` on ${machine}; every figure beside a baseline measured in the same run.`,
    '',
    '| Goal | Target | Baseline | Measured | Ratio | Met | Run |',
    '|---|---|---:|---:|---:|:-:|---|',
    ...rows.map((g) => `| ${g.goal} | ${g.target} | ${g.baseline} | ${g.measured} | ${g.ratio} | ${g.met === null ? 'not run' : g.met ? 'yes' : 'no'} | ${g.at} |`),
    '',
    '![Rows per second by stage](docs/images/bench-throughput.svg)',
    '',
    README_END,
  ];
  return lines.join('\n');
}

/** Replaces the generated block in the README text (appends a section when there is none). */
export function withReadmeBlock(readme: string, block: string): string {
  const a = readme.indexOf(README_START);
  const b = readme.indexOf(README_END);
  if (a >= 0 && b > a) return readme.slice(0, a) + block + readme.slice(b + README_END.length);
  return `${readme.trimEnd()}\n\n## Performance\n\n${block}\n`;
}

export function machineText(m: Record<string, unknown> | undefined): string {
  if (!m) return 'an unrecorded machine';
  return `${String(m.cpus ?? '?')} cores (${String(m.cpuModel ?? '?')}), ${String(m.memoryGiB ?? '?')} GiB, Node ${String(m.node ?? '?')}`;
}
