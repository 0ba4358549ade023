import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  beijingDay,
  beijingMidnight,
  beijingMonth,
  beijingTime,
  daysBetween,
  daysInMonth,
  isoWeekOf,
  monthEnd,
  monthEnded,
  monthsBetween,
  nextMonth,
  nextMonthStart,
  previousMonth,
  quarterOf,
  tenDayPeriodOf,
  weekday,
} from './dates.js';

describe('Beijing days', () => {
  it('an instant belongs to the Beijing day: 16:00 UTC is the next midnight', () => {
    expect(beijingDay(new Date('2026-10-31T15:59:59Z'))).toBe('2026-10-31');
    expect(beijingDay(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
    expect(beijingMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
    expect(beijingMidnight('2026-11-01').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(beijingDay(beijingMidnight('2026-11-01'))).toBe('2026-11-01');
    expect(beijingTime(new Date('2026-11-26T01:00:59Z'))).toBe('2026-11-26 09:00');
    expect(beijingTime(new Date('2026-11-26T01:00:59Z'), 'second')).toBe('2026-11-26 09:00:59');
  });

  it('a month ends at Beijing midnight, not UTC', () => {
    expect(monthEnded('2026-10', new Date('2026-10-31T15:59:59Z'))).toBe(false);
    expect(monthEnded('2026-10', new Date('2026-10-31T16:00:00Z'))).toBe(true);
  });
});

describe('days and months', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-25', '2027-01-01')).toBe(37);
    expect(daysBetween('2027-01-01', '2026-11-25')).toBe(-37);
  });

  it('adds months clamping to the last day', () => {
    expect(addMonths('2026-11-25', 6)).toBe('2027-05-25');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('walks months and knows their length', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(nextMonthStart('2026-12')).toBe('2027-01-01');
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2100-02')).toBe(28);
    expect(monthEnd('2026-04')).toBe('2026-04-30');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(weekday('2026-12-05')).toBe(6);
    expect(weekday('2026-12-06')).toBe(7);
    expect(weekday('2026-12-07')).toBe(1);
  });
});

describe('旬, ISO weeks and quarters', () => {
  it('splits a month into 上旬 1–10, 中旬 11–20, 下旬 21–end', () => {
    expect(tenDayPeriodOf('2026-02-10')).toMatchObject({ index: 1, from: '2026-02-01', to: '2026-02-10', label: '2026年2月上旬' });
    expect(tenDayPeriodOf('2026-02-11')).toMatchObject({ index: 2, from: '2026-02-11', to: '2026-02-20' });
    expect(tenDayPeriodOf('2026-02-28')).toMatchObject({ index: 3, from: '2026-02-21', to: '2026-02-28', label: '2026年2月下旬' });
    expect(tenDayPeriodOf('2026-12-31')).toMatchObject({ index: 3, from: '2026-12-21', to: '2026-12-31' });
  });

  it('numbers ISO weeks, including the weeks that cross a year', () => {
    expect(isoWeekOf('2026-12-05')).toEqual({ year: 2026, week: 49, label: '2026-W49', from: '2026-11-30', to: '2026-12-06' });
    // 2027-01-01 is a Friday: it belongs to 2026's week 53.
    expect(isoWeekOf('2027-01-01')).toMatchObject({ year: 2026, week: 53, label: '2026-W53' });
    expect(isoWeekOf('2027-01-04')).toMatchObject({ year: 2027, week: 1, from: '2027-01-04' });
    // 2024-12-30 is a Monday whose Thursday is in 2025: week 1 of 2025.
    expect(isoWeekOf('2024-12-30')).toMatchObject({ year: 2025, week: 1, label: '2025-W01' });
  });

  it('finds the quarter of a day or a month', () => {
    expect(quarterOf('2026-12-05')).toEqual({
      year: 2026,
      quarter: 4,
      label: '2026-Q4',
      from: '2026-10-01',
      to: '2026-12-31',
      months: ['2026-10', '2026-11', '2026-12'],
    });
    expect(quarterOf('2026-03')).toMatchObject({ quarter: 1, from: '2026-01-01', to: '2026-03-31' });
    expect(quarterOf('2026-04-01')).toMatchObject({ quarter: 2, label: '2026-Q2' });
  });
});
