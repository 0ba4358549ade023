import { describe, expect, it } from 'vitest';
import { qrMatrix, qrSvg } from './qr.js';

describe('QR codes', () => {
  it('encodes a check-in URL as a square matrix with the three finder patterns', () => {
    const m = qrMatrix('https://bank.example/checkin/abc.def');
    const n = m.length;
    expect(n).toBeGreaterThanOrEqual(21);
    expect(m.every((row) => row.length === n)).toBe(true);
    // Finder patterns: a dark 7×7 ring in three corners (top-left, top-right, bottom-left).
    for (const [y, x] of [
      [0, 0],
      [0, n - 7],
      [n - 7, 0],
    ]) {
      expect(m[y][x]).toBe(true);
      expect(m[y + 6][x + 6]).toBe(true);
      expect(m[y + 1][x + 1]).toBe(false);
      expect(m[y + 3][x + 3]).toBe(true);
    }
  });

  it('draws an SVG with one path and a quiet zone', () => {
    const svg = qrSvg('x', 120);
    expect(svg).toMatch(/^<svg [^>]*width="120"/);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('M4 4h1v1h-1z');
  });
});
