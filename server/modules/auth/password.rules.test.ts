import { describe, expect, it } from 'vitest';
import { passwordViolations } from './password.rules.js';

describe('password policy', () => {
  it('accepts a long password with three classes', () => {
    expect(passwordViolations('Linkage@2026', '44110023')).toEqual([]);
    expect(passwordViolations('linkage-2026x', '44110023')).toEqual([]);
  });
  it('names every violation', () => {
    expect(passwordViolations('short1A', 'x')).toEqual(['too_short']);
    expect(passwordViolations('alllowercaseletters', 'x')).toEqual(['too_simple']);
    expect(passwordViolations('Abc44110023!', '44110023')).toEqual(['contains_username']);
    expect(passwordViolations('abc', 'x')).toEqual(['too_short', 'too_simple']);
  });
  it('exactly the minimum length passes', () => {
    expect(passwordViolations('Abcdefgh1!', 'x')).toEqual([]);
    expect(passwordViolations('Abcdefg1!', 'x')).toContain('too_short');
  });
});
