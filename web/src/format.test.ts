import { afterEach, describe, expect, it, vi } from 'vitest';
import { beijingMonth, beijingToday, fmtBeijing, fmtDate } from './format';

/**
 * Issue 12 rule 7: every date and time the console shows or defaults to is Beijing's, whatever the
 * browser's zone. 2026-11-30 17:30 UTC is 2026-12-01 01:30 in Beijing: a UTC "today" would still
 * say November.
 */
describe('Beijing dates in the console', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('today and this month are Beijing’s between 00:00 and 08:00 too', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T17:30:00Z'));
    expect(beijingToday()).toBe('2026-12-01');
    expect(beijingMonth()).toBe('2026-12');
    expect(beijingMonth(-1)).toBe('2026-11');
    expect(beijingMonth(-12)).toBe('2025-12');
    expect(beijingMonth(1)).toBe('2027-01');
  });

  it('an instant prints as Beijing time; a bare date stays as written', () => {
    expect(fmtBeijing('2026-11-30T17:30:00.000Z')).toBe('2026-12-01 01:30:00');
    expect(fmtDate('2026-11-30T17:30:00.000Z')).toBe('2026-12-01');
    expect(fmtDate('2026-11-30')).toBe('2026-11-30');
    expect(fmtBeijing(null)).toBe('-');
  });
});
