import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports belong to their domain (issue 11 #1): `imports/` is the framework only and never reaches
 * into a domain; each list is `<domain>/<name>.import.ts`, registered in server/import-kinds.ts.
 */
const SERVER = join(import.meta.dirname, '..', '..');
const FRAMEWORK = join(SERVER, 'modules', 'imports');
/** What the framework may use besides itself: who is calling, and the audit chain it anchors. */
const PLATFORM = new Set(['access', 'audit']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the import framework', () => {
  it('imports no domain module', () => {
    const offenders: string[] = [];
    for (const f of files(FRAMEWORK).filter((p) => !p.endsWith('.test.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)) {
        if (!PLATFORM.has(m[1])) offenders.push(`${relative(SERVER, f)} → ${m[1]}`);
      }
      if (/import-kinds\.js'/.test(readFileSync(f, 'utf8'))) offenders.push(`${relative(SERVER, f)} → the registry at the edge`);
    }
    expect(offenders).toEqual([]);
  });

  it('every list is defined in its domain as <name>.import.ts; no .spec.ts files', () => {
    const all = files(SERVER).map((f) => relative(SERVER, f));
    expect(all.filter((f) => f.endsWith('.spec.ts'))).toEqual([]);
    expect(all.filter((f) => f.startsWith('modules/imports/') && f.endsWith('.import.ts'))).toEqual([]);
    const kinds = readFileSync(join(SERVER, 'import-kinds.ts'), 'utf8');
    for (const f of all.filter((p) => p.endsWith('.import.ts'))) {
      expect(kinds, `${f} is registered in server/import-kinds.ts`).toContain(`./${f.replace(/\.ts$/, '.js')}`);
    }
  });
});

describe('exports', () => {
  it('every export’s columns live in its domain’s <name>.xlsx.ts, never inline in routes', () => {
    const routes = files(join(SERVER, 'modules')).filter((f) => f.endsWith('.routes.ts'));
    const inline = routes.filter((f) => /writeXlsx\(|addWorksheet\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(SERVER, f));
    expect(inline).toEqual([]);
  });
});
