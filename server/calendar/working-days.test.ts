import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, nthWorkingDay, workCalendar, workingDaysBetween, workingDaysInMonth } from './working-days.js';

// 2026's 国庆 as the State Council would publish it: 10-01 … 10-08 off, Sunday 09-27 and Saturday 10-10 worked.
const cal = workCalendar(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'], ['2026-09-27', '2026-10-10']);

describe('working days', () => {
  it('Monday to Friday, less holidays, plus make-up days', () => {
    expect(isWorkingDay('2026-12-04')).toBe(true); // Friday
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-05', cal)).toBe(false); // a Monday in the holiday
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // a Saturday worked (调休)
  });

  it('counts the n-th working day of a month past the holiday', () => {
    expect(nthWorkingDay('2026-10', 1)).toBe('2026-10-01');
    expect(nthWorkingDay('2026-10', 1, cal)).toBe('2026-10-09');
    expect(nthWorkingDay('2026-10', 2, cal)).toBe('2026-10-10');
    expect(nthWorkingDay('2026-10', 3, cal)).toBe('2026-10-12');
    expect(nthWorkingDay('2026-11', 1)).toBe('2026-11-02'); // 11-01 is a Sunday
  });

  it('adds working days both ways and counts them', () => {
    expect(addWorkingDays('2026-09-30', 1, cal)).toBe('2026-10-09');
    expect(addWorkingDays('2026-10-09', -1, cal)).toBe('2026-09-30');
    expect(addWorkingDays('2026-12-05', 0)).toBe('2026-12-07');
    expect(workingDaysBetween('2026-09-26', '2026-10-11', cal)).toBe(6); // 09-27, 28, 29, 30, 10-09, 10-10
    expect(workingDaysInMonth('2026-10', cal)).toBe(17);
    expect(workingDaysInMonth('2026-12')).toBe(23);
  });

  it('a pathological holiday list cannot hang: every day off still returns', () => {
    const days: string[] = [];
    for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) days.push(`2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const off = workCalendar(days, []);
    expect(typeof nthWorkingDay('2026-03', 1, off)).toBe('string');
  });
});
