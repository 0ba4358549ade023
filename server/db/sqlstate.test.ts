import { describe, expect, it } from 'vitest';
import { hasSqlState, isUniqueViolation } from './sqlstate.js';

describe('SQLSTATE of an error', () => {
  it('is found on the error or any cause it wraps, and nowhere else', () => {
    const driver = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isUniqueViolation(driver)).toBe(true);
    expect(isUniqueViolation(new Error('failed query', { cause: new Error('wrapped', { cause: driver }) }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).toBe(false);
    expect(hasSqlState(Object.assign(new Error('fk'), { code: '23503' }), '23503')).toBe(true);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});
