import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Where authorisation lives (issue 11 #5; docs/architecture.md, "Authorisation"): a route declares
 * the permission it needs (`config.access`, enforced by auth/auth.plugin.ts before the handler); the
 * check of every record a request reads or writes — its scope, a bank-wide rule, a permission that
 * depends on the request — is made in the module's `*.policy.ts` or its service. No route calls
 * the scope helpers of access/ itself, nor inspects the caller's grants.
 */
const MODULES = join(import.meta.dirname, '..');
const SERVER = join(MODULES, '..');

/** The checks of access/context.ts and access/references.ts. */
const CHECKS = ['can', 'canAt', 'assertCanAt', 'scopePaths', 'isBankWide', 'assertBankWide', 'canReach', 'assertReach', 'assertReference', 'reachPaths'];

const routeFiles = () =>
  readdirSync(MODULES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(MODULES, d.name))
        .filter((f) => f.endsWith('.routes.ts'))
        .map((f) => join(MODULES, d.name, f)),
    );

/** The names a file imports (values, not types) from access/context.js or access/references.js. */
function accessImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'[./]*(?:modules\/)?access\/(?:context|references)\.js'/g)) {
    if (m[1]) continue;
    for (const part of m[2].split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) out.push(name.split(/\s+as\s+/)[0]);
    }
  }
  return out;
}

describe('authorisation', () => {
  it('finds the route files', () => {
    expect(routeFiles().length).toBeGreaterThan(20);
  });

  it('no route makes a scope or permission check itself: those live in *.policy.ts and the services', () => {
    const offenders: string[] = [];
    for (const f of routeFiles()) {
      const text = readFileSync(f, 'utf8');
      for (const name of accessImports(text)) if (CHECKS.includes(name)) offenders.push(`${relative(SERVER, f)} imports ${name}`);
      if (/\.grants\.(some|every|find)\(|\.permissions\.has\(/.test(text)) offenders.push(`${relative(SERVER, f)} inspects the caller's grants`);
    }
    expect(offenders).toEqual([]);
  });

  it('the guard sees a check when there is one', () => {
    expect(accessImports(`import { assertCanAt, type AuthContext } from '../access/context.js';`)).toEqual(['assertCanAt']);
    expect(accessImports(`import type { AuthContext } from '../access/context.js';`)).toEqual([]);
  });
});
