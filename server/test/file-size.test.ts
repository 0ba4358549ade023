import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Smaller rooms (issue 11 #7): no source file over 500 lines, so that each one can be read whole
 * and has one concern. A file that grows past the limit is split by responsibility, not exempted.
 *
 * Seed data is the one exception: the demo bank's names, customers and figures are tables, not
 * logic, and read best in one place. It lives in server/seed/.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const MAX_LINES = 500;
const TOPS = ['server', 'shared', 'web', 'e2e', 'bench'];
const SEED_DATA = [/^server\/seed\//];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) return [];
    const p = join(dir, entry.name);
    if (entry.isDirectory()) return sources(p);
    return /\.tsx?$/.test(entry.name) ? [p] : [];
  });
}

/** Lines as `wc -l` counts them for a file ending in a newline (a last line without one counts too). */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function files(): string[] {
  const top = readdirSync(ROOT).filter((f) => /\.tsx?$/.test(f));
  return [...top, ...TOPS.flatMap((d) => sources(join(ROOT, d)).map((p) => relative(ROOT, p).split(sep).join('/')))];
}

describe('file size', () => {
  it('counts lines like wc -l', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('a\nb\n')]).toEqual([0, 1, 1, 2, 2]);
  });

  it(`no source file is over ${MAX_LINES} lines (seed data aside)`, () => {
    const all = files();
    expect(all.length).toBeGreaterThan(100);
    const over = all
      .filter((f) => !SEED_DATA.some((re) => re.test(f)))
      .map((f) => ({ f, n: lineCount(readFileSync(join(ROOT, f), 'utf8')) }))
      .filter((x) => x.n > MAX_LINES)
      .map((x) => `${x.f}: ${x.n} lines`);
    expect(over, `split these by responsibility (limit ${MAX_LINES} lines)`).toEqual([]);
  });
});
