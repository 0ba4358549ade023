import { describe, expect, it } from 'vitest';
import { SeenIds } from './bulk-seen.js';

describe('SeenIds', () => {
  it('answers every id added, through growth, and (almost) none not added', () => {
    const seen = new SeenIds(8);
    for (let i = 0; i < 50_000; i++) seen.add(`SRC-${i}`);
    seen.add('SRC-1');
    expect(seen.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(seen.has(`SRC-${i}`)).toBe(true);
    let false_ = 0;
    for (let i = 50_000; i < 100_000; i++) if (seen.has(`SRC-${i}`)) false_++;
    expect(false_).toBe(0);
    expect(seen.has('')).toBe(false);
    expect(new SeenIds().has('x')).toBe(false);
  });
});
