import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Guard (issue 11, item 6; decision 0024): every eslint-disable comment says why, after ` -- `:
 *
 *   // eslint-disable-next-line no-control-regex -- matching the NUL character is the point
 *
 * ESLint itself reports a disable that suppresses nothing (reportUnusedDisableDirectives in
 * eslint.config.js) but has no core rule asking for the reason, so this test does. It reads the
 * files git knows of (tracked, and new ones not ignored) that ESLint lints.
 */
const LINTED = /\.(?:[cm]?js|jsx|ts|tsx)$/;

// The directive is split so that this file does not match itself.
const DIRECTIVE = 'eslint-' + 'disable';
const LINE_COMMENT = new RegExp(`//\\s*(${DIRECTIVE}(?:-line|-next-line)?)\\b(.*)$`, 'gm');
const BLOCK_COMMENT = new RegExp(`/\\*\\s*(${DIRECTIVE}(?:-line|-next-line)?)\\b([\\s\\S]*?)\\*/`, 'g');

/** `-- reason`: two or more dashes, then some words. */
const hasReason = (rest: string) => /(?:^|\s)--+\s*\S/.test(rest);

export function disablesWithoutReason(file: string, text: string): string[] {
  const found: string[] = [];
  for (const re of [LINE_COMMENT, BLOCK_COMMENT]) {
    for (const m of text.matchAll(re)) {
      if (hasReason(m[2])) continue;
      const line = text.slice(0, m.index).split('\n').length;
      found.push(`${file}:${line}: ${m[0].trim()}`);
    }
  }
  return found;
}

describe('every eslint-disable gives its reason (issue 11 #6)', () => {
  it('the guard sees what it is meant to see', () => {
    const d = DIRECTIVE;
    expect(disablesWithoutReason('x.ts', `a(); // ${d}-line no-console`)).toHaveLength(1);
    expect(disablesWithoutReason('x.ts', `// ${d}-next-line no-console\nconsole.log(1);`)).toHaveLength(1);
    expect(disablesWithoutReason('x.ts', `/* ${d} no-console */`)).toHaveLength(1);
    expect(disablesWithoutReason('x.ts', `// ${d}`)).toHaveLength(1);
    expect(disablesWithoutReason('x.ts', `// ${d}-next-line no-console --`)).toHaveLength(1);
    expect(disablesWithoutReason('x.ts', `// ${d}-next-line no-console -- the CLI prints`)).toHaveLength(0);
    expect(disablesWithoutReason('x.ts', `/* ${d} no-console -- a script */`)).toHaveLength(0);
    expect(disablesWithoutReason('x.ts', `/* ${d} no-console\n   -- a script that prints */`)).toHaveLength(0);
    expect(disablesWithoutReason('x.ts', `}, [a]); // ${d}-line react-hooks/exhaustive-deps -- once per a`)).toHaveLength(0);
  });

  it('no linted file holds one without a reason', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    const files = [...new Set(listed.split('\0'))].filter((f) => LINTED.test(f) && !f.includes('node_modules/'));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => {
      let text: string;
      try {
        text = readFileSync(path.join(root, f), 'utf8');
      } catch {
        return []; // listed by git but deleted in the work tree
      }
      return disablesWithoutReason(f, text);
    });
    expect(found).toEqual([]);
  });
});
