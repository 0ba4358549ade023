import { describe, expect, it } from 'vitest';
import { escapeLike, likeContains, likePrefix } from './like.js';

describe('LIKE patterns from user text (issue 10, finding 3a)', () => {
  it('escapes %, _ and \\ and nothing else', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    expect(likeContains('50%')).toBe('%50\\%%');
    expect(likePrefix('sale_')).toBe('sale\\_%');
    expect(likeContains('张三 O’Brien')).toBe('%张三 O’Brien%');
    expect(likeContains('')).toBe('%%');
  });
});
