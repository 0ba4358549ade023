import { describe, expect, it } from 'vitest';
import { sample } from './runner.js';

describe('job log sample', () => {
  it('logs a short list whole', () => {
    expect(sample(['a', 'b'])).toEqual(['a', 'b']);
  });
  it('logs the first ten of a long list and counts the rest', () => {
    const items = Array.from({ length: 287 }, (_, i) => `issue ${i}`);
    expect(sample(items)).toEqual({ first: items.slice(0, 10), more: 277 });
  });
});
