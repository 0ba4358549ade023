import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Dependency rules (issue 11 #2), checked on every `npm test` without a tool of its own: the
 * imports are read from the source (static, dynamic and re-exports; relative specifiers only —
 * packages are not ours to layer).
 *
 * Folders: each server module (`server/modules/<m>`), each other server folder (`server/db`,
 * `server/http`, …), each console area (`web/src/<dir>`, `web/src/pages/<area>`) and `shared`.
 */
const ROOT = join(import.meta.dirname, '..', '..');

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The folder a file belongs to, for the cycle rule. */
function folderOf(file: string): string {
  const parts = relative(ROOT, file).split(sep);
  if (parts[0] === 'server' && parts[1] === 'modules') return `server/modules/${parts[2]}`;
  // A file at the top of server/ or web/src/ (app.ts, errors.ts, App.tsx…) is its own node: the
  // entry point and the leaf helpers there are not one folder.
  if (parts[0] === 'server') return parts.length > 2 ? `server/${parts[1]}` : `server/${parts[1].replace(/\.(tsx?|js)$/, '')}`;
  if (parts[0] === 'web' && parts[2] === 'pages' && parts.length > 4) return `web/src/pages/${parts[3]}`;
  if (parts[0] === 'web') return parts.length > 3 ? `web/src/${parts[2]}` : `web/src/${parts[2].replace(/\.(tsx?|js)$/, '')}`;
  return parts[0];
}

const IMPORT = /(import\s+type\s[^'"]*?from\s*|import\s[^'"]*?from\s*|export\s[^'"]*?from\s*|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const top of ['server', 'shared', 'web/src']) {
    for (const file of sources(join(ROOT, top))) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = normalize(join(dirname(file), m[2]));
        out.push({ from: relative(ROOT, file), to: relative(ROOT, target), file: relative(ROOT, file), spec: m[2], typeOnly: m[1].startsWith('import type') || /^import\s+type\s/.test(m[1]) });
      }
    }
  }
  return out;
}

/** A test helper: a module's testing.ts or anything under server/test/. */
const isTestHelper = (p: string) => /(^|\/)testing(\.js|\.ts)?$/.test(p) || p.startsWith('server/test/');

/** Tarjan's strongly connected components of the folder graph: each with more than one folder is a cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('dependency rules', () => {
  const all = edges();

  it('shared/ imports nothing from the server or the console', () => {
    expect(all.filter((e) => e.from.startsWith('shared/') && !e.to.startsWith('shared')).map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  it('rules files (*.rules.ts) import no database code (types of a table row aside)', () => {
    const bad = all.filter((e) => /\.rules\.ts$/.test(e.from) && ((/(^|\/)db\//.test(e.to) && !e.typeOnly) || /\.(service|queries)(\.js)?$/.test(e.to)));
    expect(bad.map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  it('no production file imports a test helper', () => {
    const bad = all.filter((e) => isTestHelper(e.to) && !isTestHelper(e.from));
    expect(bad.map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  it('no two module folders import each other, directly or round a loop', () => {
    // Test helpers (testing.ts, server/test/) are left out: they may reach into any module to set
    // up a case, and no production file imports them (the rule above).
    const graph = new Map<string, Set<string>>();
    for (const e of all) {
      if (isTestHelper(e.from)) continue;
      const a = folderOf(join(ROOT, e.from));
      const b = folderOf(join(ROOT, e.to));
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    // Each cycle is printed with the imports that close it, so the failure says what to move.
    const report = cycles(graph).map((scc) => {
      const inside = new Set(scc);
      const why = all
        .filter((e) => !isTestHelper(e.from))
        .filter((e) => {
          const a = folderOf(join(ROOT, e.from));
          const b = folderOf(join(ROOT, e.to));
          return a !== b && inside.has(a) && inside.has(b);
        })
        .map((e) => `${e.file} → ${e.spec}`);
      return { cycle: scc, imports: why };
    });
    expect(report).toEqual([]);
  });

  it('each server folder imports only what docs/architecture.md says it may', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const section = doc.split('## Modules: what each owns and may import')[1]?.split('\n## ')[0] ?? '';
    const mayImport = new Map<string, Set<string>>();
    for (const para of section.split(/\n\s*\n/)) {
      const m = /^\*\*`([\w-]+)`\*\*[\s\S]*?\*May import:\*\s*([\s\S]*?)\.\s*$/.exec(para.trim());
      if (m) mayImport.set(m[1], new Set([...m[2].matchAll(/`([\w-]+)`/g)].map((x) => x[1])));
    }
    // The edges (entry points and Fastify's declarations) may import anything below them.
    const EDGES = new Set(['app', 'main', 'cli', 'import-kinds', 'fastify-types']);
    const label = (folder: string) => folder.replace(/^server\/(modules\/)?/, '');
    const problems = new Set<string>();
    for (const m of readdirSync(join(ROOT, 'server', 'modules'))) if (!mayImport.has(m)) problems.add(`${m}: no paragraph`);
    for (const e of all) {
      if (isTestHelper(e.from) || e.from.startsWith('web/')) continue;
      const a = label(folderOf(join(ROOT, e.from)));
      const b = label(folderOf(join(ROOT, e.to)));
      if (a === b || EDGES.has(a)) continue;
      if (!mayImport.has(a)) problems.add(`${a}: no paragraph`);
      else if (!mayImport.get(a)!.has(b)) problems.add(`${a} → ${b} (${e.file} → ${e.spec}): not in its May import list`);
    }
    expect([...problems].sort()).toEqual([]);
  });
});
