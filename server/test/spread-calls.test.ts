import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Guard (issue 10, finding 6): no array is spread into Math.min / Math.max / push / unshift /
 * String.fromCharCode / fromCodePoint / apply in the server, shared or console sources. Each
 * element becomes an argument on the stack, and past ~125 k elements the call throws "Maximum
 * call stack size exceeded" — a 200 k-row sales import did. Use shared/numbers.ts (minOf, maxOf,
 * minMax, pushAll) instead. A spread over a small fixed literal may be allowed below, by file and
 * the exact text, with the reason.
 */
const ROOTS = ['server', 'shared', 'web/src'];
const ALLOWED: { file: string; text: string; why: string }[] = [];

const CALL_SPREAD = /(Math\.(?:min|max)|\.push|\.unshift|String\.fromCharCode|String\.fromCodePoint|\.apply)\s*\(\s*(?:[^(){}[\]]*?,\s*)?\.\.\./g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sources(p));
    } else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The code without comments (a spread written about in a comment is no call). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

export function findCallSpreads(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of code(text).matchAll(CALL_SPREAD)) {
    const snippet = m[0].replace(/\s+/g, ' ');
    if (!ALLOWED.some((a) => a.file === file && snippet.includes(a.text))) found.push(`${file}: ${snippet}`);
  }
  return found;
}

describe('no unbounded array spread into a call (issue 10, finding 6)', () => {
  it('the guard sees the patterns it is meant to see', () => {
    expect(findCallSpreads('x.ts', 'const a = Math.min(...ids);')).toHaveLength(1);
    expect(findCallSpreads('x.ts', 'out.push(\n  ...rows.map((r) => r.id),\n);')).toHaveLength(1);
    expect(findCallSpreads('x.ts', 'Math.max(0, ...xs)')).toHaveLength(1);
    expect(findCallSpreads('x.ts', 'String.fromCharCode(...bytes)')).toHaveLength(1);
    expect(findCallSpreads('x.ts', "errors.push({ column: 'a', ...E.bad });")).toHaveLength(0);
    expect(findCallSpreads('x.ts', '// Math.min(...ids) overflowed the stack')).toHaveLength(0);
    expect(findCallSpreads('x.ts', 'const all = [...a, ...b]; and(...conds);')).toHaveLength(0);
  });

  it('server/, shared/ and web/src hold none outside the allow-list', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files = ROOTS.flatMap((r) => sources(path.join(root, r)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => findCallSpreads(path.relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
