import { describe, expect, it } from 'vitest';
import { codeText, freeText, halfWidth, numberText, upperCodeText } from './normalize.js';

describe('shared input normalisation (forms and imports alike)', () => {
  it('makes full-width codes half-width with no blanks', () => {
    expect(codeText('４４１１００１４')).toBe('44110014');
    expect(codeText(' 4411\u3000 0014 ')).toBe('44110014');
    expect(upperCodeText('９１４４０６０４ｍａ４ｕｈ１２３４ｘ')).toBe('91440604MA4UH1234X');
  });
  it('reads typed numbers with full-width digits, points and separators', () => {
    expect(numberText('１２．５')).toBe('12.5');
    expect(numberText('12。5')).toBe('12.5');
    expect(numberText('１，２３４')).toBe('1234');
    expect(numberText(' +30 ')).toBe('30');
  });
  it('keeps CJK punctuation in free text', () => {
    expect(freeText('佛山分行（营业部）\u3000 Ａ１')).toBe('佛山分行（营业部） A1');
    expect(halfWidth('（Ａ）')).toBe('(A)');
  });
});
