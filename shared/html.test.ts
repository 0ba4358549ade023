import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlLines } from './html.js';

describe('escapeHtml', () => {
  it('turns the five HTML-significant characters into entities and leaves the rest alone', () => {
    expect(escapeHtml('<img src=x onerror="window.__xss=1">')).toBe('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(escapeHtml("<script>alert('x')</script>")).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(escapeHtml('A & B')).toBe('A &amp; B');
    // Already-escaped text is escaped again: what the user typed is what is shown.
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    expect(escapeHtml('佛山市美迪电器 {b} 100%')).toBe('佛山市美迪电器 {b} 100%');
  });

  it('takes any value: null and undefined are empty, numbers are their text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(12.5)).toBe('12.5');
  });

  it('htmlLines escapes each line, drops the empty ones and joins with <br/>', () => {
    expect(htmlLines(['<b>甲</b>', '', null, undefined, 'VIP & 1'])).toBe('&lt;b&gt;甲&lt;/b&gt;<br/>VIP &amp; 1');
    expect(htmlLines([])).toBe('');
  });
});

// ---- the guard: where the console's strings could become HTML ----

const WEB_SRC = path.resolve('web/src');
const ESCAPERS = new Set(['escapeHtml', 'htmlLines']);
const RAW_HTML_SINKS = /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|srcdoc/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Whether an expression can only produce escaped text or literal markup. */
function safeHtml(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return safeHtml(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (ts.isCallExpression(e)) return ts.isIdentifier(e.expression) && ESCAPERS.has(e.expression.text);
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => safeHtml(s.expression));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return safeHtml(e.left) && safeHtml(e.right);
  if (ts.isConditionalExpression(e)) return safeHtml(e.whenTrue) && safeHtml(e.whenFalse);
  return false;
}

function returnedExpressions(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n)) return; // a nested function's returns are not the formatter's
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

const propName = (n: ts.Node): string | undefined => (ts.isPropertyAssignment(n) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) ? n.name.text : undefined);

/**
 * The ECharts tooltip formatters (a `formatter` anywhere under a `tooltip` key) of a source text
 * that could put unescaped text into HTML: ECharts sets a returned string as the tooltip's
 * innerHTML. A literal template ('{b}: {c}') is fine (ECharts escapes what it fills in); a
 * function must return literals and escapeHtml/htmlLines calls only. Label formatters are canvas
 * text, not HTML, and are not checked.
 */
export function unsafeTooltipFormatters(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAssignment(n) && propName(n) === 'formatter') {
      let underTooltip = false;
      for (let a: ts.Node | undefined = n.parent; a; a = a.parent) if (propName(a) === 'tooltip') underTooltip = true;
      if (underTooltip) {
        const v = n.initializer;
        const ok = ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v) ? true : (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) && returnedExpressions(v).every(safeHtml);
        if (!ok) found.push(`${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('guard: no user text reaches HTML unescaped in the console (web/src)', () => {
  const files = sourceFiles(WEB_SRC);

  it('finds the console sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith('RelationGraph.tsx'))).toBe(true);
  });

  it('uses no raw HTML sink (dangerouslySetInnerHTML, innerHTML, outerHTML, insertAdjacentHTML, document.write, srcdoc)', () => {
    const hits = files.filter((f) => RAW_HTML_SINKS.test(readFileSync(f, 'utf8'))).map((f) => path.relative(WEB_SRC, f));
    expect(hits).toEqual([]);
  });

  it('every ECharts tooltip formatter escapes what it returns', () => {
    const hits = files.flatMap((f) => unsafeTooltipFormatters(path.relative(WEB_SRC, f), readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  it('the formatter check catches what it is meant to catch', () => {
    const bad = [
      'const o = { tooltip: { formatter: (p) => `${p.name}<br/>${p.data.kind}` } };',
      'const o = { tooltip: { formatter: (p) => p.data.label } };',
      "const o = { tooltip: { formatter: (p) => escapeHtml(p.name) + '<br/>' + p.value } };",
      'const o = { series: [{ data: [{ tooltip: { formatter: function (p) { return p.name; } } }] }] };',
      'const o = { tooltip: { formatter: makeHtml } };',
    ];
    for (const src of bad) expect(unsafeTooltipFormatters('bad.ts', src), src).toHaveLength(1);
    const good = [
      "const o = { tooltip: { formatter: '{b}: {c}' } };",
      "const o = { tooltip: { formatter: (p) => p.dataType === 'edge' ? htmlLines([p.data.t]) : `${escapeHtml(p.name)}<br/>${escapeHtml(p.value)}` } };",
      // Canvas labels are not HTML.
      'const o = { series: [{ label: { formatter: (p) => p.name } }] };',
    ];
    for (const src of good) expect(unsafeTooltipFormatters('good.ts', src), src).toEqual([]);
  });
});
