import { describe, expect, it } from 'vitest';
import { intArray, textArray } from './arrays.js';

describe('array literals', () => {
  it('quote text, keep NULL as SQL NULL and escape quotes and backslashes', () => {
    expect(textArray(['a', null, 'NULL', 'x"y', 'c\\d'])).toBe('{"a",NULL,"NULL","x\\"y","c\\\\d"}');
    expect(intArray([1, null, 3])).toBe('{1,NULL,3}');
    expect(intArray([])).toBe('{}');
  });
});
