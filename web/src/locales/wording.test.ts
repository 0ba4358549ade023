import { describe, expect, it } from 'vitest';
import en from './en';
import zh from './zh-CN';

describe('what the console says', () => {
  it('never says "SPEC" to a user (the bank reads 管理办法 and article numbers)', () => {
    for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) expect(`${key}: ${text}`).not.toMatch(/\bSPEC\b/i);
  });
});
