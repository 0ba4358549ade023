import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../web/src/locales/en.js';
import zh from '../web/src/locales/zh-CN.js';

/** Every .ts/.tsx file of the console. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('console message maps', () => {
  it('zh-CN and en have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('no value is empty', () => {
    for (const [lang, map] of [
      ['zh-CN', zh],
      ['en', en],
    ] as const) {
      const empty = Object.entries(map)
        .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
        .map(([k]) => k);
      expect(empty, `${lang} has empty messages`).toEqual([]);
    }
  });

  it('the Chinese map is Chinese and placeholders match', () => {
    for (const key of Object.keys(zh) as (keyof typeof zh)[]) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(en[key]), key).toEqual(vars(zh[key]));
    }
    const latinOnly = Object.entries(zh)
      .filter(([, v]) => !/[\u4e00-\u9fff]/.test(v))
      .map(([k]) => k);
    expect(latinOnly, 'zh-CN messages without Chinese characters').toEqual([]);
  });

  it('every literal key the console uses exists', () => {
    const used = new Set<string>();
    for (const file of sources(path.resolve('web/src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in zh));
    expect(missing).toEqual([]);
  });
});
